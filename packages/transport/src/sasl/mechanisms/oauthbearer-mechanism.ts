import type { InspectOptions } from 'node:util'
import { AuthenticationFailedError, IllegalArgumentError, KafkaConfigurationError } from '@kafkite/protocol'
import { Secret } from '../../secret.js'
import type { SaslContext, SaslExchange, SaslMechanism } from '../sasl-mechanism.js'
import { describeType } from './option-checks.js'
import { inspectAs, inspectCustom, REDACTED } from './redaction.js'
import { decodeServerMessage, encodeClientMessage, quoteServerText } from './server-text.js'

/** What a token provider hands over for one authentication. */
export interface OAuthBearerToken {
  /** The bearer token (for example a JWT), sent as `auth=Bearer <token>`. */
  readonly token: string | Secret<string>
  /** SASL extensions (KIP-342), sent as `key=value` pairs; brokers pass them to their validator. */
  readonly extensions?: Readonly<Record<string, string>>
}

/**
 * The function form of a token provider: called once per exchange, that is per connection and per
 * re-authentication (KIP-368), with the connection's context, so it can return a fresh token each time; it
 * should cache and refresh tokens itself.
 */
export type OAuthBearerTokenProvider = (context: SaslContext) => Promise<OAuthBearerToken> | OAuthBearerToken

/**
 * aiokafka's `AbstractTokenProvider` as a plain object: `token()` gives the bearer token and the optional
 * `extensions()` the SASL extensions (KIP-342). Both are called once per exchange (every connection and
 * re-authentication); `token()` should cache and refresh tokens itself, as aiokafka asks.
 */
export interface AbstractTokenProvider {
  token(): Promise<string | Secret<string>> | string | Secret<string>
  extensions?():
    | Promise<Readonly<Record<string, string>>>
    | Readonly<Record<string, string>>
    | null
    | undefined
}

/**
 * What every client's `saslOauthTokenProvider` takes (producer, consumer, admin, and the transport's
 * OAUTHBEARER options): aiokafka's `{ token(), extensions?() }` object, or a function returning
 * `{ token, extensions? }`. A provider may also be wrapped in a `Secret`.
 */
export type SaslOauthTokenProvider = AbstractTokenProvider | OAuthBearerTokenProvider

export interface OAuthBearerMechanismOptions {
  readonly tokenProvider: SaslOauthTokenProvider | Secret<SaslOauthTokenProvider>
}

/**
 * The function form of either provider shape (unwrapping a `Secret`), checked now so a wrong shape fails
 * when the client is made, not at its first connection. A missing provider throws KafkaConfigurationError,
 * anything else that is neither shape IllegalArgumentError; messages never show the provider.
 */
export function toOAuthBearerTokenProvider(
  provider: SaslOauthTokenProvider | Secret<SaslOauthTokenProvider> | undefined | null,
  name = 'tokenProvider',
): OAuthBearerTokenProvider {
  const given: unknown = provider instanceof Secret ? provider.reveal() : provider
  if (given === undefined || given === null) {
    throw new KafkaConfigurationError({ message: `OAUTHBEARER needs \`${name}\`` })
  }
  if (typeof given === 'function') return given as OAuthBearerTokenProvider
  if (typeof given === 'object' && typeof Reflect.get(given, 'token') === 'function') {
    const object = given as AbstractTokenProvider
    const extensions: unknown = Reflect.get(object, 'extensions')
    if (extensions !== undefined && typeof extensions !== 'function') {
      throw new IllegalArgumentError({
        message: `OAUTHBEARER: \`${name}.extensions\` must be a method, not ${describeType(extensions)}`,
      })
    }
    return async () => {
      const token = await object.token()
      const more = await object.extensions?.()
      return more === undefined || more === null ? { token } : { token, extensions: more }
    }
  }
  throw new IllegalArgumentError({
    message: `OAUTHBEARER: \`${name}\` must be an object with a token() method (aiokafka's AbstractTokenProvider) or a function, not ${describeType(given)}`,
  })
}

/** Separates the key/value pairs of the client's message (RFC 7628 `kvsep`). */
const KVSEP = '\x01'
/** RFC 6750 `b64token`: what a bearer token may contain. Anything else could inject fields into the message. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/
/** Kafka's rules for extension keys and values (`OAuthBearerClientInitialResponse`): RFC 7628 `key` and `value`. */
const EXTENSION_KEY = /^[A-Za-z]+$/
const EXTENSION_VALUE = /^[\x21-\x7e \t\r\n]+$/

/**
 * OAUTHBEARER (RFC 7628) as Kafka uses it (KIP-255): the client sends its token in one message; the broker
 * answers with empty bytes on success or with a JSON error, to which the client must reply with a single
 * %x01 before the broker ends the exchange with a failure.
 */
export class OAuthBearerMechanism implements SaslMechanism {
  readonly name = 'OAUTHBEARER'
  readonly #tokenProvider: OAuthBearerTokenProvider

  constructor(options: OAuthBearerMechanismOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new IllegalArgumentError({ message: 'OAUTHBEARER options must be an object' })
    }
    this.#tokenProvider = toOAuthBearerTokenProvider(options.tokenProvider)
  }

  start(context: SaslContext): OAuthBearerExchange {
    return new OAuthBearerExchange(() => this.#tokenProvider(context))
  }

  toJSON(): object {
    return { mechanism: this.name, tokenProvider: REDACTED }
  }

  [inspectCustom](_depth: number, options: InspectOptions): string {
    return inspectAs('OAuthBearerMechanism', this.toJSON(), options)
  }
}

type OAuthBearerState = 'initial' | 'fetching-token' | 'sent' | 'server-error' | 'complete' | 'failed'

/** One OAUTHBEARER exchange. */
export class OAuthBearerExchange implements SaslExchange {
  readonly #fetchToken: () => Promise<OAuthBearerToken> | OAuthBearerToken
  #state: OAuthBearerState = 'initial'
  #failure: AuthenticationFailedError | undefined

  constructor(fetchToken: () => Promise<OAuthBearerToken> | OAuthBearerToken) {
    this.#fetchToken = fetchToken
  }

  /**
   * The broker's rejection, once its error challenge arrived. Kafka ends the exchange with a
   * SaslAuthenticate error after our %x01, so the transport can attach this (it names the status the broker
   * gave, never the token) as the cause of its own error.
   */
  get failure(): AuthenticationFailedError | undefined {
    return this.#failure
  }

  async initialResponse(): Promise<Uint8Array> {
    if (this.#state !== 'initial') throw this.#fail('the initial response was already sent')
    this.#state = 'fetching-token'
    let provided: unknown
    try {
      provided = await this.#fetchToken()
    } catch (cause) {
      this.#state = 'failed'
      throw new AuthenticationFailedError({ message: 'OAUTHBEARER: the token provider failed', cause })
    }
    try {
      const message = clientFirstMessage(provided)
      this.#state = 'sent'
      return message
    } catch (error) {
      this.#state = 'failed'
      throw error
    }
  }

  async evaluate(challenge: Uint8Array): Promise<Uint8Array | undefined> {
    if (this.#state === 'server-error') {
      // The broker should have closed the exchange after our %x01; whatever it sends now, we stop.
      this.#state = 'failed'
      throw this.#failure ?? this.#fail('the server rejected the token')
    }
    if (this.#state !== 'sent') throw this.#fail('a server message arrived out of turn')
    if (challenge.byteLength === 0) {
      this.#state = 'complete'
      return undefined
    }
    // RFC 7628 §3.2.3: a non-empty server message is an error; the client answers with a lone %x01 and the
    // server then fails the exchange.
    this.#failure = new AuthenticationFailedError({
      message: `OAUTHBEARER: the server rejected the token: ${describeServerError(challenge)}`,
    })
    this.#state = 'server-error'
    return Uint8Array.of(0x01)
  }

  #fail(reason: string): AuthenticationFailedError {
    this.#state = 'failed'
    return new AuthenticationFailedError({ message: `OAUTHBEARER: ${reason}` })
  }

  toJSON(): object {
    return { mechanism: 'OAUTHBEARER', state: this.#state }
  }

  [inspectCustom](_depth: number, options: InspectOptions): string {
    return inspectAs('OAuthBearerExchange', this.toJSON(), options)
  }
}

/**
 * `n,,␁auth=Bearer <token>␁key=value␁…␁␁` (RFC 7628 §3.1, laid out as Kafka's
 * `OAuthBearerClientInitialResponse`). The provider's result is checked at run time: it is user code, and a
 * stray %x01 or ',' in a token or extension would change the message's meaning. Errors name the extension
 * key at most, never a token or a value.
 */
function clientFirstMessage(provided: unknown): Uint8Array {
  if (typeof provided !== 'object' || provided === null) {
    throw new IllegalArgumentError({
      message: `OAUTHBEARER: the token provider must return { token, extensions? }, not ${describeType(provided)}`,
    })
  }
  const given: unknown = Reflect.get(provided, 'token')
  const token = given instanceof Secret ? given.reveal() : given
  if (typeof token !== 'string' || token.length === 0) {
    throw new IllegalArgumentError({ message: 'OAUTHBEARER: the token provider returned no token' })
  }
  if (!B64TOKEN.test(token)) {
    throw new IllegalArgumentError({
      message: 'OAUTHBEARER: the token has characters a bearer token may not contain (RFC 6750 b64token)',
    })
  }
  let message = `n,,${KVSEP}auth=Bearer ${token}`
  const extensions: unknown = Reflect.get(provided, 'extensions')
  if (extensions !== undefined) {
    if (typeof extensions !== 'object' || extensions === null || Array.isArray(extensions)) {
      throw new IllegalArgumentError({ message: 'OAUTHBEARER: extensions must be an object of strings' })
    }
    for (const [key, value] of Object.entries(extensions)) {
      if (!EXTENSION_KEY.test(key) || key === 'auth') {
        throw new IllegalArgumentError({
          message: `OAUTHBEARER: the extension key ${JSON.stringify(key.slice(0, 40))} is not letters only, or is the reserved "auth"`,
        })
      }
      if (typeof value !== 'string' || !EXTENSION_VALUE.test(value)) {
        throw new IllegalArgumentError({
          message: `OAUTHBEARER: the extension ${key} must have a non-empty value of visible ASCII, space, tab, CR or LF`,
        })
      }
      message += `${KVSEP}${key}=${value}`
    }
  }
  return encodeClientMessage(`${message}${KVSEP}${KVSEP}`)
}

/**
 * Summarises the broker's error challenge, RFC 7628 §3.2.2 JSON such as `{"status":"invalid_token"}`. Only
 * the status and scope are kept, quoted and bounded; anything unparseable is reported as such.
 */
function describeServerError(challenge: Uint8Array): string {
  let parsed: unknown
  try {
    parsed = JSON.parse(decodeServerMessage('OAUTHBEARER', challenge))
  } catch {
    return 'an error message that is not JSON'
  }
  if (typeof parsed !== 'object' || parsed === null) return 'an error message that is not a JSON object'
  const status: unknown = Reflect.get(parsed, 'status')
  const scope: unknown = Reflect.get(parsed, 'scope')
  let description = `status ${typeof status === 'string' ? quoteServerText(status) : 'missing'}`
  if (typeof scope === 'string') description += `, scope ${quoteServerText(scope)}`
  return description
}
