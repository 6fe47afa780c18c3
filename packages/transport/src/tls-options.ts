import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  type ConnectionOptions,
  createSecureContext,
  type PeerCertificate,
  type SecureContext,
  type SecureVersion,
} from 'node:tls'
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
  /** A context made by `createSslContext()`; then `ca`, `cert`, `key` and `passphrase` are not used. */
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
  /** PEM text of trusted CA certificates. */
  readonly cadata?: string
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
 * Builds a TLS context from files, like aiokafka's `create_ssl_context`: pass the result as
 * `tls: { secureContext }`. The certificate and the host name are still checked at connect time. When no CA
 * is given Node's bundled roots are trusted. The context holds the key inside OpenSSL, so printing it
 * shows nothing secret.
 */
export function createSslContext(options: SslContextOptions = {}): SecureContext {
  const ca: Buffer[] = []
  if (options.cafile !== undefined) ca.push(readFileSync(options.cafile))
  if (options.capath !== undefined) {
    for (const name of readdirSync(options.capath).sort()) {
      if (/\.(pem|crt)$/i.test(name)) ca.push(readFileSync(join(options.capath, name)))
    }
  }
  if (options.cadata !== undefined) ca.push(Buffer.from(options.cadata))
  const keyfile = options.keyfile ?? options.certfile
  return createSecureContext({
    ...(ca.length > 0 ? { ca } : {}),
    ...(options.certfile === undefined ? {} : { cert: readFileSync(options.certfile) }),
    ...(keyfile === undefined || options.certfile === undefined ? {} : { key: readFileSync(keyfile) }),
    ...(options.password === undefined ? {} : { passphrase: Secret.reveal(options.password) }),
    ...(options.crlfile === undefined ? {} : { crl: readFileSync(options.crlfile) }),
  })
}

const warnedLoggers = new WeakSet<Logger>()

/**
 * Node's `tls.connect` options for one broker. Secrets are revealed here and nowhere else; the object goes
 * straight to Node and is not kept.
 */
export function toNodeTlsOptions(
  tls: TlsOptions,
  host: string,
  port: number,
  logger: Logger,
): ConnectionOptions {
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
