// Frames captured from a real Apache Kafka broker (`pnpm fixtures:capture`, see integration/scripts): every
// request our encoder sent and every answer the broker gave, at the highest version both support. Decoding
// them with the generated codecs must give what the broker meant, and re-encoding must give the same bytes.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { allApis } from '../generated/index.js'
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from '../headers.js'

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../__fixtures__/broker')

interface Manifest {
  kafkaVersion: string
  exchanges: { api: string; version: number; request: string; response: string }[]
}

const manifest = JSON.parse(readFileSync(join(fixtures, 'manifest.json'), 'utf8')) as Manifest

function frame(file: string): Buffer {
  return Buffer.from(readFileSync(join(fixtures, file), 'utf8').replace(/\s+/g, ''), 'hex')
}

function decoded(apiName: string): { version: number; request: unknown; response: Record<string, unknown> } {
  const exchange = manifest.exchanges.find((candidate) => candidate.api === apiName)
  if (exchange === undefined) throw new Error(`No fixture for ${apiName}`)
  const api = allApis.find((candidate) => candidate.name === apiName)!
  return {
    version: exchange.version,
    request: decodeRequest(api, frame(exchange.request)).body,
    response: decodeResponse(api, exchange.version, frame(exchange.response)).body as Record<string, unknown>,
  }
}

describe(`frames captured from Apache Kafka ${manifest.kafkaVersion}`, () => {
  it('covers the seven APIs of a client’s first conversation', () => {
    expect(manifest.exchanges.map((exchange) => exchange.api).sort()).toEqual([
      'ApiVersions',
      'CreateTopics',
      'Fetch',
      'FindCoordinator',
      'ListOffsets',
      'Metadata',
      'Produce',
    ])
  })

  it.each(manifest.exchanges)(
    '$api v$version: request and response re-encode to the captured bytes',
    (exchange) => {
      const api = allApis.find((candidate) => candidate.name === exchange.api)!
      const requestFrame = frame(exchange.request)
      const request = decodeRequest(api, requestFrame)
      const requestAgain = encodeRequest(
        api,
        exchange.version,
        { correlationId: request.header.correlationId, clientId: request.header.clientId },
        request.body,
        { sizePrefix: false },
      )
      expect(requestAgain.toString('hex')).toBe(requestFrame.toString('hex'))
      const responseFrame = frame(exchange.response)
      const response = decodeResponse(api, exchange.version, responseFrame)
      expect(response.correlationId).toBe(request.header.correlationId)
      const responseAgain = encodeResponse(api, exchange.version, response.correlationId, response.body, {
        sizePrefix: false,
      })
      expect(responseAgain.toString('hex')).toBe(responseFrame.toString('hex'))
    },
  )

  it('ApiVersions: no error, and the broker lists the APIs a client needs', () => {
    const { response } = decoded('ApiVersions')
    expect(response.errorCode).toBe(0)
    const keys = (response.apiKeys as { apiKey: number }[]).map((entry) => entry.apiKey)
    for (const key of [0, 1, 2, 3, 8, 9, 10, 11, 12, 18, 19]) expect(keys).toContain(key)
  })

  it('CreateTopics: the topic was created', () => {
    const { response } = decoded('CreateTopics')
    const [topic] = response.topics as { name: string; errorCode: number; numPartitions: number }[]
    expect(topic).toMatchObject({ name: 'kafkite-fixtures', errorCode: 0, numPartitions: 1 })
  })

  it('Metadata: one broker, and the topic with a leader and a topic id', () => {
    const { response } = decoded('Metadata')
    expect(response.brokers).toHaveLength(1)
    const [topic] = response.topics as { name: string; topicId: string; partitions: { leaderId: number }[] }[]
    expect(topic?.name).toBe('kafkite-fixtures')
    expect(topic?.topicId).not.toBe('AAAAAAAAAAAAAAAAAAAAAA')
    expect(topic?.partitions[0]?.leaderId).toBeGreaterThan(0)
  })

  it('Produce: the batch of three records landed at offset 0', () => {
    const { response } = decoded('Produce')
    const partition = (
      response.responses as { partitionResponses: { errorCode: number; baseOffset: bigint }[] }[]
    )[0]?.partitionResponses[0]
    expect(partition).toMatchObject({ errorCode: 0, baseOffset: 0n })
  })

  it('Fetch: the records come back as one batch view, high watermark 3', () => {
    const { response } = decoded('Fetch')
    const partition = (
      response.responses as {
        partitions: { errorCode: number; highWatermark: bigint; records: Uint8Array | null }[]
      }[]
    )[0]?.partitions[0]
    expect(partition?.errorCode).toBe(0)
    expect(partition?.highWatermark).toBe(3n)
    expect(partition?.records?.byteLength).toBeGreaterThan(61)
  })

  it('ListOffsets: the latest offset is 3', () => {
    const { response } = decoded('ListOffsets')
    const partition = (response.topics as { partitions: { errorCode: number; offset: bigint }[] }[])[0]
      ?.partitions[0]
    expect(partition).toMatchObject({ errorCode: 0, offset: 3n })
  })

  it('FindCoordinator: the one broker coordinates the group', () => {
    const { response } = decoded('FindCoordinator')
    const [coordinator] = response.coordinators as { key: string; errorCode: number; nodeId: number }[]
    expect(coordinator).toMatchObject({ key: 'kafkite-fixtures', errorCode: 0, nodeId: 1 })
  })
})
