import {
  type ApiSchema,
  AuthenticationFailedError,
  AuthenticationMethodNotSupported,
  errorFromCode,
  KafkaError,
  SaslAuthenticate,
  SaslHandshake,
  UnsupportedSaslMechanismError,
} from '@kafkite/protocol'
import type { SaslContext, SaslMechanism } from './sasl-mechanism.js'

/** What the SASL flow needs from a connection: versions and one request at a time. */
export interface SaslRequester {
  versionFor(api: ApiSchema): number
  request<Request, Response>(
    api: ApiSchema<Request, Response>,
    version: number,
    body: Request,
  ): Promise<Response>
}

export interface SaslResult {
  /** The session lifetime the broker granted (KIP-368); 0 when sessions do not expire. */
  readonly sessionLifetimeMs: number
}

/** A mechanism that never finishes is a hostile or broken peer; real ones need at most 3 rounds. */
const MAX_ROUNDS = 16

/**
 * Authenticates the connection: SaslHandshake names the mechanism, then SaslAuthenticate rounds carry the
 * mechanism's messages until it has verified the server. Every failure is a non-retriable error: a wrong
 * password stays wrong, and retrying it only risks locking the account.
 *
 * SaslHandshake v0, where the tokens follow as raw unframed bytes, is not supported: every broker since
 * Kafka 1.0 offers SaslAuthenticate.
 */
export async function authenticate(
  requester: SaslRequester,
  mechanism: SaslMechanism,
  context: SaslContext,
): Promise<SaslResult> {
  const handshakeVersion = requester.versionFor(SaslHandshake.api)
  if (handshakeVersion < 1) {
    throw new AuthenticationMethodNotSupported({
      message: `${context.host}:${context.port} offers only SaslHandshake v0 (no SaslAuthenticate)`,
    })
  }
  const authenticateVersion = requester.versionFor(SaslAuthenticate.api)
  const handshake = await requester.request(
    SaslHandshake.api,
    handshakeVersion,
    SaslHandshake.createRequest({ mechanism: mechanism.name }),
  )
  if (handshake.errorCode !== 0) {
    const enabled = handshake.mechanisms.join(', ')
    if (handshake.errorCode === UnsupportedSaslMechanismError.code) {
      throw new UnsupportedSaslMechanismError({
        message: `${context.host}:${context.port} does not enable SASL mechanism ${mechanism.name} (it enables: ${enabled || 'none'})`,
      })
    }
    throw errorFromCode(handshake.errorCode, { path: 'SaslHandshake' }) as KafkaError
  }

  const exchange = mechanism.start(context)
  let message: Uint8Array | undefined = await mechanismStep(mechanism, () => exchange.initialResponse())
  let sessionLifetimeMs = 0
  for (let round = 0; message !== undefined; round++) {
    if (round === MAX_ROUNDS) {
      throw new AuthenticationFailedError({
        message: `SASL ${mechanism.name} did not complete in ${MAX_ROUNDS} rounds`,
      })
    }
    const response: SaslAuthenticate.Response = await requester.request(
      SaslAuthenticate.api,
      authenticateVersion,
      SaslAuthenticate.createRequest({ authBytes: message }),
    )
    if (response.errorCode !== 0) {
      // The broker's message says why (e.g. "invalid credentials with SASL mechanism SCRAM-SHA-256") and
      // never holds the password; it is kept for the operator.
      const why = response.errorMessage === null ? '' : `: ${response.errorMessage}`
      const error = errorFromCode(response.errorCode, {
        message: `SASL ${mechanism.name} authentication with ${context.host}:${context.port} failed${why}`,
        retriable: false,
      })
      throw error as KafkaError
    }
    sessionLifetimeMs = Number(response.sessionLifetimeMs)
    const challenge: Uint8Array = response.authBytes
    message = await mechanismStep<Uint8Array | undefined>(mechanism, () => exchange.evaluate(challenge))
  }
  return { sessionLifetimeMs }
}

/** Runs one mechanism step; anything it throws that is not typed becomes an AuthenticationFailedError. */
async function mechanismStep<Value>(mechanism: SaslMechanism, step: () => Promise<Value>): Promise<Value> {
  try {
    return await step()
  } catch (error) {
    if (KafkaError.isInstance(error)) throw error
    throw new AuthenticationFailedError({
      // The mechanism's own text stays in `cause`: it is not ours to vouch that it holds no secret.
      message: `SASL ${mechanism.name} failed on the client side (see cause)`,
      cause: error,
    })
  }
}
