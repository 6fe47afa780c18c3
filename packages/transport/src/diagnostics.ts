import { channel } from 'node:diagnostics_channel'

/**
 * `node:diagnostics_channel` channels for requests. Publishing is guarded by `hasSubscribers`, so when
 * nobody listens no message object is built: the cost is one property read per request.
 */
export const channelNames = {
  /** A request was written to the socket. Message: `RequestSendMessage`. */
  requestSend: 'kafkite:request-send',
  /** A request settled: answered, failed or timed out. Message: `RequestCompleteMessage`. */
  requestComplete: 'kafkite:request-complete',
  /** A connection is ready (after ApiVersions and SASL), or closed. Message: `ConnectionMessage`. */
  connectionReady: 'kafkite:connection-ready',
  connectionClose: 'kafkite:connection-close',
} as const

export interface RequestSendMessage {
  readonly host: string
  readonly port: number
  readonly clientId: string
  readonly api: string
  readonly apiKey: number
  readonly apiVersion: number
  readonly correlationId: number
  /** Bytes on the wire, size prefix included. */
  readonly size: number
  readonly expectResponse: boolean
}

export interface RequestCompleteMessage extends RequestSendMessage {
  /** From the write to the answer (or the failure), in milliseconds. */
  readonly durationMs: number
  /** Response frame bytes without the size prefix; 0 when there was none. */
  readonly responseSize: number
  /** Set when the request failed. */
  readonly error?: Error
}

export interface ConnectionMessage {
  readonly host: string
  readonly port: number
  readonly clientId: string
  /** Why it closed; undefined for a close asked by the client. */
  readonly error?: Error
}

export const requestSendChannel = channel(channelNames.requestSend)
export const requestCompleteChannel = channel(channelNames.requestComplete)
export const connectionReadyChannel = channel(channelNames.connectionReady)
export const connectionCloseChannel = channel(channelNames.connectionClose)
