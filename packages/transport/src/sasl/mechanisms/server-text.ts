import { AuthenticationFailedError } from '@kafkite/protocol'

// Helpers for reading what a broker sends during SASL. Everything here treats the server as untrusted: a
// message that is not UTF-8 or is absurdly long fails with AuthenticationFailedError, never a TypeError or a
// long parse, and server text copied into an error message is bounded and escaped so it cannot forge log
// lines.

/**
 * The longest server message a mechanism reads. SCRAM and OAUTHBEARER server messages are a few hundred
 * bytes; the transport caps frames far higher, so this keeps a hostile server from making us split and
 * scan megabytes of text.
 */
export const MAX_SERVER_MESSAGE_BYTES = 16 * 1024

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })
const utf8 = new TextEncoder()

/** Decodes a server message as strict UTF-8, or fails the authentication. */
export function decodeServerMessage(mechanism: string, message: Uint8Array): string {
  if (message.byteLength > MAX_SERVER_MESSAGE_BYTES) {
    throw new AuthenticationFailedError({
      message: `${mechanism}: the server's message is ${message.byteLength} bytes, more than the ${MAX_SERVER_MESSAGE_BYTES} a SASL message can need`,
    })
  }
  try {
    return strictUtf8.decode(message)
  } catch (cause) {
    throw new AuthenticationFailedError({ message: `${mechanism}: the server's message is not UTF-8`, cause })
  }
}

/** UTF-8 bytes of a client message. */
export function encodeClientMessage(text: string): Uint8Array {
  return utf8.encode(text)
}

const MAX_QUOTED_CHARS = 80

/** Server-supplied text, quoted, cut to a readable length and with control characters escaped. */
export function quoteServerText(text: string): string {
  const cut = text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}…` : text
  return JSON.stringify(cut)
}
