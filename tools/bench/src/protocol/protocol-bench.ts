// Protocol suite: encode and decode throughput of large Metadata and Fetch messages, kafkite next to the
// decoders and encoders that KafkaJS and @platformatic/kafka expose.
//
// Fairness: every decoder gets the same bytes (the body after the response header, as each client's
// connection hands it over), produced once by kafkite's encoder. Before any timing, each decoder's output is
// checked against the message that was encoded, so a number is only printed for a decoder that read the
// whole message correctly. Request encoders are checked to produce the same bytes as kafkite's.

import { decodeMessage, encodeMessage, Fetch, Metadata } from '@kafkite/protocol'
import type { BenchCase, BenchSuite, Contender } from '../harness/suite.js'
import {
  FETCH_REQUEST,
  FETCH_SHAPE,
  fetchRequest,
  fetchResponse,
  METADATA_SHAPE,
  metadataRequest,
  metadataRequestTopics,
  metadataResponse,
  recordBatch,
} from './fixtures.js'
import { kafkajs, platformatic } from './peers.js'

const KAFKAJS = `kafkajs ${kafkajs.version}`
const PLATFORMATIC = `@platformatic/kafka ${platformatic.version}`
const KAFKAJS_METADATA_MAX = 'KafkaJS implements Metadata up to v6'
const KAFKAJS_FETCH_MAX = 'KafkaJS implements Fetch up to v11'
const PLATFORMATIC_METADATA_MIN = '@platformatic/kafka implements Metadata v9-v12 only'
const PLATFORMATIC_FETCH_MIN = '@platformatic/kafka implements Fetch v12-v17 only'
const NO_RESPONSE_ENCODER = 'no response encoder (a client only encodes requests)'

function check(what: string, actual: unknown, expected: unknown): void {
  const actualText = JSON.stringify(actual)
  const expectedText = JSON.stringify(expected)
  if (actualText !== expectedText) {
    throw new Error(`Cross-check failed for ${what}: got ${actualText}, expected ${expectedText}`)
  }
}

// ---- Metadata ------------------------------------------------------------------------------------------

/** What every decoder must agree on: per topic its name and, per partition, leader and ISR. */
type MetadataDigest = { topic: string; partitions: [number, number, number[]][] }[]

function digestMetadata(response: Metadata.Response): MetadataDigest {
  return response.topics.map((topic) => ({
    topic: topic.name ?? '',
    partitions: topic.partitions.map((partition) => [
      partition.partitionIndex,
      partition.leaderId,
      partition.isrNodes,
    ]),
  }))
}

interface KafkaJsMetadata {
  brokers: unknown[]
  topicMetadata: {
    topic: string
    partitionMetadata: { partitionId: number; leader: number; isr: number[] }[]
  }[]
}

function digestKafkaJsMetadata(response: KafkaJsMetadata): MetadataDigest {
  return response.topicMetadata.map((topic) => ({
    topic: topic.topic,
    partitions: topic.partitionMetadata.map((partition) => [
      partition.partitionId,
      partition.leader,
      partition.isr,
    ]),
  }))
}

async function metadataResponseCases(): Promise<BenchCase[]> {
  const message = metadataResponse()
  const expected = digestMetadata(message)
  const { topics, partitionsPerTopic, brokers, replicas } = METADATA_SHAPE
  const shape = `${topics} topics × ${partitionsPerTopic} partitions = ${topics * partitionsPerTopic} partitions, ${brokers} brokers, ${replicas} replicas`

  const v12 = encodeMessage(Metadata.response, 12, message)
  check('kafkite Metadata v12', digestMetadata(decodeMessage(Metadata.response, 12, v12)), expected)
  check(
    'platformatic Metadata v12',
    digestMetadata(platformatic.metadataV12Response(v12) as Metadata.Response),
    expected,
  )

  const v6 = encodeMessage(Metadata.response, 6, message)
  check('kafkite Metadata v6', digestMetadata(decodeMessage(Metadata.response, 6, v6)), expected)
  check(
    'kafkajs Metadata v6',
    digestKafkaJsMetadata((await kafkajs.metadataV6Response.decode(v6)) as KafkaJsMetadata),
    expected,
  )

  return [
    {
      title: `Metadata response v12 (${shape})`,
      bytes: v12.byteLength,
      contenders: [
        { library: 'kafkite', operation: 'decode', run: () => decodeMessage(Metadata.response, 12, v12) },
        { library: PLATFORMATIC, operation: 'decode', run: () => platformatic.metadataV12Response(v12) },
        { library: KAFKAJS, operation: 'decode', unavailable: KAFKAJS_METADATA_MAX },
        { library: 'kafkite', operation: 'encode', run: () => encodeMessage(Metadata.response, 12, message) },
        { library: PLATFORMATIC, operation: 'encode', unavailable: NO_RESPONSE_ENCODER },
        { library: KAFKAJS, operation: 'encode', unavailable: NO_RESPONSE_ENCODER },
      ],
    },
    {
      title: `Metadata response v6 (${shape})`,
      bytes: v6.byteLength,
      contenders: [
        { library: 'kafkite', operation: 'decode', run: () => decodeMessage(Metadata.response, 6, v6) },
        { library: KAFKAJS, operation: 'decode', run: () => kafkajs.metadataV6Response.decode(v6) },
        { library: PLATFORMATIC, operation: 'decode', unavailable: PLATFORMATIC_METADATA_MIN },
        { library: 'kafkite', operation: 'encode', run: () => encodeMessage(Metadata.response, 6, message) },
        { library: KAFKAJS, operation: 'encode', unavailable: NO_RESPONSE_ENCODER },
        { library: PLATFORMATIC, operation: 'encode', unavailable: NO_RESPONSE_ENCODER },
      ],
    },
  ]
}

// ---- Fetch ---------------------------------------------------------------------------------------------

/** Per topic: name and, per partition, index, high watermark, aborted transactions, record count/bytes. */
type FetchDigest = { topic: string; partitions: [number, string, number][] }[]

function digestFetch(response: Fetch.Response): FetchDigest {
  return response.responses.map((topic) => ({
    topic: topic.topic,
    partitions: topic.partitions.map((partition) => [
      partition.partitionIndex,
      partition.highWatermark.toString(),
      partition.abortedTransactions?.length ?? -1,
    ]),
  }))
}

interface PlatformaticFetch {
  responses: {
    topicId: string
    partitions: {
      partitionIndex: number
      highWatermark: bigint
      abortedTransactions: unknown[]
      records?: { records: unknown[] }[]
    }[]
  }[]
}

function digestPlatformaticFetch(response: PlatformaticFetch): FetchDigest {
  return response.responses.map((topic) => ({
    // At v12 the field holds the topic name (@platformatic/kafka names it topicId for all versions).
    topic: topic.topicId,
    partitions: topic.partitions.map((partition) => [
      partition.partitionIndex,
      partition.highWatermark.toString(),
      partition.abortedTransactions.length,
    ]),
  }))
}

function platformaticRecordCount(response: PlatformaticFetch): number {
  let count = 0
  for (const topic of response.responses) {
    for (const partition of topic.partitions) {
      for (const batch of partition.records ?? []) count += batch.records.length
    }
  }
  return count
}

interface KafkaJsFetch {
  responses: {
    topicName: string
    partitions: {
      partition: number
      highWatermark: string
      abortedTransactions: unknown[]
      messages: unknown[]
    }[]
  }[]
}

function digestKafkaJsFetch(response: KafkaJsFetch): FetchDigest {
  return response.responses.map((topic) => ({
    topic: topic.topicName,
    partitions: topic.partitions.map((partition) => [
      partition.partition,
      partition.highWatermark,
      partition.abortedTransactions.length,
    ]),
  }))
}

function kafkaJsRecordCount(response: KafkaJsFetch): number {
  let count = 0
  for (const topic of response.responses) {
    for (const partition of topic.partitions) count += partition.messages.length
  }
  return count
}

async function fetchResponseCases(): Promise<BenchCase[]> {
  const { topics, partitionsPerTopic, abortedTransactionsPerPartition, recordsPerBatch } = FETCH_SHAPE
  const partitions = topics * partitionsPerTopic
  const batch = await recordBatch()
  const cases: BenchCase[] = []

  for (const withRecords of [true, false]) {
    const message = fetchResponse(withRecords ? batch : new Uint8Array(0))
    const expected = digestFetch(message)
    const expectedRecords = withRecords ? partitions * recordsPerBatch : 0
    const shape =
      `${topics} topics × ${partitionsPerTopic} partitions, ${abortedTransactionsPerPartition} aborted transactions each, ` +
      (withRecords
        ? `one ${(batch.byteLength / 1024).toFixed(1)} KiB record batch (${recordsPerBatch} records) each`
        : 'empty record sets: framing only')
    const recordsNote = withRecords
      ? [
          'Not like for like: the other clients also parse every record batch inside the same call, kafkite ' +
            'hands `records` over as a zero-copy view to be parsed separately. The framing-only case compares ' +
            'equal work.',
        ]
      : []

    const v12 = encodeMessage(Fetch.response, 12, message)
    check('kafkite Fetch v12', digestFetch(decodeMessage(Fetch.response, 12, v12)), expected)
    const platformaticV12 = platformatic.fetchV12Response(v12) as PlatformaticFetch
    check('platformatic Fetch v12', digestPlatformaticFetch(platformaticV12), expected)
    check('platformatic Fetch v12 records', platformaticRecordCount(platformaticV12), expectedRecords)

    const v11 = encodeMessage(Fetch.response, 11, message)
    check('kafkite Fetch v11', digestFetch(decodeMessage(Fetch.response, 11, v11)), expected)
    const kafkajsV11 = (await kafkajs.fetchV11Response.decode(v11)) as KafkaJsFetch
    check('kafkajs Fetch v11', digestKafkaJsFetch(kafkajsV11), expected)
    check('kafkajs Fetch v11 records', kafkaJsRecordCount(kafkajsV11), expectedRecords)

    const recordsTag = withRecords ? 'parses records' : undefined
    cases.push(
      {
        title: `Fetch response v12 (${shape})`,
        bytes: v12.byteLength,
        notes: recordsNote,
        contenders: [
          { library: 'kafkite', operation: 'decode', run: () => decodeMessage(Fetch.response, 12, v12) },
          peerDecoder(PLATFORMATIC, () => platformatic.fetchV12Response(v12), recordsTag),
          { library: KAFKAJS, operation: 'decode', unavailable: KAFKAJS_FETCH_MAX },
          { library: 'kafkite', operation: 'encode', run: () => encodeMessage(Fetch.response, 12, message) },
          { library: PLATFORMATIC, operation: 'encode', unavailable: NO_RESPONSE_ENCODER },
          { library: KAFKAJS, operation: 'encode', unavailable: NO_RESPONSE_ENCODER },
        ],
      },
      {
        title: `Fetch response v11 (${shape})`,
        bytes: v11.byteLength,
        notes: recordsNote,
        contenders: [
          { library: 'kafkite', operation: 'decode', run: () => decodeMessage(Fetch.response, 11, v11) },
          peerDecoder(KAFKAJS, () => kafkajs.fetchV11Response.decode(v11), recordsTag),
          { library: PLATFORMATIC, operation: 'decode', unavailable: PLATFORMATIC_FETCH_MIN },
          { library: 'kafkite', operation: 'encode', run: () => encodeMessage(Fetch.response, 11, message) },
          { library: KAFKAJS, operation: 'encode', unavailable: NO_RESPONSE_ENCODER },
          { library: PLATFORMATIC, operation: 'encode', unavailable: NO_RESPONSE_ENCODER },
        ],
      },
    )
  }
  return cases
}

function peerDecoder(library: string, run: () => unknown, note: string | undefined): Contender {
  return note === undefined
    ? { library, operation: 'decode', run }
    : { library, operation: 'decode', run, note }
}

// ---- Requests ------------------------------------------------------------------------------------------

async function requestCases(): Promise<BenchCase[]> {
  const topics = metadataRequestTopics()
  const metadata = metadataRequest()
  const metadataV12 = encodeMessage(Metadata.request, 12, metadata)
  const metadataV6 = encodeMessage(Metadata.request, 6, metadata)
  const platformaticMetadata = () => platformatic.metadataV12Request(topics, false, false).buffer
  const kafkajsMetadata = async () =>
    (await kafkajs.metadataV6Request({ topics, allowAutoTopicCreation: false }).encode()).buffer
  check(
    'platformatic Metadata v12 request bytes',
    platformaticMetadata().toString('hex'),
    metadataV12.toString('hex'),
  )
  check(
    'kafkajs Metadata v6 request bytes',
    (await kafkajsMetadata()).toString('hex'),
    metadataV6.toString('hex'),
  )

  const fetch = fetchRequest()
  const fetchV12 = encodeMessage(Fetch.request, 12, fetch)
  const fetchV11 = encodeMessage(Fetch.request, 11, fetch)
  const { maxWaitMs, minBytes, maxBytes, partitionMaxBytes, isolationLevel, sessionId, sessionEpoch } =
    FETCH_REQUEST
  const platformaticFetch = () =>
    platformatic.fetchV12Request(
      maxWaitMs,
      minBytes,
      maxBytes,
      isolationLevel,
      sessionId,
      sessionEpoch,
      fetch.topics.map((topic) => ({
        // @platformatic/kafka writes `topicId` as a string at v12, where the schema carries the name.
        topicId: topic.topic,
        partitions: topic.partitions.map((partition) => ({
          partition: partition.partition,
          currentLeaderEpoch: partition.currentLeaderEpoch,
          fetchOffset: partition.fetchOffset,
          lastFetchedEpoch: partition.lastFetchedEpoch,
          partitionMaxBytes: partition.partitionMaxBytes,
        })),
      })),
      [],
      '',
    ).buffer
  const kafkajsFetch = async () =>
    (
      await kafkajs
        .fetchV11Request({
          replicaId: -1,
          maxWaitTime: maxWaitMs,
          minBytes,
          maxBytes,
          isolationLevel,
          sessionId,
          sessionEpoch,
          rackId: '',
          topics: fetch.topics.map((topic) => ({
            topic: topic.topic,
            partitions: topic.partitions.map((partition) => ({
              partition: partition.partition,
              currentLeaderEpoch: partition.currentLeaderEpoch,
              fetchOffset: partition.fetchOffset.toString(),
              logStartOffset: -1,
              maxBytes: partitionMaxBytes,
            })),
          })),
        })
        .encode()
    ).buffer
  check('platformatic Fetch v12 request bytes', platformaticFetch().toString('hex'), fetchV12.toString('hex'))
  check('kafkajs Fetch v11 request bytes', (await kafkajsFetch()).toString('hex'), fetchV11.toString('hex'))

  const metadataShape = `${topics.length} topics`
  const fetchShape = `${FETCH_SHAPE.topics} topics × ${FETCH_SHAPE.partitionsPerTopic} partitions`
  const sameBytes = 'Every encoder here produces the same bytes (checked before timing).'
  return [
    {
      title: `Metadata request v12 (${metadataShape})`,
      bytes: metadataV12.byteLength,
      notes: [sameBytes],
      contenders: [
        { library: 'kafkite', operation: 'encode', run: () => encodeMessage(Metadata.request, 12, metadata) },
        { library: PLATFORMATIC, operation: 'encode', run: platformaticMetadata },
        { library: KAFKAJS, operation: 'encode', unavailable: KAFKAJS_METADATA_MAX },
      ],
    },
    {
      title: `Metadata request v6 (${metadataShape})`,
      bytes: metadataV6.byteLength,
      notes: [sameBytes],
      contenders: [
        { library: 'kafkite', operation: 'encode', run: () => encodeMessage(Metadata.request, 6, metadata) },
        { library: KAFKAJS, operation: 'encode', run: kafkajsMetadata },
        { library: PLATFORMATIC, operation: 'encode', unavailable: PLATFORMATIC_METADATA_MIN },
      ],
    },
    {
      title: `Fetch request v12 (${fetchShape})`,
      bytes: fetchV12.byteLength,
      notes: [sameBytes],
      contenders: [
        { library: 'kafkite', operation: 'encode', run: () => encodeMessage(Fetch.request, 12, fetch) },
        { library: PLATFORMATIC, operation: 'encode', run: platformaticFetch },
        { library: KAFKAJS, operation: 'encode', unavailable: KAFKAJS_FETCH_MAX },
      ],
    },
    {
      title: `Fetch request v11 (${fetchShape})`,
      bytes: fetchV11.byteLength,
      notes: [sameBytes],
      contenders: [
        { library: 'kafkite', operation: 'encode', run: () => encodeMessage(Fetch.request, 11, fetch) },
        { library: KAFKAJS, operation: 'encode', run: kafkajsFetch },
        { library: PLATFORMATIC, operation: 'encode', unavailable: PLATFORMATIC_FETCH_MIN },
      ],
    },
  ]
}

export const suite: BenchSuite = {
  name: 'protocol',
  description:
    'Encode and decode throughput of message bodies (no size prefix or header). Every decoder reads the ' +
    'same bytes, encoded once by kafkite; each output is checked before timing.',
  async cases() {
    return [...(await metadataResponseCases()), ...(await fetchResponseCases()), ...(await requestCases())]
  },
}
