// Golden bytes for ApiVersions (API key 18), written by hand from Kafka's protocol guide and
// ApiVersionsRequest/Response.json. The response header of ApiVersions is always v0 (KIP-511): a client
// must read the answer before it knows which versions the broker speaks, so there is no tag section.
import { describe, expect, it } from 'vitest'
import { hex, toHex } from '../__fixtures__/hex.js'
import * as ApiVersions from '../generated/api-versions.js'
import { ErrorCode } from '../generated/error-codes.js'
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from '../headers.js'
import { decodeMessage, encodeMessage } from '../schema/codec.js'

const header = { correlationId: 1, clientId: 'kafkite' }

describe('ApiVersions v0 golden bytes', () => {
  const requestFrame = hex`
    00 00 00 11                    # frame size 17
    00 12                          # request header v1: api key 18 (ApiVersions)
    00 00                          #   api version 0
    00 00 00 01                    #   correlation id 1
    00 07 6b 61 66 6b 69 74 65     #   client id: int16 length 7, "kafkite"
                                   # body v0: no fields
  `
  const request = ApiVersions.createRequest()

  it('encodes the request frame', () => {
    expect(toHex(encodeRequest(ApiVersions.api, 0, header, request))).toBe(toHex(requestFrame))
  })

  it('decodes the request frame', () => {
    const decoded = decodeRequest(ApiVersions.api, requestFrame.subarray(4))
    expect(decoded.header).toEqual({
      requestApiKey: 18,
      requestApiVersion: 0,
      correlationId: 1,
      clientId: 'kafkite',
    })
    expect(decoded.body).toEqual(request)
  })

  it('drops the v3-only client software fields silently (they are ignorable)', () => {
    const body = ApiVersions.createRequest({ clientSoftwareName: 'kafkite', clientSoftwareVersion: '0.1.0' })
    expect(toHex(encodeRequest(ApiVersions.api, 0, header, body))).toBe(toHex(requestFrame))
  })

  const responseFrame = hex`
    00 00 00 01                    # response header v0: correlation id 1
    00 00                          # error code 0
    00 00 00 02                    # api keys: int32 count 2
      00 00  00 00  00 0b          #   Produce 0-11
      00 12  00 00  00 04          #   ApiVersions 0-4
  `
  const response = ApiVersions.createResponse({
    errorCode: 0,
    apiKeys: [
      { apiKey: 0, minVersion: 0, maxVersion: 11 },
      { apiKey: 18, minVersion: 0, maxVersion: 4 },
    ],
  })

  it('encodes the response frame', () => {
    expect(toHex(encodeResponse(ApiVersions.api, 0, 1, response, { sizePrefix: false }))).toBe(
      toHex(responseFrame),
    )
  })

  it('decodes the response frame, filling fields v0 lacks with their defaults', () => {
    const decoded = decodeResponse(ApiVersions.api, 0, responseFrame)
    expect(decoded.correlationId).toBe(1)
    expect(decoded.body).toEqual(response)
    expect(decoded.body.throttleTimeMs).toBe(0)
    expect(decoded.body.finalizedFeaturesEpoch).toBe(-1n)
    expect(decoded.body.supportedFeatures).toEqual([])
  })

  it('decodes an UNSUPPORTED_VERSION answer without throwing (codes are data)', () => {
    // A broker that does not know the version asked for answers in v0 with error 35 and its own range.
    const frame = hex`
      00 00 00 01                  # correlation id 1
      00 23                        # error code 35 UNSUPPORTED_VERSION
      00 00 00 01                  # api keys: 1
        00 12  00 00  00 03        #   ApiVersions 0-3
    `
    const { body } = decodeResponse(ApiVersions.api, 0, frame)
    expect(body.errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION)
    expect(body.apiKeys).toEqual([{ apiKey: 18, minVersion: 0, maxVersion: 3 }])
  })
})

describe('ApiVersions v3 golden bytes', () => {
  const requestFrame = hex`
    00 00 00 21                    # frame size 33
    00 12                          # request header v2: api key 18
    00 03                          #   api version 3
    00 00 00 02                    #   correlation id 2
    00 07 6b 61 66 6b 69 74 65     #   client id: still a classic int16 string in v2, "kafkite"
    00                             #   header tagged fields: none
    08 6b 61 66 6b 69 74 65        # client software name: compact string (uvarint 7+1), "kafkite"
    06 30 2e 31 2e 30              # client software version: compact string (uvarint 5+1), "0.1.0"
    00                             # tagged fields: none
  `
  const request = ApiVersions.createRequest({ clientSoftwareName: 'kafkite', clientSoftwareVersion: '0.1.0' })

  it('encodes the request frame', () => {
    expect(toHex(encodeRequest(ApiVersions.api, 3, { ...header, correlationId: 2 }, request))).toBe(
      toHex(requestFrame),
    )
  })

  it('decodes the request frame', () => {
    const decoded = decodeRequest(ApiVersions.api, requestFrame.subarray(4))
    expect(decoded.header).toEqual({
      requestApiKey: 18,
      requestApiVersion: 3,
      correlationId: 2,
      clientId: 'kafkite',
    })
    expect(decoded.body).toEqual(request)
  })

  const responseFrame = hex`
    00 00 00 02                    # response header v0 (always, for ApiVersions): correlation id 2, NO tags
    00 00                          # error code 0
    03                             # api keys: compact array (uvarint 2+1)
      00 00  00 00  00 0b  00      #   Produce 0-11, tagged fields: none
      00 12  00 00  00 04  00      #   ApiVersions 0-4, tagged fields: none
    00 00 00 00                    # throttle time 0 ms
    00                             # tagged fields: none
  `
  const response = ApiVersions.createResponse({
    apiKeys: [
      { apiKey: 0, minVersion: 0, maxVersion: 11 },
      { apiKey: 18, minVersion: 0, maxVersion: 4 },
    ],
  })

  it('uses response header v0 at every version', () => {
    expect(ApiVersions.api.responseHeaderVersions).toEqual([0, 0, 0, 0, 0])
    expect(ApiVersions.api.requestHeaderVersions[3]).toBe(2)
  })

  it('encodes the response frame with no header tag section', () => {
    expect(toHex(encodeResponse(ApiVersions.api, 3, 2, response, { sizePrefix: false }))).toBe(
      toHex(responseFrame),
    )
  })

  it('decodes the response frame', () => {
    const decoded = decodeResponse(ApiVersions.api, 3, responseFrame)
    expect(decoded.correlationId).toBe(2)
    expect(decoded.body).toEqual(response)
  })

  it('rejects the frame when a header tag byte is (wrongly) present', () => {
    // With a header tag byte the body is shifted by one and no longer fits the schema.
    const shifted = Buffer.concat([responseFrame.subarray(0, 4), hex`00`, responseFrame.subarray(4)])
    expect(() => decodeResponse(ApiVersions.api, 3, shifted)).toThrow()
  })

  // The feature fields of v3 travel as tagged fields 0-3, in ascending tag order.
  const bodyWithFeatures = hex`
    00 00                          # error code 0
    01                             # api keys: compact array, empty
    00 00 00 00                    # throttle time 0 ms
    04                             # tagged fields: 4
      00 17                        #   tag 0 (SupportedFeatures), 23 bytes
        02                         #     compact array of 1
        11 6d 65 74 61 64 61 74 61 2e 76 65 72 73 69 6f 6e   # name "metadata.version" (16+1)
        00 01                      #     min version 1
        00 14                      #     max version 20
        00                         #     tagged fields: none
      01 08                        #   tag 1 (FinalizedFeaturesEpoch), 8 bytes
        00 00 00 00 00 00 00 2a    #     epoch 42
      02 17                        #   tag 2 (FinalizedFeatures), 23 bytes
        02                         #     compact array of 1
        11 6d 65 74 61 64 61 74 61 2e 76 65 72 73 69 6f 6e   # name "metadata.version"
        00 14                      #     max version level 20 (declared before min in the schema)
        00 01                      #     min version level 1
        00                         #     tagged fields: none
      03 01                        #   tag 3 (ZkMigrationReady), 1 byte
        01                         #     true
  `
  const withFeatures = ApiVersions.createResponse({
    supportedFeatures: [{ name: 'metadata.version', minVersion: 1, maxVersion: 20 }],
    finalizedFeaturesEpoch: 42n,
    finalizedFeatures: [{ name: 'metadata.version', maxVersionLevel: 20, minVersionLevel: 1 }],
    zkMigrationReady: true,
  })

  it('encodes the feature tagged fields', () => {
    expect(toHex(encodeMessage(ApiVersions.response, 3, withFeatures))).toBe(toHex(bodyWithFeatures))
  })

  it('decodes the feature tagged fields', () => {
    expect(decodeMessage(ApiVersions.response, 3, bodyWithFeatures)).toEqual(withFeatures)
  })
})
