import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { InspectOptions } from 'node:util'
import { AuthenticationFailedError, IllegalArgumentError } from '@kafkite/protocol'
import type { Secret } from '../../secret.js'
import type { SaslContext, SaslExchange, SaslMechanism } from '../sasl-mechanism.js'
import { requireCredential } from './option-checks.js'
import { inspectAs, inspectCustom, REDACTED } from './redaction.js'
import { deriveKeys, hmac, type ScramHash, saltPassword, xor } from './scram-crypto.js'
import {
  CHANNEL_BINDING,
  escapeSaslName,
  GS2_HEADER,
  type IterationBounds,
  parseServerFinal,
  parseServerFirst,
} from './scram-messages.js'
import { decodeServerMessage, encodeClientMessage } from './server-text.js'

export type ScramMechanismName = 'SCRAM-SHA-256' | 'SCRAM-SHA-512'

/** The least iteration count a server may ask for: RFC 5802 §5.1, and Kafka's `ScramMechanism.minIterations`. */
export const SCRAM_MIN_ITERATIONS = 4096

/**
 * The most iterations accepted by default. Kafka itself refuses to store credentials with more than 16384
 * (AlterUserScramCredentials), but older ZooKeeper-era credentials and other Kafka-compatible servers may use
 * more; 100 000 rounds of PBKDF2-SHA-512 still cost well under a second on one thread-pool thread.
 */
export const SCRAM_DEFAULT_MAX_ITERATIONS = 100_000

export interface ScramMechanismOptions {
  readonly username: string
  readonly password: string | Secret<string>
  /** Refuse a server-first message asking for more PBKDF2 iterations than this. At least 4096. */
  readonly maxIterations?: number
  /**
   * For tests only: supplies the client nonce, so that RFC 7677's test vector can be replayed. A nonce must
   * be unpredictable and never reused; leave this unset everywhere else.
   */
  readonly clientNonceForTesting?: () => string
}

const HASHES: Readonly<Record<ScramMechanismName, ScramHash>> = {
  'SCRAM-SHA-256': 'sha256',
  'SCRAM-SHA-512': 'sha512',
}

/** 24 random bytes (192 bits) as base64: printable and comma-free, as a SCRAM nonce must be. */
function randomNonce(): string {
  return randomBytes(24).toString('base64')
}

/** The salted password for one salt and iteration count. */
type SaltedPasswordSource = (salt: Buffer, iterations: number) => Promise<Buffer>

/**
 * SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 5802, RFC 7677) as Kafka speaks them: no channel binding, no
 * authorization id, username escaped as a saslname, and the server proven by its signature before the
 * exchange completes.
 */
export class ScramMechanism implements SaslMechanism {
  readonly name: ScramMechanismName
  readonly username: string
  readonly #password: string
  readonly #hash: ScramHash
  readonly #bounds: IterationBounds
  readonly #clientNonce: () => string
  /**
   * The last salted password. The broker uses the same salt and count for a user until the credential
   * changes, so reconnects and re-authentications skip the PBKDF2 work; a changed salt simply misses.
   */
  #cache: { salt: Buffer; iterations: number; saltedPassword: Promise<Buffer> } | undefined

  constructor(name: ScramMechanismName, options: ScramMechanismOptions) {
    // hasOwn, not `in`: a name like 'toString' must not find Object.prototype.
    const hash = Object.hasOwn(HASHES, name) ? HASHES[name] : undefined
    if (hash === undefined) {
      throw new IllegalArgumentError({ message: 'SCRAM mechanism must be SCRAM-SHA-256 or SCRAM-SHA-512' })
    }
    this.name = name
    this.#hash = hash
    this.username = requireCredential(options, 'username', name)
    this.#password = requireCredential(options, 'password', name)
    const max = options.maxIterations ?? SCRAM_DEFAULT_MAX_ITERATIONS
    if (!Number.isSafeInteger(max) || max < SCRAM_MIN_ITERATIONS) {
      throw new IllegalArgumentError({
        message: `${name}: \`maxIterations\` must be an integer of at least ${SCRAM_MIN_ITERATIONS}`,
      })
    }
    this.#bounds = { min: SCRAM_MIN_ITERATIONS, max }
    this.#clientNonce = options.clientNonceForTesting ?? randomNonce
  }

  start(_context: SaslContext): SaslExchange {
    return new ScramExchange(
      this.name,
      this.#hash,
      this.username,
      this.#clientNonce(),
      this.#bounds,
      (salt, i) => this.#saltedPassword(salt, i),
    )
  }

  #saltedPassword(salt: Buffer, iterations: number): Promise<Buffer> {
    const cached = this.#cache
    if (cached !== undefined && cached.iterations === iterations && cached.salt.equals(salt)) {
      return cached.saltedPassword
    }
    const saltedPassword = saltPassword(this.#hash, this.#password, salt, iterations)
    this.#cache = { salt, iterations, saltedPassword }
    // A failed derivation must not stay cached.
    saltedPassword.catch(() => {
      if (this.#cache?.saltedPassword === saltedPassword) this.#cache = undefined
    })
    return saltedPassword
  }

  toJSON(): object {
    return {
      mechanism: this.name,
      username: this.username,
      password: REDACTED,
      maxIterations: this.#bounds.max,
    }
  }

  [inspectCustom](_depth: number, options: InspectOptions): string {
    return inspectAs('ScramMechanism', this.toJSON(), options)
  }
}

type ScramState = 'initial' | 'awaiting-server-first' | 'awaiting-server-final' | 'complete' | 'failed'

/** One SCRAM conversation: client-first, server-first, client-final, server-final. */
class ScramExchange implements SaslExchange {
  readonly #mechanism: ScramMechanismName
  readonly #hash: ScramHash
  readonly #clientFirstBare: string
  readonly #clientNonce: string
  readonly #bounds: IterationBounds
  readonly #saltedPassword: SaltedPasswordSource
  #state: ScramState = 'initial'
  /** What the server must send in `v=`; known once the client-final message is built. */
  #expectedServerSignature: Buffer | undefined

  constructor(
    mechanism: ScramMechanismName,
    hash: ScramHash,
    username: string,
    clientNonce: string,
    bounds: IterationBounds,
    saltedPassword: SaltedPasswordSource,
  ) {
    this.#mechanism = mechanism
    this.#hash = hash
    this.#clientNonce = clientNonce
    this.#clientFirstBare = `n=${escapeSaslName(username)},r=${clientNonce}`
    this.#bounds = bounds
    this.#saltedPassword = saltedPassword
  }

  async initialResponse(): Promise<Uint8Array> {
    if (this.#state !== 'initial') throw this.#fail('the client-first message was already sent')
    this.#state = 'awaiting-server-first'
    return encodeClientMessage(`${GS2_HEADER}${this.#clientFirstBare}`)
  }

  async evaluate(challenge: Uint8Array): Promise<Uint8Array | undefined> {
    // The state moves before any await, so a second evaluate() racing the first sees a wrong turn.
    const state = this.#state
    this.#state = 'failed'
    try {
      switch (state) {
        case 'awaiting-server-first': {
          const clientFinal = await this.#clientFinal(challenge)
          this.#state = 'awaiting-server-final'
          return clientFinal
        }
        case 'awaiting-server-final':
          this.#verifyServerFinal(challenge)
          this.#state = 'complete'
          return undefined
        default:
          throw this.#fail('a server message arrived out of turn')
      }
    } catch (error) {
      this.#state = 'failed'
      this.#expectedServerSignature = undefined
      if (error instanceof AuthenticationFailedError) throw error
      // Only node:crypto can throw anything else here; keep the contract of one error type.
      throw new AuthenticationFailedError({
        message: `${this.#mechanism}: could not compute the proof`,
        cause: error,
      })
    }
  }

  async #clientFinal(challenge: Uint8Array): Promise<Uint8Array> {
    const serverFirst = decodeServerMessage(this.#mechanism, challenge)
    const { nonce, salt, iterations } = parseServerFirst(
      this.#mechanism,
      serverFirst,
      this.#clientNonce,
      this.#bounds,
    )
    const keys = deriveKeys(this.#hash, await this.#saltedPassword(salt, iterations))
    const clientFinalWithoutProof = `c=${CHANNEL_BINDING},r=${nonce}`
    // AuthMessage uses the server-first message exactly as received, so both sides sign the same bytes.
    const authMessage = `${this.#clientFirstBare},${serverFirst},${clientFinalWithoutProof}`
    const clientProof = xor(keys.clientKey, hmac(this.#hash, keys.storedKey, authMessage))
    this.#expectedServerSignature = hmac(this.#hash, keys.serverKey, authMessage)
    return encodeClientMessage(`${clientFinalWithoutProof},p=${clientProof.toString('base64')}`)
  }

  /**
   * The server proves that it knows the credential (and is not a man in the middle that just accepts
   * anything) by signing the conversation. Constant-time comparison, so timing reveals nothing of the
   * expected signature.
   */
  #verifyServerFinal(challenge: Uint8Array): void {
    const signature = parseServerFinal(this.#mechanism, decodeServerMessage(this.#mechanism, challenge))
    const expected = this.#expectedServerSignature
    this.#expectedServerSignature = undefined
    if (
      expected === undefined ||
      signature.byteLength !== expected.byteLength ||
      !timingSafeEqual(signature, expected)
    ) {
      throw this.#fail('the server signature does not match; the server does not know the credential')
    }
  }

  #fail(reason: string): AuthenticationFailedError {
    this.#state = 'failed'
    return new AuthenticationFailedError({ message: `${this.#mechanism}: ${reason}` })
  }

  toJSON(): object {
    return { mechanism: this.#mechanism, state: this.#state }
  }

  [inspectCustom](_depth: number, options: InspectOptions): string {
    return inspectAs('ScramExchange', this.toJSON(), options)
  }
}
