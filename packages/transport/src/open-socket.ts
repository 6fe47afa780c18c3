import { connect as connectTcp, type Socket } from 'node:net'
import { connect as connectTls } from 'node:tls'
import { KafkaConnectionError, type KafkaError } from '@kafkite/protocol'
import { TlsHandshakeError } from './errors.js'
import type { Logger } from './logger.js'
import { type TlsOptions, toNodeTlsOptions } from './tls-options.js'

/**
 * Starts a TCP or TLS connection. Returns at once: Node buffers writes until the socket (and the TLS
 * handshake) is up, so the first request can be written straight away and connect errors arrive as the
 * socket's 'error' event, classified by `classifySocketError`.
 */
export function openSocket(
  host: string,
  port: number,
  tls: boolean | TlsOptions | undefined,
  logger: Logger,
): Socket {
  if (tls === undefined || tls === false) return connectTcp({ host, port, noDelay: true })
  const socket = connectTls(toNodeTlsOptions(tls === true ? {} : tls, host, port, logger))
  socket.setNoDelay(true)
  return socket
}

// Certificate verification failures as OpenSSL names them (Node passes them through as `code`).
const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
])

/**
 * Turns a socket error into a typed one. TLS failures that a retry cannot fix (certificate, host name,
 * protocol mismatch, an alert from the broker) become a non-retriable `TlsHandshakeError`; the rest
 * (refused, reset, unreachable) stay retriable `KafkaConnectionError`s.
 */
export function classifySocketError(
  error: Error & { code?: string; library?: string },
  host: string,
  port: number,
  tlsHandshakePending: boolean,
): KafkaError {
  const code = error.code
  const tlsFailure =
    tlsHandshakePending &&
    ((code !== undefined &&
      (CERTIFICATE_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))) ||
      error.library === 'SSL routines')
  if (tlsFailure) {
    return new TlsHandshakeError({
      message: `TLS handshake with ${host}:${port} failed: ${error.message}`,
      cause: error,
      code,
    })
  }
  return new KafkaConnectionError({
    message: `Connection to ${host}:${port} failed: ${error.message}`,
    cause: error,
  })
}
