import { AuthenticationFailedError } from '@kafkite/protocol'
import { describe, expect, it } from 'vitest'
import { Secret } from '../../secret.js'
import { PlainMechanism } from './plain-mechanism.js'
import { context, utf8 } from './test-support/sasl-fixtures.js'

describe('PlainMechanism', () => {
  it('sends NUL authcid NUL passwd with an empty authzid (RFC 4616)', async () => {
    const exchange = new PlainMechanism({ username: 'alice', password: 'pa ss,wörd' }).start(context)
    const message = await exchange.initialResponse()
    expect(Buffer.from(message)).toEqual(
      Buffer.concat([
        Buffer.from([0]),
        Buffer.from('alice'),
        Buffer.from([0]),
        Buffer.from('pa ss,wörd', 'utf8'),
      ]),
    )
  })

  it('takes the password wrapped in a Secret', async () => {
    const exchange = new PlainMechanism({ username: 'alice', password: new Secret('s3cret') }).start(context)
    expect(Buffer.from(await exchange.initialResponse()).toString('utf8')).toBe('\0alice\0s3cret')
  })

  it('completes on the empty message a broker sends after accepting the credentials', async () => {
    const exchange = new PlainMechanism({ username: 'alice', password: 'secret' }).start(context)
    await exchange.initialResponse()
    await expect(exchange.evaluate(new Uint8Array(0))).resolves.toBeUndefined()
    await expect(exchange.evaluate(new Uint8Array(0))).rejects.toThrow(AuthenticationFailedError)
  })

  it('fails on a non-empty server message, a message before the first send and a second first send', async () => {
    const mechanism = new PlainMechanism({ username: 'alice', password: 'secret' })
    const chatty = mechanism.start(context)
    await chatty.initialResponse()
    await expect(chatty.evaluate(utf8('hello'))).rejects.toThrow(AuthenticationFailedError)

    await expect(mechanism.start(context).evaluate(new Uint8Array(0))).rejects.toThrow(
      AuthenticationFailedError,
    )

    const twice = mechanism.start(context)
    await twice.initialResponse()
    await expect(twice.initialResponse()).rejects.toThrow(AuthenticationFailedError)
  })

  it('starts an independent exchange per connection', async () => {
    const mechanism = new PlainMechanism({ username: 'alice', password: 'secret' })
    const first = mechanism.start(context)
    const second = mechanism.start(context)
    await first.initialResponse()
    await expect(second.initialResponse()).resolves.toBeInstanceOf(Uint8Array)
  })
})
