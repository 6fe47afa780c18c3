import { createHash, createHmac, pbkdf2 } from 'node:crypto'
import { promisify } from 'node:util'

// The SCRAM primitives of RFC 5802 §2.2 over node:crypto, for the two hashes Kafka supports.

export type ScramHash = 'sha256' | 'sha512'

/** The digest length of each hash, which is also the length of SaltedPassword, the keys and the proof. */
export const SCRAM_DIGEST_BYTES: Readonly<Record<ScramHash, number>> = { sha256: 32, sha512: 64 }

const pbkdf2Async = promisify(pbkdf2)

/**
 * Hi(password, salt, i) is PBKDF2 with HMAC. It runs on libuv's thread pool (never `pbkdf2Sync`): thousands
 * of HMAC rounds would otherwise stall every other connection on the event loop for milliseconds.
 *
 * The password is encoded as plain UTF-8, without the SASLprep that RFC 5802 asks for. That is what Kafka
 * does on both sides (`ScramFormatter.normalize`), and credentials stored by the broker are hashed that way,
 * so SASLprep here would lock out users whose passwords SASLprep changes.
 */
export function saltPassword(
  hash: ScramHash,
  password: string,
  salt: Uint8Array,
  iterations: number,
): Promise<Buffer> {
  return pbkdf2Async(Buffer.from(password, 'utf8'), salt, iterations, SCRAM_DIGEST_BYTES[hash], hash)
}

export function hmac(hash: ScramHash, key: Uint8Array, data: string | Uint8Array): Buffer {
  return createHmac(hash, key).update(data).digest()
}

export function digest(hash: ScramHash, data: Uint8Array): Buffer {
  return createHash(hash).update(data).digest()
}

/** Byte-wise XOR of two buffers of the same length. */
export function xor(left: Uint8Array, right: Uint8Array): Buffer {
  const out = Buffer.alloc(left.byteLength)
  for (let index = 0; index < out.byteLength; index++) {
    out[index] = (left[index] ?? 0) ^ (right[index] ?? 0)
  }
  return out
}

/** The keys both sides derive from SaltedPassword (RFC 5802 §3). */
export interface ScramKeys {
  readonly clientKey: Buffer
  readonly storedKey: Buffer
  readonly serverKey: Buffer
}

export function deriveKeys(hash: ScramHash, saltedPassword: Uint8Array): ScramKeys {
  const clientKey = hmac(hash, saltedPassword, 'Client Key')
  return {
    clientKey,
    storedKey: digest(hash, clientKey),
    serverKey: hmac(hash, saltedPassword, 'Server Key'),
  }
}
