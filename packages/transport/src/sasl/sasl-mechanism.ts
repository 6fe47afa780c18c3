/**
 * The contract between the transport's SASL flow (SaslHandshake, then
 * SaslAuthenticate rounds) and one SASL mechanism. The transport owns the
 * Kafka framing; a mechanism only turns server messages into client messages,
 * so PLAIN, SCRAM and OAUTHBEARER (and custom ones) plug in without knowing
 * about sockets or correlation ids.
 */

/** One SASL mechanism as the broker names it. */
export interface SaslMechanism {
  readonly name: string // 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512' | 'OAUTHBEARER' | custom
  /** Starts one authentication exchange (a new one for every connection and every re-authentication). */
  start(context: SaslContext): SaslExchange
}

export interface SaslContext {
  readonly host: string
  readonly port: number
  readonly clientId: string
}

export interface SaslExchange {
  /** The client's first message. */
  initialResponse(): Promise<Uint8Array>
  /** A server message in; the next client message out, or undefined when the exchange is complete and the server has been verified. Throws AuthenticationFailedError (from @kafkite/protocol) on a bad or hostile server message. */
  evaluate(challenge: Uint8Array): Promise<Uint8Array | undefined>
}
