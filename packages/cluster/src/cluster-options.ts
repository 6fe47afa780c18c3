import type { SecureContext } from 'node:tls'
import { IllegalArgumentError, KafkaConfigurationError } from '@kafkite/protocol'
import {
  createSaslMechanism,
  DEFAULT_CLIENT_ID,
  type Logger,
  normalizeTlsOptions,
  type SaslMechanism,
  type SaslOptions,
  type TlsOptions,
} from '@kafkite/transport'
import { type BrokerAddress, parseBootstrapServers } from './broker-address.js'

/** How the client talks to brokers, as aiokafka's `security_protocol` names it. */
export type SecurityProtocol = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL'

export const SECURITY_PROTOCOLS: readonly SecurityProtocol[] = [
  'PLAINTEXT',
  'SSL',
  'SASL_PLAINTEXT',
  'SASL_SSL',
]

/** The options of a `ClusterClient`: aiokafka's client options in camelCase, with aiokafka's defaults. */
export interface ClusterClientOptions {
  /** `'host[:port],…'` or a list of `'host[:port]'`; the port defaults to 9092. Default `'localhost'`. */
  readonly bootstrapServers?: string | readonly string[]
  /** Sent in every request header; brokers use it in logs and quotas. Default `'kafkite'`. */
  readonly clientId?: string
  /** Time allowed for one request, and the default budget of `withRetries`. Default 40000. */
  readonly requestTimeoutMs?: number
  /** The first pause between two attempts of a retried operation; it doubles up to 1 s. Default 100. */
  readonly retryBackoffMs?: number
  /** The first pause before reconnecting to a broker whose connection failed. Default 50. */
  readonly reconnectBackoffMs?: number
  /** The longest pause between reconnect attempts as failures pile up. Default 1000. */
  readonly reconnectBackoffMaxMs?: number
  /** Metadata is refreshed at least this often even when nothing asks. Default 300000. */
  readonly metadataMaxAgeMs?: number
  /** A connection with no traffic for this long is closed. Default 540000. */
  readonly connectionsMaxIdleMs?: number
  /** Time allowed to open one connection (TCP, TLS, ApiVersions, SASL). Default 10000. */
  readonly connectTimeoutMs?: number
  /** Default `'PLAINTEXT'`. */
  readonly securityProtocol?: SecurityProtocol
  /**
   * TLS for `SSL` and `SASL_SSL`: what `createSslContext()` returns, the transport's TLS options, or a Node
   * `SecureContext` (Node's defaults when left out: bundled roots, host checked). A field the transport does
   * not use throws `IllegalArgumentError` rather than being ignored.
   */
  readonly ssl?: TlsOptions | SecureContext
  /** The SASL mechanism, or options for `createSaslMechanism()`, for `SASL_PLAINTEXT` and `SASL_SSL`. */
  readonly sasl?: SaslOptions | SaslMechanism
  /** Whether a Metadata request for a topic that does not exist may create it (if the broker allows). Default false. */
  readonly allowAutoTopicCreation?: boolean
  /** Requests written and not answered per connection. Default 5. */
  readonly maxInFlightRequests?: number
  /** Receives the client's debug/info/warn lines. Never given a secret. */
  readonly logger?: Logger
}

/** The options with every default applied and every value checked. */
export interface ResolvedClusterOptions {
  readonly bootstrapServers: readonly BrokerAddress[]
  readonly clientId: string
  readonly requestTimeoutMs: number
  readonly retryBackoffMs: number
  readonly reconnectBackoffMs: number
  readonly reconnectBackoffMaxMs: number
  readonly metadataMaxAgeMs: number
  readonly connectionsMaxIdleMs: number
  readonly connectTimeoutMs: number
  readonly securityProtocol: SecurityProtocol
  /** Normalized: a key or passphrase is held in a `Secret`. */
  readonly tls: TlsOptions | undefined
  /** The mechanism keeps its secrets private; printing it shows none. */
  readonly sasl: SaslMechanism | undefined
  readonly allowAutoTopicCreation: boolean
  readonly maxInFlightRequests: number
  readonly logger: Logger
}

const silentLogger: Logger = Object.freeze({})

/**
 * Checks the options and fills in defaults. A wrong value throws `IllegalArgumentError`; options that cannot
 * work together (SASL settings with a protocol that does not authenticate, a SASL protocol without them,
 * TLS settings on a plaintext protocol) throw `KafkaConfigurationError`. No message repeats a secret.
 */
export function resolveClusterOptions(options: ClusterClientOptions = {}): ResolvedClusterOptions {
  if (typeof options !== 'object' || options === null) {
    throw new IllegalArgumentError({ message: 'ClusterClient options must be an object' })
  }
  const securityProtocol = options.securityProtocol ?? 'PLAINTEXT'
  if (!SECURITY_PROTOCOLS.includes(securityProtocol)) {
    throw new IllegalArgumentError({
      message: `securityProtocol must be one of ${SECURITY_PROTOCOLS.join(', ')}, got ${JSON.stringify(securityProtocol)}`,
    })
  }
  const usesTls = securityProtocol === 'SSL' || securityProtocol === 'SASL_SSL'
  const usesSasl = securityProtocol === 'SASL_PLAINTEXT' || securityProtocol === 'SASL_SSL'
  if (options.ssl !== undefined && !usesTls) {
    throw new KafkaConfigurationError({
      message: `ssl options were given but securityProtocol is ${securityProtocol}: use SSL or SASL_SSL`,
    })
  }
  if (options.sasl !== undefined && !usesSasl) {
    throw new KafkaConfigurationError({
      message: `sasl options were given but securityProtocol is ${securityProtocol}: use SASL_PLAINTEXT or SASL_SSL`,
    })
  }
  if (options.sasl === undefined && usesSasl) {
    throw new KafkaConfigurationError({ message: `securityProtocol ${securityProtocol} needs sasl options` })
  }
  const clientId = options.clientId ?? DEFAULT_CLIENT_ID
  if (typeof clientId !== 'string') {
    throw new IllegalArgumentError({ message: 'clientId must be a string' })
  }
  const reconnectBackoffMs = nonNegative(options.reconnectBackoffMs, 50, 'reconnectBackoffMs')
  const reconnectBackoffMaxMs = nonNegative(options.reconnectBackoffMaxMs, 1000, 'reconnectBackoffMaxMs')
  if (reconnectBackoffMaxMs < reconnectBackoffMs) {
    throw new KafkaConfigurationError({
      message: `reconnectBackoffMaxMs (${reconnectBackoffMaxMs}) must not be below reconnectBackoffMs (${reconnectBackoffMs})`,
    })
  }
  const allowAutoTopicCreation = options.allowAutoTopicCreation ?? false
  if (typeof allowAutoTopicCreation !== 'boolean') {
    throw new IllegalArgumentError({ message: 'allowAutoTopicCreation must be a boolean' })
  }
  return {
    bootstrapServers: parseBootstrapServers(options.bootstrapServers ?? 'localhost'),
    clientId,
    requestTimeoutMs: positive(options.requestTimeoutMs, 40_000, 'requestTimeoutMs'),
    retryBackoffMs: nonNegative(options.retryBackoffMs, 100, 'retryBackoffMs'),
    reconnectBackoffMs,
    reconnectBackoffMaxMs,
    metadataMaxAgeMs: positive(options.metadataMaxAgeMs, 300_000, 'metadataMaxAgeMs'),
    connectionsMaxIdleMs: positive(options.connectionsMaxIdleMs, 540_000, 'connectionsMaxIdleMs'),
    connectTimeoutMs: positive(options.connectTimeoutMs, 10_000, 'connectTimeoutMs'),
    securityProtocol,
    tls: usesTls ? normalizeTlsOptions(options.ssl ?? {}, 'ssl') : undefined,
    // Built once here so that bad SASL options fail at construction, before any socket is opened; a
    // mechanism starts a fresh exchange per connection, so one instance serves them all.
    sasl:
      options.sasl === undefined
        ? undefined
        : 'start' in options.sasl
          ? options.sasl
          : createSaslMechanism(options.sasl),
    allowAutoTopicCreation,
    maxInFlightRequests: positive(options.maxInFlightRequests, 5, 'maxInFlightRequests'),
    logger: options.logger ?? silentLogger,
  }
}

function positive(value: unknown, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new IllegalArgumentError({ message: `${name} must be a positive number, got ${String(value)}` })
  }
  return value
}

function nonNegative(value: unknown, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new IllegalArgumentError({
      message: `${name} must be zero or a positive number, got ${String(value)}`,
    })
  }
  return value
}
