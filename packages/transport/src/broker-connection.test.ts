import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { inspect } from 'node:util'
import {
  ApiVersions,
  CorrelationIdError,
  encodeResponse,
  KafkaConnectionError,
  KafkaError,
  KafkaTimeoutError,
  Metadata,
  Produce,
  ProtocolError,
  RequestTimedOutError,
  UnsupportedVersionError,
} from '@kafkite/protocol'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { BrokerConnection } from './broker-connection.js'
import { channelNames, type RequestCompleteMessage, type RequestSendMessage } from './diagnostics.js'
import { FrameSizeError } from './errors.js'
import {
  FakeBroker,
  frameOf,
  fullVersionRanges,
  type ReceivedRequest,
  until,
} from './test-support/fake-broker.js'

const brokers: FakeBroker[] = []
const connections: BrokerConnection[] = []

async function startBroker(...args: Parameters<typeof FakeBroker.start>): Promise<FakeBroker> {
  const broker = await FakeBroker.start(...args)
  brokers.push(broker)
  return broker
}

async function connect(
  broker: FakeBroker,
  options: Partial<Parameters<typeof BrokerConnection.connect>[0]> = {},
): Promise<BrokerConnection> {
  const connection = await BrokerConnection.connect({ host: '127.0.0.1', port: broker.port, ...options })
  connections.push(connection)
  return connection
}

afterEach(async () => {
  await Promise.all(connections.splice(0).map((connection) => connection.close()))
  await Promise.all(brokers.splice(0).map((broker) => broker.close()))
})

const metadataRequest = Metadata.createRequest({ topics: [] })

function answerMetadata(request: ReceivedRequest, broker: FakeBroker): void {
  if (request.apiKey !== Metadata.api.apiKey) return
  broker.reply(request, Metadata.api, Metadata.createResponse({ clusterId: 'fake-cluster' }))
}

/** The error a promise rejects with, or a failure when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<KafkaError> {
  try {
    await promise
  } catch (error) {
    expect(KafkaError.isInstance(error)).toBe(true)
    return error as KafkaError
  }
  throw new Error('expected a rejection')
}

describe('BrokerConnection: round trips', () => {
  it('exchanges ApiVersions v3 on connect, then answers a Metadata request at the negotiated version', async () => {
    const broker = await startBroker(answerMetadata)
    const connection = await connect(broker, { clientId: 'unit-test' })
    expect(connection.state).toBe('ready')
    const apiVersions = broker.requests[0]
    expect(apiVersions?.apiKey).toBe(ApiVersions.api.apiKey)
    expect(apiVersions?.apiVersion).toBe(3)
    expect(connection.brokerVersions(Metadata.api.apiKey)).toEqual({
      minVersion: Metadata.api.request.validVersions[0],
      maxVersion: Metadata.api.request.validVersions[1],
    })
    const version = connection.versionFor(Metadata.api)
    const response = await connection.send(Metadata.api, metadataRequest)
    expect(response.clusterId).toBe('fake-cluster')
    expect(broker.appRequests[0]?.apiVersion).toBe(version)
    expect(connection.inFlightCount).toBe(0)
  })

  it('honours an explicit version and version pins', async () => {
    const broker = await startBroker(answerMetadata)
    const connection = await connect(broker, { versionPins: { [Metadata.api.apiKey]: { max: 4 } } })
    expect(connection.versionFor(Metadata.api)).toBe(4)
    expect(connection.versionFor(Metadata.api, { max: 2 })).toBe(2)
    await connection.send(Metadata.api, metadataRequest, { version: 1 })
    await connection.send(Metadata.api, metadataRequest)
    expect(broker.appRequests.map((request) => request.apiVersion)).toEqual([1, 4])
  })

  it('rejects an API the broker does not list with UnsupportedVersionError, keeping the connection', async () => {
    const broker = await startBroker(
      (request, self) => {
        if (request.apiKey !== ApiVersions.api.apiKey) return answerMetadata(request, self)
        const apiKeys = fullVersionRanges().filter((range) => range.apiKey !== Produce.api.apiKey)
        self.reply(request, ApiVersions.api, ApiVersions.createResponse({ apiKeys }))
      },
      { answerApiVersions: false },
    )
    const connection = await connect(broker)
    const error = await rejectionOf(connection.send(Produce.api, Produce.createRequest({})))
    expect(error).toBeInstanceOf(UnsupportedVersionError)
    expect(connection.state).toBe('ready')
    expect((await connection.send(Metadata.api, metadataRequest)).clusterId).toBe('fake-cluster')
  })
})

describe('BrokerConnection: pipelining', () => {
  it('pipelines up to maxInFlightRequests and queues the rest, answering each in order', async () => {
    const held: ReceivedRequest[] = []
    const broker = await startBroker((request) => held.push(request))
    const connection = await connect(broker, { maxInFlightRequests: 2 })
    const answers = Array.from({ length: 5 }, () => connection.send(Metadata.api, metadataRequest))
    await until(() => held.length === 2)
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(held).toHaveLength(2)
    expect(connection.inFlightCount).toBe(2)
    expect(connection.queuedCount).toBe(3)
    // Every answer frees a slot, which sends the next one.
    for (let answered = 0; answered < 5; answered++) {
      await until(() => held.length > answered)
      answerMetadata(held[answered] as ReceivedRequest, broker)
      expect(broker.appRequests.length).toBeLessThanOrEqual(answered + 3)
    }
    const results = await Promise.all(answers)
    expect(results).toHaveLength(5)
    const ids = held.map((request) => request.correlationId)
    expect(new Set(ids).size).toBe(5)
  })

  it('resolves a request that expects no answer (acks=0) once written, without using a slot', async () => {
    const broker = await startBroker(answerMetadata)
    const connection = await connect(broker, { maxInFlightRequests: 1 })
    await expect(
      connection.sendWithoutResponse(Produce.api, Produce.createRequest({ acks: 0, topicData: [] })),
    ).resolves.toBeUndefined()
    expect(connection.inFlightCount).toBe(0)
    await until(() => broker.appRequests.length === 1)
    expect(broker.appRequests[0]?.apiKey).toBe(Produce.api.apiKey)
    // The connection still works and the next answer is matched to the next request.
    expect((await connection.send(Metadata.api, metadataRequest)).clusterId).toBe('fake-cluster')
  })

  it('numbers requests from 0 (ApiVersions) upward', async () => {
    const broker = await startBroker(answerMetadata)
    const connection = await connect(broker)
    expect(broker.requests[0]?.correlationId).toBe(0)
    const ids: number[] = []
    for (let index = 0; index < 3; index++) {
      await connection.send(Metadata.api, metadataRequest)
      ids.push(broker.appRequests.at(-1)?.correlationId ?? -1)
    }
    expect(ids).toEqual([1, 2, 3])
  })
})

describe('BrokerConnection: hostile or failing brokers', () => {
  it('rejects a response with the wrong correlation id with CorrelationIdError and closes', async () => {
    const broker = await startBroker((request, self) =>
      self.reply(request, Metadata.api, Metadata.createResponse({}), request.correlationId + 100),
    )
    const connection = await connect(broker)
    const other = connection.send(Metadata.api, metadataRequest)
    const first = await rejectionOf(other)
    expect(first).toBeInstanceOf(CorrelationIdError)
    expect(first.message).toMatch(/correlation id \d+ .*expected \d+/)
    expect(connection.state).toBe('closed')
    expect(await connection.closed).toBeInstanceOf(KafkaConnectionError)
  })

  it('rejects the other in-flight requests with a retriable KafkaConnectionError when one answer is bad', async () => {
    const held: ReceivedRequest[] = []
    const broker = await startBroker((request) => held.push(request))
    const connection = await connect(broker)
    const first = connection.send(Metadata.api, metadataRequest)
    const second = connection.send(Metadata.api, metadataRequest)
    await until(() => held.length === 2)
    broker.reply(held[1] as ReceivedRequest, Metadata.api, Metadata.createResponse({}))
    expect(await rejectionOf(first)).toBeInstanceOf(CorrelationIdError)
    const error = await rejectionOf(second)
    expect(error).toBeInstanceOf(KafkaConnectionError)
    expect(error.retriable).toBe(true)
    expect(error.cause).toBeInstanceOf(CorrelationIdError)
  })

  it('refuses an unsolicited frame when nothing is in flight', async () => {
    const broker = await startBroker()
    const connection = await connect(broker)
    broker.writeRaw(encodeResponse(Metadata.api, 1, 77, Metadata.createResponse({})))
    const reason = await connection.closed
    expect(reason).toBeInstanceOf(KafkaConnectionError)
    expect(reason?.cause).toBeInstanceOf(CorrelationIdError)
    expect(reason?.message).toMatch(/no request in flight/)
  })

  it('fails fast on an oversized length (a TLS alert read as plaintext) without allocating it', async () => {
    const broker = await startBroker((request, self) =>
      self.writeRaw(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46]), request.socket),
    )
    const connection = await connect(broker)
    const before = process.memoryUsage().arrayBuffers
    const error = await rejectionOf(connection.send(Metadata.api, metadataRequest))
    expect(error).toBeInstanceOf(FrameSizeError)
    expect((error as FrameSizeError).size).toBe(0x15030300)
    expect(error.retriable).toBe(false)
    expect(error.message).toMatch(/TLS/)
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024)
    expect(connection.state).toBe('closed')
  })

  it('refuses frames over maxFrameBytes and negative or too-short sizes', async () => {
    for (const size of [2048, -1, 0, 3]) {
      const broker = await startBroker((request, self) => {
        const header = Buffer.alloc(8)
        header.writeInt32BE(size, 0)
        header.writeInt32BE(request.correlationId, 4)
        self.writeRaw(header, request.socket)
      })
      const connection = await connect(broker, { maxFrameBytes: 1024 })
      const error = await rejectionOf(connection.send(Metadata.api, metadataRequest))
      expect(error).toBeInstanceOf(FrameSizeError)
      expect(error.message).not.toMatch(/TLS/)
    }
  })

  it('rejects undecodable bytes in a frame with a ProtocolError and closes', async () => {
    const broker = await startBroker((request, self) => {
      const garbage = Buffer.alloc(12, 0xff)
      garbage.writeInt32BE(request.correlationId, 0)
      self.writeRaw(frameOf(garbage), request.socket)
    })
    const connection = await connect(broker)
    const error = await rejectionOf(connection.send(Metadata.api, metadataRequest))
    expect(error).toBeInstanceOf(ProtocolError)
    expect(connection.state).toBe('closed')
  })

  it('rejects pending requests with a retriable error when the broker closes mid-frame', async () => {
    const broker = await startBroker((request, self) => {
      const whole = encodeResponse(
        Metadata.api,
        request.apiVersion,
        request.correlationId,
        Metadata.createResponse({}),
      )
      self.writeRaw(whole.subarray(0, whole.length - 3), request.socket)
      setTimeout(() => request.socket.end(), 20)
    })
    const connection = await connect(broker)
    const error = await rejectionOf(connection.send(Metadata.api, metadataRequest))
    expect(error).toBeInstanceOf(KafkaConnectionError)
    expect(error.retriable).toBe(true)
    expect(error.message).toMatch(/middle of a response frame/)
  })

  it('rejects pending requests with a retriable error when the socket is destroyed mid-request', async () => {
    const broker = await startBroker((request) => request.socket.destroy())
    const connection = await connect(broker)
    const pending = [
      connection.send(Metadata.api, metadataRequest),
      connection.send(Metadata.api, metadataRequest),
    ]
    for (const request of pending) {
      const error = await rejectionOf(request)
      expect(error).toBeInstanceOf(KafkaConnectionError)
      expect(error.retriable).toBe(true)
    }
    const after = await rejectionOf(connection.send(Metadata.api, metadataRequest))
    expect(after).toBeInstanceOf(KafkaConnectionError)
    expect(after.message).toMatch(/is closed/)
  })

  it('times out a request the broker never answers, closes the connection and rejects the rest', async () => {
    const broker = await startBroker(() => {})
    const connection = await connect(broker, { requestTimeoutMs: 150 })
    const started = performance.now()
    const first = connection.send(Metadata.api, metadataRequest)
    const second = connection.send(Metadata.api, metadataRequest, { timeoutMs: 5000 })
    const timedOut = await rejectionOf(first)
    expect(timedOut).toBeInstanceOf(RequestTimedOutError)
    expect(timedOut.retriable).toBe(true)
    expect(timedOut.message).toMatch(/no answer .* in \d+ ms; the connection is closed/)
    expect(performance.now() - started).toBeLessThan(1000)
    const other = await rejectionOf(second)
    expect(other).toBeInstanceOf(KafkaConnectionError)
    expect(other.retriable).toBe(true)
    expect(other.cause).toBe(timedOut)
    expect(connection.state).toBe('closed')
    await until(() => broker.sockets.every((socket) => socket.destroyed || socket.readableEnded))
  })

  it('times out a request still queued on its own, keeping the connection', async () => {
    const held: ReceivedRequest[] = []
    const broker = await startBroker((request) => held.push(request))
    const connection = await connect(broker, { maxInFlightRequests: 1, requestTimeoutMs: 5000 })
    const first = connection.send(Metadata.api, metadataRequest)
    const queued = connection.send(Metadata.api, metadataRequest, { timeoutMs: 50 })
    const error = await rejectionOf(queued)
    expect(error).toBeInstanceOf(KafkaTimeoutError)
    expect(error.retriable).toBe(true)
    expect(connection.state).toBe('ready')
    await until(() => held.length === 1)
    answerMetadata(held[0] as ReceivedRequest, broker)
    await expect(first).resolves.toBeDefined()
    // The timed-out request was never written.
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(held).toHaveLength(1)
  })

  it('fails connect with a retriable KafkaTimeoutError when the broker accepts but never answers', async () => {
    const broker = await startBroker(undefined, { answerApiVersions: false })
    const started = performance.now()
    const error = await rejectionOf(
      BrokerConnection.connect({ host: '127.0.0.1', port: broker.port, connectTimeoutMs: 150 }),
    )
    expect(error).toBeInstanceOf(KafkaTimeoutError)
    expect(error.retriable).toBe(true)
    expect(performance.now() - started).toBeLessThan(1000)
  })

  it('fails connect with a retriable KafkaConnectionError when nothing listens', async () => {
    const broker = await startBroker()
    const port = broker.port
    await broker.close()
    brokers.length = 0
    const error = await rejectionOf(BrokerConnection.connect({ host: '127.0.0.1', port }))
    expect(error).toBeInstanceOf(KafkaConnectionError)
    expect(error.retriable).toBe(true)
    expect(error.message).toMatch(/ECONNREFUSED/)
  })

  it('keeps memory bounded when a broker announces a large frame and trickles it', async () => {
    let socketOf: ReceivedRequest['socket'] | undefined
    const broker = await startBroker((request) => {
      socketOf = request.socket
      const head = Buffer.alloc(8)
      head.writeInt32BE(64 * 1024 * 1024, 0)
      head.writeInt32BE(request.correlationId, 4)
      request.socket.write(head)
    })
    const connection = await connect(broker, { requestTimeoutMs: 300 })
    const before = process.memoryUsage().arrayBuffers
    const pending = connection.send(Metadata.api, metadataRequest)
    await until(() => socketOf !== undefined)
    for (let index = 0; index < 10; index++) socketOf?.write(Buffer.alloc(1024))
    expect(await rejectionOf(pending)).toBeInstanceOf(RequestTimedOutError)
    // 64 MiB announced, ~10 KiB sent: nothing near the announced size was reserved.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(8 * 1024 * 1024)
  })
})

describe('BrokerConnection: close', () => {
  it('close() rejects every pending and queued request with a typed error and resolves when the socket is gone', async () => {
    const broker = await startBroker(() => {})
    const connection = await connect(broker, { maxInFlightRequests: 1 })
    const pending = [1, 2, 3].map(() => rejectionOf(connection.send(Metadata.api, metadataRequest)))
    await until(() => broker.appRequests.length === 1)
    await connection.close()
    for (const request of pending) {
      const error = await request
      expect(error).toBeInstanceOf(KafkaConnectionError)
      expect(error.message).toMatch(/closed by the client/)
    }
    expect(await connection.closed).toBeUndefined()
    expect(connection.state).toBe('closed')
    await connection.close()
    await expect(
      connection.sendWithoutResponse(Produce.api, Produce.createRequest({ acks: 0 })),
    ).rejects.toBeInstanceOf(KafkaConnectionError)
  })

  it('leaves no socket or timer behind once closed', async () => {
    const count = (kind: string): number =>
      process.getActiveResourcesInfo().filter((name) => name === kind).length
    const broker = await startBroker(answerMetadata)
    const socketsBefore = count('TCPSocketWrap')
    const connection = await connect(broker, { requestTimeoutMs: 60_000 })
    await Promise.all(Array.from({ length: 50 }, () => connection.send(Metadata.api, metadataRequest)))
    expect(count('TCPSocketWrap')).toBeGreaterThan(socketsBefore)
    // One timer serves every request's deadline; it is still armed for the 60 s timeout until close.
    const timersOpen = count('Timeout')
    await connection.close()
    expect(count('Timeout')).toBe(timersOpen - 1)
    await broker.close()
    brokers.length = 0
    await until(() => count('TCPSocketWrap') <= socketsBefore)
  })
})

describe('BrokerConnection: observability', () => {
  it('publishes request-send and request-complete on diagnostics channels', async () => {
    const broker = await startBroker(answerMetadata)
    const connection = await connect(broker, { clientId: 'observed' })
    const sent: RequestSendMessage[] = []
    const completed: RequestCompleteMessage[] = []
    const onSend = (message: unknown): void => void sent.push(message as RequestSendMessage)
    const onComplete = (message: unknown): void => void completed.push(message as RequestCompleteMessage)
    subscribe(channelNames.requestSend, onSend)
    subscribe(channelNames.requestComplete, onComplete)
    try {
      await connection.send(Metadata.api, metadataRequest)
    } finally {
      unsubscribe(channelNames.requestSend, onSend)
      unsubscribe(channelNames.requestComplete, onComplete)
    }
    expect(sent).toEqual([
      expect.objectContaining({ api: 'Metadata', apiKey: 3, clientId: 'observed', expectResponse: true }),
    ])
    expect(completed[0]?.correlationId).toBe(sent[0]?.correlationId)
    expect(completed[0]?.responseSize).toBeGreaterThan(0)
    expect(completed[0]?.durationMs).toBeGreaterThanOrEqual(0)
    expect(completed[0]?.error).toBeUndefined()
  })

  it('reports failures and connection life on the channels and the logger', async () => {
    const broker = await startBroker((request) => request.socket.destroy())
    const lines: string[] = []
    const logger = { debug: (message: string) => void lines.push(message) }
    const events: string[] = []
    const onReady = (): void => void events.push('ready')
    const onClose = (): void => void events.push('close')
    const completed: RequestCompleteMessage[] = []
    const onComplete = (message: unknown): void => void completed.push(message as RequestCompleteMessage)
    subscribe(channelNames.connectionReady, onReady)
    subscribe(channelNames.connectionClose, onClose)
    subscribe(channelNames.requestComplete, onComplete)
    try {
      const connection = await connect(broker, { logger })
      await rejectionOf(connection.send(Metadata.api, metadataRequest))
    } finally {
      unsubscribe(channelNames.connectionReady, onReady)
      unsubscribe(channelNames.connectionClose, onClose)
      unsubscribe(channelNames.requestComplete, onComplete)
    }
    expect(events).toEqual(['ready', 'close'])
    expect(completed.at(-1)?.error).toBeInstanceOf(KafkaConnectionError)
    expect(lines).toEqual(['connection ready', 'connection lost'])
  })

  it('shows host, port and state, never options, in inspect() and JSON', async () => {
    const broker = await startBroker()
    const connection = await connect(broker, { clientId: 'shown' })
    const text = inspect(connection, { depth: 10, showHidden: true })
    expect(text).toMatch(/^BrokerConnection \{/)
    expect(text).toContain("state: 'ready'")
    expect(JSON.parse(JSON.stringify(connection))).toEqual({
      host: '127.0.0.1',
      port: broker.port,
      clientId: 'shown',
      state: 'ready',
      tls: false,
      sasl: null,
      inFlight: 0,
      queued: 0,
    })
  })
})

describe('BrokerConnection: options', () => {
  it('refuses non-positive limits with IllegalArgumentError', async () => {
    await expect(
      BrokerConnection.connect({ host: '127.0.0.1', port: 1, maxInFlightRequests: 0 }),
    ).rejects.toThrow(/maxInFlightRequests must be a positive number/)
  })

  it('rejects a request whose body cannot be encoded without touching the connection', async () => {
    const broker = await startBroker(answerMetadata)
    const connection = await connect(broker)
    await expect(connection.send(Metadata.api, metadataRequest, { version: 999 })).rejects.toBeInstanceOf(
      KafkaError,
    )
    expect(connection.state).toBe('ready')
    expect((await connection.send(Metadata.api, metadataRequest)).clusterId).toBe('fake-cluster')
  })
})

// Vitest fails the run on an unhandled rejection; this spy makes the expectation explicit for this file.
const unhandled = vi.fn()
process.on('unhandledRejection', unhandled)
afterEach(() => {
  expect(unhandled).not.toHaveBeenCalled()
})
