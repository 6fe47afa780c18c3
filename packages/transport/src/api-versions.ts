import {
  ApiVersions,
  type BrokerVersionRange,
  decodeResponse,
  errorFromCode,
  ProtocolError,
  UnsupportedVersionError,
} from '@kafkite/protocol'

/** The ApiVersions version tried first: v3 carries the client software name (KIP-511). */
export const API_VERSIONS_FIRST_VERSION = 3

/**
 * Decodes an ApiVersions response, falling back to v0's layout. A broker that does not know the version
 * asked for answers UNSUPPORTED_VERSION in a v0 body (KIP-511), whatever version was sent; Kafka's Java
 * client parses it the same way (`ApiVersionsResponse.parse`).
 */
export function decodeApiVersionsResponse(version: number, frame: Uint8Array): ApiVersions.Response {
  try {
    return decodeResponse(ApiVersions.api, version, frame).body
  } catch (error) {
    if (version === 0 || !(error instanceof ProtocolError)) throw error
    return decodeResponse(ApiVersions.api, 0, frame).body
  }
}

export type ApiVersionsRequester = (version: number) => Promise<ApiVersions.Response>

/**
 * Asks the broker for its version ranges: v3 first, and on UNSUPPORTED_VERSION once more with the highest
 * version the broker listed for ApiVersions itself, or v0 when it listed none (as Kafka's NetworkClient does).
 */
export async function fetchApiVersions(
  request: ApiVersionsRequester,
): Promise<Map<number, BrokerVersionRange>> {
  let version = API_VERSIONS_FIRST_VERSION
  for (let attempt = 0; ; attempt++) {
    const response = await request(version)
    if (response.errorCode === 0) {
      const ranges = new Map<number, BrokerVersionRange>()
      for (const entry of response.apiKeys) {
        ranges.set(entry.apiKey, { minVersion: entry.minVersion, maxVersion: entry.maxVersion })
      }
      return ranges
    }
    if (response.errorCode === UnsupportedVersionError.code && attempt === 0) {
      const own = response.apiKeys.find((entry) => entry.apiKey === ApiVersions.api.apiKey)
      const next = own === undefined ? 0 : Math.min(own.maxVersion, version - 1)
      version = Math.max(0, next)
      continue
    }
    throw (
      errorFromCode(response.errorCode, { path: `ApiVersions v${version}` }) ??
      new ProtocolError({ message: 'ApiVersions failed' })
    )
  }
}
