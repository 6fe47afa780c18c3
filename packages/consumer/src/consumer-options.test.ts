import { readFileSync } from 'node:fs'
import { IllegalArgumentError, KafkaConfigurationError } from '@kafkite/protocol'
import { Secret } from '@kafkite/transport'
import { describe, expect, it } from 'vitest'
import { CONSUMER_VERSION, type ConsumerOptions, resolveConsumerOptions } from './consumer-options.js'

describe('resolveConsumerOptions', () => {
  it("applies aiokafka's defaults", () => {
    const options = resolveConsumerOptions()
    expect(options).toMatchObject({
      bootstrapServers: ['localhost'],
      clientId: `kafkite-${CONSUMER_VERSION}`,
      groupId: null,
      groupInstanceId: null,
      keyDeserializer: null,
      valueDeserializer: null,
      fetchMaxWaitMs: 500,
      fetchMaxBytes: 52428800,
      fetchMinBytes: 1,
      maxPartitionFetchBytes: 1048576,
      requestTimeoutMs: 40000,
      retryBackoffMs: 100,
      autoOffsetReset: 'latest',
      // aiokafka's default is true, but without a group there is nothing to commit to.
      enableAutoCommit: false,
      autoCommitIntervalMs: 5000,
      checkCrcs: true,
      metadataMaxAgeMs: 300000,
      maxPollIntervalMs: 300000,
      rebalanceTimeoutMs: 10000,
      sessionTimeoutMs: 10000,
      heartbeatIntervalMs: 3000,
      consumerTimeoutMs: 200,
      maxPollRecords: null,
      excludeInternalTopics: true,
      connectionsMaxIdleMs: 540000,
      isolationLevel: 'read_uncommitted',
      maxBufferedBytes: 52428800,
      securityProtocol: 'PLAINTEXT',
      sslContext: null,
      saslMechanism: 'PLAIN',
      saslKerberosServiceName: 'kafka',
      saslOauthTokenProvider: null,
    })
  })

  it('keeps the version in the default client id in step with package.json', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string
    }
    expect(CONSUMER_VERSION).toBe(manifest.version)
  })

  it('takes given values; auto-commit needs a group', () => {
    const deserialize = (raw: Buffer | null) => raw?.toString() ?? null
    const options = resolveConsumerOptions({
      bootstrapServers: ['a:9092', 'b:9093'],
      clientId: 'me',
      groupId: 'g',
      keyDeserializer: deserialize,
      valueDeserializer: deserialize,
      autoOffsetReset: 'earliest',
      isolationLevel: 'read_committed',
      maxPollRecords: 10,
      rebalanceTimeoutMs: 20000,
      connectionsMaxIdleMs: null,
      maxBufferedBytes: 2 * 1048576,
      checkCrcs: false,
    })
    expect(options).toMatchObject({
      bootstrapServers: ['a:9092', 'b:9093'],
      clientId: 'me',
      groupId: 'g',
      enableAutoCommit: true,
      autoOffsetReset: 'earliest',
      isolationLevel: 'read_committed',
      maxPollRecords: 10,
      rebalanceTimeoutMs: 20000,
      connectionsMaxIdleMs: null,
      maxBufferedBytes: 2097152,
      checkCrcs: false,
    })
    expect(options.keyDeserializer).toBe(deserialize)
    expect(resolveConsumerOptions({ groupId: 'g', enableAutoCommit: false }).enableAutoCommit).toBe(false)
    expect(resolveConsumerOptions({ bootstrapServers: 'h:1' }).bootstrapServers).toEqual(['h:1'])
    expect(resolveConsumerOptions({ bootstrapServers: 'a:1, b:2,c:3' }).bootstrapServers).toEqual([
      'a:1',
      'b:2',
      'c:3',
    ])
    expect(
      resolveConsumerOptions({ rebalanceTimeoutMs: null, sessionTimeoutMs: 7000 }).rebalanceTimeoutMs,
    ).toBe(7000)
  })

  it.each<[string, ConsumerOptions]>([
    ['maxPollRecords 0', { maxPollRecords: 0 }],
    ['maxPollRecords 1.5', { maxPollRecords: 1.5 }],
    ['autoOffsetReset', { autoOffsetReset: 'smallest' as 'earliest' }],
    ['isolationLevel', { isolationLevel: 'serializable' as 'read_committed' }],
    ['securityProtocol', { securityProtocol: 'TLS' as 'SSL' }],
    ['saslMechanism', { saslMechanism: 'KERBEROS' as 'GSSAPI' }],
    ['negative fetchMaxWaitMs', { fetchMaxWaitMs: -1 }],
    ['zero fetchMaxBytes', { fetchMaxBytes: 0 }],
    ['NaN requestTimeoutMs', { requestTimeoutMs: Number.NaN }],
    ['empty groupId', { groupId: '' }],
    ['boolean as string', { checkCrcs: 'yes' as unknown as boolean }],
    ['deserializer not a function', { keyDeserializer: 'utf8' as unknown as () => null }],
    ['empty bootstrapServers', { bootstrapServers: [] }],
    ['blank bootstrap server', { bootstrapServers: ' ' }],
  ])('refuses a bad value (%s) with IllegalArgumentError', (_, options) => {
    expect(() => resolveConsumerOptions(options)).toThrow(IllegalArgumentError)
  })

  it.each<[string, ConsumerOptions]>([
    ['fetchMaxWaitMs >= requestTimeoutMs', { fetchMaxWaitMs: 40000 }],
    ['heartbeat >= session', { heartbeatIntervalMs: 10000 }],
    ['buffer smaller than one partition fetch', { maxBufferedBytes: 1000 }],
    ['SASL PLAIN without credentials', { securityProtocol: 'SASL_SSL' }],
    [
      'SCRAM without a password',
      { securityProtocol: 'SASL_PLAINTEXT', saslMechanism: 'SCRAM-SHA-256', saslPlainUsername: 'u' },
    ],
    ['OAUTHBEARER without a token provider', { securityProtocol: 'SASL_SSL', saslMechanism: 'OAUTHBEARER' }],
    // aiokafka ignores it; kafkite refuses it as the producer and admin client do: TLS that is not used.
    ['sslContext with PLAINTEXT', { sslContext: { servername: 'k' } }],
    [
      'sslContext with SASL_PLAINTEXT',
      { securityProtocol: 'SASL_PLAINTEXT', sslContext: {}, saslPlainUsername: 'u', saslPlainPassword: 'p' },
    ],
    ['credentials with PLAINTEXT', { saslPlainUsername: 'u', saslPlainPassword: 'p' }],
    ['GSSAPI (not implemented)', { securityProtocol: 'SASL_SSL', saslMechanism: 'GSSAPI' }],
  ])('refuses options that conflict (%s) with KafkaConfigurationError', (_, options) => {
    expect(() => resolveConsumerOptions(options)).toThrow(KafkaConfigurationError)
  })

  it('accepts complete SASL settings and keeps their secrets in Secret', () => {
    const provider = { token: async () => 't' }
    expect(
      resolveConsumerOptions({
        securityProtocol: 'SASL_SSL',
        saslMechanism: 'OAUTHBEARER',
        saslOauthTokenProvider: provider,
      }).saslOauthTokenProvider?.reveal(),
    ).toBe(provider)
    const plain = resolveConsumerOptions({
      securityProtocol: 'SASL_PLAINTEXT',
      saslPlainUsername: 'u',
      saslPlainPassword: 'p',
      saslKerberosDomainName: 'd',
    })
    expect(plain).toMatchObject({ saslPlainUsername: 'u', saslKerberosDomainName: 'd' })
    expect(plain.saslPlainPassword).toBeInstanceOf(Secret)
    expect(plain.saslPlainPassword?.reveal()).toBe('p')
  })
})
