import { createSecureContext } from 'node:tls'
import { inspect } from 'node:util'
import { IllegalArgumentError, KafkaConfigurationError } from '@kafkite/protocol'
import { createSaslMechanism, Secret } from '@kafkite/transport'
import { describe, expect, it } from 'vitest'
import {
  type AiokafkaConnectionOptions,
  type ClusterSecurityOptions,
  clusterOptionsFromAiokafka,
  resolveAiokafkaConnectionOptions,
} from './aiokafka-options.js'

type Options = AiokafkaConnectionOptions & ClusterSecurityOptions

describe('resolveAiokafkaConnectionOptions', () => {
  it("applies aiokafka's defaults", () => {
    expect(resolveAiokafkaConnectionOptions({})).toEqual({
      securityProtocol: 'PLAINTEXT',
      sslContext: null,
      saslMechanism: 'PLAIN',
      saslPlainUsername: null,
      saslPlainPassword: null,
      saslOauthTokenProvider: null,
      saslKerberosServiceName: 'kafka',
      saslKerberosDomainName: null,
    })
  })

  it('keeps every secret in a Secret, and gives the same result when resolved again', () => {
    const provider = { token: async () => 't' }
    const plain = resolveAiokafkaConnectionOptions({
      securityProtocol: 'SASL_SSL',
      sslContext: { key: 'KEY', passphrase: 'PASS' },
      saslPlainUsername: 'u',
      saslPlainPassword: 'p',
    })
    expect(plain.saslPlainPassword?.reveal()).toBe('p')
    expect(plain.sslContext?.key).toBeInstanceOf(Secret)
    expect(resolveAiokafkaConnectionOptions(plain)).toEqual(plain)
    const oauth = resolveAiokafkaConnectionOptions({
      securityProtocol: 'SASL_PLAINTEXT',
      saslMechanism: 'OAUTHBEARER',
      saslOauthTokenProvider: provider,
      saslKerberosDomainName: 'd',
    })
    expect(oauth.saslOauthTokenProvider?.reveal()).toBe(provider)
    expect(resolveAiokafkaConnectionOptions(oauth).saslOauthTokenProvider?.reveal()).toBe(provider)
    const password = new Secret('p')
    expect(
      resolveAiokafkaConnectionOptions({
        securityProtocol: 'SASL_PLAINTEXT',
        saslPlainUsername: 'u',
        saslPlainPassword: password,
      }).saslPlainPassword,
    ).toBe(password)
  })

  it.each<[string, object, typeof IllegalArgumentError, RegExp]>([
    [
      'an unknown protocol',
      { securityProtocol: 'TLS' },
      IllegalArgumentError,
      /securityProtocol .* not "TLS"/,
    ],
    ['a protocol that is no name', { securityProtocol: 'TLS 1.3!' }, IllegalArgumentError, /not a string/],
    ['an unknown mechanism', { saslMechanism: 'plain' }, IllegalArgumentError, /saslMechanism/],
    ['a username that is no string', { saslPlainUsername: 1 }, IllegalArgumentError, /must be a string/],
    ['a password that is no string', { saslPlainPassword: 42 }, IllegalArgumentError, /not a number/],
    [
      'a Secret of bytes as password',
      { saslPlainPassword: new Secret(Uint8Array.of(1)) },
      IllegalArgumentError,
      /not an object/,
    ],
    [
      'a provider of neither shape',
      { saslOauthTokenProvider: 'abc' },
      IllegalArgumentError,
      /token\(\) method/,
    ],
    [
      'TLS options it would ignore',
      { securityProtocol: 'SSL', sslContext: { pfx: 'x' } },
      IllegalArgumentError,
      /pfx/,
    ],
    ['a Kerberos name that is no string', { saslKerberosServiceName: [] }, IllegalArgumentError, /an array/],
    [
      'sslContext with PLAINTEXT',
      { sslContext: {} },
      KafkaConfigurationError,
      /sslContext was given .* PLAINTEXT/,
    ],
    [
      'sslContext with SASL_PLAINTEXT',
      { securityProtocol: 'SASL_PLAINTEXT', sslContext: {}, saslPlainUsername: 'u', saslPlainPassword: 'p' },
      KafkaConfigurationError,
      /use SSL or SASL_SSL/,
    ],
    [
      'ssl and sslContext',
      { securityProtocol: 'SSL', ssl: {}, sslContext: {} },
      KafkaConfigurationError,
      /not both/,
    ],
    [
      'credentials with SSL',
      { securityProtocol: 'SSL', saslPlainUsername: 'u', saslPlainPassword: 'p' },
      KafkaConfigurationError,
      /saslPlainUsername, saslPlainPassword given but securityProtocol is SSL/,
    ],
    [
      'a token provider with PLAINTEXT',
      { saslOauthTokenProvider: { token: () => 't' } },
      KafkaConfigurationError,
      /saslOauthTokenProvider given/,
    ],
    [
      'a non-default mechanism with PLAINTEXT',
      { saslMechanism: 'SCRAM-SHA-256' },
      KafkaConfigurationError,
      /saslMechanism given/,
    ],
    [
      'sasl and flat names',
      {
        securityProtocol: 'SASL_SSL',
        sasl: { mechanism: 'PLAIN', username: 'u', password: 'p' },
        saslPlainPassword: 'p',
      },
      KafkaConfigurationError,
      /give sasl or saslPlainPassword, not both/,
    ],
    [
      'PLAIN without a password',
      { securityProtocol: 'SASL_SSL', saslPlainUsername: 'u' },
      KafkaConfigurationError,
      /needs saslPlainUsername and saslPlainPassword/,
    ],
    [
      'SCRAM without a username',
      { securityProtocol: 'SASL_SSL', saslMechanism: 'SCRAM-SHA-512', saslPlainPassword: 'p' },
      KafkaConfigurationError,
      /SCRAM-SHA-512 needs/,
    ],
    [
      'PLAIN with a token provider',
      {
        securityProtocol: 'SASL_SSL',
        saslPlainUsername: 'u',
        saslPlainPassword: 'p',
        saslOauthTokenProvider: { token: () => 't' },
      },
      KafkaConfigurationError,
      /not saslOauthTokenProvider/,
    ],
    [
      'OAUTHBEARER without a provider',
      { securityProtocol: 'SASL_SSL', saslMechanism: 'OAUTHBEARER' },
      KafkaConfigurationError,
      /needs saslOauthTokenProvider/,
    ],
    [
      'OAUTHBEARER with a password',
      {
        securityProtocol: 'SASL_SSL',
        saslMechanism: 'OAUTHBEARER',
        saslOauthTokenProvider: () => ({ token: 't' }),
        saslPlainPassword: 'p',
      },
      KafkaConfigurationError,
      /not saslPlainUsername/,
    ],
    [
      'GSSAPI',
      { securityProtocol: 'SASL_PLAINTEXT', saslMechanism: 'GSSAPI' },
      KafkaConfigurationError,
      /GSSAPI is not supported/,
    ],
  ])('refuses %s', (_case, options, type, message) => {
    const resolve = () => resolveAiokafkaConnectionOptions(options as Options)
    expect(resolve).toThrow(type)
    expect(resolve).toThrow(message)
    // The shared mapping applies exactly the same rules.
    expect(() => clusterOptionsFromAiokafka(options as Options)).toThrow(type)
  })

  it('never repeats a secret in its errors', () => {
    const canary = 'canary-Secret-123'
    const attempts: Options[] = [
      { saslPlainPassword: canary },
      { securityProtocol: canary as never },
      { saslMechanism: canary as never },
      { securityProtocol: 'SASL_SSL', saslMechanism: 'OAUTHBEARER', saslOauthTokenProvider: canary as never },
    ]
    for (const options of attempts) {
      const error: unknown = (() => {
        try {
          resolveAiokafkaConnectionOptions(options)
        } catch (caught) {
          return caught
        }
      })()
      expect(error).toBeInstanceOf(Error)
      expect(inspect(error)).not.toContain(canary)
    }
  })
})

describe('clusterOptionsFromAiokafka', () => {
  it('maps nothing to PLAINTEXT without ssl or sasl', () => {
    expect(clusterOptionsFromAiokafka({})).toEqual({ securityProtocol: 'PLAINTEXT' })
  })

  it('maps sslContext to ssl, a bare SecureContext included', () => {
    const secureContext = createSecureContext()
    expect(clusterOptionsFromAiokafka({ securityProtocol: 'SSL', sslContext: secureContext })).toEqual({
      securityProtocol: 'SSL',
      ssl: { secureContext },
    })
    expect(clusterOptionsFromAiokafka({ securityProtocol: 'SSL', ssl: { servername: 's' } })).toEqual({
      securityProtocol: 'SSL',
      ssl: { servername: 's' },
    })
  })

  it('turns the flat SASL names into the mechanism options, with the secrets in Secret', async () => {
    const scram = clusterOptionsFromAiokafka({
      securityProtocol: 'SASL_PLAINTEXT',
      saslMechanism: 'SCRAM-SHA-512',
      saslPlainUsername: 'u',
      saslPlainPassword: 'p',
    })
    expect(scram.sasl).toMatchObject({ mechanism: 'SCRAM-SHA-512', username: 'u' })
    expect((scram.sasl as { password: Secret<string> }).password.reveal()).toBe('p')
    expect(JSON.stringify(scram)).not.toContain('"p"')

    const oauth = clusterOptionsFromAiokafka({
      securityProtocol: 'SASL_SSL',
      saslMechanism: 'OAUTHBEARER',
      saslOauthTokenProvider: { token: async () => 'jwt', extensions: () => ({ a: 'b' }) },
    })
    expect(oauth.ssl).toBeUndefined()
    const mechanism = createSaslMechanism(oauth.sasl as never)
    expect(mechanism.name).toBe('OAUTHBEARER')

    const given = { mechanism: 'PLAIN' as const, username: 'u', password: 'p' }
    expect(clusterOptionsFromAiokafka({ securityProtocol: 'SASL_PLAINTEXT', sasl: given }).sasl).toBe(given)
  })
})
