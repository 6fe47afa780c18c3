// @kafkite/transport against the real broker: a Metadata round trip over every security setup the harness
// offers, the ways a misconfigured client must fail (typed, not retriable, fast), a broker killed with
// requests in flight, and a canary password that must show nowhere.
import { inspect } from 'node:util'
import type { ListenerName } from '@kafkite/kafka-harness'
import {
  KafkaConnectionError,
  KafkaError,
  Metadata,
  SaslAuthenticationFailed,
  UnsupportedSaslMechanismError,
} from '@kafkite/protocol'
import {
  BrokerConnection,
  type BrokerConnectionOptions,
  FrameSizeError,
  type SaslOptions,
  Secret,
  TlsHandshakeError,
} from '@kafkite/transport'
import { afterEach, describe, expect, it } from 'vitest'
import { canControlNodes, controlCluster, firstBroker, kafka, tlsPem } from '../src/index.js'

const info = kafka()
const user = info.saslUsers[0]
const SCRAMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const
const MECHANISMS = ['PLAIN', ...SCRAMS] as const

const opened: BrokerConnection[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((connection) => connection.close()))
})

function optionsFor(
  listener: ListenerName,
  extra: Partial<BrokerConnectionOptions> = {},
): BrokerConnectionOptions {
  const { host, port } = firstBroker(info, listener)
  const tls = listener === 'SSL' || listener === 'SASL_SSL' ? { ca: tlsPem(info).ca } : undefined
  return {
    host,
    port,
    clientId: 'kafkite-transport-it',
    connectTimeoutMs: 10_000,
    ...(tls === undefined ? {} : { tls }),
    ...extra,
  }
}

async function open(options: BrokerConnectionOptions): Promise<BrokerConnection> {
  const connection = await BrokerConnection.connect(options)
  opened.push(connection)
  return connection
}

async function metadataRoundTrip(connection: BrokerConnection): Promise<void> {
  const response = await connection.send(Metadata.api, Metadata.createRequest({ topics: [] }))
  expect(response.brokers.length).toBe(info.nodeCount)
  expect(response.clusterId).toEqual(expect.any(String))
}

/** Connects, expecting failure; returns the error and how long it took. */
async function failure(options: BrokerConnectionOptions): Promise<{ error: KafkaError; ms: number }> {
  const started = performance.now()
  try {
    opened.push(await BrokerConnection.connect(options))
  } catch (error) {
    expect(KafkaError.isInstance(error)).toBe(true)
    return { error: error as KafkaError, ms: performance.now() - started }
  }
  throw new Error('expected the connection to fail')
}

function sasl(
  mechanism: (typeof MECHANISMS)[number],
  password: string | Secret<string> = user?.password ?? '',
): SaslOptions {
  return { mechanism, username: user?.username ?? '', password }
}

describe('transport: round trips', () => {
  it('PLAINTEXT: ApiVersions on connect, then Metadata at the negotiated version', async () => {
    const connection = await open(optionsFor('PLAINTEXT'))
    expect(connection.versionFor(Metadata.api)).toBeGreaterThanOrEqual(12)
    await metadataRoundTrip(connection)
  })

  it('SSL: the broker certificate and host name are checked against the cluster CA', async () => {
    await metadataRoundTrip(await open(optionsFor('SSL')))
  })

  it('mTLS: a client certificate and key', async () => {
    const { ca, cert, key } = tlsPem(info)
    await metadataRoundTrip(await open(optionsFor('SSL', { tls: { ca, cert, key } })))
  })

  it.each(MECHANISMS)('SASL_PLAINTEXT with %s', async (mechanism) => {
    await metadataRoundTrip(await open(optionsFor('SASL_PLAINTEXT', { sasl: sasl(mechanism) })))
  })

  it.each(MECHANISMS)('SASL_SSL with %s', async (mechanism) => {
    await metadataRoundTrip(await open(optionsFor('SASL_SSL', { sasl: sasl(mechanism) })))
  })

  it('pipelines requests over one connection', async () => {
    const connection = await open(optionsFor('PLAINTEXT', { maxInFlightRequests: 3 }))
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => connection.send(Metadata.api, Metadata.createRequest({ topics: [] }))),
    )
    expect(new Set(answers.map((answer) => answer.clusterId)).size).toBe(1)
  })
})

describe('transport: misconfigured clients fail closed, typed, not retriable, within 5 s', () => {
  it.each(MECHANISMS)('wrong password with %s', async (mechanism) => {
    const { error, ms } = await failure(
      optionsFor('SASL_PLAINTEXT', { sasl: sasl(mechanism, 'wrong-password') }),
    )
    expect(error).toBeInstanceOf(SaslAuthenticationFailed)
    expect(error.retriable).toBe(false)
    expect(ms).toBeLessThan(5000)
  })

  it.each(['PLAIN', 'SCRAM-SHA-512'] as const)('unknown user with %s', async (mechanism) => {
    const options: SaslOptions = { mechanism, username: 'nobody-here', password: 'whatever' }
    const { error, ms } = await failure(optionsFor('SASL_SSL', { sasl: options }))
    expect(error).toBeInstanceOf(SaslAuthenticationFailed)
    expect(error.retriable).toBe(false)
    expect(ms).toBeLessThan(5000)
  })

  it('a mechanism the broker does not enable', async () => {
    const options: SaslOptions = { mechanism: 'OAUTHBEARER', tokenProvider: async () => ({ token: 'x' }) }
    const { error } = await failure(optionsFor('SASL_PLAINTEXT', { sasl: options }))
    expect(error).toBeInstanceOf(UnsupportedSaslMechanismError)
    expect(error.message).toMatch(/SCRAM-SHA-256/)
    expect(error.retriable).toBe(false)
  })

  it('untrusted CA (Node roots only)', async () => {
    const { error, ms } = await failure(optionsFor('SSL', { tls: true }))
    expect(error).toBeInstanceOf(TlsHandshakeError)
    expect(error.retriable).toBe(false)
    expect(ms).toBeLessThan(5000)
  })

  it('wrong host name (servername the certificate does not cover)', async () => {
    const { error, ms } = await failure(
      optionsFor('SSL', { tls: { ca: tlsPem(info).ca, servername: 'broker.invalid' } }),
    )
    expect(error).toBeInstanceOf(TlsHandshakeError)
    expect((error as TlsHandshakeError).code).toBe('ERR_TLS_CERT_ALTNAME_INVALID')
    expect(error.retriable).toBe(false)
    expect(ms).toBeLessThan(5000)
  })

  it('plaintext client on the TLS port: the TLS alert is read as a frame size and refused', async () => {
    const { host, port } = firstBroker(info, 'SSL')
    const before = process.memoryUsage().arrayBuffers
    const { error, ms } = await failure({ host, port, connectTimeoutMs: 10_000 })
    expect(error).toBeInstanceOf(FrameSizeError)
    expect(error.message).toMatch(/TLS/)
    expect(error.retriable).toBe(false)
    expect(ms).toBeLessThan(5000)
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024)
  })
})

describe('transport: redaction', () => {
  it('a canary password shows in no log line, error, inspect() or JSON', async () => {
    const canary = `canary-${Math.random().toString(36).slice(2)}`
    const lines: string[] = []
    const log = (message: string, fields?: Readonly<Record<string, unknown>>): void =>
      void lines.push(`${message} ${inspect(fields, { depth: 10 })} ${JSON.stringify(fields ?? {})}`)
    const logger = { debug: log, info: log, warn: log, error: log }
    const texts: string[] = []
    for (const mechanism of MECHANISMS) {
      // A password held in `Secret` keeps the caller's own options printable too.
      const options = optionsFor('SASL_SSL', { sasl: sasl(mechanism, new Secret(canary)), logger })
      texts.push(inspect(options, { depth: 10 }), JSON.stringify(options))
      const { error } = await failure(options)
      texts.push(error.message, inspect(error, { depth: 10 }), String(error.cause ?? ''))
      // A plain string is the caller's to print, but nothing the transport makes may show it.
      const plain = await failure(optionsFor('SASL_PLAINTEXT', { sasl: sasl(mechanism, canary), logger }))
      texts.push(plain.error.message, inspect(plain.error, { depth: 10 }), JSON.stringify(plain.error))
    }
    const good = await open(optionsFor('SASL_SSL', { sasl: sasl('SCRAM-SHA-512'), logger }))
    texts.push(inspect(good, { depth: 10, showHidden: true }), JSON.stringify(good))
    texts.push(...lines)
    expect(lines.length).toBeGreaterThan(0)
    for (const text of texts) {
      expect(text).not.toContain(canary)
      if (user !== undefined) expect(text).not.toContain(user.password)
    }
  })
})

describe.runIf(canControlNodes())('transport: the broker dies with requests in flight', () => {
  it('pending requests fail with a retriable error; a new connection works once the node is back', async () => {
    const cluster = await controlCluster()
    const connection = await open(optionsFor('PLAINTEXT', { requestTimeoutMs: 60_000 }))
    await metadataRoundTrip(connection)
    // Freeze the JVM so the requests below are surely in flight (or queued) when it dies. Whatever happens
    // in between, the node is started again at the end so that later tests find it running.
    await cluster.pauseNode(0)
    try {
      const pending = Array.from({ length: 8 }, () =>
        connection.send(Metadata.api, Metadata.createRequest({ topics: [] })).then(
          () => undefined,
          (error: unknown) => error,
        ),
      )
      await new Promise((resolve) => setTimeout(resolve, 200))
      expect(connection.inFlightCount + connection.queuedCount).toBeGreaterThan(0)
      const started = performance.now()
      await cluster.killNode(0)
      // A request answered just before the pause took hold resolves; every other one fails retriably.
      const errors = (await Promise.all(pending)).filter((error) => error !== undefined)
      expect(performance.now() - started).toBeLessThan(5000)
      expect(errors.length).toBeGreaterThan(0)
      for (const error of errors) {
        expect(error).toBeInstanceOf(KafkaConnectionError)
        expect((error as KafkaConnectionError).retriable).toBe(true)
      }
      expect(await connection.closed).toBeInstanceOf(KafkaConnectionError)
    } finally {
      await cluster.killNode(0)
      await cluster.startNode(0)
    }
    // The cluster layer reconnects; here a fresh connection stands in for it.
    await metadataRoundTrip(await open(optionsFor('PLAINTEXT')))
  })

  it('a graceful restart mid-traffic: every failure is retriable, and traffic resumes on a new connection', async () => {
    const cluster = await controlCluster()
    let connection = await open(optionsFor('PLAINTEXT', { requestTimeoutMs: 30_000 }))
    const failures: unknown[] = []
    let answered = 0
    let stop = false
    const traffic = (async () => {
      while (!stop) {
        try {
          await connection.send(Metadata.api, Metadata.createRequest({ topics: [] }))
          answered++
        } catch (error) {
          failures.push(error)
          if (connection.state === 'closed') {
            // Reconnect with a pause, as the cluster layer's backoff will: no storm against a restarting node.
            await new Promise((resolve) => setTimeout(resolve, 250))
            try {
              connection = await open(optionsFor('PLAINTEXT', { requestTimeoutMs: 30_000 }))
            } catch (connectError) {
              failures.push(connectError)
            }
          }
        }
      }
    })()
    await new Promise((resolve) => setTimeout(resolve, 300))
    await cluster.restartNode(0)
    const answeredAtRestart = answered
    const deadline = Date.now() + 30_000
    while (answered < answeredAtRestart + 5 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    stop = true
    await traffic
    expect(answered).toBeGreaterThanOrEqual(answeredAtRestart + 5)
    expect(failures.length).toBeGreaterThan(0)
    for (const error of failures) {
      expect(KafkaError.isInstance(error)).toBe(true)
      expect((error as KafkaError).retriable).toBe(true)
    }
  })
})
