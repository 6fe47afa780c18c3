import { AuthenticationFailedError, IllegalArgumentError } from '@kafkite/protocol'
import { describe, expect, it, vi } from 'vitest'
import { Secret } from '../../secret.js'
import type { SaslContext } from '../sasl-mechanism.js'
import {
  OAuthBearerMechanism,
  type OAuthBearerToken,
  toOAuthBearerTokenProvider,
} from './oauthbearer-mechanism.js'
import { context, text, utf8 } from './test-support/sasl-fixtures.js'

const TOKEN = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.'

function mechanismFor(result: OAuthBearerToken | (() => Promise<OAuthBearerToken>)): OAuthBearerMechanism {
  return new OAuthBearerMechanism({
    tokenProvider: typeof result === 'function' ? result : async () => result,
  })
}

describe('OAuthBearerMechanism client message (RFC 7628 §3.1, KIP-255)', () => {
  it('sends n,,\\x01auth=Bearer <token>\\x01\\x01 without extensions', async () => {
    const message = await mechanismFor({ token: TOKEN }).start(context).initialResponse()
    expect(text(message)).toBe(`n,,\x01auth=Bearer ${TOKEN}\x01\x01`)
  })

  it('sends the extensions as key=value pairs between the token and the closing \\x01\\x01', async () => {
    const message = await mechanismFor({
      token: TOKEN,
      extensions: { traceId: 'abc-123', logicalCluster: 'lkc-1 x' },
    })
      .start(context)
      .initialResponse()
    expect(Buffer.from(message)).toEqual(
      Buffer.from(`n,,\x01auth=Bearer ${TOKEN}\x01traceId=abc-123\x01logicalCluster=lkc-1 x\x01\x01`, 'utf8'),
    )
  })

  it('asks the provider for a token on every exchange, with the connection context', async () => {
    let calls = 0
    const provider = vi.fn(async (_context: SaslContext) => ({ token: `token${++calls}` }))
    const mechanism = new OAuthBearerMechanism({ tokenProvider: provider })
    expect(text(await mechanism.start(context).initialResponse())).toContain('Bearer token1\x01')
    expect(text(await mechanism.start(context).initialResponse())).toContain('Bearer token2\x01')
    expect(provider).toHaveBeenCalledTimes(2)
    expect(provider).toHaveBeenCalledWith(context)
  })

  it('takes a token wrapped in a Secret', async () => {
    const message = await mechanismFor({ token: new Secret(TOKEN) })
      .start(context)
      .initialResponse()
    expect(text(message)).toBe(`n,,\x01auth=Bearer ${TOKEN}\x01\x01`)
  })

  it("takes aiokafka's AbstractTokenProvider shape: token() and an optional extensions(), sync or async, or in a Secret", async () => {
    const withExtensions = new OAuthBearerMechanism({
      tokenProvider: { token: async () => TOKEN, extensions: async () => ({ traceId: 'x' }) },
    })
    expect(text(await withExtensions.start(context).initialResponse())).toBe(
      `n,,\x01auth=Bearer ${TOKEN}\x01traceId=x\x01\x01`,
    )
    const bare = new OAuthBearerMechanism({ tokenProvider: new Secret({ token: () => new Secret(TOKEN) }) })
    expect(text(await bare.start(context).initialResponse())).toBe(`n,,\x01auth=Bearer ${TOKEN}\x01\x01`)
    const nullExtensions = new OAuthBearerMechanism({
      tokenProvider: { token: () => TOKEN, extensions: () => null },
    })
    expect(text(await nullExtensions.start(context).initialResponse())).toBe(
      `n,,\x01auth=Bearer ${TOKEN}\x01\x01`,
    )
    expect(toOAuthBearerTokenProvider(() => ({ token: TOKEN }))).toBeTypeOf('function')
  })

  it('accepts a provider that returns synchronously', async () => {
    const mechanism = new OAuthBearerMechanism({ tokenProvider: () => ({ token: TOKEN }) })
    expect(text(await mechanism.start(context).initialResponse())).toContain(TOKEN)
  })
})

describe('OAuthBearerMechanism server answers', () => {
  it('completes on the empty message a broker sends after accepting the token', async () => {
    const exchange = mechanismFor({ token: TOKEN }).start(context)
    await exchange.initialResponse()
    await expect(exchange.evaluate(new Uint8Array(0))).resolves.toBeUndefined()
    expect(exchange.failure).toBeUndefined()
  })

  it('answers an error challenge with a lone \\x01, then throws with the status and never the token', async () => {
    const exchange = mechanismFor({ token: TOKEN }).start(context)
    await exchange.initialResponse()
    const challenge = utf8(
      '{"status":"invalid_token","scope":"kafka","openid-configuration":"https://idp/x"}',
    )
    const reply = await exchange.evaluate(challenge)
    expect(reply).toEqual(Uint8Array.of(0x01))
    expect(exchange.failure).toBeInstanceOf(AuthenticationFailedError)
    expect(exchange.failure?.message).toMatch(/status "invalid_token", scope "kafka"/)
    const error: unknown = await exchange.evaluate(new Uint8Array(0)).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(AuthenticationFailedError)
    expect((error as Error).message).toContain('invalid_token')
    expect((error as Error).message).not.toContain(TOKEN)
    await expect(exchange.evaluate(new Uint8Array(0))).rejects.toThrow(AuthenticationFailedError)
  })

  it.each([
    ['not JSON', utf8('oops'), /not JSON/],
    ['JSON without status', utf8('{"scope":"x"}'), /status missing/],
    ['a JSON array', utf8('[1]'), /status missing/],
    ['a JSON number', utf8('42'), /not a JSON object/],
    ['bytes that are not UTF-8', Uint8Array.of(0xff), /not JSON/],
    ['a status with control characters', utf8('{"status":"x\\nERROR forged"}'), /status "x\\nERROR forged"/],
  ])('still answers \\x01 to an error challenge that is %s', async (_case, challenge, reason) => {
    const exchange = mechanismFor({ token: TOKEN }).start(context)
    await exchange.initialResponse()
    expect(await exchange.evaluate(challenge)).toEqual(Uint8Array.of(0x01))
    await expect(exchange.evaluate(new Uint8Array(0))).rejects.toThrow(reason)
  })

  it('fails on a server message before the client message or after completion', async () => {
    const mechanism = mechanismFor({ token: TOKEN })
    await expect(mechanism.start(context).evaluate(new Uint8Array(0))).rejects.toThrow(/out of turn/)
    const exchange = mechanism.start(context)
    await exchange.initialResponse()
    await exchange.evaluate(new Uint8Array(0))
    await expect(exchange.evaluate(new Uint8Array(0))).rejects.toThrow(/out of turn/)
    await expect(exchange.initialResponse()).rejects.toThrow(AuthenticationFailedError)
  })
})

describe('OAuthBearerMechanism token provider results', () => {
  it('wraps a failing provider in AuthenticationFailedError, keeping the cause', async () => {
    const cause = new Error('identity provider unreachable')
    const exchange = mechanismFor(() => Promise.reject(cause)).start(context)
    const error: unknown = await exchange.initialResponse().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(AuthenticationFailedError)
    expect((error as Error).cause).toBe(cause)
  })

  it('wraps a provider that throws synchronously', async () => {
    const mechanism = new OAuthBearerMechanism({
      tokenProvider: () => {
        throw new Error('boom')
      },
    })
    await expect(mechanism.start(context).initialResponse()).rejects.toThrow(AuthenticationFailedError)
  })

  it.each([
    ['no object', undefined, /must return \{ token/],
    ['an empty token', { token: '' }, /returned no token/],
    ['a token that is not a string', { token: 42 }, /returned no token/],
    ['a token with \\x01', { token: 'abc\x01evil=1' }, /RFC 6750 b64token/],
    ['a token with a space', { token: 'abc def' }, /RFC 6750 b64token/],
    [
      'extensions that are not an object',
      { token: TOKEN, extensions: 'a=b' },
      /extensions must be an object/,
    ],
    ['an extension key with digits', { token: TOKEN, extensions: { key1: 'v' } }, /extension key "key1"/],
    ['the reserved key auth', { token: TOKEN, extensions: { auth: 'v' } }, /reserved "auth"/],
    ['an extension value with \\x01', { token: TOKEN, extensions: { k: 'a\x01b' } }, /extension k must/],
    ['an empty extension value', { token: TOKEN, extensions: { k: '' } }, /extension k must/],
    ['an extension value that is not a string', { token: TOKEN, extensions: { k: 1 } }, /extension k must/],
  ])('refuses %s with IllegalArgumentError', async (_case, result, reason) => {
    const mechanism = new OAuthBearerMechanism({
      tokenProvider: async () => result as unknown as OAuthBearerToken,
    })
    const exchange = mechanism.start(context)
    const error: unknown = await exchange.initialResponse().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(IllegalArgumentError)
    expect((error as Error).message).toMatch(reason)
    expect((error as Error).message).not.toContain('evil')
    await expect(exchange.evaluate(new Uint8Array(0))).rejects.toThrow(AuthenticationFailedError)
  })
})
