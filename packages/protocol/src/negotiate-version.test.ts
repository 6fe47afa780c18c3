import { describe, expect, it } from 'vitest'
import * as EndTxn from './generated/end-txn.js'
import { UnsupportedVersionError } from './generated/error-codes.js'
import * as Fetch from './generated/fetch.js'
import * as Metadata from './generated/metadata.js'
import { negotiateVersion } from './negotiate-version.js'
import type { ApiSchema } from './schema/types.js'

/** A copy of `api` whose schemas claim `validVersions`, for ranges the real schemas do not have. */
function withVersions(api: ApiSchema, min: number, max: number, latestVersionUnstable = false): ApiSchema {
  const validVersions = [min, max] as const
  return {
    ...api,
    request: { ...api.request, validVersions },
    response: { ...api.response, validVersions },
    latestVersionUnstable,
  }
}

describe('negotiateVersion', () => {
  it('picks the lower of our newest and the broker newest', () => {
    // Ours: Metadata 0-12.
    expect(negotiateVersion(Metadata.api, { minVersion: 0, maxVersion: 9 })).toBe(9)
    expect(negotiateVersion(Metadata.api, { minVersion: 0, maxVersion: 13 })).toBe(12)
    expect(negotiateVersion(Metadata.api, { minVersion: 12, maxVersion: 99 })).toBe(12)
  })

  it('honours pins: max caps the choice, min only constrains', () => {
    expect(negotiateVersion(Fetch.api, { minVersion: 4, maxVersion: 17 }, { max: 12 })).toBe(12)
    expect(negotiateVersion(Fetch.api, { minVersion: 4, maxVersion: 17 }, { min: 13 })).toBe(17)
    expect(negotiateVersion(Fetch.api, { minVersion: 4, maxVersion: 11 }, { min: 4, max: 4 })).toBe(4)
  })

  it('throws when a pin leaves no version', () => {
    expect(() => negotiateVersion(Fetch.api, { minVersion: 4, maxVersion: 11 }, { min: 12 })).toThrow(
      UnsupportedVersionError,
    )
    expect(() => negotiateVersion(Fetch.api, { minVersion: 4, maxVersion: 11 }, { max: 3 })).toThrow(
      /pinned 0-3/,
    )
  })

  it('leaves an unstable newest version out unless allowUnstable', () => {
    expect(EndTxn.api.latestVersionUnstable).toBe(true)
    const newest = EndTxn.api.request.validVersions[1]
    const broker = { minVersion: 0, maxVersion: newest }
    expect(negotiateVersion(EndTxn.api, broker)).toBe(newest - 1)
    expect(negotiateVersion(EndTxn.api, broker, { allowUnstable: true })).toBe(newest)
    // Only the newest is excluded: a broker below it is unaffected.
    expect(negotiateVersion(EndTxn.api, { minVersion: 0, maxVersion: newest - 2 })).toBe(newest - 2)
  })

  it('throws when the only overlap is the unstable version', () => {
    const api = withVersions(Metadata.api, 0, 3, true)
    expect(() => negotiateVersion(api, { minVersion: 3, maxVersion: 5 })).toThrow(UnsupportedVersionError)
    expect(negotiateVersion(api, { minVersion: 3, maxVersion: 5 }, { allowUnstable: true })).toBe(3)
  })

  it('throws UnsupportedVersionError when the ranges do not meet', () => {
    const api = withVersions(Metadata.api, 4, 8)
    let thrown: unknown
    try {
      negotiateVersion(api, { minVersion: 9, maxVersion: 12 })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(UnsupportedVersionError)
    expect((thrown as Error).message).toBe('No common version of Metadata: client 4-8, broker 9-12')
    expect(() => negotiateVersion(api, { minVersion: 0, maxVersion: 3 })).toThrow(UnsupportedVersionError)
  })

  it('throws UnsupportedVersionError when the broker does not list the API', () => {
    expect(() => negotiateVersion(Metadata.api, undefined)).toThrow(UnsupportedVersionError)
    expect(() => negotiateVersion(Metadata.api, undefined)).toThrow(/does not support Metadata \(API key 3\)/)
  })
})
