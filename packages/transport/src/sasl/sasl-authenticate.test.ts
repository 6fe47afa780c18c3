import { inspect } from 'node:util'
import {
  ApiVersions,
  AuthenticationFailedError,
  AuthenticationMethodNotSupported,
  decodeRequest,
  KafkaError,
  KafkaTimeoutError,
  Metadata,
  SaslAuthenticate,
  SaslAuthenticationFailed,
  SaslHandshake,
  UnsupportedSaslMechanismError,
} from '@kafkite/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { BrokerConnection } from '../broker-connection.js'
import { FakeBroker, fullVersionRanges, type ReceivedRequest, until } from '../test-support/fake-broker.js'
import type { SaslContext, SaslExchange, SaslMechanism } from './sasl-mechanism.js'

const CANARY = 'canary-pa55word-7f3e'

/** PLAIN in a few lines, as a stand-in for the real mechanism (RFC 4616: authzid NUL user NUL password). */
class PlainDouble implements SaslMechanism {
  readonly name = 'PLAIN'
  readonly contexts: SaslContext[] = []
  readonly #username: string
  readonly #password: string

  constructor(username: string, password: string) {
    this.#username = username
    this.#password = password
  }

  start(context: SaslContext): SaslExchange {
    this.contexts.push(context)
    const message = Buffer.from(`\u0000${this.#username}\u0000${this.#password}`)
    return {
      initialResponse: async () => message,
      evaluate: async () => undefined,
    }
  }
}

/** A mechanism scripted step by step, to test rounds and failures. */
function scripted(
  name: string,
  steps: Array<(challenge: Uint8Array) => Promise<Uint8Array | undefined>>,
): SaslMechanism {
  return {
    name,
    start: () => {
      let step = 0
      return {
        initialResponse: async () => Buffer.from('first'),
        evaluate: (challenge) => {
          const next = steps[Math.min(step++, steps.length - 1)]
          if (next === undefined) throw new Error('no step')
          return next(challenge)
        },
      }
    },
  }
}

interface SaslBrokerScript {
  readonly users?: Record<string, string>
  readonly mechanisms?: readonly string[]
  readonly sessionLifetimeMs?: bigint
  /** Fails every authentication after the first `n` successes. */
  readonly failAfter?: number
  readonly handshakeMax?: number
  readonly challenge?: Uint8Array
  /** Delays the answer to every SaslAuthenticate after the first, to catch requests sent meanwhile. */
  readonly reauthDelayMs?: number
}

interface SaslBroker {
  readonly broker: FakeBroker
  readonly handshakes: string[]
  readonly authenticated: number[]
  /** What the broker saw and did, in order: `request:<api key>` and `answered:36`. */
  readonly log: string[]
}

const brokers: FakeBroker[] = []
const connections: BrokerConnection[] = []

afterEach(async () => {
  await Promise.all(connections.splice(0).map((connection) => connection.close()))
  await Promise.all(brokers.splice(0).map((broker) => broker.close()))
})

/** A fake broker that speaks SaslHandshake v1 and SaslAuthenticate with PLAIN semantics. */
async function startSaslBroker(script: SaslBrokerScript = {}): Promise<SaslBroker> {
  const users = script.users ?? { alice: CANARY }
  const mechanisms = script.mechanisms ?? ['PLAIN', 'SCRAM-SHA-256']
  const handshakes: string[] = []
  const authenticated: number[] = []
  const log: string[] = []
  const broker = await FakeBroker.start(
    (request: ReceivedRequest, self) => {
      log.push(`request:${request.apiKey}`)
      if (request.apiKey === ApiVersions.api.apiKey) {
        const apiKeys = fullVersionRanges().map((range) =>
          range.apiKey === SaslHandshake.api.apiKey && script.handshakeMax !== undefined
            ? { ...range, maxVersion: script.handshakeMax }
            : range,
        )
        self.reply(request, ApiVersions.api, ApiVersions.createResponse({ apiKeys }))
      } else if (request.apiKey === SaslHandshake.api.apiKey) {
        const { body } = decodeRequest(SaslHandshake.api, request.frame)
        handshakes.push(body.mechanism)
        const errorCode = mechanisms.includes(body.mechanism) ? 0 : UnsupportedSaslMechanismError.code
        self.reply(
          request,
          SaslHandshake.api,
          SaslHandshake.createResponse({ errorCode, mechanisms: [...mechanisms] }),
        )
      } else if (request.apiKey === SaslAuthenticate.api.apiKey) {
        const { body } = decodeRequest(SaslAuthenticate.api, request.frame)
        const [, user = '', password = ''] = Buffer.from(body.authBytes).toString().split('\u0000')
        const failed =
          users[user] !== password ||
          (script.failAfter !== undefined && authenticated.length >= script.failAfter)
        const delay = authenticated.length > 0 ? (script.reauthDelayMs ?? 0) : 0
        if (!failed) authenticated.push(request.correlationId)
        const answer = (): void => {
          log.push('answered:36')
          self.reply(
            request,
            SaslAuthenticate.api,
            SaslAuthenticate.createResponse(
              failed
                ? {
                    errorCode: SaslAuthenticationFailed.code,
                    errorMessage: 'Authentication failed: Invalid username or password',
                  }
                : {
                    authBytes: script.challenge ?? new Uint8Array(0),
                    sessionLifetimeMs: script.sessionLifetimeMs ?? 0n,
                  },
            ),
          )
        }
        if (delay > 0) setTimeout(answer, delay)
        else answer()
      } else if (request.apiKey === Metadata.api.apiKey) {
        self.reply(request, Metadata.api, Metadata.createResponse({ clusterId: 'sasl-cluster' }))
      }
    },
    { answerApiVersions: false },
  )
  brokers.push(broker)
  return { broker, handshakes, authenticated, log }
}

async function connect(
  broker: FakeBroker,
  sasl: SaslMechanism,
  extra: Partial<Parameters<typeof BrokerConnection.connect>[0]> = {},
): Promise<BrokerConnection> {
  const connection = await BrokerConnection.connect({ host: '127.0.0.1', port: broker.port, sasl, ...extra })
  connections.push(connection)
  return connection
}

async function connectFailure(
  broker: FakeBroker,
  sasl: SaslMechanism,
  extra: Partial<Parameters<typeof BrokerConnection.connect>[0]> = {},
): Promise<KafkaError> {
  try {
    connections.push(await connect(broker, sasl, extra))
  } catch (error) {
    expect(KafkaError.isInstance(error)).toBe(true)
    return error as KafkaError
  }
  throw new Error('expected connect to fail')
}

describe('SASL on connect', () => {
  it('authenticates with a mechanism through SaslHandshake and SaslAuthenticate, then serves requests', async () => {
    const { broker, handshakes, authenticated } = await startSaslBroker()
    const mechanism = new PlainDouble('alice', CANARY)
    const connection = await connect(broker, mechanism, { clientId: 'sasl-test' })
    expect(handshakes).toEqual(['PLAIN'])
    expect(authenticated).toHaveLength(1)
    expect(mechanism.contexts).toEqual([{ host: '127.0.0.1', port: broker.port, clientId: 'sasl-test' }])
    expect(broker.requests.map((request) => request.apiKey)).toEqual([18, 17, 36])
    expect((await connection.send(Metadata.api, Metadata.createRequest({ topics: [] }))).clusterId).toBe(
      'sasl-cluster',
    )
  })

  it('fails a wrong password with a non-retriable SaslAuthenticationFailed that does not show the password', async () => {
    const { broker } = await startSaslBroker()
    const error = await connectFailure(broker, new PlainDouble('alice', `${CANARY}-wrong`))
    expect(error).toBeInstanceOf(SaslAuthenticationFailed)
    expect(error.retriable).toBe(false)
    expect(error.message).toMatch(
      /SASL PLAIN authentication with 127\.0\.0\.1:\d+ failed: Authentication failed/,
    )
    expect(error.message).not.toContain(CANARY)
    expect(inspect(error, { depth: 10 })).not.toContain(CANARY)
  })

  it('fails a mechanism the broker does not enable, naming the ones it does', async () => {
    const { broker } = await startSaslBroker({ mechanisms: ['SCRAM-SHA-512'] })
    const error = await connectFailure(broker, new PlainDouble('alice', CANARY))
    expect(error).toBeInstanceOf(UnsupportedSaslMechanismError)
    expect(error.retriable).toBe(false)
    expect(error.message).toContain('it enables: SCRAM-SHA-512')
  })

  it('refuses a broker that offers only SaslHandshake v0', async () => {
    const { broker } = await startSaslBroker({ handshakeMax: 0 })
    const error = await connectFailure(broker, new PlainDouble('alice', CANARY))
    expect(error).toBeInstanceOf(AuthenticationMethodNotSupported)
  })

  it('turns an untyped error from the mechanism into AuthenticationFailedError without copying its text', async () => {
    const { broker } = await startSaslBroker()
    const mechanism: SaslMechanism = {
      name: 'PLAIN',
      start: () => ({
        initialResponse: async () => {
          throw new Error(`token provider leaked ${CANARY}`)
        },
        evaluate: async () => undefined,
      }),
    }
    const error = await connectFailure(broker, mechanism)
    expect(error).toBeInstanceOf(AuthenticationFailedError)
    expect(error.retriable).toBe(false)
    expect(error.message).not.toContain(CANARY)
  })

  it('passes typed errors from the mechanism through (a bad server signature)', async () => {
    const { broker } = await startSaslBroker({ users: { '': '' }, challenge: Buffer.from('server-final') })
    const mechanism = scripted('PLAIN', [
      async () => {
        throw new AuthenticationFailedError({ message: 'server signature does not match' })
      },
    ])
    const error = await connectFailure(broker, mechanism)
    expect(error).toBeInstanceOf(AuthenticationFailedError)
    expect(error.message).toBe('server signature does not match')
  })

  it('stops a mechanism that never completes after 16 rounds', async () => {
    const { broker, authenticated } = await startSaslBroker({ users: { '': '' } })
    const error = await connectFailure(broker, scripted('PLAIN', [async () => Buffer.from('again')]))
    expect(error).toBeInstanceOf(AuthenticationFailedError)
    expect(error.message).toMatch(/did not complete in 16 rounds/)
    expect(authenticated).toHaveLength(16)
  })

  it('is bounded by connectTimeoutMs when the mechanism hangs', async () => {
    const { broker } = await startSaslBroker()
    const mechanism: SaslMechanism = {
      name: 'PLAIN',
      start: () => ({
        initialResponse: () => new Promise<Uint8Array>(() => {}),
        evaluate: async () => undefined,
      }),
    }
    const error = await connectFailure(broker, mechanism, { connectTimeoutMs: 100 })
    expect(error).toBeInstanceOf(KafkaTimeoutError)
  })
})

describe('SASL re-authentication (KIP-368)', () => {
  it('holds requests made during re-authentication until the new session is up', async () => {
    const { broker, handshakes, log } = await startSaslBroker({ sessionLifetimeMs: 200n, reauthDelayMs: 150 })
    const connection = await connect(broker, new PlainDouble('alice', CANARY))
    await until(() => handshakes.length === 2, 2000)
    const answer = connection.send(Metadata.api, Metadata.createRequest({ topics: [] }))
    expect(connection.queuedCount).toBe(1)
    expect((await answer).clusterId).toBe('sasl-cluster')
    // The second answer to SaslAuthenticate ends the re-authentication the request waited for.
    const reauthAnswered = log.indexOf('answered:36', log.indexOf('answered:36') + 1)
    const metadataSent = log.indexOf(`request:${Metadata.api.apiKey}`)
    expect(reauthAnswered).toBeGreaterThan(0)
    expect(metadataSent).toBeGreaterThan(reauthAnswered)
  })

  it('re-authenticates before the session lifetime ends, holding new requests until it is done', async () => {
    const { broker, handshakes, authenticated } = await startSaslBroker({ sessionLifetimeMs: 300n })
    const mechanism = new PlainDouble('alice', CANARY)
    const connection = await connect(broker, mechanism)
    await until(() => handshakes.length === 2, 2000)
    await until(() => authenticated.length === 2, 2000)
    expect(mechanism.contexts).toHaveLength(2)
    expect(connection.state).toBe('ready')
    expect((await connection.send(Metadata.api, Metadata.createRequest({ topics: [] }))).clusterId).toBe(
      'sasl-cluster',
    )
    // And again: every new session is re-authenticated in turn.
    await until(() => authenticated.length === 3, 2000)
  })

  it('closes the connection with the authentication error when re-authentication fails', async () => {
    const { broker } = await startSaslBroker({ sessionLifetimeMs: 150n, failAfter: 1 })
    const connection = await connect(broker, new PlainDouble('alice', CANARY))
    const reason = await connection.closed
    expect(reason).toBeInstanceOf(SaslAuthenticationFailed)
    expect(reason?.retriable).toBe(false)
    await expect(connection.send(Metadata.api, Metadata.createRequest({ topics: [] }))).rejects.toThrow(
      /is closed/,
    )
  })
})

describe('redaction', () => {
  it('never shows the password in inspect(), JSON, log lines or errors', async () => {
    const { broker } = await startSaslBroker()
    const lines: string[] = []
    const log = (message: string, fields?: Readonly<Record<string, unknown>>): void =>
      void lines.push(`${message} ${inspect(fields, { depth: 10 })}`)
    const logger = { debug: log, info: log, warn: log, error: log }
    const connection = await connect(broker, new PlainDouble('alice', CANARY), { logger })
    const failed = await connectFailure(broker, new PlainDouble('alice', 'nope'), { logger })
    await connection.close()
    const texts = [
      inspect(connection, { depth: 10, showHidden: true }),
      JSON.stringify(connection),
      String(connection),
      inspect(failed, { depth: 10 }),
      failed.message,
      ...lines,
    ]
    expect(lines.length).toBeGreaterThan(0)
    for (const text of texts) expect(text).not.toContain(CANARY)
    expect(texts[0]).toContain("sasl: 'PLAIN'")
  })
})
