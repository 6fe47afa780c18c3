// Arbitrary bytes from a broker, as rskafka's protocol_reader fuzz target feeds them: whatever arrives, the
// request settles with a typed KafkaError (or a decoded body), the process does not crash, and nothing hangs.
import { KafkaError, Metadata } from '@kafkite/protocol'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BrokerConnection } from './broker-connection.js'
import { FakeBroker, frameOf, type ReceivedRequest } from './test-support/fake-broker.js'

let broker: FakeBroker
/** What the broker sends for the next Metadata request. */
let nextAnswer: (request: ReceivedRequest) => Uint8Array = () => new Uint8Array(0)

beforeAll(async () => {
  broker = await FakeBroker.start((request, self) => self.writeRaw(nextAnswer(request), request.socket))
})
afterAll(async () => {
  await broker.close()
})

async function outcome(): Promise<'answered' | KafkaError> {
  const connection = await BrokerConnection.connect({
    host: '127.0.0.1',
    port: broker.port,
    requestTimeoutMs: 200,
  })
  try {
    await connection.send(Metadata.api, Metadata.createRequest({ topics: [] }))
    return 'answered'
  } catch (error) {
    expect(KafkaError.isInstance(error)).toBe(true)
    return error as KafkaError
  } finally {
    await connection.close()
  }
}

describe('hostile bytes', () => {
  it('a framed body of random bytes with the right correlation id settles typed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 256 }), async (body) => {
        nextAnswer = (request) => {
          const payload = Buffer.alloc(4 + body.length)
          payload.writeInt32BE(request.correlationId, 0)
          payload.set(body, 4)
          return frameOf(payload)
        }
        await outcome()
      }),
      { numRuns: 40 },
    )
  })

  it('an unframed stream of random bytes settles typed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 64 }), async (bytes) => {
        nextAnswer = () => bytes
        const result = await outcome()
        expect(result).not.toBe('answered')
      }),
      { numRuns: 40 },
    )
  })
})
