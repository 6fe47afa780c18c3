import {
  AuthenticationMethodNotSupported,
  IllegalArgumentError,
  KafkaConfigurationError,
} from '@kafkite/protocol'
import type { Secret } from '../../secret.js'
import type { SaslMechanism } from '../sasl-mechanism.js'
import { OAuthBearerMechanism, type SaslOauthTokenProvider } from './oauthbearer-mechanism.js'
import { describeType } from './option-checks.js'
import { PlainMechanism } from './plain-mechanism.js'
import { REDACTED } from './redaction.js'
import { ScramMechanism } from './scram-mechanism.js'

// SASL options as a client takes them. aiokafka spells the same settings `sasl_mechanism`,
// `sasl_plain_username`, `sasl_plain_password` (used for SCRAM too) and `sasl_oauth_token_provider`.

export interface PlainSaslOptions {
  readonly mechanism: 'PLAIN'
  readonly username: string
  /** A `Secret` keeps the password out of logs while it sits in the client's options too. */
  readonly password: string | Secret<string>
}

export interface ScramSaslOptions {
  readonly mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512'
  readonly username: string
  readonly password: string | Secret<string>
  /** Highest PBKDF2 iteration count accepted from the server (default 100 000, at least 4096). */
  readonly maxIterations?: number
}

export interface OAuthBearerSaslOptions {
  readonly mechanism: 'OAUTHBEARER'
  /** aiokafka's `{ token(), extensions?() }` object or a function; see `SaslOauthTokenProvider`. */
  readonly tokenProvider: SaslOauthTokenProvider | Secret<SaslOauthTokenProvider>
}

export type SaslOptions = PlainSaslOptions | ScramSaslOptions | OAuthBearerSaslOptions

export type SaslMechanismName = SaslOptions['mechanism']

export const SASL_MECHANISMS: readonly SaslMechanismName[] = [
  'PLAIN',
  'SCRAM-SHA-256',
  'SCRAM-SHA-512',
  'OAUTHBEARER',
]

/**
 * Builds the mechanism for a client's SASL options. The options are checked at run time (they often come
 * from untyped configuration): a missing field throws KafkaConfigurationError, a wrong value
 * IllegalArgumentError, and a mechanism this client does not implement AuthenticationMethodNotSupported —
 * all before any connection is made, and none with a secret in its message.
 */
export function createSaslMechanism(options: SaslOptions): SaslMechanism {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new IllegalArgumentError({
      message: `SASL options must be an object, not ${describeType(options)}`,
    })
  }
  const mechanism: unknown = Reflect.get(options, 'mechanism')
  if (mechanism === undefined || mechanism === null) {
    throw new KafkaConfigurationError({
      message: `SASL options need a \`mechanism\`: one of ${SASL_MECHANISMS.join(', ')}`,
    })
  }
  if (typeof mechanism !== 'string') {
    throw new IllegalArgumentError({
      message: `SASL \`mechanism\` must be a string, not ${describeType(mechanism)}`,
    })
  }
  switch (options.mechanism) {
    case 'PLAIN':
      return new PlainMechanism(options)
    case 'SCRAM-SHA-256':
    case 'SCRAM-SHA-512':
      // Only the documented fields: the test-only nonce hook must not be reachable from client options.
      return new ScramMechanism(options.mechanism, {
        username: options.username,
        password: options.password,
        ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
      })
    case 'OAUTHBEARER':
      return new OAuthBearerMechanism(options)
    default:
      throw unsupported(mechanism)
  }
}

/** RFC 4422 §3.1: a mechanism name is 1 to 20 upper-case letters, digits, '-' and '_'. */
const MECHANISM_NAME = /^[A-Z0-9_-]{1,20}$/

function unsupported(mechanism: string): AuthenticationMethodNotSupported {
  const known = SASL_MECHANISMS.find((name) => name === mechanism.toUpperCase())
  // Broker mechanism names are case-sensitive; a lower-case 'plain' is a common slip worth naming.
  if (known !== undefined) {
    return new AuthenticationMethodNotSupported({
      message: `SASL mechanism names are case-sensitive: did you mean '${known}'?`,
    })
  }
  // Only something shaped like a mechanism name is repeated: a value in the wrong field may be a password.
  const named = MECHANISM_NAME.test(mechanism) ? `"${mechanism}"` : '(not a mechanism name)'
  return new AuthenticationMethodNotSupported({
    message: `SASL mechanism ${named} is not supported; use one of ${SASL_MECHANISMS.join(', ')}`,
  })
}

/**
 * A copy of SASL options that is safe to log or print: the password or token provider is replaced by
 * "[redacted]". Clients use it when they show their own options.
 */
export function redactSaslOptions(options: SaslOptions): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...options }
  for (const secret of ['password', 'tokenProvider']) {
    if (secret in copy) copy[secret] = REDACTED
  }
  return copy
}
