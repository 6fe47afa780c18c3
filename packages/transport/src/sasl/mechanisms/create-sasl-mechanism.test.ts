import {
  AuthenticationMethodNotSupported,
  IllegalArgumentError,
  KafkaConfigurationError,
  KafkaError,
} from '@kafkite/protocol'
import { describe, expect, it } from 'vitest'
import { Secret } from '../../secret.js'
import { createSaslMechanism, redactSaslOptions, type SaslOptions } from './create-sasl-mechanism.js'
import {
  OAuthBearerMechanism,
  PlainMechanism,
  REDACTED,
  SCRAM_DEFAULT_MAX_ITERATIONS,
  ScramMechanism,
} from './index.js'

/** Options as they may arrive from an untyped configuration file. */
const untyped = (options: unknown): SaslOptions => options as SaslOptions

describe('createSaslMechanism', () => {
  it('builds each mechanism with the broker name', () => {
    const plain = createSaslMechanism({ mechanism: 'PLAIN', username: 'u', password: 'p' })
    expect(plain).toBeInstanceOf(PlainMechanism)
    expect(plain.name).toBe('PLAIN')
    for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const) {
      const scram = createSaslMechanism({ mechanism, username: 'u', password: 'p' })
      expect(scram).toBeInstanceOf(ScramMechanism)
      expect(scram.name).toBe(mechanism)
    }
    const oauth = createSaslMechanism({
      mechanism: 'OAUTHBEARER',
      tokenProvider: async () => ({ token: 't' }),
    })
    expect(oauth).toBeInstanceOf(OAuthBearerMechanism)
    expect(oauth.name).toBe('OAUTHBEARER')
  })

  it('passes maxIterations through, and not the test-only nonce hook', async () => {
    const scram = createSaslMechanism(
      untyped({
        mechanism: 'SCRAM-SHA-256',
        username: 'u',
        password: 'p',
        maxIterations: 5000,
        clientNonceForTesting: () => 'fixed',
      }),
    )
    expect(JSON.parse(JSON.stringify(scram))).toMatchObject({ maxIterations: 5000 })
    const first = new TextDecoder().decode(
      await scram.start({ host: 'h', port: 1, clientId: 'c' }).initialResponse(),
    )
    expect(first).not.toContain('r=fixed')
    const defaults = createSaslMechanism({ mechanism: 'SCRAM-SHA-512', username: 'u', password: 'p' })
    expect(JSON.parse(JSON.stringify(defaults))).toMatchObject({
      maxIterations: SCRAM_DEFAULT_MAX_ITERATIONS,
    })
  })

  it.each([
    ['no mechanism', {}, KafkaConfigurationError, /need a `mechanism`/],
    [
      'PLAIN without username',
      { mechanism: 'PLAIN', password: 'p' },
      KafkaConfigurationError,
      /needs `username`/,
    ],
    [
      'PLAIN without password',
      { mechanism: 'PLAIN', username: 'u' },
      KafkaConfigurationError,
      /needs `password`/,
    ],
    [
      'SCRAM without password',
      { mechanism: 'SCRAM-SHA-256', username: 'u' },
      KafkaConfigurationError,
      /password/,
    ],
    [
      'SCRAM with null username',
      { mechanism: 'SCRAM-SHA-512', username: null, password: 'p' },
      KafkaConfigurationError,
      /username/,
    ],
    [
      'OAUTHBEARER without provider',
      { mechanism: 'OAUTHBEARER' },
      KafkaConfigurationError,
      /needs `tokenProvider`/,
    ],
    ['options that are not an object', 'PLAIN', IllegalArgumentError, /must be an object, not a string/],
    ['null options', null, IllegalArgumentError, /must be an object, not null/],
    [
      'a mechanism that is not a string',
      { mechanism: 7 },
      IllegalArgumentError,
      /must be a string, not a number/,
    ],
    [
      'a password that is not a string',
      { mechanism: 'PLAIN', username: 'u', password: 42 },
      IllegalArgumentError,
      /`password` must be a string/,
    ],
    [
      'a Secret holding bytes',
      { mechanism: 'PLAIN', username: 'u', password: new Secret(Uint8Array.of(1)) },
      IllegalArgumentError,
      /`password` must be a string, not an object/,
    ],
    [
      'an empty username',
      { mechanism: 'PLAIN', username: '', password: 'p' },
      IllegalArgumentError,
      /`username` must not be empty/,
    ],
    [
      'a password with NUL',
      { mechanism: 'PLAIN', username: 'u', password: 'a\0b' },
      IllegalArgumentError,
      /NUL/,
    ],
    [
      'a provider that is neither shape',
      { mechanism: 'OAUTHBEARER', tokenProvider: 'abc' },
      IllegalArgumentError,
      /must be an object with a token\(\) method .* or a function, not a string/,
    ],
    [
      'a provider object without token()',
      { mechanism: 'OAUTHBEARER', tokenProvider: { token: 'abc' } },
      IllegalArgumentError,
      /must be an object with a token\(\) method/,
    ],
    [
      'a provider whose extensions is not a method',
      { mechanism: 'OAUTHBEARER', tokenProvider: { token: async () => 't', extensions: { a: 'b' } } },
      IllegalArgumentError,
      /extensions` must be a method, not an object/,
    ],
    ['OAUTHBEARER options that are not an object', undefined, IllegalArgumentError, /must be an object/],
    [
      'a low maxIterations',
      { mechanism: 'SCRAM-SHA-256', username: 'u', password: 'p', maxIterations: 10 },
      IllegalArgumentError,
      /maxIterations/,
    ],
    ['GSSAPI', { mechanism: 'GSSAPI' }, AuthenticationMethodNotSupported, /"GSSAPI" is not supported/],
    [
      'a lower-case name',
      { mechanism: 'scram-sha-256' },
      AuthenticationMethodNotSupported,
      /did you mean 'SCRAM-SHA-256'/,
    ],
    [
      'a prototype member name',
      { mechanism: 'constructor' },
      AuthenticationMethodNotSupported,
      /\(not a mechanism name\) is not supported/,
    ],
  ])('refuses %s', (_case, options, type, message) => {
    const error: unknown = (() => {
      try {
        createSaslMechanism(untyped(options))
        return undefined
      } catch (caught) {
        return caught
      }
    })()
    expect(error).toBeInstanceOf(type)
    expect(KafkaError.isInstance(error)).toBe(true)
    expect((error as KafkaError).retriable).toBe(false)
    expect((error as Error).message).toMatch(message)
  })
})

describe('redactSaslOptions', () => {
  it('replaces the password and the token provider, keeping what helps debugging', () => {
    expect(
      redactSaslOptions({ mechanism: 'SCRAM-SHA-256', username: 'u', password: 'p', maxIterations: 5000 }),
    ).toEqual({
      mechanism: 'SCRAM-SHA-256',
      username: 'u',
      password: REDACTED,
      maxIterations: 5000,
    })
    expect(
      redactSaslOptions({ mechanism: 'OAUTHBEARER', tokenProvider: async () => ({ token: 't' }) }),
    ).toEqual({
      mechanism: 'OAUTHBEARER',
      tokenProvider: REDACTED,
    })
  })
})
