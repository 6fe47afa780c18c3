import { describe, expect, it } from 'vitest'
import { apiVersionsV0Request, decodeApiVersionsV0Response } from './api-versions-probe.js'

describe('ApiVersions v0 probe frames', () => {
  it('encodes the 10-byte v0 header behind a size prefix', () => {
    expect(apiVersionsV0Request(7).toString('hex')).toBe(
      // size=10 | api_key=18 | version=0 | correlation_id=7 | client_id=null
      '0000000a' + '0012' + '0000' + '00000007' + 'ffff',
    )
  })

  it('decodes a response body', () => {
    const body = Buffer.from(`${'00000007'}${'0000'}${'00000002'}${'000000000009'}${'001200000004'}`, 'hex')
    expect(decodeApiVersionsV0Response(body, 7)).toEqual({
      errorCode: 0,
      apis: [
        { apiKey: 0, minVersion: 0, maxVersion: 9 },
        { apiKey: 18, minVersion: 0, maxVersion: 4 },
      ],
    })
  })

  it('rejects a foreign correlation id and a truncated array', () => {
    const body = Buffer.from(`${'00000008'}${'0000'}${'00000000'}`, 'hex')
    expect(() => decodeApiVersionsV0Response(body, 7)).toThrow(/correlation id 8/)
    const truncated = Buffer.from(`${'00000007'}${'0000'}${'00000002'}${'000000000009'}`, 'hex')
    expect(() => decodeApiVersionsV0Response(truncated, 7)).toThrow(/claims 2 APIs/)
  })
})
