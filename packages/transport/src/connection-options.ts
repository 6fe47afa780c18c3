import { IllegalArgumentError, type VersionPins } from '@kafkite/protocol'
import { DEFAULT_MAX_FRAME_BYTES } from './frame-decoder.js'
import { type Logger, silentLogger } from './logger.js'
import type { SaslOptions } from './sasl/mechanisms/index.js'
import type { SaslMechanism } from './sasl/sasl-mechanism.js'
import type { TlsOptions } from './tls-options.js'

export interface BrokerConnectionOptions {
  readonly host: string
  readonly port: number
  /** Sent in every request header and used in broker logs and quotas. */
  readonly clientId?: string
  /** Speak TLS: `true` for Node's defaults (bundled roots, host name checked), or the options. */
  readonly tls?: boolean | TlsOptions
  /**
   * Authenticate after ApiVersions (SASL_PLAINTEXT, or SASL_SSL with `tls`): a mechanism, or the options
   * `createSaslMechanism()` takes (`{ mechanism: 'SCRAM-SHA-512', username, password }`).
   */
  readonly sasl?: SaslMechanism | SaslOptions
  /** Time allowed from the first byte to a ready connection (TCP, TLS, ApiVersions, SASL). Default 10 s. */
  readonly connectTimeoutMs?: number
  /** Time allowed per request, from the call to the answer. Default 30 s, Kafka's request.timeout.ms. */
  readonly requestTimeoutMs?: number
  /** Requests written and not yet answered; more wait in a queue. Default 5, as in Kafka's clients. */
  readonly maxInFlightRequests?: number
  /** The largest response frame accepted. Default 100 MiB. */
  readonly maxFrameBytes?: number
  /** Version bounds per API key, applied by `versionFor()`. */
  readonly versionPins?: Readonly<Record<number, VersionPins>>
  /** Sent in ApiVersions v3+ (KIP-511); the broker shows it in its metrics. */
  readonly clientSoftwareName?: string
  readonly clientSoftwareVersion?: string
  readonly logger?: Logger
}

/** The options with every default filled in; only what the connection needs after it is open. */
export interface ResolvedOptions {
  readonly host: string
  readonly port: number
  readonly clientId: string
  readonly connectTimeoutMs: number
  readonly requestTimeoutMs: number
  readonly maxInFlightRequests: number
  readonly maxFrameBytes: number
  readonly versionPins: Readonly<Record<number, VersionPins>>
  readonly clientSoftwareName: string
  readonly clientSoftwareVersion: string
  readonly logger: Logger
}

export const DEFAULT_CLIENT_ID = 'kafkite'
export const CLIENT_SOFTWARE_VERSION = '0.1.0'

export function resolveOptions(options: BrokerConnectionOptions): ResolvedOptions {
  return {
    host: options.host,
    port: options.port,
    clientId: options.clientId ?? DEFAULT_CLIENT_ID,
    connectTimeoutMs: positive(options.connectTimeoutMs, 10_000, 'connectTimeoutMs'),
    requestTimeoutMs: positive(options.requestTimeoutMs, 30_000, 'requestTimeoutMs'),
    maxInFlightRequests: positive(options.maxInFlightRequests, 5, 'maxInFlightRequests'),
    maxFrameBytes: positive(options.maxFrameBytes, DEFAULT_MAX_FRAME_BYTES, 'maxFrameBytes'),
    versionPins: options.versionPins ?? {},
    clientSoftwareName: options.clientSoftwareName ?? 'kafkite',
    clientSoftwareVersion: options.clientSoftwareVersion ?? CLIENT_SOFTWARE_VERSION,
    logger: options.logger ?? silentLogger,
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value <= 0)
    throw new IllegalArgumentError({ message: `${name} must be a positive number, got ${value}` })
  return value
}
