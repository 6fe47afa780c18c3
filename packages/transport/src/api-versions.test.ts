import { ApiVersions, encodeResponse, ProtocolError, UnsupportedVersionError } from '@kafkite/protocol'
import { describe, expect, it } from 'vitest'
import { decodeApiVersionsResponse, fetchApiVersions } from './api-versions.js'

describe('ApiVersions', () => {
  it('decodes a v0 body sent in answer to v3 (UNSUPPORTED_VERSION, KIP-511)', () => {
    const v0 = encodeResponse(
      ApiVersions.api,
      0,
      7,
      ApiVersions.createResponse({
        errorCode: UnsupportedVersionError.code,
        apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 2 }],
      }),
      { sizePrefix: false },
    )
    const response = decodeApiVersionsResponse(3, v0)
    expect(response.errorCode).toBe(35)
    expect(response.apiKeys).toEqual([expect.objectContaining({ apiKey: 18, maxVersion: 2 })])
    expect(() => decodeApiVersionsResponse(0, Buffer.from([0, 0, 0, 1, 0xff]))).toThrow(ProtocolError)
  })

  it('retries once with the version the broker lists for ApiVersions, or v0', async () => {
    const asked: number[] = []
    const ranges = await fetchApiVersions(async (version) => {
      asked.push(version)
      return version === 3
        ? ApiVersions.createResponse({
            errorCode: 35,
            apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 2 }],
          })
        : ApiVersions.createResponse({ apiKeys: [{ apiKey: 3, minVersion: 0, maxVersion: 9 }] })
    })
    expect(asked).toEqual([3, 2])
    expect(ranges.get(3)).toEqual({ minVersion: 0, maxVersion: 9 })

    const bare: number[] = []
    await fetchApiVersions(async (version) => {
      bare.push(version)
      return ApiVersions.createResponse({ errorCode: version === 0 ? 0 : 35 })
    })
    expect(bare).toEqual([3, 0])
  })

  it('gives up with the typed error when the broker refuses twice or fails otherwise', async () => {
    await expect(
      fetchApiVersions(async () => ApiVersions.createResponse({ errorCode: 35 })),
    ).rejects.toBeInstanceOf(UnsupportedVersionError)
    await expect(
      fetchApiVersions(async () => ApiVersions.createResponse({ errorCode: 7 })),
    ).rejects.toMatchObject({ code: 7 })
  })
})
