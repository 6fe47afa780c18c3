import { ProtocolError } from '../errors/protocol-error.js'

/**
 * A Kafka UUID (topic id, directory id, incarnation id) in Kafka's own text form: 22 characters of
 * URL-safe base64 without padding, as `kafka-topics.sh --describe` prints it. A string works as a Map key.
 */
export type Uuid = string

/** The all-zero UUID Kafka uses for "no id". */
export const ZERO_UUID: Uuid = 'AAAAAAAAAAAAAAAAAAAAAA'

export function uuidFromBytes(bytes: Uint8Array): Uuid {
  return Buffer.from(bytes.buffer, bytes.byteOffset, 16).toString('base64url')
}

/**
 * The canonical text of 16 bytes: 21 base64url characters, then one that carries the last 2 bits followed
 * by 4 zero bits. Node's base64 decoder skips characters it does not know, so the check must be explicit.
 */
const canonicalUuid = /^[A-Za-z0-9_-]{21}[AQgw]$/

export function isUuid(text: string): boolean {
  return canonicalUuid.test(text)
}

export function uuidToBytes(uuid: Uuid): Buffer {
  const bytes = Buffer.from(uuid, 'base64url')
  // base64 tolerates stray padding bits and characters; demand the canonical 22-character form.
  if (bytes.length !== 16 || bytes.toString('base64url') !== uuid) {
    throw new ProtocolError({ message: `Not a Kafka UUID: ${JSON.stringify(uuid)}` })
  }
  return bytes
}
