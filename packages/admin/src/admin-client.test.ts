import {
  DescribeCluster,
  ErrorCode,
  IllegalStateError,
  KafkaConfigurationError,
  Metadata,
} from '@kafkite/protocol'
import { describe, expect, it } from 'vitest'
import { AIOKafkaAdminClient, KafkaAdminClient } from './admin-client.js'
import { ADMIN_VERSION, toClusterOptions } from './admin-options.js'
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

  it("maps aiokafka's flat SASL and SSL names, and refuses mixing them with sasl/ssl", () => {
    expect(
      toClusterOptions({
        securityProtocol: 'SASL_SSL',
        sslContext: { rejectUnauthorized: false },
        saslMechanism: 'SCRAM-SHA-512',
        saslPlainUsername: 'u',
        saslPlainPassword: 'p',
      }),
    ).toMatchObject({
      ssl: { rejectUnauthorized: false },
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'u', password: 'p' },
    })
    expect(toClusterOptions({ saslPlainUsername: 'u', saslPlainPassword: 'p' }).sasl).toMatchObject({
      mechanism: 'PLAIN',
    })
    const tokenProvider = () => ({ token: 't' })
    expect(
      toClusterOptions({ saslMechanism: 'OAUTHBEARER', saslOauthTokenProvider: tokenProvider }).sasl,
    ).toEqual({
      mechanism: 'OAUTHBEARER',
      tokenProvider,
    })
    expect(() => toClusterOptions({ saslMechanism: 'OAUTHBEARER' })).toThrow(KafkaConfigurationError)
    expect(() => toClusterOptions({ saslMechanism: 'PLAIN', saslPlainUsername: 'u' })).toThrow(
      KafkaConfigurationError,
    )
    expect(() =>
      toClusterOptions({
        saslPlainUsername: 'u',
        sasl: { mechanism: 'PLAIN', username: 'u', password: 'p' },
      }),
    ).toThrow(KafkaConfigurationError)
    expect(() => toClusterOptions({ ssl: {}, sslContext: {} })).toThrow(KafkaConfigurationError)
    expect(() => new KafkaAdminClient(null as never)).toThrow(/must be an object/)
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
