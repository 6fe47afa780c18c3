import { describe, expect, it } from 'vitest'
import { hex, toHex } from './__fixtures__/hex.js'
import { ProtocolError } from './errors/protocol-error.js'
import * as ApiVersions from './generated/api-versions.js'
import * as ControlledShutdown from './generated/controlled-shutdown.js'
import { UnsupportedVersionError } from './generated/error-codes.js'
import * as Heartbeat from './generated/heartbeat.js'
import * as Metadata from './generated/metadata.js'
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse, peekCorrelationId } from './headers.js'

describe('request header versions', () => {
  it('ControlledShutdown v0 uses request header v0: no client id at all', () => {
    expect(ControlledShutdown.api.requestHeaderVersions[0]).toBe(0)
    const body = ControlledShutdown.createRequest({ brokerId: 1 })
    const frame = encodeRequest(ControlledShutdown.api, 0, { correlationId: 9, clientId: 'kafkite' }, body)
    expect(toHex(frame)).toBe(
      toHex(hex`
        00 00 00 0c                # frame size 12
        00 07                      # api key 7 (ControlledShutdown)
        00 00                      # api version 0
        00 00 00 09                # correlation id 9; header v0 ends here, the client id is dropped
        00 00 00 01                # broker id 1
      `),
    )
    const decoded = decodeRequest(ControlledShutdown.api, frame.subarray(4))
    // Header v0 has no client id; decoding fills the schema default (an empty string, as Kafka does).
    expect(decoded.header).toEqual({ requestApiKey: 7, requestApiVersion: 0, correlationId: 9, clientId: '' })
    expect(decoded.body).toEqual(body)
  })

  it('ControlledShutdown v1 uses request header v1 with the client id', () => {
    const body = ControlledShutdown.createRequest({ brokerId: 1 })
    const frame = encodeRequest(ControlledShutdown.api, 1, { correlationId: 9, clientId: 'k' }, body, {
      sizePrefix: false,
    })
    expect(toHex(frame)).toBe(
      toHex(hex`
        00 07  00 01  00 00 00 09  # api key 7, version 1, correlation id 9
        00 01 6b                   # client id "k" (int16 length)
        00 00 00 01                # broker id 1
      `),
    )
  })

  it('request header v2 writes a null client id as int16 -1, then the header tag section', () => {
    const frame = encodeRequest(
      Metadata.api,
      12,
      { correlationId: 1, clientId: null },
      Metadata.createRequest(),
      {
        sizePrefix: false,
      },
    )
    expect(toHex(frame.subarray(0, 11))).toBe(
      toHex(hex`
        00 03  00 0c  00 00 00 01  # api key 3, version 12, correlation id 1
        ff ff                      # client id null: classic int16 -1, not a compact 00
        00                         # header tagged fields: none
      `),
    )
    expect(decodeRequest(Metadata.api, frame).header.clientId).toBeNull()
  })

  it('request header v2 keeps unknown header tags', () => {
    const frame = hex`
      00 0c  00 04  00 00 00 01    # Heartbeat v4, correlation id 1
      00 01 6b                     # client id "k"
      01  07 01 2a                 # header tagged fields: tag 7, 1 byte
      04 67 72 70                  # group id "grp"
      00 00 00 02                  # generation id 2
      03 6d 31                     # member id "m1"
      00                           # group instance id: null
      00                           # tagged fields: none
    `
    const decoded = decodeRequest(Heartbeat.api, frame)
    expect(decoded.header.unknownTags).toEqual(new Map([[7, hex`2a`]]))
    expect(decoded.body).toEqual(
      Heartbeat.createRequest({ groupId: 'grp', generationId: 2, memberId: 'm1', groupInstanceId: null }),
    )
  })

  it('rejects a frame for another API', () => {
    const frame = encodeRequest(
      ApiVersions.api,
      0,
      { correlationId: 1, clientId: null },
      ApiVersions.createRequest(),
      {
        sizePrefix: false,
      },
    )
    expect(() => decodeRequest(Metadata.api, frame)).toThrow(ProtocolError)
  })

  it('rejects a request frame whose version the API does not have', () => {
    const frame = hex`00 12  7f 00  00 00 00 01  ff ff`
    expect(() => decodeRequest(ApiVersions.api, frame)).toThrow(ProtocolError)
  })

  it('rejects bytes left over after a request body', () => {
    const frame = Buffer.concat([
      encodeRequest(ApiVersions.api, 0, { correlationId: 1, clientId: null }, ApiVersions.createRequest(), {
        sizePrefix: false,
      }),
      hex`00`,
    ])
    expect(() => decodeRequest(ApiVersions.api, frame)).toThrow(ProtocolError)
  })

  it('refuses to encode a version the schema does not have', () => {
    expect(() =>
      encodeRequest(ApiVersions.api, 99, { correlationId: 1, clientId: null }, ApiVersions.createRequest()),
    ).toThrow(UnsupportedVersionError)
  })
})

describe('response headers', () => {
  it('rejects bytes left over after a response body', () => {
    const frame = Buffer.concat([
      encodeResponse(ApiVersions.api, 0, 1, ApiVersions.createResponse(), { sizePrefix: false }),
      hex`00`,
    ])
    expect(() => decodeResponse(ApiVersions.api, 0, frame)).toThrow(ProtocolError)
  })

  it('rejects a response version the API does not have', () => {
    expect(() => decodeResponse(ApiVersions.api, 99, hex`00 00 00 01`)).toThrow(ProtocolError)
  })

  it('prefixes the frame size by default', () => {
    const frame = encodeResponse(ApiVersions.api, 0, 1, ApiVersions.createResponse())
    expect(frame.readInt32BE(0)).toBe(frame.length - 4)
  })

  it('peeks the correlation id at the start of a response frame', () => {
    expect(peekCorrelationId(hex`7f ff ff fe 00`)).toBe(0x7ffffffe)
    expect(() => peekCorrelationId(hex`00 00 01`)).toThrow(ProtocolError)
  })
})
