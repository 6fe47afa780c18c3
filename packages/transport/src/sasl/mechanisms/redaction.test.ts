import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { Secret } from '../../secret.js'
import type { SaslExchange, SaslMechanism } from '../sasl-mechanism.js'
import { createSaslMechanism, redactSaslOptions, type SaslOptions } from './create-sasl-mechanism.js'
import { REDACTED } from './redaction.js'
import { context, utf8 } from './test-support/sasl-fixtures.js'
import { ScramTestServer } from './test-support/scram-server.js'

// Canary tests (testing guide §6.3): a recognisable password and token are fed through every mechanism,
// and every way an object can reach a log — util.inspect with and without custom inspection, JSON, String,
// error messages and stacks — is searched for them.

const PASSWORD = 'canary-Secret-123'
const TOKEN = 'canaryToken.eyJzdWIiOiJjYW5hcnkifQ.c2lnbmF0dXJl'

const optionsList: SaslOptions[] = [
  { mechanism: 'PLAIN', username: 'alice', password: PASSWORD },
  { mechanism: 'SCRAM-SHA-256', username: 'alice', password: PASSWORD },
  { mechanism: 'SCRAM-SHA-512', username: 'alice', password: PASSWORD },
  { mechanism: 'SCRAM-SHA-512', username: 'alice', password: new Secret(PASSWORD) },
  { mechanism: 'PLAIN', username: 'alice', password: new Secret(PASSWORD) },
  {
    mechanism: 'OAUTHBEARER',
    tokenProvider: async () => ({ token: TOKEN, extensions: { traceId: 't1' } }),
  },
  { mechanism: 'OAUTHBEARER', tokenProvider: async () => ({ token: new Secret(TOKEN) }) },
]

function renderings(value: unknown): string[] {
  return [
    inspect(value),
    inspect(value, { showHidden: true, depth: Number.POSITIVE_INFINITY, getters: true }),
    inspect(value, { customInspect: false, showHidden: true, depth: Number.POSITIVE_INFINITY }),
    JSON.stringify(value) ?? '',
    String(value),
    `${JSON.stringify({ nested: { value } })}`,
  ]
}

function expectNoCanary(outputs: string[]): void {
  for (const output of outputs) {
    expect(output).not.toContain(PASSWORD)
    expect(output).not.toContain(TOKEN)
    expect(output).not.toContain('canary')
  }
}

function errorRenderings(error: unknown): string[] {
  const asError = error as Error
  return [asError.message, asError.stack ?? '', inspect(error), JSON.stringify(error) ?? '', String(error)]
}

async function collectErrors(run: () => Promise<unknown>): Promise<string[]> {
  try {
    await run()
    return []
  } catch (error) {
    return errorRenderings(error)
  }
}

describe.each(optionsList)('$mechanism never shows its secret', (options) => {
  it('in the mechanism and in an exchange, before and after the client message', async () => {
    const mechanism: SaslMechanism = createSaslMechanism(options)
    expectNoCanary(renderings(mechanism))
    expect(inspect(mechanism)).toContain(REDACTED)
    expect(JSON.stringify(mechanism)).toContain(REDACTED)
    const exchange: SaslExchange = mechanism.start(context)
    expectNoCanary(renderings(exchange))
    await exchange.initialResponse()
    expectNoCanary(renderings(exchange))
    expectNoCanary(renderings(redactSaslOptions(options)))
  })

  it('in the errors of a failed exchange', async () => {
    const mechanism = createSaslMechanism(options)
    const outputs: string[] = []
    for (const hostile of ['e=invalid-proof', 'r=other,s=QUJD,i=4096', '{"status":"invalid_token"}', 'x']) {
      const exchange = mechanism.start(context)
      await exchange.initialResponse()
      outputs.push(
        ...(await collectErrors(async () => {
          const reply = await exchange.evaluate(utf8(hostile))
          await exchange.evaluate(reply ?? utf8('more'))
        })),
      )
      expectNoCanary(renderings(exchange))
    }
    expect(outputs.length).toBeGreaterThan(0)
    expectNoCanary(outputs)
  })
})

describe('SCRAM never shows its secret', () => {
  it('in an exchange holding derived keys, or when the server rejects the proof', async () => {
    const server = new ScramTestServer({ hash: 'sha256', username: 'alice', password: 'other' })
    const mechanism = createSaslMechanism({
      mechanism: 'SCRAM-SHA-256',
      username: 'alice',
      password: PASSWORD,
    })
    const exchange = mechanism.start(context)
    const clientFinal = await exchange.evaluate(server.serverFirst(await exchange.initialResponse()))
    // Here the exchange holds the expected server signature and the mechanism the salted password.
    expectNoCanary([...renderings(exchange), ...renderings(mechanism)])
    expect(inspect(exchange, { showHidden: true })).not.toMatch(/Signature|saltedPassword|Buffer/)
    const outputs = await collectErrors(() =>
      exchange.evaluate(server.serverFinal(clientFinal ?? new Uint8Array())),
    )
    expect(outputs.join('\n')).toMatch(/invalid-proof/)
    expectNoCanary(outputs)
  })
})

describe('option errors never show the value', () => {
  it.each([
    { mechanism: 'PLAIN', username: 'alice', password: `${PASSWORD}\0` },
    { mechanism: 'PLAIN', username: `${PASSWORD}\0`, password: 'x' },
    { mechanism: 'SCRAM-SHA-256', username: 'alice', password: `${PASSWORD}\0` },
    { mechanism: 'SCRAM-SHA-256', username: 'alice', password: PASSWORD, maxIterations: 1 },
    { mechanism: 'OAUTHBEARER', tokenProvider: PASSWORD },
    { mechanism: PASSWORD, password: PASSWORD },
  ])('%#', (options) => {
    let outputs: string[] = []
    try {
      createSaslMechanism(options as unknown as SaslOptions)
    } catch (error) {
      outputs = errorRenderings(error)
    }
    expect(outputs.length).toBeGreaterThan(0)
    expectNoCanary(outputs)
  })

  it('for a token the broker would not accept', async () => {
    const mechanism = createSaslMechanism({
      mechanism: 'OAUTHBEARER',
      tokenProvider: async () => ({ token: `${TOKEN} with space`, extensions: { k: `${PASSWORD}\x01` } }),
    })
    const outputs = await collectErrors(() => mechanism.start(context).initialResponse())
    expect(outputs.length).toBeGreaterThan(0)
    expectNoCanary(outputs)
    const badExtension = createSaslMechanism({
      mechanism: 'OAUTHBEARER',
      tokenProvider: async () => ({ token: 'ok', extensions: { k: `${PASSWORD}\x01` } }),
    })
    expectNoCanary(await collectErrors(() => badExtension.start(context).initialResponse()))
  })
})
