import { inspect } from 'node:util'
import { IllegalArgumentError, KafkaConfigurationError, UnsupportedCodecError } from '@kafkite/protocol'
import { CodecRegistry } from '@kafkite/records'
import { Secret } from '@kafkite/transport'
import { describe, expect, it } from 'vitest'
import { murmur2Partitioner } from './partitioner/partitioner.js'
import { type ProducerOptions, resolveProducerOptions } from './producer-options.js'

/** Options that cannot work together. */
function rejects(options: ProducerOptions, message: string): void {
  expect(() => resolveProducerOptions(options)).toThrow(KafkaConfigurationError)
  expect(() => resolveProducerOptions(options)).toThrow(message)
}

/** One bad value: IllegalArgumentError, as in the consumer and the cluster client. */
function invalid(options: ProducerOptions, message: string): void {
  expect(() => resolveProducerOptions(options)).toThrow(IllegalArgumentError)
  expect(() => resolveProducerOptions(options)).toThrow(message)
}

describe('resolveProducerOptions', () => {
  it("applies aiokafka's defaults", () => {
    const resolved = resolveProducerOptions()
    expect(resolved).toMatchObject({
      bootstrapServers: ['localhost'],
      acks: 1,
      keySerializer: null,
      valueSerializer: null,
      compressionType: null,
      maxBatchSize: 16384,
      lingerMs: 0,
      partitioner: null,
      maxRequestSize: 1048576,
      requestTimeoutMs: 40000,
      retryBackoffMs: 100,
      metadataMaxAgeMs: 300000,
      enableIdempotence: false,
      transactionalId: null,
      transactionTimeoutMs: 60000,
      maxBufferBytes: 32 * 1024 * 1024,
      maxInFlightPerPartition: 1,
      connectionsMaxIdleMs: 540000,
      securityProtocol: 'PLAINTEXT',
      sslContext: null,
      saslMechanism: 'PLAIN',
      saslKerberosServiceName: 'kafka',
    })
    expect(resolved.clientId).toMatch(/^kafkite-producer-\d+$/)
  })

  it('numbers default client ids per producer and keeps a given one', () => {
    const first = Number(resolveProducerOptions().clientId.split('-').at(-1))
    expect(resolveProducerOptions().clientId).toBe(`kafkite-producer-${first + 1}`)
    expect(resolveProducerOptions({ clientId: 'mine' }).clientId).toBe('mine')
  })

  it("normalizes acks 'all' to -1 and keeps 0 and 1", () => {
    expect(resolveProducerOptions({ acks: 'all' }).acks).toBe(-1)
    expect(resolveProducerOptions({ acks: 0 }).acks).toBe(0)
    expect(resolveProducerOptions({ acks: -1 }).acks).toBe(-1)
  })

  it("turns acks to 'all' and allows 5 in flight with idempotence", () => {
    const resolved = resolveProducerOptions({ enableIdempotence: true })
    expect(resolved.acks).toBe(-1)
    expect(resolved.maxInFlightPerPartition).toBe(5)
  })

  it('turns idempotence on with a transactional id, and refuses it explicitly off', () => {
    const resolved = resolveProducerOptions({ transactionalId: 'tx', transactionTimeoutMs: 1000 })
    expect(resolved).toMatchObject({ enableIdempotence: true, acks: -1, transactionalId: 'tx' })
    expect(resolved.transactionTimeoutMs).toBe(1000)
    rejects({ transactionalId: 'tx', enableIdempotence: false }, 'transactionalId requires idempotence')
    invalid({ transactionalId: '' }, 'transactionalId must not be empty')
    expect(resolveProducerOptions({ transactionalId: null }).enableIdempotence).toBe(false)
  })

  it('refuses idempotence with acks other than all', () => {
    rejects({ enableIdempotence: true, acks: 1 }, "idempotence needs acks 'all'")
    rejects({ enableIdempotence: true, acks: 0 }, "idempotence needs acks 'all'")
    rejects({ transactionalId: 'tx', acks: 1 }, "idempotence needs acks 'all'")
  })

  it('refuses unknown acks', () => {
    invalid({ acks: 2 as 1 }, "acks must be 0, 1, -1 or 'all', not 2")
    invalid({ acks: 'leader' as 'all' }, 'not leader')
  })

  it('checks compression names and that the codec is available', () => {
    expect(resolveProducerOptions({ compressionType: 'zstd' }).compressionType).toBe('zstd')
    expect(resolveProducerOptions({ compressionType: null }).compressionType).toBeNull()
    invalid({ compressionType: 'brotli' as 'gzip' }, "compressionType must be 'gzip'")
    expect(() => resolveProducerOptions({ compressionType: 'lz4' }, new CodecRegistry())).toThrow(
      UnsupportedCodecError,
    )
  })

  it('checks sizes against each other', () => {
    rejects({ maxBatchSize: 2_000_000 }, 'maxBatchSize (2000000) must not exceed maxRequestSize (1048576)')
    invalid({ maxBatchSize: 61 }, 'maxBatchSize must exceed the 61-byte batch header')
    rejects({ maxBufferBytes: 1000 }, 'maxBufferBytes (1000) must be at least maxRequestSize')
    expect(
      resolveProducerOptions({ maxBatchSize: 100, maxRequestSize: 200, maxBufferBytes: 200 }),
    ).toMatchObject({ maxBatchSize: 100, maxRequestSize: 200, maxBufferBytes: 200 })
  })

  it.each([
    [{ lingerMs: -1 }, 'lingerMs must be a non-negative integer, not -1'],
    [{ lingerMs: 1.5 }, 'lingerMs must be a non-negative integer'],
    [{ lingerMs: Number.NaN }, 'lingerMs must be a non-negative integer'],
    [{ retryBackoffMs: -5 }, 'retryBackoffMs'],
    [{ requestTimeoutMs: 0 }, 'requestTimeoutMs must be positive'],
    [{ transactionTimeoutMs: 0 }, 'transactionTimeoutMs must be positive'],
    [{ metadataMaxAgeMs: Number.POSITIVE_INFINITY }, 'metadataMaxAgeMs'],
    [{ connectionsMaxIdleMs: -1 }, 'connectionsMaxIdleMs'],
  ] as [ProducerOptions, string][])('refuses %o', (options, message) => {
    invalid(options, message)
  })

  it('keeps lingerMs, connectionsMaxIdleMs null and bootstrap lists', () => {
    const resolved = resolveProducerOptions({
      lingerMs: 5,
      connectionsMaxIdleMs: null,
      bootstrapServers: ['a:9092', 'b:9093'],
    })
    expect(resolved).toMatchObject({
      lingerMs: 5,
      connectionsMaxIdleMs: null,
      bootstrapServers: ['a:9092', 'b:9093'],
    })
    expect(resolveProducerOptions({ bootstrapServers: 'k:1' }).bootstrapServers).toEqual(['k:1'])
    invalid({ bootstrapServers: [] }, 'bootstrapServers must be')
    invalid({ bootstrapServers: ' ' }, 'bootstrapServers must be')
  })

  it('checks functions', () => {
    expect(resolveProducerOptions({ partitioner: murmur2Partitioner }).partitioner).toBe(murmur2Partitioner)
    invalid({ partitioner: 3 as unknown as typeof murmur2Partitioner }, 'partitioner must be a function')
    invalid({ keySerializer: 'json' as unknown as () => null }, 'keySerializer must be a function')
  })

  it('checks security protocol, SASL mechanism and their credentials', () => {
    invalid({ securityProtocol: 'TLS' as 'SSL' }, 'securityProtocol must be')
    invalid({ saslMechanism: 'NTLM' as 'PLAIN' }, 'saslMechanism must be')
    rejects(
      { securityProtocol: 'SASL_SSL' },
      'saslMechanism PLAIN needs saslPlainUsername and saslPlainPassword',
    )
    rejects(
      { securityProtocol: 'SASL_PLAINTEXT', saslMechanism: 'SCRAM-SHA-512', saslPlainUsername: 'u' },
      'needs saslPlainUsername',
    )
    rejects({ securityProtocol: 'SASL_SSL', saslMechanism: 'OAUTHBEARER' }, 'needs saslOauthTokenProvider')
    rejects({ sslContext: { servername: 'k' } }, 'sslContext was given but securityProtocol is PLAINTEXT')
    rejects({ saslPlainUsername: 'u', saslPlainPassword: 'p' }, 'given but securityProtocol is PLAINTEXT')
    rejects({ securityProtocol: 'SASL_SSL', saslMechanism: 'GSSAPI' }, 'GSSAPI is not supported')
    const provider = { token: async () => 't' }
    const resolved = resolveProducerOptions({
      securityProtocol: 'SASL_SSL',
      saslMechanism: 'OAUTHBEARER',
      saslOauthTokenProvider: provider,
      sslContext: { servername: 'k' },
      saslKerberosDomainName: 'd',
    })
    expect(resolved).toMatchObject({ sslContext: { servername: 'k' } })
    expect(resolved.saslOauthTokenProvider?.reveal()).toBe(provider)
    expect(resolved.saslKerberosDomainName).toBe('d')
    const plain = resolveProducerOptions({
      securityProtocol: 'SASL_PLAINTEXT',
      saslPlainUsername: 'u',
      saslPlainPassword: 'canary-Secret-123',
    })
    expect(plain.saslPlainUsername).toBe('u')
    expect(plain.saslPlainPassword).toBeInstanceOf(Secret)
    expect(plain.saslPlainPassword?.reveal()).toBe('canary-Secret-123')
    expect(JSON.stringify(plain)).not.toContain('canary-Secret-123')
    expect(inspect(plain, { depth: 10 })).not.toContain('canary-Secret-123')
  })
})
