import type { SecureContext } from 'node:tls'
import { IllegalArgumentError, KafkaConfigurationError } from '@kafkite/protocol'
import {
  normalizeTlsOptions,
  SASL_MECHANISMS,
  type SaslMechanism,
  type SaslMechanismName,
  type SaslOauthTokenProvider,
  type SaslOptions,
  Secret,
  type TlsOptions,
  toOAuthBearerTokenProvider,
} from '@kafkite/transport'
import { type ClusterClientOptions, SECURITY_PROTOCOLS, type SecurityProtocol } from './cluster-options.js'

/** aiokafka's `sasl_mechanism` values: the ones kafkite implements, and GSSAPI (accepted, not implemented). */
export type AiokafkaSaslMechanism = SaslMechanismName | 'GSSAPI'

export const AIOKAFKA_SASL_MECHANISMS: readonly AiokafkaSaslMechanism[] = [...SASL_MECHANISMS, 'GSSAPI']

/**
 * aiokafka's flat connection options, in camelCase, as the producer, consumer and admin client take them.
 * Every secret may also be given wrapped in a `Secret`; null means not given (aiokafka's `None`).
 */
export interface AiokafkaConnectionOptions {
  /** Default `'PLAINTEXT'`. */
  readonly securityProtocol?: SecurityProtocol
  /**
   * aiokafka's `ssl_context`: what `createSslContext()` returns, the transport's TLS options (`ca`, `cert`,
   * `key`, `passphrase`, `servername`, …) or a Node `SecureContext`. Certificate and host name are checked.
   */
  readonly sslContext?: TlsOptions | SecureContext | null
  /** Default `'PLAIN'`. */
  readonly saslMechanism?: AiokafkaSaslMechanism
  /** PLAIN and the SCRAMs, as in aiokafka. */
  readonly saslPlainUsername?: string | null
  readonly saslPlainPassword?: string | Secret<string> | null
  /** For OAUTHBEARER: aiokafka's `{ token(), extensions?() }` object, or a function. */
  readonly saslOauthTokenProvider?: SaslOauthTokenProvider | Secret<SaslOauthTokenProvider> | null
  /** Default `'kafka'`. GSSAPI only: accepted, unused. */
  readonly saslKerberosServiceName?: string
  /** GSSAPI only: accepted, unused. */
  readonly saslKerberosDomainName?: string | null
}

/** The flat connection options checked and with defaults; every secret is held in a `Secret`. */
export interface ResolvedAiokafkaConnectionOptions {
  readonly securityProtocol: SecurityProtocol
  /** Normalized: the key and passphrase, if any, are `Secret`s. */
  readonly sslContext: TlsOptions | null
  readonly saslMechanism: AiokafkaSaslMechanism
  readonly saslPlainUsername: string | null
  /** `reveal()` gives the password. */
  readonly saslPlainPassword: Secret<string> | null
  /** `reveal()` gives the provider as it was given. */
  readonly saslOauthTokenProvider: Secret<SaslOauthTokenProvider> | null
  readonly saslKerberosServiceName: string
  readonly saslKerberosDomainName: string | null
}

/** The cluster client's own `ssl`/`sasl`, which the admin client also takes instead of the flat names. */
export interface ClusterSecurityOptions {
  readonly ssl?: TlsOptions | SecureContext
  readonly sasl?: SaslOptions | SaslMechanism
}

const FLAT_SASL = [
  'saslMechanism',
  'saslPlainUsername',
  'saslPlainPassword',
  'saslOauthTokenProvider',
] as const

/**
 * Checks aiokafka's flat connection options and applies aiokafka's defaults, the same way for every client:
 * a wrong value throws `IllegalArgumentError`; options that cannot work together throw
 * `KafkaConfigurationError` — TLS settings with a protocol without TLS, SASL settings with a protocol
 * without SASL, a SASL protocol without the credentials its mechanism needs, credentials of another
 * mechanism, GSSAPI (not implemented). Secrets come back wrapped in `Secret`; no message shows one.
 * Resolving resolved options again gives the same result.
 */
export function resolveAiokafkaConnectionOptions(
  options: AiokafkaConnectionOptions & ClusterSecurityOptions,
): ResolvedAiokafkaConnectionOptions {
  const securityProtocol = options.securityProtocol ?? 'PLAINTEXT'
  if (!SECURITY_PROTOCOLS.includes(securityProtocol)) {
    throw new IllegalArgumentError({
      message: `securityProtocol must be one of ${SECURITY_PROTOCOLS.join(', ')}, not ${describe(securityProtocol)}`,
    })
  }
  const saslMechanism = options.saslMechanism ?? 'PLAIN'
  if (!AIOKAFKA_SASL_MECHANISMS.includes(saslMechanism)) {
    throw new IllegalArgumentError({
      message: `saslMechanism must be one of ${AIOKAFKA_SASL_MECHANISMS.join(', ')}, not ${describe(saslMechanism)}`,
    })
  }
  const usesTls = securityProtocol === 'SSL' || securityProtocol === 'SASL_SSL'
  const usesSasl = securityProtocol === 'SASL_PLAINTEXT' || securityProtocol === 'SASL_SSL'

  const sslContext =
    options.sslContext === undefined || options.sslContext === null
      ? null
      : normalizeTlsOptions(options.sslContext, 'sslContext')
  if (sslContext !== null && options.ssl !== undefined) {
    throw new KafkaConfigurationError({ message: 'give ssl or sslContext, not both' })
  }
  if (sslContext !== null && !usesTls) {
    throw new KafkaConfigurationError({
      message: `sslContext was given but securityProtocol is ${securityProtocol}: use SSL or SASL_SSL`,
    })
  }

  const saslPlainUsername = optionalString(options.saslPlainUsername, 'saslPlainUsername')
  const saslPlainPassword = optionalSecretString(options.saslPlainPassword, 'saslPlainPassword')
  const saslOauthTokenProvider =
    options.saslOauthTokenProvider === undefined || options.saslOauthTokenProvider === null
      ? null
      : new Secret(Secret.reveal(options.saslOauthTokenProvider))
  // Checks the shape now: a wrong one fails at construction, not at the first connection.
  if (saslOauthTokenProvider !== null) {
    toOAuthBearerTokenProvider(saslOauthTokenProvider, 'saslOauthTokenProvider')
  }
  // saslMechanism counts only when it is not aiokafka's default, which every resolved option set carries.
  const given = FLAT_SASL.filter((name) =>
    name === 'saslMechanism'
      ? saslMechanism !== 'PLAIN'
      : options[name] !== undefined && options[name] !== null,
  )
  if (given.length > 0 && options.sasl !== undefined) {
    throw new KafkaConfigurationError({ message: `give sasl or ${given.join(', ')}, not both` })
  }
  if (given.length > 0 && !usesSasl) {
    throw new KafkaConfigurationError({
      message: `${given.join(', ')} given but securityProtocol is ${securityProtocol}: use SASL_PLAINTEXT or SASL_SSL`,
    })
  }
  if (usesSasl && options.sasl === undefined) {
    if (saslMechanism === 'OAUTHBEARER') {
      if (saslOauthTokenProvider === null) conflict('saslMechanism OAUTHBEARER needs saslOauthTokenProvider')
      if (saslPlainUsername !== null || saslPlainPassword !== null) {
        conflict(
          'saslMechanism OAUTHBEARER takes saslOauthTokenProvider, not saslPlainUsername/saslPlainPassword',
        )
      }
    } else if (saslMechanism === 'GSSAPI') {
      conflict(
        'saslMechanism GSSAPI is not supported by kafkite yet (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 and OAUTHBEARER are)',
      )
    } else {
      if (saslPlainUsername === null || saslPlainPassword === null) {
        conflict(`saslMechanism ${saslMechanism} needs saslPlainUsername and saslPlainPassword`)
      }
      if (saslOauthTokenProvider !== null) {
        conflict(
          `saslMechanism ${saslMechanism} takes saslPlainUsername/saslPlainPassword, not saslOauthTokenProvider`,
        )
      }
    }
  }
  return Object.freeze({
    securityProtocol,
    sslContext,
    saslMechanism,
    saslPlainUsername,
    saslPlainPassword,
    saslOauthTokenProvider,
    saslKerberosServiceName:
      optionalString(options.saslKerberosServiceName, 'saslKerberosServiceName') ?? 'kafka',
    saslKerberosDomainName: optionalString(options.saslKerberosDomainName, 'saslKerberosDomainName'),
  })
}

/**
 * The one mapping from aiokafka's flat connection options (`securityProtocol`, `sslContext`,
 * `saslMechanism`, `saslPlainUsername`, `saslPlainPassword`, `saslOauthTokenProvider`, `saslKerberos*`)
 * onto the cluster client's `securityProtocol`, `ssl` and `sasl`, for the producer, the consumer and the
 * admin client alike. Takes raw or resolved options; checks them as `resolveAiokafkaConnectionOptions`.
 * The cluster client's own `ssl`/`sasl`, if given (the admin client allows them), pass through, and
 * giving both forms of one setting throws `KafkaConfigurationError`.
 */
export function clusterOptionsFromAiokafka(
  options: AiokafkaConnectionOptions & ClusterSecurityOptions,
): Pick<ClusterClientOptions, 'securityProtocol' | 'ssl' | 'sasl'> {
  const resolved = resolveAiokafkaConnectionOptions(options)
  const { securityProtocol } = resolved
  const usesSasl = securityProtocol === 'SASL_PLAINTEXT' || securityProtocol === 'SASL_SSL'
  const ssl = resolved.sslContext ?? options.ssl
  const sasl = options.sasl ?? (usesSasl ? saslOptions(resolved) : undefined)
  return {
    securityProtocol,
    ...(ssl === undefined ? {} : { ssl }),
    ...(sasl === undefined ? {} : { sasl }),
  }
}

function saslOptions(resolved: ResolvedAiokafkaConnectionOptions): SaslOptions {
  const mechanism = resolved.saslMechanism
  if (mechanism === 'OAUTHBEARER') {
    // resolveAiokafkaConnectionOptions required the provider.
    return { mechanism, tokenProvider: resolved.saslOauthTokenProvider as Secret<SaslOauthTokenProvider> }
  }
  // GSSAPI was refused; PLAIN and the SCRAMs have both credentials.
  return {
    mechanism: mechanism as Exclude<SaslMechanismName, 'OAUTHBEARER'>,
    username: resolved.saslPlainUsername as string,
    password: resolved.saslPlainPassword as Secret<string>,
  }
}

function optionalString(value: unknown, name: string): string | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'string') {
    throw new IllegalArgumentError({ message: `${name} must be a string, not ${typeOf(value)}` })
  }
  return value
}

function optionalSecretString(value: unknown, name: string): Secret<string> | null {
  if (value === undefined || value === null) return null
  const revealed: unknown = value instanceof Secret ? value.reveal() : value
  // Never repeats the value: it is a password.
  if (typeof revealed !== 'string') {
    throw new IllegalArgumentError({
      message: `${name} must be a string or a Secret of one, not ${typeOf(revealed)}`,
    })
  }
  return value instanceof Secret ? (value as Secret<string>) : new Secret(revealed)
}

/** A value that should have been a name, shown only if it looks like one (it might be a misplaced secret). */
function describe(value: unknown): string {
  return typeof value === 'string' && /^[A-Z0-9_-]{1,20}$/.test(value) ? JSON.stringify(value) : typeOf(value)
}

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

function conflict(message: string): never {
  throw new KafkaConfigurationError({ message })
}
