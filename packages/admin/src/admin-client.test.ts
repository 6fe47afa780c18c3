import { inspect } from 'node:util'
import {
  DescribeCluster,
  ErrorCode,
  IllegalArgumentError,
  IllegalStateError,
  KafkaConfigurationError,
  Metadata,
} from '@kafkite/protocol'
import { type SaslContext, Secret, toOAuthBearerTokenProvider } from '@kafkite/transport'
import { describe, expect, it } from 'vitest'
import { AIOKafkaAdminClient, KafkaAdminClient } from './admin-client.js'
import { ADMIN_VERSION, type AdminClientOptions, toClusterOptions } from './admin-options.js'
import { adminOnFake } from './test-support/admin-on-fake.js'

describe('KafkaAdminClient options', () => {
  it("passes the cluster client's options on, with aiokafka's default client id", () => {
    const admin = new KafkaAdminClient({
      bootstrapServers: 'a:1,b:2',
      requestTimeoutMs: 5000,
      retryBackoffMs: 7,
    })
    expect(admin.cluster.options).toMatchObject({
      clientId: `kafkite-${ADMIN_VERSION}`,
      requestTimeoutMs: 5000,
      retryBackoffMs: 7,
      bootstrapServers: [
        { host: 'a', port: 1 },
        { host: 'b', port: 2 },
      ],
    })
    expect(AIOKafkaAdminClient).toBe(KafkaAdminClient)
  })

  it("maps aiokafka's flat SASL and SSL names, and refuses mixing them with sasl/ssl", async () => {
    const mapped = toClusterOptions({
      securityProtocol: 'SASL_SSL',
      sslContext: { rejectUnauthorized: false },
      saslMechanism: 'SCRAM-SHA-512',
      saslPlainUsername: 'u',
      saslPlainPassword: 'p',
    })
    expect(mapped).toMatchObject({
      ssl: { rejectUnauthorized: false },
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'u', password: expect.any(Secret) },
    })
    expect(
      toClusterOptions({ securityProtocol: 'SASL_PLAINTEXT', saslPlainUsername: 'u', saslPlainPassword: 'p' })
        .sasl,
    ).toMatchObject({ mechanism: 'PLAIN' })
    // The token provider takes aiokafka's { token(), extensions?() } shape, as in the producer and consumer,
    // and the function form too.
    for (const tokenProvider of [{ token: async () => 't' }, () => ({ token: 't' })]) {
      const sasl = toClusterOptions({
        securityProtocol: 'SASL_SSL',
        saslMechanism: 'OAUTHBEARER',
        saslOauthTokenProvider: tokenProvider,
      }).sasl as { mechanism: string; tokenProvider: never }
      expect(sasl.mechanism).toBe('OAUTHBEARER')
      expect(await toOAuthBearerTokenProvider(sasl.tokenProvider)({} as SaslContext)).toEqual({ token: 't' })
    }
    const sasl = { mechanism: 'PLAIN' as const, username: 'u', password: 'p' }
    expect(toClusterOptions({ securityProtocol: 'SASL_SSL', sasl }).sasl).toBe(sasl)
    expect(() => toClusterOptions({ securityProtocol: 'SASL_SSL', saslMechanism: 'OAUTHBEARER' })).toThrow(
      KafkaConfigurationError,
    )
    expect(() =>
      toClusterOptions({ securityProtocol: 'SASL_SSL', saslMechanism: 'PLAIN', saslPlainUsername: 'u' }),
    ).toThrow(KafkaConfigurationError)
    expect(() => toClusterOptions({ securityProtocol: 'SASL_SSL', saslPlainUsername: 'u', sasl })).toThrow(
      KafkaConfigurationError,
    )
    expect(() => toClusterOptions({ securityProtocol: 'SSL', ssl: {}, sslContext: {} })).toThrow(
      KafkaConfigurationError,
    )
    expect(() => new KafkaAdminClient(null as never)).toThrow(/must be an object/)
  })

  it('refuses the same option mistakes as the producer and consumer', () => {
    expect(() => new KafkaAdminClient({ sslContext: {} })).toThrow(KafkaConfigurationError)
    expect(() => new KafkaAdminClient({ saslPlainUsername: 'u', saslPlainPassword: 'p' })).toThrow(
      KafkaConfigurationError,
    )
    expect(() => new KafkaAdminClient({ securityProtocol: 'TLS' as 'SSL' })).toThrow(IllegalArgumentError)
    expect(() => new KafkaAdminClient({ securityProtocol: 'SASL_SSL', saslMechanism: 'GSSAPI' })).toThrow(
      KafkaConfigurationError,
    )
  })
})

const PASSWORD = 'canary-Secret-123'
const TOKEN = 'canary-Token-456'

describe('KafkaAdminClient never shows a secret', () => {
  it.each<[string, AdminClientOptions]>([
    [
      'a SASL password',
      { securityProtocol: 'SASL_PLAINTEXT', saslPlainUsername: 'u', saslPlainPassword: PASSWORD },
    ],
    [
      'an OAuth token provider',
      {
        securityProtocol: 'SASL_PLAINTEXT',
        saslMechanism: 'OAUTHBEARER',
        // Keeps its token in a plain field: printing the provider itself would show it.
        saslOauthTokenProvider: { cached: TOKEN, token: async () => TOKEN } as never,
      },
    ],
    ['a TLS key', { securityProtocol: 'SSL', sslContext: { key: PASSWORD, passphrase: TOKEN } }],
  ])('holding %s: not in inspect, JSON, nor a failed start', async (_case, options) => {
    const admin = new KafkaAdminClient({ bootstrapServers: 'localhost:1', ...options })
    const error: unknown = await admin.start().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(Error)
    const printed = [
      inspect(admin, { depth: 10 }),
      JSON.stringify(admin),
      inspect(admin.options, { depth: 10 }),
      JSON.stringify(admin.options),
      (error as Error).message,
      inspect(error, { depth: 10 }),
    ]
    for (const text of printed) {
      expect(text).not.toContain(PASSWORD)
      expect(text).not.toContain(TOKEN)
    }
    await admin.close()
  })
})

describe('KafkaAdminClient lifecycle', () => {
  it('starts, describes the cluster, and refuses calls after close', async () => {
    const { admin, fake } = await adminOnFake({ nodes: 3, clusterId: 'abc' })
    fake.controllerId = 3
    await admin.start()
    fake.handler = (request) =>
      request.api.apiKey === DescribeCluster.api.apiKey
        ? DescribeCluster.createResponse({
            clusterId: 'abc',
            controllerId: 3,
            clusterAuthorizedOperations: 12,
            brokers: fake.nodes
              .map((node) => ({ brokerId: node.nodeId, host: '127.0.0.1', port: node.port, rack: null }))
              .reverse(),
          })
        : undefined
    const cluster = await admin.describeCluster({ includeAuthorizedOperations: true })
    expect(cluster.clusterId).toBe('abc')
    expect(cluster.controllerId).toBe(3)
    expect(cluster.brokers.map((broker) => broker.nodeId)).toEqual([1, 2, 3])
    expect(cluster.authorizedOperations).toBe(12)
    expect(JSON.stringify(admin)).toContain('"clusterId":"abc"')
    expect(
      String(
        (admin as unknown as { [key: symbol]: () => string })[Symbol.for('nodejs.util.inspect.custom')]?.(),
      ),
    ).toMatch(/^KafkaAdminClient/)
    await admin[Symbol.asyncDispose]()
    await expect(admin.listTopics()).rejects.toBeInstanceOf(IllegalStateError)
  })

  it('throws a DescribeCluster error typed, and falls back to Metadata on brokers without DescribeCluster', async () => {
    const { admin, fake } = await adminOnFake({ nodes: 2, maxVersions: { [DescribeCluster.api.apiKey]: -1 } })
    fake.controllerId = 2
    const cluster = await admin.describeCluster()
    expect(cluster).toMatchObject({ clusterId: 'fake-cluster', controllerId: 2, authorizedOperations: null })
    expect(cluster.brokers.map((broker) => broker.nodeId)).toEqual([1, 2])
    expect(fake.appRequests(DescribeCluster.api)).toEqual([])
    expect(fake.appRequests(Metadata.api).length).toBeGreaterThan(0)

    const other = await adminOnFake()
    other.fake.handler = (request) =>
      request.api.apiKey === DescribeCluster.api.apiKey
        ? DescribeCluster.createResponse({
            errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
            errorMessage: 'no',
          })
        : undefined
    await expect(other.admin.describeCluster()).rejects.toMatchObject({
      name: 'ClusterAuthorizationFailedError',
    })
  })
})
