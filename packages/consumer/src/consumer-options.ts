import {
  type AiokafkaConnectionOptions,
  type AiokafkaSaslMechanism,
  bootstrapServerList,
  conflictingOptions,
  invalidOption,
  nonNegativeIntegerOption,
  positiveIntegerOption,
  type ResolvedAiokafkaConnectionOptions,
  resolveAiokafkaConnectionOptions,
} from '@kafkite/cluster'
import type { DefaultDeserialized, Deserializer } from './consumer-record.js'

/** What to do when a partition has no valid position: aiokafka's `auto_offset_reset`. */
export type AutoOffsetReset = 'earliest' | 'latest' | 'none'

/** aiokafka's `isolation_level`. */
export type IsolationLevel = 'read_uncommitted' | 'read_committed'

export type { SecurityProtocol } from '@kafkite/cluster'
/** `saslOauthTokenProvider`'s type, shared by every client (defined next to OAUTHBEARER in the transport). */
export type { AbstractTokenProvider, SaslOauthTokenProvider } from '@kafkite/transport'

/** aiokafka's `sasl_mechanism` values (GSSAPI is accepted and refused with a SASL protocol: not implemented). */
export type SaslMechanismName = AiokafkaSaslMechanism

/**
 * The consumer's options: aiokafka's, in camelCase, with aiokafka's defaults (docs/api-mapping.md).
 * The connection options (`securityProtocol`, `sslContext`, `sasl*`) are aiokafka's flat names, checked and
 * mapped by `@kafkite/cluster`'s shared resolver, the same way as for the producer and admin client.
 */
export interface ConsumerOptions<K = DefaultDeserialized, V = DefaultDeserialized>
  extends AiokafkaConnectionOptions {
  /** `'host[:port]'` or a list of them. Default `'localhost'` (port 9092). */
  bootstrapServers?: string | readonly string[]
  /** Default `'kafkite-<version>'` (aiokafka: `'aiokafka-<version>'`). */
  clientId?: string
  /** Default null: no group, no commits. */
  groupId?: string | null
  /** Static membership (KIP-345). Default null. */
  groupInstanceId?: string | null
  /** Default: the raw `Buffer` (or null). */
  keyDeserializer?: Deserializer<K>
  /** As `keyDeserializer`. */
  valueDeserializer?: Deserializer<V>
  /** Default 500. */
  fetchMaxWaitMs?: number
  /** Default 52428800. */
  fetchMaxBytes?: number
  /** Default 1. */
  fetchMinBytes?: number
  /** Default 1048576. */
  maxPartitionFetchBytes?: number
  /** Default 40000. */
  requestTimeoutMs?: number
  /** Default 100. */
  retryBackoffMs?: number
  /** Default `'latest'`. */
  autoOffsetReset?: AutoOffsetReset
  /** Default true; has no effect without `groupId`. */
  enableAutoCommit?: boolean
  /** Default 5000. */
  autoCommitIntervalMs?: number
  /** Default true. */
  checkCrcs?: boolean
  /** Default 300000. */
  metadataMaxAgeMs?: number
  /** Default 300000. */
  maxPollIntervalMs?: number
  /** Default null: `sessionTimeoutMs`. */
  rebalanceTimeoutMs?: number | null
  /** Default 10000. */
  sessionTimeoutMs?: number
  /** Default 3000. */
  heartbeatIntervalMs?: number
  /** Longest wait of the background fetch loop. Default 200. */
  consumerTimeoutMs?: number
  /** Most records one `getmany()` returns. Default null: no limit (Java's default is 500). */
  maxPollRecords?: number | null
  /** Default true. */
  excludeInternalTopics?: boolean
  /** Default 540000; null never closes idle connections. */
  connectionsMaxIdleMs?: number | null
  /** Default `'read_uncommitted'`. */
  isolationLevel?: IsolationLevel
  /**
   * kafkite addition: the most fetched bytes buffered and not yet read before fetching pauses. Default
   * `fetchMaxBytes`. aiokafka bounds this only by one fetch result per partition.
   */
  maxBufferedBytes?: number
}

/**
 * The options after defaults and validation. Secrets are held in `Secret` (`saslPlainPassword`,
 * `saslOauthTokenProvider`, a TLS key), so printing or serializing them shows `[redacted]`.
 */
export interface ResolvedConsumerOptions<K = DefaultDeserialized, V = DefaultDeserialized>
  extends ResolvedAiokafkaConnectionOptions {
  readonly bootstrapServers: readonly string[]
  readonly clientId: string
  readonly groupId: string | null
  readonly groupInstanceId: string | null
  readonly keyDeserializer: Deserializer<K> | null
  readonly valueDeserializer: Deserializer<V> | null
  readonly fetchMaxWaitMs: number
  readonly fetchMaxBytes: number
  readonly fetchMinBytes: number
  readonly maxPartitionFetchBytes: number
  readonly requestTimeoutMs: number
  readonly retryBackoffMs: number
  readonly autoOffsetReset: AutoOffsetReset
  /** False without `groupId`, whatever was asked: there is nothing to commit to. */
  readonly enableAutoCommit: boolean
  readonly autoCommitIntervalMs: number
  readonly checkCrcs: boolean
  readonly metadataMaxAgeMs: number
  readonly maxPollIntervalMs: number
  readonly rebalanceTimeoutMs: number
  readonly sessionTimeoutMs: number
  readonly heartbeatIntervalMs: number
  readonly consumerTimeoutMs: number
  /** null: no limit. */
  readonly maxPollRecords: number | null
  readonly excludeInternalTopics: boolean
  readonly connectionsMaxIdleMs: number | null
  readonly isolationLevel: IsolationLevel
  readonly maxBufferedBytes: number
}

/** The package version in the default client id; kept in step with package.json by a test. */
export const CONSUMER_VERSION = '0.1.0'

export const CONSUMER_DEFAULTS = {
  bootstrapServers: 'localhost',
  clientId: `kafkite-${CONSUMER_VERSION}`,
  fetchMaxWaitMs: 500,
  fetchMaxBytes: 52428800,
  fetchMinBytes: 1,
  maxPartitionFetchBytes: 1048576,
  requestTimeoutMs: 40000,
  retryBackoffMs: 100,
  autoOffsetReset: 'latest',
  enableAutoCommit: true,
  autoCommitIntervalMs: 5000,
  checkCrcs: true,
  metadataMaxAgeMs: 300000,
  maxPollIntervalMs: 300000,
  sessionTimeoutMs: 10000,
  heartbeatIntervalMs: 3000,
  consumerTimeoutMs: 200,
  excludeInternalTopics: true,
  connectionsMaxIdleMs: 540000,
  isolationLevel: 'read_uncommitted',
  securityProtocol: 'PLAINTEXT',
  saslMechanism: 'PLAIN',
  saslKerberosServiceName: 'kafka',
} as const

const AUTO_OFFSET_RESETS: ReadonlySet<unknown> = new Set<unknown>(['earliest', 'latest', 'none'])
const ISOLATION_LEVELS: ReadonlySet<unknown> = new Set<unknown>(['read_uncommitted', 'read_committed'])

/**
 * Applies aiokafka's defaults and checks the options so a misconfigured consumer fails at construction,
 * not at its first fetch. Following the project's convention, a bad value throws `IllegalArgumentError`
 * (aiokafka: `ValueError`) and options that cannot work together throw `KafkaConfigurationError`.
 */
export function resolveConsumerOptions<K = DefaultDeserialized, V = DefaultDeserialized>(
  options: ConsumerOptions<K, V> = {},
): ResolvedConsumerOptions<K, V> {
  const autoOffsetReset = oneOf('autoOffsetReset', options.autoOffsetReset, CONSUMER_DEFAULTS.autoOffsetReset)
  const isolationLevel = oneOf('isolationLevel', options.isolationLevel, CONSUMER_DEFAULTS.isolationLevel)

  const groupId = optionalString('groupId', options.groupId)
  const maxPollRecords = options.maxPollRecords ?? null
  if (maxPollRecords !== null && !(Number.isSafeInteger(maxPollRecords) && maxPollRecords >= 1)) {
    // aiokafka: ValueError("`max_poll_records` should be positive Integer").
    invalidOption(`maxPollRecords must be a positive integer or null, not ${String(maxPollRecords)}`)
  }

  const fetchMaxBytes = positiveIntegerOption(
    'fetchMaxBytes',
    options.fetchMaxBytes,
    CONSUMER_DEFAULTS.fetchMaxBytes,
  )
  const maxPartitionFetchBytes = positiveIntegerOption(
    'maxPartitionFetchBytes',
    options.maxPartitionFetchBytes,
    CONSUMER_DEFAULTS.maxPartitionFetchBytes,
  )
  const maxBufferedBytes = positiveIntegerOption('maxBufferedBytes', options.maxBufferedBytes, fetchMaxBytes)
  if (maxBufferedBytes < maxPartitionFetchBytes) {
    // Otherwise one partition's fetch could never fit the buffer.
    conflictingOptions(
      `maxBufferedBytes (${maxBufferedBytes}) must be at least maxPartitionFetchBytes (${maxPartitionFetchBytes})`,
    )
  }

  const requestTimeoutMs = positiveIntegerOption(
    'requestTimeoutMs',
    options.requestTimeoutMs,
    CONSUMER_DEFAULTS.requestTimeoutMs,
  )
  const fetchMaxWaitMs = nonNegativeIntegerOption(
    'fetchMaxWaitMs',
    options.fetchMaxWaitMs,
    CONSUMER_DEFAULTS.fetchMaxWaitMs,
  )
  if (fetchMaxWaitMs >= requestTimeoutMs) {
    // The broker may hold a fetch for fetchMaxWaitMs; a shorter request timeout would fail idle fetches.
    conflictingOptions(
      `fetchMaxWaitMs (${fetchMaxWaitMs}) must be less than requestTimeoutMs (${requestTimeoutMs})`,
    )
  }

  const sessionTimeoutMs = positiveIntegerOption(
    'sessionTimeoutMs',
    options.sessionTimeoutMs,
    CONSUMER_DEFAULTS.sessionTimeoutMs,
  )
  const heartbeatIntervalMs = positiveIntegerOption(
    'heartbeatIntervalMs',
    options.heartbeatIntervalMs,
    CONSUMER_DEFAULTS.heartbeatIntervalMs,
  )
  if (heartbeatIntervalMs >= sessionTimeoutMs) {
    // Java refuses this too: the member would be expired between two heartbeats.
    conflictingOptions(
      `heartbeatIntervalMs (${heartbeatIntervalMs}) must be less than sessionTimeoutMs (${sessionTimeoutMs})`,
    )
  }

  // sslContext with a protocol without TLS, SASL settings that would be ignored, missing credentials: the
  // same rules, and the same errors, as the producer's and the admin client's.
  const connection = resolveAiokafkaConnectionOptions(options)

  for (const name of ['keyDeserializer', 'valueDeserializer'] as const) {
    const value = options[name]
    if (value !== undefined && typeof value !== 'function') invalidOption(`${name} must be a function`)
  }

  return {
    bootstrapServers: bootstrapServerList(options.bootstrapServers, CONSUMER_DEFAULTS.bootstrapServers),
    clientId: optionalString('clientId', options.clientId) ?? CONSUMER_DEFAULTS.clientId,
    groupId,
    groupInstanceId: optionalString('groupInstanceId', options.groupInstanceId),
    keyDeserializer: options.keyDeserializer ?? null,
    valueDeserializer: options.valueDeserializer ?? null,
    fetchMaxWaitMs,
    fetchMaxBytes,
    fetchMinBytes: nonNegativeIntegerOption(
      'fetchMinBytes',
      options.fetchMinBytes,
      CONSUMER_DEFAULTS.fetchMinBytes,
    ),
    maxPartitionFetchBytes,
    requestTimeoutMs,
    retryBackoffMs: nonNegativeIntegerOption(
      'retryBackoffMs',
      options.retryBackoffMs,
      CONSUMER_DEFAULTS.retryBackoffMs,
    ),
    autoOffsetReset,
    enableAutoCommit:
      groupId !== null &&
      boolean('enableAutoCommit', options.enableAutoCommit, CONSUMER_DEFAULTS.enableAutoCommit),
    autoCommitIntervalMs: positiveIntegerOption(
      'autoCommitIntervalMs',
      options.autoCommitIntervalMs,
      CONSUMER_DEFAULTS.autoCommitIntervalMs,
    ),
    checkCrcs: boolean('checkCrcs', options.checkCrcs, CONSUMER_DEFAULTS.checkCrcs),
    metadataMaxAgeMs: nonNegativeIntegerOption(
      'metadataMaxAgeMs',
      options.metadataMaxAgeMs,
      CONSUMER_DEFAULTS.metadataMaxAgeMs,
    ),
    maxPollIntervalMs: positiveIntegerOption(
      'maxPollIntervalMs',
      options.maxPollIntervalMs,
      CONSUMER_DEFAULTS.maxPollIntervalMs,
    ),
    // aiokafka: rebalance_timeout_ms=None means session_timeout_ms.
    rebalanceTimeoutMs:
      options.rebalanceTimeoutMs === null
        ? sessionTimeoutMs
        : positiveIntegerOption('rebalanceTimeoutMs', options.rebalanceTimeoutMs, sessionTimeoutMs),
    sessionTimeoutMs,
    heartbeatIntervalMs,
    consumerTimeoutMs: nonNegativeIntegerOption(
      'consumerTimeoutMs',
      options.consumerTimeoutMs,
      CONSUMER_DEFAULTS.consumerTimeoutMs,
    ),
    maxPollRecords,
    excludeInternalTopics: boolean(
      'excludeInternalTopics',
      options.excludeInternalTopics,
      CONSUMER_DEFAULTS.excludeInternalTopics,
    ),
    connectionsMaxIdleMs:
      options.connectionsMaxIdleMs === null
        ? null
        : nonNegativeIntegerOption(
            'connectionsMaxIdleMs',
            options.connectionsMaxIdleMs,
            CONSUMER_DEFAULTS.connectionsMaxIdleMs,
          ),
    isolationLevel,
    maxBufferedBytes,
    ...connection,
  }
}

const ALLOWED: Readonly<Record<string, ReadonlySet<unknown>>> = {
  autoOffsetReset: AUTO_OFFSET_RESETS,
  isolationLevel: ISOLATION_LEVELS,
}

function oneOf<T extends string>(name: string, value: T | undefined, fallback: T): T {
  if (value === undefined) return fallback
  const allowed = ALLOWED[name]!
  if (!allowed.has(value)) {
    const names = Array.from(allowed, (item) => `'${String(item)}'`).join(', ')
    invalidOption(`${name} must be one of ${names}, not ${String(value)}`)
  }
  return value
}

function optionalString(name: string, value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'string' || value === '') invalidOption(`${name} must be a non-empty string or null`)
  return value
}

function boolean(name: string, value: boolean | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') invalidOption(`${name} must be a boolean, not ${String(value)}`)
  return value
}
