// Fuzzing the decoder: random bytes, and random mutations of valid encodings, fed to decodeMessage for a
// selection of schemas and versions. A failure must be a ProtocolError; a success must re-encode to bytes
// that decode to the same value.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hex } from '../__fixtures__/hex.js'
import { KafkaError } from '../errors/kafka-error.js'
import { ProtocolError } from '../errors/protocol-error.js'
import * as ApiVersions from '../generated/api-versions.js'
import * as Fetch from '../generated/fetch.js'
import * as Metadata from '../generated/metadata.js'
import * as Produce from '../generated/produce.js'
import { ZERO_UUID } from '../wire/uuid.js'
import { decodeMessage, encodeMessage } from './codec.js'
import type { MessageSchema } from './types.js'

interface Case {
  readonly name: string
  readonly schema: MessageSchema
  readonly version: number
  /** A valid encoding at this version, the starting point for mutations. */
  readonly seed: Buffer
}

function cases<T>(
  schema: MessageSchema<T>,
  versions: readonly number[],
  sample: (version: number) => T,
): Case[] {
  return versions.map((version) => ({
    name: `${schema.name} v${version}`,
    schema: schema as MessageSchema,
    version,
    seed: encodeMessage(schema, version, sample(version)),
  }))
}

const TOPIC_ID = 'AAECAwQFBgcICQoLDA0ODw'

const all: Case[] = [
  ...cases(ApiVersions.response, [0, 3, 4], (version) =>
    ApiVersions.createResponse({
      apiKeys: [
        { apiKey: 0, minVersion: 0, maxVersion: 11 },
        { apiKey: 1, minVersion: 4, maxVersion: 17 },
      ],
      throttleTimeMs: version >= 1 ? 10 : 0,
      ...(version >= 3
        ? {
            supportedFeatures: [{ name: 'metadata.version', minVersion: 1, maxVersion: 20 }],
            finalizedFeaturesEpoch: 3n,
            zkMigrationReady: true,
          }
        : {}),
    }),
  ),
  ...cases(Metadata.response, [1, 9, 12], (version) =>
    Metadata.createResponse({
      brokers: [
        { nodeId: 1, host: 'b1', port: 9092, rack: 'r1' },
        { nodeId: 2, host: 'b2', port: 9093, rack: null },
      ],
      clusterId: version >= 2 ? 'c1' : null,
      controllerId: 1,
      topics: [
        {
          name: 'orders',
          topicId: version >= 10 ? TOPIC_ID : ZERO_UUID,
          partitions: [
            { partitionIndex: 0, leaderId: 1, leaderEpoch: 2, replicaNodes: [1, 2], isrNodes: [1] },
            { partitionIndex: 1, leaderId: 2, leaderEpoch: 2, replicaNodes: [2, 1], isrNodes: [2, 1] },
          ],
        },
      ],
      ...(version >= 9 ? { unknownTags: new Map([[7, hex`01 02`]]) } : {}),
    }),
  ),
  ...cases(Produce.response, [3, 9, 10], (version) =>
    Produce.createResponse({
      responses: [
        {
          name: 'orders',
          partitionResponses: [
            {
              index: 0,
              errorCode: version >= 10 ? 6 : 0,
              baseOffset: 42n,
              ...(version >= 8 ? { recordErrors: [{ batchIndex: 1, batchIndexErrorMessage: 'x' }] } : {}),
              ...(version >= 10 ? { currentLeader: { leaderId: 2, leaderEpoch: 5 } } : {}),
            },
          ],
        },
      ],
      ...(version >= 10 ? { nodeEndpoints: [{ nodeId: 2, host: 'b2', port: 9092 }] } : {}),
    }),
  ),
  ...cases(Fetch.response, [4, 12, 16], (version) =>
    Fetch.createResponse({
      responses: [
        {
          topic: version <= 12 ? 'orders' : '',
          topicId: version >= 13 ? TOPIC_ID : ZERO_UUID,
          partitions: [
            {
              partitionIndex: 0,
              highWatermark: 110n,
              lastStableOffset: 108n,
              abortedTransactions: [{ producerId: 7n, firstOffset: 100n }],
              records: hex`00 01 02 03 04 05`,
              ...(version >= 12 ? { currentLeader: { leaderId: 1, leaderEpoch: 3 } } : {}),
            },
          ],
        },
      ],
      ...(version >= 16 ? { nodeEndpoints: [{ nodeId: 1, host: 'b1', port: 9092, rack: 'r' }] } : {}),
    }),
  ),
  ...cases(Fetch.request, [4, 12, 15], (version) =>
    Fetch.createRequest({
      clusterId: version >= 12 ? 'c1' : null,
      ...(version >= 15 ? { replicaState: { replicaId: 1, replicaEpoch: 2n } } : {}),
      maxWaitMs: 500,
      minBytes: 1,
      topics: [
        {
          topic: version <= 12 ? 'orders' : '',
          topicId: version >= 13 ? TOPIC_ID : ZERO_UUID,
          partitions: [{ partition: 0, fetchOffset: 5n, partitionMaxBytes: 1024 }],
        },
      ],
    }),
  ),
]

/** A successful decode must re-encode and decode to the same value; a failed one must be a ProtocolError. */
function checkDecode({ schema, version }: Case, bytes: Uint8Array): void {
  let value: unknown
  try {
    value = decodeMessage(schema, version, bytes)
  } catch (error) {
    if (!(error instanceof ProtocolError) || !KafkaError.isInstance(error)) throw error
    return
  }
  expect(decodeMessage(schema, version, encodeMessage(schema, version, value))).toEqual(value)
}

type Mutation =
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'insert'; at: number; byte: number }
  | { kind: 'delete'; at: number }
  | { kind: 'truncate'; at: number }

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
)

function mutate(seed: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = [...seed]
  for (const change of mutations) {
    const at = bytes.length === 0 ? 0 : change.at % bytes.length
    switch (change.kind) {
      case 'set':
        if (bytes.length > 0) bytes[at] = change.byte
        break
      case 'insert':
        bytes.splice(at, 0, change.byte)
        break
      case 'delete':
        bytes.splice(at, 1)
        break
      case 'truncate':
        bytes = bytes.slice(0, at)
        break
    }
  }
  return Uint8Array.from(bytes)
}

describe('decoder fuzzing', () => {
  it('the seeds are valid encodings', () => {
    for (const entry of all) checkDecode(entry, entry.seed)
    expect(all.length).toBe(15)
  })

  it('random bytes: every failure is a ProtocolError', () => {
    fc.assert(
      fc.property(fc.constantFrom(...all), fc.uint8Array({ maxLength: 96 }), (entry, bytes) =>
        checkDecode(entry, bytes),
      ),
      { numRuns: 1000 },
    )
  })

  it('random bytes after a valid prefix: every failure is a ProtocolError', () => {
    fc.assert(
      fc.property(fc.constantFrom(...all), fc.nat(), fc.uint8Array({ maxLength: 48 }), (entry, cut, tail) =>
        checkDecode(entry, Buffer.concat([entry.seed.subarray(0, cut % (entry.seed.length + 1)), tail])),
      ),
      { numRuns: 500 },
    )
  })

  it('mutated valid encodings: every failure is a ProtocolError', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...all),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (entry, changes) => checkDecode(entry, mutate(entry.seed, changes)),
      ),
      { numRuns: 1000 },
    )
  })
})
