import { AuthenticationFailedError } from '@kafkite/protocol'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { SaslExchange } from '../sasl-mechanism.js'
import { ScramMechanism } from './scram-mechanism.js'
import { MAX_SERVER_MESSAGE_BYTES } from './server-text.js'
import { context, utf8 } from './test-support/sasl-fixtures.js'

// A broker we connect to may be an impostor or broken. Each bad server message must end the exchange with
// AuthenticationFailedError (never a TypeError, a hang or seconds of PBKDF2), and fast.

const CLIENT_NONCE = 'clientNonce0123456789'
const SALT = Buffer.from('0123456789abcdef').toString('base64')
const GOOD_FIRST = `r=${CLIENT_NONCE}serverPart,s=${SALT},i=4096`

const mechanism = new ScramMechanism('SCRAM-SHA-256', {
  username: 'alice',
  password: 'canary-Secret-123',
  clientNonceForTesting: () => CLIENT_NONCE,
})

async function afterClientFirst(): Promise<SaslExchange> {
  const exchange = mechanism.start(context)
  await exchange.initialResponse()
  return exchange
}

async function afterClientFinal(): Promise<SaslExchange> {
  const exchange = await afterClientFirst()
  await exchange.evaluate(utf8(GOOD_FIRST))
  return exchange
}

/** Expects AuthenticationFailedError matching `reason` within 200 ms. */
async function expectFastFailure(run: () => Promise<unknown>, reason: RegExp): Promise<void> {
  const started = performance.now()
  const error: unknown = await run().then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(AuthenticationFailedError)
  expect((error as Error).message).toMatch(reason)
  expect(performance.now() - started).toBeLessThan(200)
}

const hostileServerFirst: Array<[string, string | Uint8Array, RegExp]> = [
  [
    'a nonce not prefixed by ours',
    `r=someoneElsesNonce,s=${SALT},i=4096`,
    /does not extend the client nonce/,
  ],
  [
    'a nonce that only repeats ours',
    `r=${CLIENT_NONCE},s=${SALT},i=4096`,
    /does not extend the client nonce/,
  ],
  ['a nonce with a control character', `r=${CLIENT_NONCE}\x01x,s=${SALT},i=4096`, /printable/],
  [
    '1 iteration',
    `r=${CLIENT_NONCE}x,s=${SALT},i=1`,
    /iteration count 1 is outside the accepted range 4096\.\./,
  ],
  ['4095 iterations', `r=${CLIENT_NONCE}x,s=${SALT},i=4095`, /iteration count 4095 is outside/],
  ['10^9 iterations', `r=${CLIENT_NONCE}x,s=${SALT},i=1000000000`, /iteration count 1000000000 is outside/],
  ['10^20 iterations', `r=${CLIENT_NONCE}x,s=${SALT},i=100000000000000000000`, /not a positive integer/],
  ['a fractional iteration count', `r=${CLIENT_NONCE}x,s=${SALT},i=4096.5`, /not a positive integer/],
  ['a negative iteration count', `r=${CLIENT_NONCE}x,s=${SALT},i=-4096`, /not a positive integer/],
  ['a leading zero', `r=${CLIENT_NONCE}x,s=${SALT},i=04096`, /not a positive integer/],
  ['an empty iteration count', `r=${CLIENT_NONCE}x,s=${SALT},i=`, /not a positive integer/],
  ['a missing salt', `r=${CLIENT_NONCE}x,i=4096`, /not r=…,s=…,i=…/],
  ['an empty salt', `r=${CLIENT_NONCE}x,s=,i=4096`, /salt is not valid base64/],
  ['a salt in bad base64', `r=${CLIENT_NONCE}x,s=not*base64!,i=4096`, /salt is not valid base64/],
  ['a salt without padding', `r=${CLIENT_NONCE}x,s=QUJDRA,i=4096`, /salt is not valid base64/],
  ['a missing iteration count', `r=${CLIENT_NONCE}x,s=${SALT}`, /not r=…,s=…,i=…/],
  ['attributes out of order', `s=${SALT},r=${CLIENT_NONCE}x,i=4096`, /not r=…,s=…,i=…/],
  ['a mandatory extension', `m=ext,r=${CLIENT_NONCE}x,s=${SALT},i=4096`, /requires a SCRAM extension/],
  ['a malformed attribute', `r=${CLIENT_NONCE}x,salt,i=4096`, /malformed attribute "salt"/],
  ['an e= error instead', 'e=unknown-user', /malformed|not r=/],
  ['an empty message', '', /malformed attribute/],
  ['bytes that are not UTF-8', Uint8Array.of(0xff, 0xfe, 0x00, 0xc3), /not UTF-8/],
  ['a huge message', 'r='.padEnd(MAX_SERVER_MESSAGE_BYTES + 1, 'x'), /more than the/],
]

describe('SCRAM client against a hostile server-first message', () => {
  it.each(hostileServerFirst)('fails on %s', async (_case, message, reason) => {
    const exchange = await afterClientFirst()
    await expectFastFailure(
      () => exchange.evaluate(typeof message === 'string' ? utf8(message) : message),
      reason,
    )
    // The exchange is dead afterwards: a retry of the same exchange fails too.
    await expect(exchange.evaluate(utf8(GOOD_FIRST))).rejects.toThrow(AuthenticationFailedError)
  })

  it('ignores extensions after the iteration count, as RFC 5802 allows', async () => {
    const exchange = await afterClientFirst()
    await expect(exchange.evaluate(utf8(`${GOOD_FIRST},x=future`))).resolves.toBeInstanceOf(Uint8Array)
  })
})

const hostileServerFinal: Array<[string, string | Uint8Array, RegExp]> = [
  ['a wrong server signature', `v=${Buffer.alloc(32, 7).toString('base64')}`, /signature does not match/],
  ['a short server signature', `v=${Buffer.alloc(8, 7).toString('base64')}`, /signature does not match/],
  ['an empty server signature', 'v=', /not valid base64/],
  ['a signature in bad base64', 'v=%%%%', /not valid base64/],
  ['an e= error', 'e=invalid-proof', /rejected the authentication: "invalid-proof"/],
  [
    'an e= error with control characters',
    'e=bad\nINFO forged log line',
    /rejected the authentication: "bad\\nINFO/,
  ],
  ['neither v= nor e=', 'x=1', /neither v= nor e=/],
  ['garbage', 'garbage', /malformed attribute/],
  ['bytes that are not UTF-8', Uint8Array.of(0x80, 0x80), /not UTF-8/],
  ['an empty message', '', /malformed attribute/],
]

describe('SCRAM client against a hostile server-final message', () => {
  it.each(hostileServerFinal)('fails on %s', async (_case, message, reason) => {
    const exchange = await afterClientFinal()
    await expectFastFailure(
      () => exchange.evaluate(typeof message === 'string' ? utf8(message) : message),
      reason,
    )
  })
})

describe('SCRAM exchange order', () => {
  it('fails on a server message before the client-first message, and on a second client-first', async () => {
    await expect(mechanism.start(context).evaluate(utf8(GOOD_FIRST))).rejects.toThrow(/out of turn/)
    const exchange = await afterClientFirst()
    await expect(exchange.initialResponse()).rejects.toThrow(AuthenticationFailedError)
  })

  it('fails on a message after completion', async () => {
    const server = new ScramMechanism('SCRAM-SHA-256', {
      username: 'user',
      password: 'pencil',
      clientNonceForTesting: () => 'rOprNGfwEbeRWgbNEkqO',
    })
    const exchange = server.start(context)
    await exchange.initialResponse()
    await exchange.evaluate(
      utf8('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'),
    )
    await exchange.evaluate(utf8('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4='))
    await expect(exchange.evaluate(new Uint8Array(0))).rejects.toThrow(/out of turn/)
  })

  it('fails a second evaluate() that races the first', async () => {
    const exchange = await afterClientFirst()
    const first = exchange.evaluate(utf8(GOOD_FIRST))
    await expect(exchange.evaluate(utf8(GOOD_FIRST))).rejects.toThrow(/out of turn/)
    await expect(first).resolves.toBeInstanceOf(Uint8Array)
  })
})

describe('SCRAM client against random bytes', () => {
  it('only ever throws AuthenticationFailedError for a random server-first message', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
        const exchange = await afterClientFirst()
        const error: unknown = await exchange.evaluate(bytes).then(
          () => undefined,
          (caught: unknown) => caught,
        )
        expect(error).toBeInstanceOf(AuthenticationFailedError)
      }),
      { numRuns: 300 },
    )
  })

  it('only ever throws AuthenticationFailedError for random server-final text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 120 }), async (message) => {
        const exchange = await afterClientFinal()
        await expect(exchange.evaluate(utf8(message))).rejects.toThrow(AuthenticationFailedError)
      }),
      { numRuns: 200 },
    )
  })

  it('only ever throws AuthenticationFailedError for mutations of a valid server-first message', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: GOOD_FIRST.length - 1 }),
        fc.string({ maxLength: 6 }),
        async (position, insert) => {
          const mutated = GOOD_FIRST.slice(0, position) + insert + GOOD_FIRST.slice(position + 1)
          const exchange = await afterClientFirst()
          const outcome: unknown = await exchange.evaluate(utf8(mutated)).then(
            (reply) => reply,
            (caught: unknown) => caught,
          )
          // A mutation may still be valid (e.g. inside the server's nonce part); otherwise the error is typed.
          if (!(outcome instanceof Uint8Array)) expect(outcome).toBeInstanceOf(AuthenticationFailedError)
        },
      ),
      { numRuns: 200 },
    )
  })
})
