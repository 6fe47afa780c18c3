import { UnsupportedVersionError } from './generated/error-codes.js'
import type { ApiSchema } from './schema/types.js'

/** The versions a broker advertises for one API (an ApiVersions response entry). */
export interface BrokerVersionRange {
  readonly minVersion: number
  readonly maxVersion: number
}

export interface VersionPins {
  /** Never use a version below this one. */
  readonly min?: number
  /** Never use a version above this one (e.g. to match an older client's behaviour). */
  readonly max?: number
  /** Allow the newest version when Kafka marks it unstable (default false). */
  readonly allowUnstable?: boolean
}

/**
 * The version to use for `api`: the highest that our schema, the broker and the caller's pins all allow.
 * The order (ours, then the broker's, then the pins) follows franz-go's broker.go. A broker that does not
 * list the API, or ranges that do not meet, give an `UnsupportedVersionError` naming all three ranges.
 */
export function negotiateVersion(
  api: ApiSchema,
  brokerRange: BrokerVersionRange | undefined,
  pins: VersionPins = {},
): number {
  const [ourMin, ourValidMax] = api.request.validVersions
  const ourMax = api.latestVersionUnstable && !pins.allowUnstable ? ourValidMax - 1 : ourValidMax
  if (brokerRange === undefined) {
    throw new UnsupportedVersionError({
      message: `The broker does not support ${api.name} (API key ${api.apiKey})`,
    })
  }
  const min = Math.max(ourMin, brokerRange.minVersion, pins.min ?? 0)
  const max = Math.min(ourMax, brokerRange.maxVersion, pins.max ?? Number.POSITIVE_INFINITY)
  if (max < min) {
    const pinText =
      pins.min === undefined && pins.max === undefined ? '' : `, pinned ${pins.min ?? 0}-${pins.max ?? 'any'}`
    throw new UnsupportedVersionError({
      message: `No common version of ${api.name}: client ${ourMin}-${ourMax}, broker ${brokerRange.minVersion}-${brokerRange.maxVersion}${pinText}`,
    })
  }
  return max
}
