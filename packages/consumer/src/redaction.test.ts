import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import type { ConsumerOptions } from './consumer-options.js'
import { KafkaConsumer } from './kafka-consumer.js'

const PASSWORD = 'canary-Secret-123'
const TOKEN = 'canary-Token-456'

// A provider that keeps its token in a plain field: printing the provider itself would show it.
const tokenProvider = { cached: TOKEN, token: async () => TOKEN }

describe('KafkaConsumer never shows a secret', () => {
  it.each<[string, ConsumerOptions]>([
    [
      'a SASL password',
      { securityProtocol: 'SASL_PLAINTEXT', saslPlainUsername: 'u', saslPlainPassword: PASSWORD },
    ],
    [
      'an OAuth token provider',
      {
        securityProtocol: 'SASL_PLAINTEXT',
        saslMechanism: 'OAUTHBEARER',
        saslOauthTokenProvider: tokenProvider,
      },
    ],
    ['a TLS key', { securityProtocol: 'SSL', sslContext: { key: PASSWORD, passphrase: TOKEN } }],
  ])('holding %s: not in inspect, JSON, nor a failed start', async (_case, options) => {
    const consumer = new KafkaConsumer({ bootstrapServers: 'localhost:1', ...options })
    const error: unknown = await consumer.start().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(Error)
    const printed = [
      inspect(consumer, { depth: 10 }),
      JSON.stringify(consumer),
      inspect(consumer.options, { depth: 10 }),
      JSON.stringify(consumer.options),
      (error as Error).message,
      inspect(error, { depth: 10 }),
    ]
    for (const text of printed) {
      expect(text).not.toContain(PASSWORD)
      expect(text).not.toContain(TOKEN)
    }
    await consumer.stop()
  })
})
