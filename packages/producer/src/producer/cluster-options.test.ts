import { KafkaConfigurationError } from '@kafkite/protocol'
import { createSslContext, type SaslContext, Secret, toOAuthBearerTokenProvider } from '@kafkite/transport'
import { describe, expect, it } from 'vitest'
import { resolveProducerOptions } from '../producer-options.js'
import { clusterOptionsFor } from './cluster-options.js'

const forOptions = (options: Parameters<typeof resolveProducerOptions>[0]) =>
  clusterOptionsFor(resolveProducerOptions(options) as never)

const context = {} as SaslContext

describe('clusterOptionsFor', () => {
  it('carries the connection options over, with auto topic creation as Java’s producer', () => {
    expect(
      forOptions({
        bootstrapServers: 'a:1,b:2',
        clientId: 'c',
        connectionsMaxIdleMs: null,
        metadataMaxAgeMs: 0,
      }),
    ).toMatchObject({
      bootstrapServers: ['a:1', 'b:2'],
      clientId: 'c',
      connectionsMaxIdleMs: 2_147_483_647,
      metadataMaxAgeMs: 1,
      securityProtocol: 'PLAINTEXT',
      allowAutoTopicCreation: true,
    })
    expect(forOptions({ securityProtocol: 'SSL', sslContext: { servername: 'x' } }).ssl).toEqual({
      servername: 'x',
    })
    const sslContext = createSslContext()
    expect(forOptions({ securityProtocol: 'SSL', sslContext }).ssl).toEqual(sslContext)
  })

  it('turns aiokafka’s flat SASL options into the mechanism options', async () => {
    expect(
      forOptions({
        securityProtocol: 'SASL_PLAINTEXT',
        saslMechanism: 'SCRAM-SHA-512',
        saslPlainUsername: 'u',
        saslPlainPassword: 'p',
      }).sasl,
    ).toMatchObject({ mechanism: 'SCRAM-SHA-512', username: 'u', password: expect.any(Secret) })
    const sasl = forOptions({
      securityProtocol: 'SASL_SSL',
      saslMechanism: 'OAUTHBEARER',
      saslOauthTokenProvider: { token: async () => 'jwt', extensions: () => ({ a: 'b' }) },
    }).sasl as { tokenProvider: Secret<unknown> }
    expect(await toOAuthBearerTokenProvider(sasl.tokenProvider as never)(context)).toEqual({
      token: 'jwt',
      extensions: { a: 'b' },
    })
    const plain = forOptions({
      securityProtocol: 'SASL_SSL',
      saslMechanism: 'OAUTHBEARER',
      saslOauthTokenProvider: { token: async () => 'jwt' },
    }).sasl as { tokenProvider: Secret<unknown> }
    expect(await toOAuthBearerTokenProvider(plain.tokenProvider as never)(context)).toEqual({ token: 'jwt' })
  })

  it('refuses GSSAPI, which kafkite does not implement yet', () => {
    expect(() => forOptions({ securityProtocol: 'SASL_PLAINTEXT', saslMechanism: 'GSSAPI' })).toThrow(
      KafkaConfigurationError,
    )
  })
})
