// Helpers of the producer's integration tests: topics with any number of partitions, created through
// KafkaAdminClient, and every record of a partition fetched back raw (offsets, timestamps, producer state),
// so what the producer wrote is checked on the broker, not only through the producer's own answers.
import { ClusterClient } from '@kafkite/cluster'
import { ErrorCode, errorFromCode, Fetch, ListOffsets } from '@kafkite/protocol'
import { RecordBatch, readBatches, type TimestampType } from '@kafkite/records'
import { createTopics } from '../src/index.js'

export interface FetchedRecord {
  readonly partition: number
  readonly offset: bigint
  readonly timestamp: number
  readonly timestampType: TimestampType
  readonly key: Buffer | null
  readonly value: Buffer | null
  readonly headers: readonly { readonly key: string; readonly value: Buffer | null }[]
  readonly compression: number
  readonly producerId: bigint
  readonly baseSequence: number
}

/** Creates a topic through KafkaAdminClient and waits until this client sees every partition's leader. */
export async function createTopic(
  cluster: ClusterClient,
  name: string,
  partitions: number,
  configs: Readonly<Record<string, string>> = {},
): Promise<void> {
  await createTopics([name], { partitions, configs })
  await cluster.withRetries(
    () =>
      Promise.all(Array.from({ length: partitions }, (_, partition) => cluster.leaderFor(name, partition))),
    { timeoutMs: 30_000 },
  )
}

/** A cluster client for test bookkeeping (creating topics, fetching), separate from the producer's. */
export function testCluster(bootstrapServers: string): ClusterClient {
  return new ClusterClient({ bootstrapServers, clientId: 'kafkite-producer-tests', requestTimeoutMs: 30_000 })
}

/**
 * Every record of one partition from offset 0 up to `untilOffset` (exclusive), in offset order, fetched
 * from the partition's leader with retries (the leader may be moving after a restart).
 */
export async function fetchPartition(
  cluster: ClusterClient,
  topic: string,
  partition: number,
  untilOffset: bigint,
  timeoutMs = 60_000,
): Promise<FetchedRecord[]> {
  const records: FetchedRecord[] = []
  let position = 0n
  const deadline = Date.now() + timeoutMs
  while (position < untilOffset) {
    if (Date.now() > deadline)
      throw new Error(`fetching ${topic}-${partition} stopped at ${position} of ${untilOffset}`)
    const chunk = await cluster.withRetries(
      async () => {
        const { nodeId } = await cluster.leaderFor(topic, partition)
        const topicId = cluster.metadata.topics.get(topic)?.topicId
        const answer = await cluster.sendToBroker(
          nodeId,
          Fetch.api,
          Fetch.createRequest({
            maxWaitMs: 200,
            minBytes: 1,
            maxBytes: 8 << 20,
            topics: [
              {
                topic,
                ...(topicId === undefined ? {} : { topicId }),
                partitions: [{ partition, fetchOffset: position, partitionMaxBytes: 8 << 20 }],
              },
            ],
          }),
          { lane: 'fetch' },
        )
        const fetched = answer.responses[0]?.partitions[0]
        const code = fetched?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR
        if (code !== 0) throw errorFromCode(code, { path: `fetch ${topic}-${partition}` })
        return fetched?.records ?? null
      },
      { timeoutMs: 60_000 },
    )
    if (chunk === null || chunk.length === 0) continue
    for (const batch of readBatches(Buffer.from(chunk))) {
      if (batch.isControl) {
        position = batch.lastOffset + 1n
        continue
      }
      if (!(batch instanceof RecordBatch)) throw new Error('the producer wrote a legacy message set')
      for (const record of batch) {
        if (record.offset < position) continue
        records.push({
          partition,
          offset: record.offset,
          timestamp: record.timestamp,
          timestampType: batch.timestampType,
          key: record.key,
          value: record.value,
          headers: record.headers,
          compression: batch.compression,
          producerId: batch.producerId,
          baseSequence: batch.baseSequence,
        })
      }
      if (batch.lastOffset + 1n > position) position = batch.lastOffset + 1n
    }
  }
  return records.filter((record) => record.offset < untilOffset)
}

/** The partition's end offset (the offset the next record will get), from its leader. */
export async function endOffset(cluster: ClusterClient, topic: string, partition: number): Promise<bigint> {
  return cluster.withRetries(
    async () => {
      const { nodeId } = await cluster.leaderFor(topic, partition)
      const response = await cluster.sendToBroker(
        nodeId,
        ListOffsets.api,
        ListOffsets.createRequest({
          replicaId: -1,
          topics: [{ name: topic, partitions: [{ partitionIndex: partition, timestamp: -1n }] }],
        }),
      )
      const answer = response.topics[0]?.partitions[0]
      const error = errorFromCode(answer?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR)
      if (error !== undefined) throw error
      return answer?.offset ?? -1n
    },
    { timeoutMs: 60_000 },
  )
}
