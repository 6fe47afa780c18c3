import { AuthenticationFailedError } from '@kafkite/protocol'
import { quoteServerText } from './server-text.js'

// Formatting and strict parsing of SCRAM messages (RFC 5802 §7). The parsers take the server for hostile:
// every deviation from the grammar is an AuthenticationFailedError that says what was wrong, and the server
// text it quotes is bounded and escaped.

/** `c=biws` is base64 of the GS2 header `n,,`: no channel binding, no authorization id. */
export const GS2_HEADER = 'n,,'
export const CHANNEL_BINDING = Buffer.from(GS2_HEADER, 'utf8').toString('base64')

/** RFC 5802's saslname: ',' and '=' would break the attribute syntax, so they become =2C and =3D. */
export function escapeSaslName(name: string): string {
  return name.replaceAll('=', '=3D').replaceAll(',', '=2C')
}

/** The inverse of {@link escapeSaslName}; undefined when an '=' is not followed by 2C or 3D. */
export function unescapeSaslName(name: string): string | undefined {
  if (/=(?!2C|3D)/.test(name)) return undefined
  return name.replaceAll('=2C', ',').replaceAll('=3D', '=')
}

/** `printable` in RFC 5802: the characters allowed in a nonce (visible ASCII except ','). */
const NONCE = /^[\x21-\x2b\x2d-\x7e]+$/
/** Canonical, padded base64, non-empty. Node's own decoder skips bad characters instead of failing. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)$/
/** `posit-number`: no sign, no leading zero. Ten digits is already far beyond any bound we accept. */
const POSITIVE_NUMBER = /^[1-9][0-9]{0,9}$/
/** An `attr-val` or extension: one letter, '=', a value without ','. */
const ATTRIBUTE = /^([A-Za-z])=(.*)$/s

export interface IterationBounds {
  readonly min: number
  readonly max: number
}

export interface ServerFirstMessage {
  /** The whole nonce: ours followed by the server's part. */
  readonly nonce: string
  readonly salt: Buffer
  readonly iterations: number
}

/** Splits a message into its attributes; fails on anything that is not `x=value`. */
function attributes(mechanism: string, what: string, text: string): Array<[string, string]> {
  return text.split(',').map((part) => {
    const match = ATTRIBUTE.exec(part)
    if (match === null) {
      throw failure(mechanism, `the ${what} has a malformed attribute ${quoteServerText(part)}`)
    }
    return [match[1] ?? '', match[2] ?? '']
  })
}

function failure(mechanism: string, reason: string): AuthenticationFailedError {
  return new AuthenticationFailedError({ message: `${mechanism}: ${reason}` })
}

function decodeBase64(mechanism: string, what: string, value: string): Buffer {
  if (!BASE64.test(value)) throw failure(mechanism, `the ${what} is not valid base64`)
  return Buffer.from(value, 'base64')
}

/**
 * Parses `r=<nonce>,s=<salt>,i=<iterations>[,extensions]` and checks it against what we sent:
 * - the nonce must begin with our client nonce and add a part of the server's own, or the server did not
 *   read our message (or replays one from another session);
 * - the salt must be real, non-empty base64;
 * - the iteration count must lie within bounds: RFC 5802 and Kafka (`ScramMechanism.minIterations`) say at
 *   least 4096, and an upper bound keeps a hostile server from making us spend seconds of CPU in PBKDF2.
 */
export function parseServerFirst(
  mechanism: string,
  text: string,
  clientNonce: string,
  bounds: IterationBounds,
): ServerFirstMessage {
  const parts = attributes(mechanism, 'server-first message', text)
  const [nonceAttribute, saltAttribute, iterationsAttribute] = parts
  if (nonceAttribute?.[0] === 'm') {
    // `m=` announces a mandatory extension; RFC 5802 requires the client to fail when it does not know it.
    throw failure(mechanism, 'the server requires a SCRAM extension this client does not support')
  }
  if (nonceAttribute?.[0] !== 'r' || saltAttribute?.[0] !== 's' || iterationsAttribute?.[0] !== 'i') {
    throw failure(mechanism, 'the server-first message is not r=…,s=…,i=… in that order')
  }

  const nonce = nonceAttribute[1]
  if (!NONCE.test(nonce))
    throw failure(mechanism, 'the server nonce has characters outside the printable set')
  if (!nonce.startsWith(clientNonce) || nonce.length === clientNonce.length) {
    throw failure(mechanism, 'the server nonce does not extend the client nonce')
  }

  const salt = decodeBase64(mechanism, 'salt', saltAttribute[1])

  const iterationsText = iterationsAttribute[1]
  if (!POSITIVE_NUMBER.test(iterationsText)) {
    throw failure(
      mechanism,
      `the iteration count ${quoteServerText(iterationsText)} is not a positive integer`,
    )
  }
  const iterations = Number(iterationsText)
  if (iterations < bounds.min || iterations > bounds.max) {
    throw failure(
      mechanism,
      `the iteration count ${iterations} is outside the accepted range ${bounds.min}..${bounds.max}`,
    )
  }
  // Any further attributes are extensions (RFC 5802 `*("," extension)`): allowed, and ignored.
  return { nonce, salt, iterations }
}

/**
 * Parses the server-final message: `v=<signature>` to verify, or `e=<error>` when the server rejected us.
 * Returns the signature bytes; the caller compares them in constant time.
 */
export function parseServerFinal(mechanism: string, text: string): Buffer {
  const parts = attributes(mechanism, 'server-final message', text)
  const [key, value] = parts[0] ?? ['', '']
  if (key === 'e') {
    throw failure(mechanism, `the server rejected the authentication: ${quoteServerText(value)}`)
  }
  if (key !== 'v') throw failure(mechanism, 'the server-final message has neither v= nor e=')
  return decodeBase64(mechanism, 'server signature', value)
}
