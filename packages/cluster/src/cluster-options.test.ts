import { createSecureContext } from 'node:tls'
import { inspect } from 'node:util'
import { IllegalArgumentError, KafkaConfigurationError } from '@kafkite/protocol'
import { createSslContext, Secret } from '@kafkite/transport'
import { describe, expect, it } from 'vitest'
import { formatAddress, parseBootstrapServers } from './broker-address.js'
import { ClusterClient } from './cluster-client.js'
import { resolveClusterOptions } from './cluster-options.js'

describe('parseBootstrapServers', () => {
  it('reads strings and lists, default port 9092, IPv6 in brackets', () => {
    expect(parseBootstrapServers('a:1,b')).toEqual([
      { host: 'a', port: 1 },
      { host: 'b', port: 9092 },
    ])
    expect(parseBootstrapServers(['[::1]:9093', '[fe80::1]', '::1'])).toEqual([
      { host: '::1', port: 9093 },
      { host: 'fe80::1', port: 9092 },
      { host: '::1', port: 9092 },
    ])
    expect(formatAddress({ host: '::1', port: 1 })).toBe('[::1]:1')
    expect(formatAddress({ host: 'h', port: 1 })).toBe('h:1')
  })

  it.each([
    ['', /empty entry/],
    ['a:1,,b:2', /empty entry/],
    ['a:0', /port/],
    ['a:65536', /port/],
    ['a:x', /port/],
    [':9092', /no host/],
    ['[::1', /closing/],
    ['[::1]9092', /:port/],
  ])('refuses %j', (servers, message) => {
    expect(() => parseBootstrapServers(servers)).toThrow(IllegalArgumentError)
    expect(() => parseBootstrapServers(servers)).toThrow(message)
  })

  it('refuses an empty list and non-string entries', () => {
    expect(() => parseBootstrapServers([])).toThrow(/at least one/)
    expect(() => parseBootstrapServers([1 as unknown as string])).toThrow(/strings/)
  })
})

describe('resolveClusterOptions', () => {
  it("applies aiokafka's defaults", () => {
    const options = resolveClusterOptions()
    expect(options).toMatchObject({
      bootstrapServers: [{ host: 'localhost', port: 9092 }],
      clientId: 'kafkite',
      requestTimeoutMs: 40_000,
      retryBackoffMs: 100,
      reconnectBackoffMs: 50,
      reconnectBackoffMaxMs: 1000,
      metadataMaxAgeMs: 300_000,
      connectionsMaxIdleMs: 540_000,
      securityProtocol: 'PLAINTEXT',
      tls: undefined,
      sasl: undefined,
      allowAutoTopicCreation: false,
    })
  })

  it('builds the SASL mechanism at construction and uses Node TLS defaults for SSL', () => {
    const options = resolveClusterOptions({
      securityProtocol: 'SASL_SSL',
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'u', password: new Secret('p') },
    })
    expect(options.sasl?.name).toBe('SCRAM-SHA-512')
    expect(options.tls).toEqual({})
    const mechanism = options.sasl
    if (mechanism === undefined) throw new Error('no mechanism')
    expect(resolveClusterOptions({ securityProtocol: 'SASL_PLAINTEXT', sasl: mechanism }).sasl).toBe(
      mechanism,
    )
  })

  it.each([
    [{ requestTimeoutMs: 0 }, IllegalArgumentError, /requestTimeoutMs/],
    [{ metadataMaxAgeMs: -1 }, IllegalArgumentError, /metadataMaxAgeMs/],
    [{ retryBackoffMs: Number.NaN }, IllegalArgumentError, /retryBackoffMs/],
    [{ connectionsMaxIdleMs: '5' }, IllegalArgumentError, /connectionsMaxIdleMs/],
    [{ clientId: 5 }, IllegalArgumentError, /clientId/],
    [{ allowAutoTopicCreation: 'yes' }, IllegalArgumentError, /allowAutoTopicCreation/],
    [{ securityProtocol: 'TLS' }, IllegalArgumentError, /securityProtocol/],
    [
      { reconnectBackoffMs: 500, reconnectBackoffMaxMs: 100 },
      KafkaConfigurationError,
      /reconnectBackoffMaxMs/,
    ],
    [{ ssl: {} }, KafkaConfigurationError, /ssl options/],
    [{ securityProtocol: 'SSL', ssl: 'ca.pem' }, IllegalArgumentError, /ssl must be TLS options/],
    [
      { securityProtocol: 'SSL', sasl: { mechanism: 'PLAIN', username: 'u', password: 'p' } },
      KafkaConfigurationError,
      /sasl options/,
    ],
    [{ securityProtocol: 'SASL_SSL' }, KafkaConfigurationError, /needs sasl/],
    [{ securityProtocol: 'SASL_PLAINTEXT', sasl: { mechanism: 'GSSAPI' } }, Error, /GSSAPI|mechanism/],
  ])('refuses %j', (options, type, message) => {
    const create = (): ClusterClient => new ClusterClient(options as never)
    expect(create).toThrow(type)
    expect(create).toThrow(message)
  })

  it('refuses options that are not an object', () => {
    expect(() => resolveClusterOptions(null as never)).toThrow(IllegalArgumentError)
  })

  it('takes a SecureContext or createSslContext() options as ssl, and keeps a TLS key out of print', () => {
    const secureContext = createSecureContext()
    expect(resolveClusterOptions({ securityProtocol: 'SSL', ssl: secureContext }).tls).toEqual({
      secureContext,
    })
    const sslContext = createSslContext()
    expect(resolveClusterOptions({ securityProtocol: 'SSL', ssl: sslContext }).tls).toEqual(sslContext)
    const options = resolveClusterOptions({
      securityProtocol: 'SSL',
      ssl: { key: 'canary-key-123', passphrase: 'canary-pass-123' },
    })
    for (const text of [inspect(options, { depth: 10 }), JSON.stringify(options)]) {
      expect(text).not.toContain('canary-key-123')
      expect(text).not.toContain('canary-pass-123')
    }
    expect(() => resolveClusterOptions({ securityProtocol: 'SSL', ssl: { pfx: 'x' } as never })).toThrow(
      IllegalArgumentError,
    )
  })

  it('never shows a SASL password or token in inspect(), JSON or a failed bootstrap', async () => {
    const canary = 'canary-Secret-123'
    const tokenCanary = 'canary-Token-456'
    const clients = [
      new ClusterClient({
        bootstrapServers: 'localhost:1',
        securityProtocol: 'SASL_PLAINTEXT',
        sasl: { mechanism: 'PLAIN', username: 'u', password: canary },
        connectTimeoutMs: 2000,
      }),
      new ClusterClient({
        bootstrapServers: 'localhost:1',
        securityProtocol: 'SASL_PLAINTEXT',
        sasl: {
          mechanism: 'OAUTHBEARER',
          tokenProvider: { cached: tokenCanary, token: () => tokenCanary } as never,
        },
        connectTimeoutMs: 2000,
      }),
    ]
    for (const client of clients) {
      const error: unknown = await client.bootstrap().catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(Error)
      const printed = [
        inspect(client, { depth: 10 }),
        JSON.stringify(client),
        inspect(client.options, { depth: 10 }),
        JSON.stringify(client.options),
        inspect(error, { depth: 10 }),
        (error as Error).message,
      ]
      for (const text of printed) {
        expect(text).not.toContain(canary)
        expect(text).not.toContain(tokenCanary)
      }
      await client.close()
    }
  })

  it('never shows a SASL password in inspect() or JSON', () => {
    const client = new ClusterClient({
      securityProtocol: 'SASL_PLAINTEXT',
      sasl: { mechanism: 'PLAIN', username: 'u', password: 'canary-password-123' },
    })
    expect(inspect(client, { depth: 10 })).not.toContain('canary-password-123')
    expect(JSON.stringify(client)).not.toContain('canary-password-123')
    expect(JSON.stringify(client)).toContain('PLAIN')
    void client.close()
  })
})
