// Golden bytes for Fetch (API key 1), written by hand from Kafka's protocol guide and
// FetchRequest/Response.json. v4 adds isolation level and aborted transactions; v12 is the first flexible
// version, with ClusterId as tagged field 0 of the request and leader hints as tagged partition fields.
import { describe, expect, it } from 'vitest'
import { hex, toHex } from '../__fixtures__/hex.js'
import * as Fetch from '../generated/fetch.js'
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from '../headers.js'

const RECORDS = hex`ca fe ba be`

describe('Fetch v4 golden bytes', () => {
  const requestFrame = hex`
    00 00 00 42                    # frame size 66
    00 01  00 04  00 00 00 07      # request header v1: api key 1, version 4, correlation id 7
    00 07 6b 61 66 6b 69 74 65     #   client id "kafkite"
    ff ff ff ff                    # replica id -1 (a consumer)
    00 00 01 f4                    # max wait 500 ms
    00 00 00 01                    # min bytes 1
    03 20 00 00                    # max bytes 52428800
    01                             # isolation level 1 (READ_COMMITTED)
    00 00 00 01                    # topics: 1
      00 06 6f 72 64 65 72 73      #   topic "orders"
      00 00 00 01                  #   partitions: 1
        00 00 00 00                #     partition 0
        00 00 00 00 00 00 00 64    #     fetch offset 100
        00 10 00 00                #     partition max bytes 1048576
  `
  const request = Fetch.createRequest({
    replicaId: -1,
    maxWaitMs: 500,
    minBytes: 1,
    maxBytes: 52_428_800,
    isolationLevel: 1,
    topics: [
      { topic: 'orders', partitions: [{ partition: 0, fetchOffset: 100n, partitionMaxBytes: 1_048_576 }] },
    ],
  })

  it('encodes the request frame', () => {
    expect(toHex(encodeRequest(Fetch.api, 4, { correlationId: 7, clientId: 'kafkite' }, request))).toBe(
      toHex(requestFrame),
    )
  })

  it('decodes the request frame', () => {
    const decoded = decodeRequest(Fetch.api, requestFrame.subarray(4))
    expect(decoded.header.correlationId).toBe(7)
    expect(decoded.body).toEqual(request)
  })

  const responseFrame = hex`
    00 00 00 07                    # response header v0: correlation id 7
    00 00 00 00                    # throttle time 0 ms
    00 00 00 01                    # responses: 1
      00 06 6f 72 64 65 72 73      #   topic "orders"
      00 00 00 01                  #   partitions: 1
        00 00 00 00                #     partition 0
        00 00                      #     error code 0
        00 00 00 00 00 00 00 6e    #     high watermark 110
        00 00 00 00 00 00 00 6c    #     last stable offset 108
        00 00 00 01                #     aborted transactions: 1
          00 00 00 00 00 00 03 e8  #       producer id 1000
          00 00 00 00 00 00 00 66  #       first offset 102
        00 00 00 04 ca fe ba be    #     records: int32 length 4
  `
  const response = Fetch.createResponse({
    responses: [
      {
        topic: 'orders',
        partitions: [
          {
            partitionIndex: 0,
            highWatermark: 110n,
            lastStableOffset: 108n,
            abortedTransactions: [{ producerId: 1000n, firstOffset: 102n }],
            records: RECORDS,
          },
        ],
      },
    ],
  })

  it('encodes the response frame', () => {
    expect(toHex(encodeResponse(Fetch.api, 4, 7, response, { sizePrefix: false }))).toBe(toHex(responseFrame))
  })

  it('decodes the response frame', () => {
    const decoded = decodeResponse(Fetch.api, 4, responseFrame)
    expect(decoded.correlationId).toBe(7)
    expect(decoded.body).toEqual(response)
  })

  it('decodes null aborted transactions and null records', () => {
    const frame = hex`
      00 00 00 07                  # correlation id 7
      00 00 00 00                  # throttle time 0 ms
      00 00 00 01                  # responses: 1
        00 06 6f 72 64 65 72 73    #   topic "orders"
        00 00 00 01                #   partitions: 1
          00 00 00 00              #     partition 0
          00 01                    #     error code 1 OFFSET_OUT_OF_RANGE
          ff ff ff ff ff ff ff ff  #     high watermark -1
          ff ff ff ff ff ff ff ff  #     last stable offset -1
          ff ff ff ff              #     aborted transactions: null
          ff ff ff ff              #     records: null
    `
    const partition = decodeResponse(Fetch.api, 4, frame).body.responses[0]?.partitions[0]
    expect(partition?.errorCode).toBe(1)
    expect(partition?.abortedTransactions).toBeNull()
    expect(partition?.records).toBeNull()
    expect(
      toHex(encodeResponse(Fetch.api, 4, 7, decodeResponse(Fetch.api, 4, frame).body, { sizePrefix: false })),
    ).toBe(toHex(frame))
  })
})

describe('Fetch v12 golden bytes', () => {
  const requestFrame = hex`
    00 00 00 6b                    # frame size 107
    00 01  00 0c  00 00 00 08      # request header v2: api key 1, version 12, correlation id 8
    00 07 6b 61 66 6b 69 74 65     #   client id "kafkite" (classic int16 string)
    00                             #   header tagged fields: none
    ff ff ff ff                    # replica id -1
    00 00 01 f4                    # max wait 500 ms
    00 00 00 01                    # min bytes 1
    03 20 00 00                    # max bytes 52428800
    00                             # isolation level 0 (READ_UNCOMMITTED)
    00 00 00 00                    # session id 0
    ff ff ff ff                    # session epoch -1 (full fetch, no session)
    02                             # topics: compact array of 1
      07 6f 72 64 65 72 73         #   topic "orders"
      02                           #   partitions: compact array of 1
        00 00 00 00                #     partition 0
        00 00 00 05                #     current leader epoch 5
        00 00 00 00 00 00 00 64    #     fetch offset 100
        00 00 00 04                #     last fetched epoch 4
        ff ff ff ff ff ff ff ff    #     log start offset -1
        00 10 00 00                #     partition max bytes 1048576
        00                         #     tagged fields: none
      00                           #   tagged fields: none
    01                             # forgotten topics: compact array, empty
    07 72 61 63 6b 2d 61           # rack id "rack-a"
    01                             # tagged fields: 1
      00 0a                        #   tag 0 (ClusterId), 10 bytes
        0a 63 6c 75 73 74 65 72 2d 31   # compact nullable string "cluster-1"
  `
  const request = Fetch.createRequest({
    clusterId: 'cluster-1',
    maxWaitMs: 500,
    minBytes: 1,
    maxBytes: 52_428_800,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [
      {
        topic: 'orders',
        partitions: [
          {
            partition: 0,
            currentLeaderEpoch: 5,
            fetchOffset: 100n,
            lastFetchedEpoch: 4,
            logStartOffset: -1n,
            partitionMaxBytes: 1_048_576,
          },
        ],
      },
    ],
    rackId: 'rack-a',
  })

  it('encodes the request frame, with ClusterId in the tag section', () => {
    expect(toHex(encodeRequest(Fetch.api, 12, { correlationId: 8, clientId: 'kafkite' }, request))).toBe(
      toHex(requestFrame),
    )
  })

  it('decodes the request frame', () => {
    const decoded = decodeRequest(Fetch.api, requestFrame.subarray(4))
    expect(decoded.header).toEqual({
      requestApiKey: 1,
      requestApiVersion: 12,
      correlationId: 8,
      clientId: 'kafkite',
    })
    expect(decoded.body).toEqual(request)
    expect(decoded.body.clusterId).toBe('cluster-1')
  })

  it('leaves ClusterId out of the tag section when it holds its default (null)', () => {
    const frame = encodeRequest(
      Fetch.api,
      12,
      { correlationId: 8, clientId: 'kafkite' },
      { ...request, clusterId: null },
      { sizePrefix: false },
    )
    // Without the size prefix, and with a one-byte empty tag section in place of the 13 bytes above.
    expect(frame.length).toBe(requestFrame.length - 4 - 12)
    expect(toHex(frame.subarray(-9))).toBe(
      toHex(hex`
        01                         # forgotten topics: empty
        07 72 61 63 6b 2d 61       # rack id "rack-a"
        00                         # tagged fields: none
      `),
    )
  })

  const responseFrame = hex`
    00 00 00 08                    # response header v1: correlation id 8
    00                             #   header tagged fields: none
    00 00 00 00                    # throttle time 0 ms
    00 00                          # error code 0
    00 00 00 00                    # session id 0
    02                             # responses: compact array of 1
      07 6f 72 64 65 72 73         #   topic "orders"
      02                           #   partitions: compact array of 1
        00 00 00 00                #     partition 0
        00 00                      #     error code 0
        00 00 00 00 00 00 00 6e    #     high watermark 110
        00 00 00 00 00 00 00 6c    #     last stable offset 108
        00 00 00 00 00 00 00 00    #     log start offset 0
        01                         #     aborted transactions: compact nullable array, empty
        ff ff ff ff                #     preferred read replica -1
        05 ca fe ba be             #     records: compact bytes (uvarint 4+1)
        01                         #     tagged fields: 1
          01 09                    #       tag 1 (CurrentLeader), 9 bytes
            00 00 00 01            #         leader id 1
            00 00 00 05            #         leader epoch 5
            00                     #         tagged fields of the struct: none
      00                           #   tagged fields: none
    00                             # tagged fields: none
  `
  const response = Fetch.createResponse({
    responses: [
      {
        topic: 'orders',
        partitions: [
          {
            partitionIndex: 0,
            highWatermark: 110n,
            lastStableOffset: 108n,
            logStartOffset: 0n,
            abortedTransactions: [],
            currentLeader: { leaderId: 1, leaderEpoch: 5 },
            records: RECORDS,
          },
        ],
      },
    ],
  })

  it('encodes the response frame', () => {
    expect(toHex(encodeResponse(Fetch.api, 12, 8, response, { sizePrefix: false }))).toBe(
      toHex(responseFrame),
    )
  })

  it('decodes the response frame', () => {
    const decoded = decodeResponse(Fetch.api, 12, responseFrame)
    expect(decoded.correlationId).toBe(8)
    expect(decoded.body).toEqual(response)
    expect(decoded.body.responses[0]?.partitions[0]?.divergingEpoch).toEqual({ epoch: -1, endOffset: -1n })
  })
})
