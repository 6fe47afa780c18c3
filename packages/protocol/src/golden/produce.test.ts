// Golden bytes for Produce (API key 0), written by hand from Kafka's protocol guide and
// ProduceRequest/Response.json. Record batches are opaque bytes at this layer, so a short stand-in
// payload keeps the frames readable.
import { describe, expect, it } from 'vitest'
import { hex, toHex } from '../__fixtures__/hex.js'
import { ErrorCode } from '../generated/error-codes.js'
import * as Produce from '../generated/produce.js'
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from '../headers.js'

const RECORDS = hex`de ad be ef`

describe('Produce v3 golden bytes', () => {
  const requestFrame = hex`
    00 00 00 35                    # frame size 53
    00 00  00 03  00 00 00 05      # request header v1: api key 0, version 3, correlation id 5
    00 07 6b 61 66 6b 69 74 65     #   client id "kafkite"
    ff ff                          # transactional id: null (int16 -1)
    ff ff                          # acks -1 (all in-sync replicas)
    00 00 75 30                    # timeout 30000 ms
    00 00 00 01                    # topics: 1
      00 06 6f 72 64 65 72 73      #   name "orders"
      00 00 00 01                  #   partitions: 1
        00 00 00 00                #     index 0
        00 00 00 04 de ad be ef    #     records: int32 length 4, then the batch bytes
  `
  const request = Produce.createRequest({
    acks: -1,
    timeoutMs: 30_000,
    topicData: [{ name: 'orders', partitionData: [{ index: 0, records: RECORDS }] }],
  })

  it('encodes the request frame', () => {
    expect(toHex(encodeRequest(Produce.api, 3, { correlationId: 5, clientId: 'kafkite' }, request))).toBe(
      toHex(requestFrame),
    )
  })

  it('decodes the request frame; records come back as bytes', () => {
    const decoded = decodeRequest(Produce.api, requestFrame.subarray(4))
    expect(decoded.header).toEqual({
      requestApiKey: 0,
      requestApiVersion: 3,
      correlationId: 5,
      clientId: 'kafkite',
    })
    expect(decoded.body).toEqual(request)
    expect(toHex(decoded.body.topicData[0]?.partitionData[0]?.records ?? new Uint8Array())).toBe(
      'de ad be ef',
    )
  })

  const responseFrame = hex`
    00 00 00 05                    # response header v0: correlation id 5
    00 00 00 01                    # responses: 1
      00 06 6f 72 64 65 72 73      #   name "orders"
      00 00 00 01                  #   partitions: 1
        00 00 00 00                #     index 0
        00 00                      #     error code 0
        00 00 00 00 00 00 00 2a    #     base offset 42
        ff ff ff ff ff ff ff ff    #     log append time -1 (CreateTime topic)
    00 00 00 00                    # throttle time 0 ms (after the responses from v1 on)
  `
  const response = Produce.createResponse({
    responses: [{ name: 'orders', partitionResponses: [{ index: 0, errorCode: 0, baseOffset: 42n }] }],
  })

  it('encodes the response frame', () => {
    expect(toHex(encodeResponse(Produce.api, 3, 5, response, { sizePrefix: false }))).toBe(
      toHex(responseFrame),
    )
  })

  it('decodes the response frame', () => {
    const decoded = decodeResponse(Produce.api, 3, responseFrame)
    expect(decoded.correlationId).toBe(5)
    expect(decoded.body).toEqual(response)
    expect(decoded.body.responses[0]?.partitionResponses[0]?.logAppendTimeMs).toBe(-1n)
    expect(decoded.body.responses[0]?.partitionResponses[0]?.logStartOffset).toBe(-1n)
  })
})

describe('Produce v9 golden bytes', () => {
  const requestFrame = hex`
    00 00 00 32                    # frame size 50
    00 00  00 09  00 00 00 06      # request header v2: api key 0, version 9, correlation id 6
    00 07 6b 61 66 6b 69 74 65     #   client id "kafkite" (classic int16 string)
    00                             #   header tagged fields: none
    05 74 78 2d 31                 # transactional id: compact nullable string "tx-1"
    ff ff                          # acks -1
    00 00 75 30                    # timeout 30000 ms
    02                             # topics: compact array of 1
      07 6f 72 64 65 72 73         #   name "orders"
      02                           #   partitions: compact array of 1
        00 00 00 00                #     index 0
        05 de ad be ef             #     records: compact bytes (uvarint 4+1)
        00                         #     tagged fields: none
      00                           #   tagged fields: none
    00                             # tagged fields: none
  `
  const request = Produce.createRequest({
    transactionalId: 'tx-1',
    acks: -1,
    timeoutMs: 30_000,
    topicData: [{ name: 'orders', partitionData: [{ index: 0, records: RECORDS }] }],
  })

  it('encodes the request frame', () => {
    expect(toHex(encodeRequest(Produce.api, 9, { correlationId: 6, clientId: 'kafkite' }, request))).toBe(
      toHex(requestFrame),
    )
  })

  it('decodes the request frame', () => {
    const decoded = decodeRequest(Produce.api, requestFrame.subarray(4))
    expect(decoded.header.requestApiVersion).toBe(9)
    expect(decoded.body).toEqual(request)
  })

  const responseFrame = hex`
    00 00 00 06                    # response header v1: correlation id 6
    00                             #   header tagged fields: none
    02                             # responses: compact array of 1
      07 6f 72 64 65 72 73         #   name "orders"
      02                           #   partitions: compact array of 1
        00 00 00 00                #     index 0
        00 57                      #     error code 87 INVALID_RECORD
        ff ff ff ff ff ff ff ff    #     base offset -1
        ff ff ff ff ff ff ff ff    #     log append time -1
        00 00 00 00 00 00 00 00    #     log start offset 0
        02                         #     record errors: compact array of 1
          00 00 00 03              #       batch index 3
          04 62 61 64              #       message "bad"
          00                       #       tagged fields: none
        04 62 61 64                #     error message "bad"
        00                         #     tagged fields: none
      00                           #   tagged fields: none
    00 00 00 00                    # throttle time 0 ms
    00                             # tagged fields: none
  `
  const response = Produce.createResponse({
    responses: [
      {
        name: 'orders',
        partitionResponses: [
          {
            index: 0,
            errorCode: ErrorCode.INVALID_RECORD,
            baseOffset: -1n,
            logAppendTimeMs: -1n,
            logStartOffset: 0n,
            recordErrors: [{ batchIndex: 3, batchIndexErrorMessage: 'bad' }],
            errorMessage: 'bad',
          },
        ],
      },
    ],
  })

  it('encodes the response frame', () => {
    expect(toHex(encodeResponse(Produce.api, 9, 6, response, { sizePrefix: false }))).toBe(
      toHex(responseFrame),
    )
  })

  it('decodes the response frame; a non-zero error code is data, not an exception', () => {
    const decoded = decodeResponse(Produce.api, 9, responseFrame)
    expect(decoded.correlationId).toBe(6)
    expect(decoded.body).toEqual(response)
  })
})
