import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createSecureContext } from 'node:tls'
import { fileURLToPath } from 'node:url'
import { inspect } from 'node:util'
import {
  IllegalArgumentError,
  KafkaConfigurationError,
  KafkaConnectionError,
  KafkaError,
  Metadata,
} from '@kafkite/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { BrokerConnection } from './broker-connection.js'
import type { BrokerConnectionOptions } from './connection-options.js'
import { FrameSizeError, TlsHandshakeError } from './errors.js'
import { Secret } from './secret.js'
import { FakeBroker, type ReceivedRequest } from './test-support/fake-broker.js'
import {
  createSslContext,
  isSecureContext,
  normalizeTlsOptions,
  type SslContextOptions,
  type TlsOptions,
} from './tls-options.js'

const fixtures = fileURLToPath(new URL('./__fixtures__/tls/', import.meta.url))
const pem = (name: string): string => readFileSync(join(fixtures, name), 'utf8')
const PASSPHRASE = 'canary-key-passphrase'

const brokers: FakeBroker[] = []
const connections: BrokerConnection[] = []
afterEach(async () => {
  await Promise.all(connections.splice(0).map((connection) => connection.close()))
  await Promise.all(brokers.splice(0).map((broker) => broker.close()))
})

function answerMetadata(request: ReceivedRequest, broker: FakeBroker): void {
  if (request.apiKey === Metadata.api.apiKey)
    broker.reply(request, Metadata.api, Metadata.createResponse({ clusterId: 'tls' }))
}

/** The client certificate the server saw on its newest connection, if any. */
let peerSubjects: string[] = []

async function startTlsBroker(requestCert = false): Promise<FakeBroker> {
  peerSubjects = []
  const broker = await FakeBroker.start(
    (request, self) => {
      const socket = request.socket as unknown as { getPeerCertificate?: () => { subject?: { CN?: string } } }
      const cn = socket.getPeerCertificate?.().subject?.CN
      if (cn !== undefined) peerSubjects.push(cn)
      answerMetadata(request, self)
    },
    {
      tls: {
        key: pem('server-key.pem'),
        cert: pem('server.pem'),
        ca: pem('ca.pem'),
        requestCert,
        rejectUnauthorized: false,
      },
    },
  )
  brokers.push(broker)
  return broker
}

async function open(
  broker: FakeBroker,
  options: Partial<BrokerConnectionOptions>,
): Promise<BrokerConnection> {
  const connection = await BrokerConnection.connect({ host: 'localhost', port: broker.port, ...options })
  connections.push(connection)
  return connection
}

async function failure(broker: FakeBroker, options: Partial<BrokerConnectionOptions>): Promise<KafkaError> {
  try {
    connections.push(await open(broker, options))
  } catch (error) {
    expect(KafkaError.isInstance(error)).toBe(true)
    return error as KafkaError
  }
  throw new Error('expected connect to fail')
}

describe('TLS', () => {
  it('connects with a trusted CA, checking the host name, and serves requests', async () => {
    const broker = await startTlsBroker()
    const connection = await open(broker, { tls: { ca: pem('ca.pem') } })
    expect((await connection.send(Metadata.api, Metadata.createRequest({ topics: [] }))).clusterId).toBe(
      'tls',
    )
    expect(connection.toJSON()).toMatchObject({ tls: true })
  })

  it('presents a client certificate (mTLS) with an encrypted key held in Secret', async () => {
    const broker = await startTlsBroker(true)
    await open(broker, {
      tls: {
        ca: pem('ca.pem'),
        cert: pem('client.pem'),
        key: new Secret(pem('client-key-encrypted.pem')),
        passphrase: new Secret(PASSPHRASE),
      },
    })
    const connection = connections[0] as BrokerConnection
    await connection.send(Metadata.api, Metadata.createRequest({ topics: [] }))
    expect(peerSubjects).toContain('kafkite-client')
  })

  it('fails a wrong key passphrase with a KafkaConfigurationError that does not quote it', async () => {
    const broker = await startTlsBroker(true)
    const wrong = `${PASSPHRASE}-wrong`
    const error = await failure(broker, {
      tls: {
        ca: pem('ca.pem'),
        cert: pem('client.pem'),
        key: pem('client-key-encrypted.pem'),
        passphrase: wrong,
      },
    })
    expect(error).toBeInstanceOf(KafkaConfigurationError)
    expect(error.retriable).toBe(false)
    expect(error.message).not.toContain(wrong)
  })

  it('fails an untrusted CA with a non-retriable TlsHandshakeError', async () => {
    const broker = await startTlsBroker()
    const error = await failure(broker, { tls: { ca: pem('other-ca.pem') } })
    expect(error).toBeInstanceOf(TlsHandshakeError)
    expect(error).toBeInstanceOf(KafkaConnectionError)
    expect(error.retriable).toBe(false)
    expect((error as TlsHandshakeError).code).toMatch(/CERT|SIGNATURE|ISSUER/)
  })

  it('fails a host name the certificate does not cover', async () => {
    const broker = await startTlsBroker()
    const error = await failure(broker, { tls: { ca: pem('ca.pem'), servername: 'broker.example.com' } })
    expect(error).toBeInstanceOf(TlsHandshakeError)
    expect(error.retriable).toBe(false)
    expect((error as TlsHandshakeError).code).toBe('ERR_TLS_CERT_ALTNAME_INVALID')
  })

  it('fails a plaintext client on the TLS port fast and without a retry hint', async () => {
    const broker = await startTlsBroker()
    const started = performance.now()
    const error = await failure(broker, { connectTimeoutMs: 5000 })
    expect(performance.now() - started).toBeLessThan(5000)
    // OpenSSL answers garbage with an alert (read as a huge frame) or just hangs up, depending on version.
    if (error instanceof FrameSizeError) expect(error.retriable).toBe(false)
    else expect(error).toBeInstanceOf(KafkaConnectionError)
  })

  it('accepts any certificate only when asked, and warns once per logger', async () => {
    const broker = await startTlsBroker()
    const warnings: string[] = []
    const logger = { warn: (message: string) => void warnings.push(message) }
    await open(broker, { tls: { rejectUnauthorized: false }, logger })
    await open(broker, { tls: { rejectUnauthorized: false }, logger })
    expect(warnings).toEqual(['TLS certificate verification is disabled (rejectUnauthorized: false)'])
  })

  it('verifies against Node roots with tls: true (so a private CA is refused)', async () => {
    const broker = await startTlsBroker()
    const error = await failure(broker, { tls: true })
    expect(error).toBeInstanceOf(TlsHandshakeError)
  })
})

describe('createSslContext', () => {
  it('builds a context from files like aiokafka (cafile, certfile, keyfile, password) that verifies and presents a client cert', async () => {
    const broker = await startTlsBroker(true)
    const sslContext = createSslContext({
      cafile: join(fixtures, 'ca.pem'),
      certfile: join(fixtures, 'client.pem'),
      keyfile: join(fixtures, 'client-key-encrypted.pem'),
      password: new Secret(PASSPHRASE),
    })
    expect(inspect(sslContext, { depth: 10, showHidden: true })).not.toContain(PASSPHRASE)
    expect(JSON.stringify(sslContext)).not.toContain(PASSPHRASE)
    expect(sslContext.rejectUnauthorized).toBe(true)
    expect(isSecureContext(sslContext.secureContext)).toBe(true)
    // Passed as the TLS options themselves, as aiokafka's ssl_context=create_ssl_context(...).
    const connection = await open(broker, { tls: sslContext })
    await connection.send(Metadata.api, Metadata.createRequest({ topics: [] }))
    expect(peerSubjects).toContain('kafkite-client')
  })

  it('reads a CA folder and CA text (PEM string, DER bytes, PEM bytes); without a CA it trusts only Node roots', async () => {
    const broker = await startTlsBroker()
    await open(broker, { tls: createSslContext({ capath: fixtures }) })
    await open(broker, { tls: createSslContext({ cadata: pem('ca.pem') }) })
    const der = new X509Certificate(pem('ca.pem')).raw
    const otherDer = new X509Certificate(pem('other-ca.pem')).raw
    await open(broker, { tls: createSslContext({ cadata: der }) })
    await open(broker, { tls: createSslContext({ cadata: Buffer.concat([otherDer, der]) }) })
    await open(broker, { tls: createSslContext({ cadata: Buffer.from(pem('ca.pem')) }) })
    const error = await failure(broker, { tls: createSslContext() })
    expect(error).toBeInstanceOf(TlsHandshakeError)
  })

  it('fails closed with another CA', async () => {
    const broker = await startTlsBroker()
    const error = await failure(broker, { tls: createSslContext({ cafile: join(fixtures, 'other-ca.pem') }) })
    expect(error).toBeInstanceOf(TlsHandshakeError)
    expect(error.retriable).toBe(false)
  })

  it('still takes the context wrapped as { secureContext: createSslContext(…) }', async () => {
    const broker = await startTlsBroker()
    const wrapped = { secureContext: createSslContext({ cadata: pem('ca.pem') }) } as unknown as TlsOptions
    await open(broker, { tls: wrapped })
  })

  it.each([
    ['PEM text without a certificate', { cadata: 'not a certificate' }, /cadata holds no PEM certificate/],
    [
      'a PEM block that is not a certificate',
      { cadata: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' },
      /unreadable certificate/,
    ],
    ['bytes that are not DER', { cadata: Uint8Array.of(1, 2, 3) }, /not DER/],
    ['truncated DER', { cadata: Uint8Array.of(0x30, 0x82, 0x01) }, /not DER/],
    ['DER longer than the bytes', { cadata: Uint8Array.of(0x30, 0x05, 0x01) }, /not DER/],
    ['empty DER bytes', { cadata: new Uint8Array(0) }, /holds no certificate/],
    ['DER that is not a certificate', { cadata: Uint8Array.of(0x30, 0x03, 1, 2, 3) }, /unreadable/],
    ['cadata of another type', { cadata: 42 as unknown as string }, /PEM text or DER bytes/],
    ['a key file as cafile', { cafile: join(fixtures, 'client-key.pem') }, /cafile holds no PEM/],
    ['a folder without certificates', { capath: join(fixtures, '..') }, /capath holds no PEM/],
    ['options that are not an object', null as unknown as object, /must be an object/],
  ])('refuses %s with IllegalArgumentError', (_case, options, message) => {
    expect(() => createSslContext(options as SslContextOptions)).toThrow(IllegalArgumentError)
    expect(() => createSslContext(options as SslContextOptions)).toThrow(message)
  })
})

describe('normalizeTlsOptions', () => {
  it('wraps a bare SecureContext, and the key and passphrase in Secret', () => {
    const secureContext = createSecureContext()
    expect(normalizeTlsOptions(secureContext)).toEqual({ secureContext })
    const key = pem('client-key.pem')
    const normalized = normalizeTlsOptions({ key, passphrase: PASSPHRASE, servername: 's' })
    expect(normalized.key).toBeInstanceOf(Secret)
    expect(normalized.passphrase).toBeInstanceOf(Secret)
    expect(normalizeTlsOptions({ key: Buffer.from(key) }).key).toBeInstanceOf(Secret)
    for (const text of [inspect(normalized, { depth: 10, showHidden: true }), JSON.stringify(normalized)]) {
      expect(text).not.toContain(PASSPHRASE)
      expect(text).not.toContain('PRIVATE KEY')
    }
    expect(normalizeTlsOptions(normalized)).toEqual(normalized)
  })

  it.each([
    ['a field it would ignore', { pfx: 'x' }, /"pfx" is not supported/],
    ['a secureContext that is none', { secureContext: {} }, /must be a SecureContext/],
    ['a null secureContext', { secureContext: null }, /must be a SecureContext/],
    ['a rejectUnauthorized that is no boolean', { rejectUnauthorized: 'no' }, /must be a boolean/],
    ['a string', 'ca.pem', /must be TLS options/],
    ['an array', [], /must be TLS options/],
  ])('refuses %s with IllegalArgumentError', (_case, value, message) => {
    expect(() => normalizeTlsOptions(value as TlsOptions, 'sslContext')).toThrow(IllegalArgumentError)
    expect(() => normalizeTlsOptions(value as TlsOptions, 'sslContext')).toThrow(message)
  })

  it('knows a SecureContext from look-alikes', () => {
    expect(isSecureContext(createSecureContext())).toBe(true)
    expect(isSecureContext({ context: {} })).toBe(false)
    expect(isSecureContext(null)).toBe(false)
  })
})

describe('Secret', () => {
  it('prints [redacted] every way and reveals on request', () => {
    const secret = new Secret(PASSPHRASE)
    expect(String(secret)).toBe('[redacted]')
    expect(`${secret}`).toBe('[redacted]')
    expect(JSON.stringify({ secret })).toBe('{"secret":"[redacted]"}')
    expect(inspect({ secret }, { depth: 5, showHidden: true })).not.toContain(PASSPHRASE)
    expect(secret.reveal()).toBe(PASSPHRASE)
    expect(Secret.reveal(secret)).toBe(PASSPHRASE)
    expect(Secret.reveal('plain')).toBe('plain')
  })
})
