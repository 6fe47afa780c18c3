import { channel } from 'node:diagnostics_channel'

/**
 * `node:diagnostics_channel` channels of the cluster layer, next to the transport's request and connection
 * channels (`kafkite:request-send`, `kafkite:request-complete`, `kafkite:connection-ready`,
 * `kafkite:connection-close`). Every publish is guarded by `hasSubscribers`, so when nobody listens no
 * message object is built.
 */
export const clusterChannelNames = {
  /** A Metadata request settled. Message: `MetadataRefreshMessage`. */
  metadataRefresh: 'kafkite:metadata-refresh',
  /** One attempt to open a connection to a broker settled. Message: `BrokerConnectMessage`. */
  brokerConnect: 'kafkite:broker-connect',
  /** A FindCoordinator lookup settled. Message: `CoordinatorLookupMessage`. */
  coordinatorLookup: 'kafkite:coordinator-lookup',
  /** `withRetries` is about to wait and try again. Message: `RetryMessage`. */
  retry: 'kafkite:retry',
} as const

export interface MetadataRefreshMessage {
  readonly clientId: string
  /** Why it was asked: `'bootstrap'`, `'max-age'`, `'stale'` (an error said so), `'topics'`, `'manual'`. */
  readonly reason: string
  /** The topics asked for; empty means only brokers and controller. */
  readonly topics: readonly string[]
  /** The broker that answered (or failed to), `-1` for a bootstrap address. */
  readonly nodeId: number
  readonly durationMs: number
  readonly error?: Error
}

export interface BrokerConnectMessage {
  readonly clientId: string
  /** The broker's id, or `-1` for a bootstrap address whose id is not known yet. */
  readonly nodeId: number
  readonly lane: string
  readonly host: string
  readonly port: number
  /** Consecutive failed attempts before this one. */
  readonly failuresBefore: number
  readonly durationMs: number
  readonly error?: Error
}

export interface CoordinatorLookupMessage {
  readonly clientId: string
  readonly kind: string
  readonly keys: readonly string[]
  readonly durationMs: number
  readonly error?: Error
}

export interface RetryMessage {
  readonly clientId: string
  /** The attempt that failed, from 1. */
  readonly attempt: number
  readonly delayMs: number
  readonly error: Error
}

export const metadataRefreshChannel = channel(clusterChannelNames.metadataRefresh)
export const brokerConnectChannel = channel(clusterChannelNames.brokerConnect)
export const coordinatorLookupChannel = channel(clusterChannelNames.coordinatorLookup)
export const retryChannel = channel(clusterChannelNames.retry)
