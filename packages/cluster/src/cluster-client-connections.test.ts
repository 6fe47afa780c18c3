import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import {
  Fetch,
  IllegalStateError,
  KafkaConnectionError,
  ListOffsets,
  Metadata,
  Produce,
} from '@kafkite/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { ClusterClient } from './cluster-client.js'
import { type BrokerConnectMessage, clusterChannelNames } from './diagnostics.js'
import { delay, FakeCluster, until } from './test-support/fake-cluster.js'

const clusters: FakeCluster[] = []
const clients: ClusterClient[] = []

async function start(nodes: number): Promise<FakeCluster> {
  const fake = await FakeCluster.start({ nodes })
  clusters.push(fake)
  return fake
}

function client(
  fake: FakeCluster,
  options: ConstructorParameters<typeof ClusterClient>[0] = {},
): ClusterClient {
  const created = new ClusterClient({ bootstrapServers: fake.bootstrap, retryBackoffMs: 10, ...options })
  clients.push(created)
  return created
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((each) => each.close()))
  await Promise.all(clusters.splice(0).map((each) => each.close()))
})

function watchConnects(): { messages: BrokerConnectMessage[]; stop(): void } {
  const messages: BrokerConnectMessage[] = []
  const listener = (message: unknown): void => {
    messages.push(message as BrokerConnectMessage)
  }
  subscribe(clusterChannelNames.brokerConnect, listener)
  return { messages, stop: () => unsubscribe(clusterChannelNames.brokerConnect, listener) }
}

const produceRequest = Produce.createRequest({ acks: 1, timeoutMs: 1000, topicData: [] })
const fetchRequest = Fetch.createRequest({ maxWaitMs: 500, minBytes: 1, topics: [] })

describe('connection lanes', () => {
  it('a long-polling fetch lane does not delay requests on the default lane', async () => {
    const fake = await start(1)
    fake.handler = async (request) => {
      if (request.api.apiKey === Fetch.api.apiKey) await delay(400)
      return undefined
    }
    const kafka = client(fake)
    await kafka.bootstrap()
    const fetching = kafka.sendToBroker(1, Fetch.api, fetchRequest, { lane: 'fetch' })
    await until(() => fake.appRequests(Fetch.api).length === 1)
    const startedAt = performance.now()
    await kafka.sendToBroker(1, Produce.api, produceRequest)
    const produceMs = performance.now() - startedAt
    expect(produceMs).toBeLessThan(200)
    await fetching
    // Two connections to the broker: bootstrap/default and fetch.
    expect(fake.node(1).connections).toBe(2)
  })

  it('on one lane, a slow request does hold the next one back (why lanes exist)', async () => {
    const fake = await start(1)
    fake.handler = async (request) => {
      if (request.api.apiKey === Fetch.api.apiKey) await delay(300)
      return undefined
    }
    const kafka = client(fake)
    await kafka.bootstrap()
    const fetching = kafka.sendToBroker(1, Fetch.api, fetchRequest)
    await until(() => fake.appRequests(Fetch.api).length === 1)
    const startedAt = performance.now()
    await kafka.sendToBroker(1, Produce.api, produceRequest)
    expect(performance.now() - startedAt).toBeGreaterThan(150)
    await fetching
  })
})

describe('reconnecting', () => {
  it('backs off between connect attempts to a dead broker: no storm, one attempt in flight', async () => {
    const fake = await start(2)
    const kafka = client(fake, { reconnectBackoffMs: 20, reconnectBackoffMaxMs: 200 })
    await kafka.bootstrap()
    await fake.node(2).stop()
    const watch = watchConnects()
    try {
      const startedAt = performance.now()
      // 40 callers hammering the dead broker for ~1 s.
      while (performance.now() - startedAt < 1000) {
        await Promise.allSettled(
          Array.from({ length: 40 }, () =>
            kafka.sendToBroker(2, ListOffsets.api, ListOffsets.createRequest()),
          ),
        )
      }
    } finally {
      watch.stop()
    }
    const attempts = watch.messages.filter((message) => message.nodeId === 2 && message.lane === 'default')
    // 20, 40, 80, 160, 200, 200, … ms apart (±20%): about 8 attempts in a second, never hundreds.
    expect(attempts.length).toBeGreaterThanOrEqual(3)
    expect(attempts.length).toBeLessThanOrEqual(12)
    expect(attempts.every((message) => message.error instanceof KafkaConnectionError)).toBe(true)
    expect(attempts.map((message) => message.failuresBefore)).toEqual(attempts.map((_, index) => index))
  })

  it('reconnects after the broker comes back and the requests succeed again', async () => {
    const fake = await start(1)
    const kafka = client(fake, { reconnectBackoffMs: 10, reconnectBackoffMaxMs: 50 })
    await kafka.bootstrap()
    const node = fake.node(1)
    await node.stop()
    await expect(kafka.sendToBroker(1, ListOffsets.api, ListOffsets.createRequest())).rejects.toBeInstanceOf(
      KafkaConnectionError,
    )
    await node.listen()
    const response = await kafka.withRetries(() =>
      kafka.sendToBroker(1, ListOffsets.api, ListOffsets.createRequest()),
    )
    expect(response.topics).toEqual([])
  })

  it('backs off a broker that accepts connections and drops them at once', async () => {
    const fake = await start(1)
    const kafka = client(fake, { reconnectBackoffMs: 20, reconnectBackoffMaxMs: 200 })
    await kafka.bootstrap()
    fake.handler = (request) => (request.api.apiKey === ListOffsets.api.apiKey ? 'close' : undefined)
    const before = fake.node(1).connections
    const startedAt = performance.now()
    while (performance.now() - startedAt < 800) {
      await kafka.sendToBroker(1, ListOffsets.api, ListOffsets.createRequest()).catch(() => {})
    }
    expect(fake.node(1).connections - before).toBeLessThanOrEqual(10)
  })
})

describe('idle connections', () => {
  it('closes a connection idle longer than connectionsMaxIdleMs and reopens it on demand', async () => {
    const fake = await start(1)
    const kafka = client(fake, { connectionsMaxIdleMs: 60, metadataMaxAgeMs: 60_000 })
    await kafka.bootstrap()
    const connection = await kafka.brokerConnection(1)
    await until(() => connection.state === 'closed', 1000)
    expect(fake.node(1).connections).toBe(1)
    await kafka.sendToBroker(1, ListOffsets.api, ListOffsets.createRequest())
    expect(fake.node(1).connections).toBe(2)
  })

  it('does not close a connection while a request on it is waiting for its answer', async () => {
    const fake = await start(1)
    fake.handler = async (request) => {
      if (request.api.apiKey === Fetch.api.apiKey) await delay(250)
      return undefined
    }
    const kafka = client(fake, { connectionsMaxIdleMs: 50, metadataMaxAgeMs: 60_000 })
    await kafka.bootstrap()
    await kafka.sendToBroker(1, Fetch.api, fetchRequest, { lane: 'fetch' })
    expect(fake.node(1).connections).toBe(2)
  })
})

describe('close()', () => {
  it('settles every pending request, lookup and refresh, and leaves no unhandled rejection', async () => {
    const fake = await start(1)
    const kafka = client(fake, { connectTimeoutMs: 300 })
    await kafka.bootstrap()
    fake.handler = () => null // silent from now on, ApiVersions of new connections included
    const pending = [
      kafka.sendToBroker(1, ListOffsets.api, ListOffsets.createRequest()),
      kafka.sendToBroker(1, Fetch.api, fetchRequest, { lane: 'fetch' }),
      kafka.refreshMetadata(),
      kafka.coordinatorFor('group', 'g'),
      kafka.withRetries(() => kafka.sendToBroker(1, ListOffsets.api, ListOffsets.createRequest())),
    ]
    await until(() => fake.appRequests().length >= 4)
    const settled = Promise.allSettled(pending)
    const closedAt = performance.now()
    await kafka.close()
    const results = await settled
    expect(performance.now() - closedAt).toBeLessThan(200)
    expect(results.every((result) => result.status === 'rejected')).toBe(true)
    for (const result of results) {
      const reason = (result as PromiseRejectedResult).reason
      expect(reason instanceof KafkaConnectionError || reason instanceof IllegalStateError).toBe(true)
    }
    await kafka.close()
    // The fetch lane's connect was abandoned mid-handshake; its socket goes when that attempt ends.
    await until(() => fake.node(1).sockets.size === 0, 2000)
  })

  it('ends a backoff wait at once', async () => {
    const fake = await start(2)
    const kafka = client(fake, { reconnectBackoffMs: 5000, reconnectBackoffMaxMs: 5000 })
    await kafka.bootstrap()
    await fake.node(2).stop()
    await kafka.sendToBroker(2, Metadata.api, Metadata.createRequest()).catch(() => {})
    const waiting = kafka.sendToBroker(2, Metadata.api, Metadata.createRequest())
    const outcome = waiting.catch((error: unknown) => error)
    await delay(20) // now inside the 5 s backoff wait
    const startedAt = performance.now()
    await kafka.close()
    expect(await outcome).toBeInstanceOf(IllegalStateError)
    expect(performance.now() - startedAt).toBeLessThan(500)
  })
})
