// @kafkite/transport: one connection to one Kafka broker (TCP/TLS, framing, pipelining, timeouts,
// ApiVersions, SASL). Retries, routing and metadata live one layer up, in @kafkite/cluster.

export { BrokerConnection, type ConnectionState, type RequestOptions } from './broker-connection.js'
export {
  type BrokerConnectionOptions,
  CLIENT_SOFTWARE_VERSION,
  DEFAULT_CLIENT_ID,
} from './connection-options.js'
export {
  type ConnectionMessage,
  channelNames,
  type RequestCompleteMessage,
  type RequestSendMessage,
} from './diagnostics.js'
export { FrameSizeError, TlsHandshakeError } from './errors.js'
export { DEFAULT_MAX_FRAME_BYTES, FrameDecoder } from './frame-decoder.js'
export type { LogFunction, Logger } from './logger.js'
export * from './sasl/mechanisms/index.js'
export type { SaslContext, SaslExchange, SaslMechanism } from './sasl/sasl-mechanism.js'
export { Secret } from './secret.js'
export {
  createSslContext,
  isSecureContext,
  normalizeTlsOptions,
  type SslContext,
  type SslContextOptions,
  type TlsOptions,
} from './tls-options.js'
