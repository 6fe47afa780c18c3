// Typed handles on the codecs other Kafka clients for Node.js expose.
//
// KafkaJS ships no types for its protocol internals, but publishes them (it has no `exports` map), so they
// are loaded by path with `require` and given the small shapes used here. @platformatic/kafka exports its
// per-version API modules (`metadataV12`, `fetchV12`, ...) and its `Reader` from the package root.

import { createRequire } from 'node:module'
import { fetchV12, metadataV12, Reader as PlatformaticReader } from '@platformatic/kafka'

const require = createRequire(import.meta.url)

/** The exact version pinned in this package's devDependencies (@platformatic/kafka exports no package.json). */
function pinned(name: string): string {
  const manifest = require('../../package.json') as { devDependencies: Record<string, string> }
  return manifest.devDependencies[name] ?? 'unknown'
}

/** A KafkaJS response module: `decode` turns the body (after the correlation id) into an object. */
interface KafkaJsResponse {
  decode(body: Buffer): Promise<unknown>
}

/** A KafkaJS request factory: `encode` resolves to its `Encoder`, whose `buffer` holds the body. */
type KafkaJsRequest<Init> = (init: Init) => { encode(): Promise<{ buffer: Buffer }> }

interface KafkaJsLong {
  toString(): string
}

export const kafkajs = {
  version: pinned('kafkajs'),
  metadataV6Response: require('kafkajs/src/protocol/requests/metadata/v6/response') as KafkaJsResponse,
  fetchV11Response: require('kafkajs/src/protocol/requests/fetch/v11/response') as KafkaJsResponse,
  metadataV6Request: require('kafkajs/src/protocol/requests/metadata/v6/request') as KafkaJsRequest<{
    topics: string[]
    allowAutoTopicCreation: boolean
  }>,
  fetchV11Request: require('kafkajs/src/protocol/requests/fetch/v11/request') as KafkaJsRequest<{
    replicaId: number
    maxWaitTime: number
    minBytes: number
    maxBytes: number
    isolationLevel: number
    sessionId: number
    sessionEpoch: number
    rackId: string
    topics: {
      topic: string
      partitions: {
        partition: number
        currentLeaderEpoch: number
        fetchOffset: string
        logStartOffset: number
        maxBytes: number
      }[]
    }[]
  }>,
  /** Encodes a v2 record batch (uncompressed): used to build a valid `records` blob for Fetch. */
  recordBatch: (
    require('kafkajs/src/protocol/recordBatch/v0') as {
      RecordBatch(init: {
        firstOffset: KafkaJsLong
        firstTimestamp: number
        maxTimestamp: number
        lastOffsetDelta: number
        records: unknown[]
      }): Promise<{ buffer: Buffer }>
    }
  ).RecordBatch,
  record: require('kafkajs/src/protocol/recordBatch/record/v0') as (init: {
    offsetDelta: number
    timestampDelta: number
    key: Buffer
    value: Buffer
    headers: Record<string, string>
  }) => unknown,
  long: require('kafkajs/src/utils/long') as { fromNumber(value: number): KafkaJsLong },
}

export const platformatic = {
  version: pinned('@platformatic/kafka'),
  /** Decodes a response body (after the response header) as the client does. */
  metadataV12Response: (body: Buffer) => metadataV12.parseResponse(0, 3, 12, PlatformaticReader.from(body)),
  fetchV12Response: (body: Buffer) => fetchV12.parseResponse(0, 1, 12, PlatformaticReader.from(body)),
  metadataV12Request: metadataV12.createRequest,
  fetchV12Request: fetchV12.createRequest,
}
