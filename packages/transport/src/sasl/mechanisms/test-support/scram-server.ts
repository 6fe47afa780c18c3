import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto'

// A small SCRAM server written from RFC 5802 §3 and §5, the way Kafka's ScramSaslServer behaves, to test the
// client against something other than itself: it shares no code with the client, stores only StoredKey and
// ServerKey, checks the client's proof and signs the conversation.

export type ScramHash = 'sha256' | 'sha512'

const hmac = (hash: ScramHash, key: Uint8Array, data: string): Buffer =>
  createHmac(hash, key).update(data).digest()
const digest = (hash: ScramHash, data: Uint8Array): Buffer => createHash(hash).update(data).digest()
const xor = (left: Buffer, right: Buffer): Buffer =>
  Buffer.from(left.map((byte, index) => byte ^ (right[index] ?? 0)))
const unescapeSaslName = (name: string): string => name.replaceAll('=2C', ',').replaceAll('=3D', '=')

export interface ScramServerOptions {
  readonly hash: ScramHash
  readonly username: string
  readonly password: string
  readonly iterations?: number
  readonly salt?: Buffer
}

export class ScramTestServer {
  readonly #hash: ScramHash
  readonly #username: string
  readonly #salt: Buffer
  readonly #iterations: number
  readonly #storedKey: Buffer
  readonly #serverKey: Buffer
  #clientFirstBare = ''
  #serverFirst = ''
  #nonce = ''

  constructor(options: ScramServerOptions) {
    this.#hash = options.hash
    this.#username = options.username
    this.#salt = options.salt ?? randomBytes(16)
    this.#iterations = options.iterations ?? 4096
    const length = options.hash === 'sha256' ? 32 : 64
    const saltedPassword = pbkdf2Sync(options.password, this.#salt, this.#iterations, length, options.hash)
    this.#storedKey = digest(options.hash, hmac(options.hash, saltedPassword, 'Client Key'))
    this.#serverKey = hmac(options.hash, saltedPassword, 'Server Key')
  }

  /** Reads `n,,n=<saslname>,r=<nonce>` and answers `r=<nonce+ours>,s=<salt>,i=<count>`. */
  serverFirst(clientFirst: Uint8Array): Uint8Array {
    const text = Buffer.from(clientFirst).toString('utf8')
    const match = /^n,,(n=([^,]*),r=([^,]+))$/.exec(text)
    if (match === null) throw new Error(`bad client-first ${text}`)
    const [, bare = '', saslName = '', clientNonce = ''] = match
    if (unescapeSaslName(saslName) !== this.#username) throw new Error('unknown user')
    this.#clientFirstBare = bare
    this.#nonce = clientNonce + randomBytes(18).toString('base64')
    this.#serverFirst = `r=${this.#nonce},s=${this.#salt.toString('base64')},i=${this.#iterations}`
    return Buffer.from(this.#serverFirst, 'utf8')
  }

  /** Checks `c=biws,r=<nonce>,p=<proof>`; answers `v=<signature>` or `e=invalid-proof`. */
  serverFinal(clientFinal: Uint8Array): Uint8Array {
    const text = Buffer.from(clientFinal).toString('utf8')
    const match = /^(c=biws,r=([^,]+)),p=([A-Za-z0-9+/=]+)$/.exec(text)
    if (match === null) throw new Error(`bad client-final ${text}`)
    const [, withoutProof = '', nonce = '', proof = ''] = match
    if (nonce !== this.#nonce) return Buffer.from('e=other-error', 'utf8')
    const authMessage = `${this.#clientFirstBare},${this.#serverFirst},${withoutProof}`
    const clientSignature = hmac(this.#hash, this.#storedKey, authMessage)
    const clientKey = xor(Buffer.from(proof, 'base64'), clientSignature)
    const storedKey = digest(this.#hash, clientKey)
    if (storedKey.byteLength !== this.#storedKey.byteLength || !timingSafeEqual(storedKey, this.#storedKey)) {
      return Buffer.from('e=invalid-proof', 'utf8')
    }
    return Buffer.from(`v=${hmac(this.#hash, this.#serverKey, authMessage).toString('base64')}`, 'utf8')
  }
}
