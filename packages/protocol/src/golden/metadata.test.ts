// Golden bytes for Metadata (API key 3), written by hand from Kafka's protocol guide and
// MetadataRequest/Response.json. v1 is classic (request header v1, response header v0); v12 is flexible
// (request header v2, response header v1 with its own tag section).
import { describe, expect, it } from 'vitest'
import { hex, toHex } from '../__fixtures__/hex.js'
import { ProtocolError } from '../errors/protocol-error.js'
import * as Metadata from '../generated/metadata.js'
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from '../headers.js'

const TOPIC_ID = 'AAECAwQFBgcICQoLDA0ODw' // bytes 00 01 02 ... 0f

describe('Metadata v1 golden bytes', () => {
  const requestFrame = hex`
    00 00 00 1d                    # frame size 29
    00 03  00 01  00 00 00 03      # request header v1: api key 3, version 1, correlation id 3
    00 07 6b 61 66 6b 69 74 65     #   client id "kafkite"
    00 00 00 01                    # topics: int32 count 1
      00 06 6f 72 64 65 72 73      #   name "orders"
  `
  const request = Metadata.createRequest({ topics: [{ name: 'orders' }] })

  it('encodes the request frame', () => {
    expect(toHex(encodeRequest(Metadata.api, 1, { correlationId: 3, clientId: 'kafkite' }, request))).toBe(
      toHex(requestFrame),
    )
  })

  it('decodes the request frame', () => {
    const decoded = decodeRequest(Metadata.api, requestFrame.subarray(4))
    expect(decoded.header.correlationId).toBe(3)
    expect(decoded.body).toEqual(request)
  })

  it('encodes null topics (all topics) as count -1', () => {
    const frame = encodeRequest(
      Metadata.api,
      1,
      { correlationId: 3, clientId: null },
      Metadata.createRequest({ topics: null }),
      { sizePrefix: false },
    )
    expect(toHex(frame)).toBe(
      toHex(hex`
        00 03  00 01  00 00 00 03  # request header v1
        ff ff                      #   client id null: int16 -1
        ff ff ff ff                # topics: null (int32 -1)
      `),
    )
    expect(decodeRequest(Metadata.api, frame).body.topics).toBeNull()
  })

  const responseFrame = hex`
    00 00 00 03                    # response header v0: correlation id 3
    00 00 00 01                    # brokers: 1
      00 00 00 01                  #   node id 1
      00 09 6c 6f 63 61 6c 68 6f 73 74   # host "localhost"
      00 00 23 84                  #   port 9092
      ff ff                        #   rack: null
    00 00 00 01                    # controller id 1
    00 00 00 01                    # topics: 1
      00 00                        #   error code 0
      00 06 6f 72 64 65 72 73      #   name "orders"
      00                           #   is internal: false
      00 00 00 01                  #   partitions: 1
        00 00                      #     error code 0
        00 00 00 00                #     partition 0
        00 00 00 01                #     leader 1
        00 00 00 01  00 00 00 01   #     replicas [1]
        00 00 00 01  00 00 00 01   #     isr [1]
  `
  const response = Metadata.createResponse({
    brokers: [{ nodeId: 1, host: 'localhost', port: 9092, rack: null }],
    controllerId: 1,
    topics: [
      {
        errorCode: 0,
        name: 'orders',
        isInternal: false,
        partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: 1, replicaNodes: [1], isrNodes: [1] }],
      },
    ],
  })

  it('encodes the response frame', () => {
    expect(toHex(encodeResponse(Metadata.api, 1, 3, response, { sizePrefix: false }))).toBe(
      toHex(responseFrame),
    )
  })

  it('decodes the response frame, with defaults for fields v1 lacks', () => {
    const decoded = decodeResponse(Metadata.api, 1, responseFrame)
    expect(decoded.correlationId).toBe(3)
    expect(decoded.body).toEqual(response)
    expect(decoded.body.clusterId).toBeNull()
    expect(decoded.body.topics[0]?.partitions[0]?.leaderEpoch).toBe(-1)
    expect(decoded.body.topics[0]?.topicAuthorizedOperations).toBe(-2147483648)
  })
})

describe('Metadata v12 golden bytes', () => {
  const requestFrame = hex`
    00 00 00 2e                    # frame size 46
    00 03  00 0c  00 00 00 04      # request header v2: api key 3, version 12, correlation id 4
    00 07 6b 61 66 6b 69 74 65     #   client id "kafkite" (classic int16 string even in v2)
    00                             #   header tagged fields: none
    02                             # topics: compact array of 1
      00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f   # topic id
      07 6f 72 64 65 72 73         #   name: compact nullable string "orders"
      00                           #   tagged fields: none
    01                             # allow auto topic creation: true
    00                             # include topic authorized operations: false
    00                             # tagged fields: none
  `
  const request = Metadata.createRequest({ topics: [{ topicId: TOPIC_ID, name: 'orders' }] })

  it('encodes the request frame', () => {
    expect(toHex(encodeRequest(Metadata.api, 12, { correlationId: 4, clientId: 'kafkite' }, request))).toBe(
      toHex(requestFrame),
    )
  })

  it('decodes the request frame', () => {
    const decoded = decodeRequest(Metadata.api, requestFrame.subarray(4))
    expect(decoded.header).toEqual({
      requestApiKey: 3,
      requestApiVersion: 12,
      correlationId: 4,
      clientId: 'kafkite',
    })
    expect(decoded.body).toEqual(request)
  })

  const responseFrame = hex`
    00 00 00 04                    # response header v1: correlation id 4
    00                             #   header tagged fields: none
    00 00 00 00                    # throttle time 0 ms
    02                             # brokers: compact array of 1
      00 00 00 01                  #   node id 1
      0a 6c 6f 63 61 6c 68 6f 73 74   # host "localhost" (compact, 9+1)
      00 00 23 84                  #   port 9092
      00                           #   rack: null (compact nullable)
      00                           #   tagged fields: none
    0a 63 6c 75 73 74 65 72 2d 31  # cluster id "cluster-1"
    00 00 00 01                    # controller id 1
    02                             # topics: compact array of 1
      00 00                        #   error code 0
      07 6f 72 64 65 72 73         #   name "orders"
      00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f   # topic id
      00                           #   is internal: false
      02                           #   partitions: compact array of 1
        00 00                      #     error code 0
        00 00 00 00                #     partition 0
        00 00 00 01                #     leader 1
        00 00 00 05                #     leader epoch 5
        02 00 00 00 01             #     replicas [1]
        02 00 00 00 01             #     isr [1]
        01                         #     offline replicas []
        00                         #     tagged fields: none
      80 00 00 00                  #   topic authorized operations: INT32_MIN (not requested)
      00                           #   tagged fields: none
    00                             # tagged fields: none
  `
  const response = Metadata.createResponse({
    brokers: [{ nodeId: 1, host: 'localhost', port: 9092, rack: null }],
    clusterId: 'cluster-1',
    controllerId: 1,
    topics: [
      {
        name: 'orders',
        topicId: TOPIC_ID,
        partitions: [{ partitionIndex: 0, leaderId: 1, leaderEpoch: 5, replicaNodes: [1], isrNodes: [1] }],
      },
    ],
  })

  it('uses request header v2 and response header v1', () => {
    expect(Metadata.api.requestHeaderVersions[12]).toBe(2)
    expect(Metadata.api.responseHeaderVersions[12]).toBe(1)
  })

  it('encodes the response frame, with the response header tag section', () => {
    expect(toHex(encodeResponse(Metadata.api, 12, 4, response, { sizePrefix: false }))).toBe(
      toHex(responseFrame),
    )
  })

  it('decodes the response frame', () => {
    const decoded = decodeResponse(Metadata.api, 12, responseFrame)
    expect(decoded.correlationId).toBe(4)
    expect(decoded.body).toEqual(response)
  })

  it('rejects the frame when the response header tag byte is missing', () => {
    const withoutHeaderTags = Buffer.concat([responseFrame.subarray(0, 4), responseFrame.subarray(5)])
    expect(() => decodeResponse(Metadata.api, 12, withoutHeaderTags)).toThrow(ProtocolError)
  })

  it('skips unknown tags in the response header', () => {
    const frame = Buffer.concat([
      hex`
        00 00 00 04                # correlation id 4
        01  05 02 ab cd            # header tagged fields: 1; tag 5, 2 bytes
      `,
      responseFrame.subarray(5),
    ])
    expect(decodeResponse(Metadata.api, 12, frame).body).toEqual(response)
  })
})
