import { AuthenticationFailedError, IllegalArgumentError } from '@kafkite/protocol'
import { describe, expect, it } from 'vitest'
import { ScramMechanism, type ScramMechanismName } from './scram-mechanism.js'
import { escapeSaslName, unescapeSaslName } from './scram-messages.js'
import { context, text, utf8 } from './test-support/sasl-fixtures.js'
import { type ScramHash, ScramTestServer } from './test-support/scram-server.js'

describe('ScramMechanism against RFC 7677 §3 (SCRAM-SHA-256 test vector)', () => {
  const mechanism = new ScramMechanism('SCRAM-SHA-256', {
    username: 'user',
    password: 'pencil',
    clientNonceForTesting: () => 'rOprNGfwEbeRWgbNEkqO',
  })
  const serverFirst = 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'

  it('produces the exact client-first and client-final messages and accepts the server-final one', async () => {
    const exchange = mechanism.start(context)
    expect(text(await exchange.initialResponse())).toBe('n,,n=user,r=rOprNGfwEbeRWgbNEkqO')
    expect(text(await exchange.evaluate(utf8(serverFirst)))).toBe(
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
    )
    await expect(
      exchange.evaluate(utf8('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=')),
    ).resolves.toBeUndefined()
  })

  it('rejects the vector with one bit of the server signature flipped', async () => {
    const exchange = mechanism.start(context)
    await exchange.initialResponse()
    await exchange.evaluate(utf8(serverFirst))
    await expect(exchange.evaluate(utf8('v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4='))).rejects.toThrow(
      /server signature does not match/,
    )
  })

  it('gives the same answer on a second exchange, from the cached salted password', async () => {
    for (let round = 0; round < 2; round++) {
      const exchange = mechanism.start(context)
      await exchange.initialResponse()
      expect(text(await exchange.evaluate(utf8(serverFirst)))).toMatch(/,p=dHzbZapWIk4jUhN/)
    }
  })
})

/** Runs a whole conversation between a client mechanism and the in-test server. */
async function converse(client: ScramMechanism, server: ScramTestServer): Promise<Uint8Array | undefined> {
  const exchange = client.start(context)
  const clientFinal = await exchange.evaluate(server.serverFirst(await exchange.initialResponse()))
  if (clientFinal === undefined) throw new Error('no client-final message')
  return exchange.evaluate(server.serverFinal(clientFinal))
}

const variants: Array<[ScramMechanismName, ScramHash]> = [
  ['SCRAM-SHA-512', 'sha512'],
  ['SCRAM-SHA-256', 'sha256'],
]

describe.each(variants)('%s against an RFC 5802 server', (name, hash) => {
  it('authenticates and verifies the server', async () => {
    const server = new ScramTestServer({
      hash,
      username: 'alice',
      password: 'correct horse',
      iterations: 4096,
    })
    const client = new ScramMechanism(name, { username: 'alice', password: 'correct horse' })
    await expect(converse(client, server)).resolves.toBeUndefined()
  })

  it('escapes , and = in the username and keeps non-ASCII passwords as UTF-8', async () => {
    const username = 'team=a,svc'
    const server = new ScramTestServer({ hash, username, password: 'pässwörd✓', iterations: 8192 })
    const client = new ScramMechanism(name, { username, password: 'pässwörd✓' })
    const exchange = client.start(context)
    expect(text(await exchange.initialResponse())).toMatch(/^n,,n=team=3Da=2Csvc,r=[A-Za-z0-9+/=]{32}$/)
    await expect(converse(client, server)).resolves.toBeUndefined()
  })

  it('fails with AuthenticationFailedError when the server answers e=invalid-proof to a wrong password', async () => {
    const server = new ScramTestServer({ hash, username: 'alice', password: 'right' })
    const client = new ScramMechanism(name, { username: 'alice', password: 'wrong' })
    await expect(converse(client, server)).rejects.toThrow(AuthenticationFailedError)
    await expect(converse(client, server)).rejects.toThrow(/rejected the authentication: "invalid-proof"/)
  })

  it('uses a fresh random nonce for every exchange', async () => {
    const client = new ScramMechanism(name, { username: 'alice', password: 'pw' })
    const nonces = new Set<string>()
    for (let index = 0; index < 20; index++) {
      nonces.add(text(await client.start(context).initialResponse()).split(',r=')[1] ?? '')
    }
    expect(nonces.size).toBe(20)
  })
})

describe('ScramMechanism PBKDF2', () => {
  it('runs off the event loop: timers keep firing while a large iteration count is derived', async () => {
    const server = new ScramTestServer({ hash: 'sha512', username: 'u', password: 'p', iterations: 100_000 })
    const client = new ScramMechanism('SCRAM-SHA-512', { username: 'u', password: 'p' })
    const exchange = client.start(context)
    const serverFirst = server.serverFirst(await exchange.initialResponse())
    let ticks = 0
    const timer = setInterval(() => ticks++, 1)
    const started = performance.now()
    await exchange.evaluate(serverFirst)
    const elapsed = performance.now() - started
    clearInterval(timer)
    // Only meaningful when the derivation took measurable time; a blocking pbkdf2Sync would give 0 ticks.
    if (elapsed > 20) expect(ticks).toBeGreaterThan(0)
  })
})

describe('ScramMechanism options', () => {
  it('refuses a maxIterations below 4096 or not an integer', () => {
    for (const maxIterations of [4095, 0, -1, 5000.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(
        () => new ScramMechanism('SCRAM-SHA-256', { username: 'u', password: 'p', maxIterations }),
      ).toThrow(IllegalArgumentError)
    }
  })

  it('refuses an unknown hash name, also one that names an Object.prototype member', () => {
    for (const name of ['SCRAM-SHA-1', 'toString']) {
      expect(() => new ScramMechanism(name as ScramMechanismName, { username: 'u', password: 'p' })).toThrow(
        IllegalArgumentError,
      )
    }
  })

  it('accepts a server that asks for up to a raised maxIterations', async () => {
    const server = new ScramTestServer({ hash: 'sha256', username: 'u', password: 'p', iterations: 120_000 })
    const strict = new ScramMechanism('SCRAM-SHA-256', { username: 'u', password: 'p' })
    await expect(converse(strict, server)).rejects.toThrow(/iteration count 120000 is outside/)
    const raised = new ScramMechanism('SCRAM-SHA-256', {
      username: 'u',
      password: 'p',
      maxIterations: 200_000,
    })
    await expect(converse(raised, server)).resolves.toBeUndefined()
  })
})

describe('saslname escaping', () => {
  it('round-trips names with = and ,', () => {
    for (const name of ['plain', 'a=b', 'a,b', '=,=,', '=2C', 'ünï']) {
      expect(unescapeSaslName(escapeSaslName(name))).toBe(name)
    }
    expect(escapeSaslName('a=2C,')).toBe('a=3D2C=2C')
    expect(unescapeSaslName('a=2')).toBeUndefined()
  })
})
