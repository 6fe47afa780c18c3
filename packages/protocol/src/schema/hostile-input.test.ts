// Hostile and broken input: decoding must throw a ProtocolError and nothing else (never a RangeError or
// TypeError), and must never allocate by a length read from the input beyond the bytes present.
import { describe, expect, it } from 'vitest'
import { hex } from '../__fixtures__/hex.js'
import { KafkaError } from '../errors/kafka-error.js'
import { ProtocolError } from '../errors/protocol-error.js'
import * as ApiVersions from '../generated/api-versions.js'
import * as Metadata from '../generated/metadata.js'
import * as Produce from '../generated/produce.js'
import * as SaslAuthenticate from '../generated/sasl-authenticate.js'
import { decodeResponse, encodeResponse } from '../headers.js'
import { decodeMessage, encodeMessage } from './codec.js'
import type { MessageSchema } from './types.js'

/** Runs `action`, demands that it throws a ProtocolError (and no built-in error), and returns it. */
function protocolErrorFrom(action: () => unknown): ProtocolError {
  let thrown: unknown
  try {
    action()
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeInstanceOf(ProtocolError)
  expect(thrown).not.toBeInstanceOf(RangeError)
  expect(thrown).not.toBeInstanceOf(TypeError)
  expect(KafkaError.isInstance(thrown)).toBe(true)
  return thrown as ProtocolError
}

function decodeFails<T>(schema: MessageSchema<T>, version: number, bytes: Uint8Array): ProtocolError {
  return protocolErrorFrom(() => decodeMessage(schema, version, bytes))
}

const metadataV12 = Metadata.createResponse({
  throttleTimeMs: 5,
  brokers: [
    { nodeId: 1, host: 'broker-1.example', port: 9092, rack: 'rack-a' },
    { nodeId: 2, host: 'broker-2.example', port: 9093, rack: null },
  ],
  clusterId: 'cluster-1',
  controllerId: 1,
  topics: [
    {
      name: 'orders',
      topicId: 'AAECAwQFBgcICQoLDA0ODw',
      partitions: [
        {
          partitionIndex: 0,
          leaderId: 1,
          leaderEpoch: 3,
          replicaNodes: [1, 2],
          isrNodes: [1, 2],
          offlineReplicas: [],
        },
        {
          partitionIndex: 1,
          leaderId: 2,
          leaderEpoch: 4,
          replicaNodes: [2, 1],
          isrNodes: [2],
          offlineReplicas: [1],
        },
      ],
      topicAuthorizedOperations: 0x0ff8,
      unknownTags: new Map([[9, hex`01 02`]]),
    },
    { errorCode: 3, name: 'missing', partitions: [] },
  ],
  unknownTags: new Map([[4, hex`ff`]]),
})

describe('truncated frames', () => {
  it('Metadata v12 response: every proper prefix of a real frame throws ProtocolError', () => {
    const frame = encodeResponse(Metadata.api, 12, 77, metadataV12, { sizePrefix: false })
    expect(decodeResponse(Metadata.api, 12, frame).body).toEqual(metadataV12)
    expect(frame.length).toBeGreaterThan(100)
    for (let length = 0; length < frame.length; length++) {
      const prefix = frame.subarray(0, length)
      protocolErrorFrom(() => decodeResponse(Metadata.api, 12, prefix))
      if (length >= 5) decodeFails(Metadata.response, 12, prefix.subarray(5))
    }
  })

  it('a copy that is one byte short also fails (not only views of a longer buffer)', () => {
    const body = encodeMessage(Metadata.response, 12, metadataV12)
    decodeFails(Metadata.response, 12, new Uint8Array(body.subarray(0, body.length - 1)))
  })
})

describe('negative lengths', () => {
  it('string length -2', () => {
    const error = decodeFails(
      Metadata.response,
      1,
      hex`
        00 00 00 01                # brokers: 1
          00 00 00 01              #   node id 1
          ff fe                    #   host: length -2
      `,
    )
    expect(error.message).toMatch(/Negative string length -2/)
  })

  it('array count -5', () => {
    decodeFails(Metadata.response, 1, hex`ff ff ff fb  00 00 00 00  00 00 00 00`)
  })

  it('bytes length -2', () => {
    decodeFails(
      SaslAuthenticate.response,
      0,
      hex`
        00 00                      # error code 0
        ff ff                      # error message: null
        ff ff ff fe                # auth bytes: length -2
      `,
    )
  })

  it('int32 minimum as an array count', () => {
    decodeFails(Metadata.response, 1, hex`80 00 00 00  00 00 00 00`)
  })
})

describe('huge lengths do not allocate', () => {
  function failsQuickly<T>(schema: MessageSchema<T>, version: number, bytes: Uint8Array): void {
    const started = performance.now()
    decodeFails(schema, version, bytes)
    expect(performance.now() - started).toBeLessThan(50)
  }

  it('classic array count 0x7fffffff with 8 bytes left', () => {
    failsQuickly(Metadata.response, 1, hex`7f ff ff ff  00 00 00 01  00 00 00 00`)
  })

  it('compact array count 0x7ffffffe with 4 bytes left', () => {
    failsQuickly(Metadata.response, 12, hex`00 00 00 00  ff ff ff ff 07  00 00 00 01`)
  })

  it('int32 array (replicas) of 0x7fffffff elements', () => {
    failsQuickly(
      Metadata.response,
      1,
      hex`
        00 00 00 00                # brokers: none
        00 00 00 01                # controller id 1
        00 00 00 01                # topics: 1
          00 00  00 01 74  00      #   error code, name "t", is internal
          00 00 00 01              #   partitions: 1
            00 00  00 00 00 00  00 00 00 01   # error code, partition 0, leader 1
            7f ff ff ff            #     replicas: 2^31 - 1 of them
            00 00 00 01
      `,
    )
  })

  it('string of 32767 bytes with 2 present, bytes of 2^31-1 with 2 present', () => {
    failsQuickly(Metadata.response, 1, hex`00 00 00 01  00 00 00 01  7f ff  61 62`)
    failsQuickly(SaslAuthenticate.response, 0, hex`00 00  ff ff  7f ff ff ff  61 62`)
  })

  it('compact string of 2^31-2 bytes', () => {
    failsQuickly(SaslAuthenticate.response, 2, hex`00 00  00  ff ff ff ff 07  61 62`)
  })

  it('a tag section claiming 2^31 tagged fields', () => {
    failsQuickly(ApiVersions.response, 3, hex`00 00  01  00 00 00 00  80 80 80 80 08  00 00`)
  })
})

describe('over-long and overflowing varints', () => {
  it('a 6-byte uvarint as a compact length', () => {
    const error = decodeFails(Metadata.response, 12, hex`00 00 00 00  80 80 80 80 80 00`)
    expect(error.message).toMatch(/Varint/)
  })

  it('a 10-byte uvarint as a compact length', () => {
    decodeFails(Metadata.response, 12, hex`00 00 00 00  ff ff ff ff ff ff ff ff ff 01`)
  })

  it('a 5-byte uvarint above 32 bits', () => {
    decodeFails(Metadata.response, 12, hex`00 00 00 00  ff ff ff ff 1f  00`)
  })

  it('compact length overflow: 0xffffffff and 0x80000000 are too large for a length', () => {
    decodeFails(Metadata.response, 12, hex`00 00 00 00  ff ff ff ff 0f  00`)
    const error = decodeFails(Metadata.response, 12, hex`00 00 00 00  80 80 80 80 08  00`)
    expect(error.message).toMatch(/Compact length/)
  })

  it('an over-long tag number and tag size', () => {
    decodeFails(ApiVersions.response, 3, hex`00 00  01  00 00 00 00  01  80 80 80 80 80 01  00`)
    decodeFails(ApiVersions.response, 3, hex`00 00  01  00 00 00 00  01  05  80 80 80 80 80 01`)
  })
})

describe('tagged fields that lie about their size', () => {
  const head = hex`
    00 00                          # error code 0
    01                             # api keys: empty
    00 00 00 00                    # throttle time 0
  `

  it('a tagged field larger than the bytes left', () => {
    decodeFails(ApiVersions.response, 3, Buffer.concat([head, hex`01  05 7f  01 02`]))
  })

  it('a known tagged field whose value is shorter than its declared size', () => {
    // ZkMigrationReady (tag 3) is a bool: 1 byte, but the tag says 2.
    const error = decodeFails(ApiVersions.response, 3, Buffer.concat([head, hex`01  03 02  01 00`]))
    expect(error.message).toMatch(/used 1 of 2 bytes/)
  })

  it('a known tagged field whose value is longer than its declared size', () => {
    // FinalizedFeaturesEpoch (tag 1) is an int64 but the tag holds 4 bytes; the value must not read past them.
    decodeFails(ApiVersions.response, 3, Buffer.concat([head, hex`02  01 04  00 00 00 00  03 01 01`]))
  })

  it('a known struct-valued tag whose nested tag section runs past the tag', () => {
    // Produce v10 CurrentLeader (tag 0): 9 bytes declared, but its own tag section claims one more field.
    decodeFails(
      Produce.response,
      10,
      hex`
        02  02 74  02              # responses: 1, name "t", partitions: 1
          00 00 00 00  00 00       #   index 0, error code 0
          00 00 00 00 00 00 00 00  #   base offset
          00 00 00 00 00 00 00 00  #   log append time
          00 00 00 00 00 00 00 00  #   log start offset
          01  00                   #   record errors: empty, error message: null
          01  00 09                #   tagged fields: 1; tag 0, 9 bytes
            00 00 00 01  00 00 00 01   # leader 1, epoch 1
            01                     #     nested tag count 1, but the 9 bytes end here
            00 00                  #   (bytes that belong to the enclosing structs)
        00 00 00 00  00
      `,
    )
  })
})

describe('null where the schema does not allow it', () => {
  it('null in a non-nullable classic string', () => {
    const error = decodeFails(Metadata.response, 1, hex`00 00 00 01  00 00 00 01  ff ff  00 00 23 84  ff ff`)
    expect(error.path).toBe('MetadataResponseBroker.host')
  })

  it('null in a non-nullable compact string', () => {
    decodeFails(Metadata.response, 12, hex`00 00 00 00  02  00 00 00 01  00  00 00 23 84  00 00`)
  })

  it('null in a non-nullable array', () => {
    decodeFails(Metadata.response, 1, hex`ff ff ff ff  00 00 00 01  00 00 00 00`)
    decodeFails(Metadata.response, 12, hex`00 00 00 00  00  00  00 00 00 01  01  00`)
  })

  it('null in non-nullable bytes', () => {
    decodeFails(SaslAuthenticate.response, 0, hex`00 00  ff ff  ff ff ff ff`)
    decodeFails(SaslAuthenticate.response, 2, hex`00 00  00  00  00 00 00 00 00 00 00 00  00`)
  })
})

describe('trailing bytes', () => {
  it('are refused by default', () => {
    const bytes = Buffer.concat([encodeMessage(Metadata.response, 12, metadataV12), hex`00`])
    const error = decodeFails(Metadata.response, 12, bytes)
    expect(error.message).toMatch(/1 bytes left over/)
  })

  it('are accepted when asked for', () => {
    const bytes = Buffer.concat([encodeMessage(Metadata.response, 12, metadataV12), hex`00 01`])
    expect(decodeMessage(Metadata.response, 12, bytes, { allowTrailingBytes: true })).toEqual(metadataV12)
  })
})

describe('values that cannot be encoded', () => {
  it('null in a non-nullable field', () => {
    const response = { ...metadataV12, brokers: null } as unknown as Metadata.Response
    protocolErrorFrom(() => encodeMessage(Metadata.response, 12, response))
    const broker = { nodeId: 1, host: null, port: 1, rack: null }
    const withNullHost = { ...metadataV12, brokers: [broker] } as unknown as Metadata.Response
    protocolErrorFrom(() => encodeMessage(Metadata.response, 1, withNullHost))
  })

  it('a classic string longer than 32767 bytes', () => {
    const response = Metadata.createResponse({ brokers: [{ nodeId: 1, host: 'h'.repeat(0x8000), port: 1 }] })
    protocolErrorFrom(() => encodeMessage(Metadata.response, 1, response))
    expect(() => encodeMessage(Metadata.response, 12, response)).not.toThrow()
  })

  it('a value of the wrong type becomes a ProtocolError, not a TypeError', () => {
    const response = Metadata.createResponse({ brokers: [{ nodeId: 1, host: 'h', port: 1 }] })
    const wrong = { ...response, topics: [{ ...response, name: 5 }] } as unknown as Metadata.Response
    protocolErrorFrom(() => encodeMessage(Metadata.response, 12, wrong))
    const badOffset = Produce.createResponse({
      responses: [{ name: 't', partitionResponses: [{ index: 0, baseOffset: 1 as unknown as bigint }] }],
    })
    protocolErrorFrom(() => encodeMessage(Produce.response, 3, badOffset))
  })

  it('a malformed uuid', () => {
    const response = Metadata.createResponse({ topics: [{ name: 't', topicId: 'not-a-uuid' }] })
    protocolErrorFrom(() => encodeMessage(Metadata.response, 12, response))
  })
})
