import type { InspectOptions } from 'node:util'
import { AuthenticationFailedError } from '@kafkite/protocol'
import type { Secret } from '../../secret.js'
import type { SaslContext, SaslExchange, SaslMechanism } from '../sasl-mechanism.js'
import { requireCredential } from './option-checks.js'
import { inspectAs, inspectCustom, REDACTED } from './redaction.js'
import { encodeClientMessage } from './server-text.js'

export interface PlainMechanismOptions {
  readonly username: string
  readonly password: string | Secret<string>
}

/**
 * SASL PLAIN (RFC 4616): one client message `authzid NUL authcid NUL passwd`. The authorization id stays
 * empty, as in Kafka's Java client, so the broker authorizes as the authenticated user. PLAIN sends the
 * password as it is: use it over TLS (SASL_SSL) only.
 */
export class PlainMechanism implements SaslMechanism {
  readonly name = 'PLAIN'
  readonly username: string
  readonly #password: string

  constructor(options: PlainMechanismOptions) {
    this.username = requireCredential(options, 'username', 'PLAIN')
    this.#password = requireCredential(options, 'password', 'PLAIN')
  }

  start(_context: SaslContext): SaslExchange {
    // The exchange gets a function that builds the message rather than the password itself, so no
    // exchange object ever holds the secret in a field.
    return new PlainExchange(() => encodeClientMessage(`\0${this.username}\0${this.#password}`))
  }

  toJSON(): object {
    return { mechanism: this.name, username: this.username, password: REDACTED }
  }

  [inspectCustom](_depth: number, options: InspectOptions): string {
    return inspectAs('PlainMechanism', this.toJSON(), options)
  }
}

type PlainState = 'initial' | 'sent' | 'complete' | 'failed'

class PlainExchange implements SaslExchange {
  readonly #message: () => Uint8Array
  #state: PlainState = 'initial'

  constructor(message: () => Uint8Array) {
    this.#message = message
  }

  async initialResponse(): Promise<Uint8Array> {
    if (this.#state !== 'initial') throw this.#fail('the initial response was already sent')
    this.#state = 'sent'
    return this.#message()
  }

  async evaluate(challenge: Uint8Array): Promise<Uint8Array | undefined> {
    if (this.#state !== 'sent') throw this.#fail('a server message arrived out of turn')
    // A broker that accepted the credentials answers SaslAuthenticate with empty bytes; PLAIN has no
    // server message, so anything else is not a broker we understand.
    if (challenge.byteLength !== 0) {
      throw this.#fail(`the server sent ${challenge.byteLength} bytes where PLAIN expects none`)
    }
    this.#state = 'complete'
    return undefined
  }

  #fail(reason: string): AuthenticationFailedError {
    this.#state = 'failed'
    return new AuthenticationFailedError({ message: `PLAIN: ${reason}` })
  }

  toJSON(): object {
    return { mechanism: 'PLAIN', state: this.#state }
  }

  [inspectCustom](_depth: number, options: InspectOptions): string {
    return inspectAs('PlainExchange', this.toJSON(), options)
  }
}
