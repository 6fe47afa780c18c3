import { KafkaConnectionError, ProtocolError, type ProtocolErrorOptions } from '@kafkite/protocol'

/**
 * A frame length the connection refuses to buffer: negative, too short to hold a response header, or above
 * `maxFrameBytes`. Checked before anything is allocated, so a hostile or confused peer cannot make the client
 * reserve hundreds of megabytes (KAFKA-4090: a TLS alert read as plaintext announces 0x15030300 bytes).
 * Not retriable: the same listener will send the same bytes again.
 */
export class FrameSizeError extends ProtocolError {
  /** The length as announced by the peer. */
  readonly size: number

  constructor(options: ProtocolErrorOptions & { size: number }) {
    super(options)
    this.size = options.size
  }
}

/**
 * The TLS handshake failed for a reason a retry will not fix: an untrusted or expired certificate, a host
 * name the certificate does not cover, no protocol or cipher in common. Connection errors are retriable in
 * general; these are not, so a misconfigured client fails at once instead of reconnecting forever.
 */
export class TlsHandshakeError extends KafkaConnectionError {
  static override readonly defaultRetriable: boolean = false
  static override readonly defaultInvalidMetadata: boolean = false
  /** Node's or OpenSSL's code, e.g. `ERR_TLS_CERT_ALTNAME_INVALID`, `SELF_SIGNED_CERT_IN_CHAIN`. */
  readonly code: string | undefined

  constructor(options: { message: string; cause?: unknown; code?: string | undefined }) {
    super(options)
    this.code = options.code
  }
}
