// The messages the protocol suite encodes and decodes. Built deterministically so every run (and every
// library) sees the same bytes.

import { Fetch, Metadata } from '@kafkite/protocol'
import { kafkajs } from './peers.js'

export const METADATA_SHAPE = { brokers: 3, topics: 50, partitionsPerTopic: 20, replicas: 3 } as const
export const FETCH_SHAPE = {
  topics: 10,
  partitionsPerTopic: 10,
  abortedTransactionsPerPartition: 3,
  recordsPerBatch: 16,
  valueBytes: 1000,
} as const

/** A deterministic Kafka UUID (22 characters of base64url) for topic `index`. */
function topicId(index: number): string {
  const bytes = Buffer.alloc(16)
  bytes.writeUInt32BE(0x6b61666b, 0) // "kafk"
  bytes.writeUInt32BE(index + 1, 12)
  return bytes.toString('base64url')
}

export function topicName(index: number): string {
  return `bench.orders.events-${String(index).padStart(3, '0')}`
}

export function metadataResponse(): Metadata.Response {
  const { brokers, topics, partitionsPerTopic, replicas } = METADATA_SHAPE
  return Metadata.createResponse({
    throttleTimeMs: 0,
    brokers: Array.from({ length: brokers }, (_, index) => ({
      nodeId: index + 1,
      host: `broker-${index + 1}.kafka.bench.internal`,
      port: 9092,
      rack: `rack-${(index % 3) + 1}`,
    })),
    clusterId: 'kF3x9QbXRkOq5sU1mYc7Tw',
    controllerId: 1,
    topics: Array.from({ length: topics }, (_, topic) => ({
      errorCode: 0,
      name: topicName(topic),
      topicId: topicId(topic),
      isInternal: false,
      partitions: Array.from({ length: partitionsPerTopic }, (_, partition) => {
        const nodes = Array.from({ length: replicas }, (_, replica) => ((partition + replica) % brokers) + 1)
        return {
          errorCode: 0,
          partitionIndex: partition,
          leaderId: nodes[0]!,
          leaderEpoch: 7,
          replicaNodes: nodes,
          isrNodes: nodes,
          offlineReplicas: [],
        }
      }),
    })),
  })
}

/** One uncompressed v2 record batch of about 16 KiB, as a broker returns it in a Fetch response. */
export async function recordBatch(): Promise<Buffer> {
  const { recordsPerBatch, valueBytes } = FETCH_SHAPE
  const timestamp = 1_760_000_000_000
  const records = Array.from({ length: recordsPerBatch }, (_, index) =>
    kafkajs.record({
      offsetDelta: index,
      timestampDelta: index,
      key: Buffer.from(`order-${String(index).padStart(6, '0')}`),
      value: Buffer.alloc(valueBytes, 0x61 + (index % 26)),
      headers: { 'content-type': 'application/json' },
    }),
  )
  const batch = await kafkajs.recordBatch({
    firstOffset: kafkajs.long.fromNumber(1_000_000),
    firstTimestamp: timestamp,
    maxTimestamp: timestamp + recordsPerBatch - 1,
    lastOffsetDelta: recordsPerBatch - 1,
    records,
  })
  return Buffer.from(batch.buffer)
}

/** A Fetch response with `records` in every partition (an empty blob for the framing-only case). */
export function fetchResponse(records: Uint8Array): Fetch.Response {
  const { topics, partitionsPerTopic, abortedTransactionsPerPartition } = FETCH_SHAPE
  return Fetch.createResponse({
    throttleTimeMs: 0,
    errorCode: 0,
    sessionId: 1_234_567,
    responses: Array.from({ length: topics }, (_, topic) => ({
      topic: topicName(topic),
      topicId: topicId(topic),
      partitions: Array.from({ length: partitionsPerTopic }, (_, partition) => ({
        partitionIndex: partition,
        errorCode: 0,
        highWatermark: 1_000_000n + BigInt(partition * 1000),
        lastStableOffset: 1_000_000n + BigInt(partition * 1000),
        logStartOffset: 0n,
        abortedTransactions: Array.from({ length: abortedTransactionsPerPartition }, (_, index) => ({
          producerId: 4_000n + BigInt(index),
          firstOffset: 900_000n + BigInt(index * 100),
        })),
        preferredReadReplica: -1,
        records,
      })),
    })),
  })
}

export function metadataRequestTopics(): string[] {
  return Array.from({ length: METADATA_SHAPE.topics }, (_, topic) => topicName(topic))
}

export function metadataRequest(): Metadata.Request {
  return Metadata.createRequest({
    topics: metadataRequestTopics().map((name) => ({ name })),
    allowAutoTopicCreation: false,
    includeTopicAuthorizedOperations: false,
  })
}

export const FETCH_REQUEST = {
  maxWaitMs: 500,
  minBytes: 1,
  maxBytes: 52_428_800,
  partitionMaxBytes: 1_048_576,
  isolationLevel: 1,
  sessionId: 0,
  sessionEpoch: -1,
} as const

export function fetchRequest(): Fetch.Request {
  const { topics, partitionsPerTopic } = FETCH_SHAPE
  const { maxWaitMs, minBytes, maxBytes, partitionMaxBytes, isolationLevel, sessionId, sessionEpoch } =
    FETCH_REQUEST
  return Fetch.createRequest({
    replicaId: -1,
    maxWaitMs,
    minBytes,
    maxBytes,
    isolationLevel,
    sessionId,
    sessionEpoch,
    topics: Array.from({ length: topics }, (_, topic) => ({
      topic: topicName(topic),
      partitions: Array.from({ length: partitionsPerTopic }, (_, partition) => ({
        partition,
        currentLeaderEpoch: 7,
        fetchOffset: 1_000_000n + BigInt(partition * 1000),
        lastFetchedEpoch: -1,
        logStartOffset: -1n,
        partitionMaxBytes,
      })),
    })),
    forgottenTopicsData: [],
    rackId: '',
  })
}
