import { X509Certificate } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  type ConnectionOptions,
  createSecureContext,
  type PeerCertificate,
  type SecureContext,
  type SecureVersion,
} from 'node:tls'
import { IllegalArgumentError } from '@kafkite/protocol'
import type { Logger } from './logger.js'
import { Secret } from './secret.js'

/**
 * TLS settings in Node's terms. The broker's certificate chain and host name are checked unless
 * `rejectUnauthorized: false` is given explicitly; doing so logs a warning.
 */
export interface TlsOptions {
  /** Trusted CA certificates (PEM). Node's bundled roots when left out. */
  readonly ca?: string | Buffer | readonly (string | Buffer)[]
  /** The client certificate chain (PEM), for mTLS. */
  readonly cert?: string | Buffer
  /** The client's private key (PEM). Wrap it in `Secret` to keep it out of your own logs too. */
  readonly key?: string | Buffer | Secret<string> | Secret<Uint8Array>
  /** The key's passphrase. */
  readonly passphrase?: string | Secret<string>
  /** The name sent in SNI and checked against the certificate; the host by default. */
  readonly servername?: string
  /** Defaults to true. Setting false accepts any certificate: for tests only. */
  readonly rejectUnauthorized?: boolean
  /** Replaces Node's host name check (e.g. to pin a certificate). Return an Error to refuse. */
  readonly checkServerIdentity?: (host: string, cert: PeerCertificate) => Error | undefined
  /** A Node `SecureContext`; then `ca`, `cert`, `key` and `passphrase` are not used. `createSslContext()` sets it. */
  readonly secureContext?: SecureContext
  readonly minVersion?: SecureVersion
  readonly ciphers?: string
}

/** aiokafka's `create_ssl_context` arguments, in camelCase. */
export interface SslContextOptions {
  /** A PEM file of trusted CA certificates. */
  readonly cafile?: string
  /** A folder of PEM CA certificates (every `.pem` and `.crt` file in it). */
  readonly capath?: string
  /**
   * Trusted CA certificates given inline, as in aiokafka (Python's `cadata`): a string is PEM text (one or
   * more certificates); bytes are DER (one or more certificates back to back). Bytes that are PEM text are
   * taken too. Anything that is not a certificate throws `IllegalArgumentError`.
   */
  readonly cadata?: string | Uint8Array
  /** The client certificate chain file (PEM), for mTLS. */
  readonly certfile?: string
  /** The client key file (PEM); defaults to `certfile` when the key is in the same file. */
  readonly keyfile?: string
  /** The key's passphrase. */
  readonly password?: string | Secret<string>
  /** A PEM certificate revocation list file. */
  readonly crlfile?: string
}

/**
 * What `createSslContext()` returns: TLS options holding the built `SecureContext` with certificate and host
 * name checks on. It is what a client's `sslContext` (and the cluster client's `ssl`, the transport's `tls`)
 * takes, so aiokafka's `ssl_context=create_ssl_context(...)` reads `sslContext: createSslContext(...)`.
 */
export interface SslContext extends TlsOptions {
  readonly secureContext: SecureContext
  readonly rejectUnauthorized: true
}

/**
 * Builds a TLS context from files, like aiokafka's `create_ssl_context`: pass the result as a client's
 * `sslContext` (or the transport's `tls`). The broker's certificate chain and host name are checked at
 * connect time. When no CA is given Node's bundled roots are trusted. The context holds the key inside
 * OpenSSL, so printing it shows nothing secret.
 */
export function createSslContext(options: SslContextOptions = {}): SslContext {
  if (typeof options !== 'object' || options === null) {
    throw new IllegalArgumentError({ message: 'createSslContext options must be an object' })
  }
  const ca: string[] = []
  if (options.cafile !== undefined)
    ca.push(...pemCertificates(readFileSync(options.cafile, 'latin1'), 'cafile'))
  if (options.capath !== undefined) {
    // A folder may hold keys and other PEM files too: those are skipped, but it must hold some certificate.
    const found: string[] = []
    for (const name of readdirSync(options.capath).sort()) {
      if (/\.(pem|crt)$/i.test(name)) {
        const text = readFileSync(join(options.capath, name), 'latin1')
        if (PEM_CERTIFICATE.test(text)) found.push(...pemCertificates(text, `capath file ${name}`))
      }
    }
    if (found.length === 0) {
      throw new IllegalArgumentError({ message: 'createSslContext: capath holds no PEM certificate' })
    }
    ca.push(...found)
  }
  if (options.cadata !== undefined) ca.push(...caDataCertificates(options.cadata))
  const keyfile = options.keyfile ?? options.certfile
  const secureContext = createSecureContext({
    ...(ca.length > 0 ? { ca } : {}),
    ...(options.certfile === undefined ? {} : { cert: readFileSync(options.certfile) }),
    ...(keyfile === undefined || options.certfile === undefined ? {} : { key: readFileSync(keyfile) }),
    ...(options.password === undefined ? {} : { passphrase: Secret.reveal(options.password) }),
    ...(options.crlfile === undefined ? {} : { crl: readFileSync(options.crlfile) }),
  })
  return Object.freeze({ secureContext, rejectUnauthorized: true })
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/

/** Every certificate of a PEM text, each checked; none at all is an error (Node would ignore it silently). */
function pemCertificates(text: string, source: string): string[] {
  const blocks = text.match(new RegExp(PEM_CERTIFICATE.source, 'g')) ?? []
  if (blocks.length === 0) {
    throw new IllegalArgumentError({ message: `createSslContext: ${source} holds no PEM certificate` })
  }
  for (const block of blocks) parseCertificate(block, source)
  return blocks
}

function caDataCertificates(cadata: string | Uint8Array): string[] {
  if (typeof cadata === 'string') return pemCertificates(cadata, 'cadata')
  if (!(cadata instanceof Uint8Array)) {
    throw new IllegalArgumentError({ message: 'createSslContext: cadata must be PEM text or DER bytes' })
  }
  const bytes = Buffer.from(cadata.buffer, cadata.byteOffset, cadata.byteLength)
  if (bytes.toString('latin1', 0, Math.min(bytes.length, 64)).trimStart().startsWith('-----BEGIN')) {
    return pemCertificates(bytes.toString('latin1'), 'cadata')
  }
  const certificates: string[] = []
  let offset = 0
  while (offset < bytes.length) {
    const length = derLength(bytes, offset)
    certificates.push(parseCertificate(bytes.subarray(offset, offset + length), 'cadata').toString())
    offset += length
  }
  if (certificates.length === 0) {
    throw new IllegalArgumentError({ message: 'createSslContext: cadata holds no certificate' })
  }
  return certificates
}

/** The full length (header included) of the DER SEQUENCE at `offset`, as Python's `cadata` splits them. */
function derLength(bytes: Buffer, offset: number): number {
  const invalid = () =>
    new IllegalArgumentError({ message: 'createSslContext: cadata bytes are not DER certificates' })
  if (bytes[offset] !== 0x30 || offset + 2 > bytes.length) throw invalid()
  const first = bytes[offset + 1] as number
  let header = 2
  let length = first
  if (first & 0x80) {
    const count = first & 0x7f
    if (count === 0 || count > 4 || offset + 2 + count > bytes.length) throw invalid()
    length = 0
    for (let index = 0; index < count; index++) length = length * 256 + (bytes[offset + 2 + index] as number)
    header += count
  }
  if (offset + header + length > bytes.length) throw invalid()
  return header + length
}

function parseCertificate(certificate: string | Buffer, source: string): X509Certificate {
  try {
    return new X509Certificate(certificate)
  } catch (cause) {
    throw new IllegalArgumentError({
      message: `createSslContext: ${source} holds an unreadable certificate`,
      cause,
    })
  }
}

const TLS_OPTION_NAMES: ReadonlySet<string> = new Set([
  'ca',
  'cert',
  'key',
  'passphrase',
  'servername',
  'rejectUnauthorized',
  'checkServerIdentity',
  'secureContext',
  'minVersion',
  'ciphers',
])

let secureContextPrototype: object | undefined

/** Whether a value is a Node `SecureContext` (what `tls.createSecureContext()` makes). */
export function isSecureContext(value: unknown): value is SecureContext {
  if (typeof value !== 'object' || value === null) return false
  secureContextPrototype ??= Object.getPrototypeOf(createSecureContext()) as object
  return Object.getPrototypeOf(value) === secureContextPrototype
}

/**
 * Checks TLS settings given to a client and puts them in one form: a bare `SecureContext` becomes
 * `{ secureContext }` (its certificate and host checks on), the key and passphrase are wrapped in `Secret`
 * so the client's options print safely, and a field the transport does not use throws
 * `IllegalArgumentError` instead of being ignored — an ignored CA or client certificate would silently
 * fall back to Node's defaults. `name` is the option's name in messages.
 */
export function normalizeTlsOptions(value: TlsOptions | SecureContext, name = 'tls'): TlsOptions {
  if (isSecureContext(value)) return Object.freeze({ secureContext: value })
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new IllegalArgumentError({
      message: `${name} must be TLS options (e.g. from createSslContext()) or a SecureContext`,
    })
  }
  for (const key of Object.keys(value)) {
    if (!TLS_OPTION_NAMES.has(key)) {
      throw new IllegalArgumentError({
        message: `${name}: the TLS option ${JSON.stringify(key.slice(0, 40))} is not supported; use ${[...TLS_OPTION_NAMES].join(', ')}`,
      })
    }
  }
  let secureContext: unknown = value.secureContext
  if (secureContext !== undefined && !isSecureContext(secureContext)) {
    // `{ secureContext: createSslContext(…) }`, as kafkite's docs once said: the inner context is meant.
    const inner: unknown =
      typeof secureContext === 'object' && secureContext !== null
        ? Reflect.get(secureContext, 'secureContext')
        : undefined
    if (!isSecureContext(inner)) {
      throw new IllegalArgumentError({
        message: `${name}.secureContext must be a SecureContext; pass createSslContext()'s result as ${name} itself`,
      })
    }
    secureContext = inner
  }
  if (value.rejectUnauthorized !== undefined && typeof value.rejectUnauthorized !== 'boolean') {
    throw new IllegalArgumentError({ message: `${name}.rejectUnauthorized must be a boolean` })
  }
  const { key, passphrase } = value
  return Object.freeze({
    ...value,
    ...(secureContext === undefined ? {} : { secureContext: secureContext as SecureContext }),
    ...(key === undefined || key instanceof Secret
      ? {}
      : { key: typeof key === 'string' ? new Secret(key) : new Secret<Uint8Array>(key) }),
    ...(passphrase === undefined || passphrase instanceof Secret
      ? {}
      : { passphrase: new Secret(passphrase) }),
  })
}

const warnedLoggers = new WeakSet<Logger>()

/**
 * Node's `tls.connect` options for one broker. Secrets are revealed here and nowhere else; the object goes
 * straight to Node and is not kept.
 */
export function toNodeTlsOptions(
  given: TlsOptions,
  host: string,
  port: number,
  logger: Logger,
): ConnectionOptions {
  const tls = normalizeTlsOptions(given)
  if (tls.rejectUnauthorized === false && !warnedLoggers.has(logger)) {
    // Said once per logger: enough to be seen, not a line per connection.
    warnedLoggers.add(logger)
    logger.warn?.('TLS certificate verification is disabled (rejectUnauthorized: false)', { host, port })
  }
  const key = tls.key === undefined ? undefined : tls.key instanceof Secret ? tls.key.reveal() : tls.key
  return {
    host,
    port,
    rejectUnauthorized: tls.rejectUnauthorized ?? true,
    ...(tls.secureContext === undefined ? {} : { secureContext: tls.secureContext }),
    ...(tls.ca === undefined ? {} : { ca: tls.ca as string | Buffer | (string | Buffer)[] }),
    ...(tls.cert === undefined ? {} : { cert: tls.cert }),
    ...(key === undefined ? {} : { key: typeof key === 'string' ? key : Buffer.from(key) }),
    ...(tls.passphrase === undefined ? {} : { passphrase: Secret.reveal(tls.passphrase) }),
    ...(tls.servername === undefined ? {} : { servername: tls.servername }),
    ...(tls.checkServerIdentity === undefined ? {} : { checkServerIdentity: tls.checkServerIdentity }),
    ...(tls.minVersion === undefined ? {} : { minVersion: tls.minVersion }),
    ...(tls.ciphers === undefined ? {} : { ciphers: tls.ciphers }),
  }
}
