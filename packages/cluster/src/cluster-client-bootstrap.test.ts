import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { createServer } from 'node:net'
import {
  CreateTopics,
  IllegalStateError,
  KafkaConnectionError,
  Metadata,
  NoBrokersAvailable,
} from '@kafkite/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { ClusterClient } from './cluster-client.js'
import { clusterChannelNames, type MetadataRefreshMessage } from './diagnostics.js'
import { FakeCluster } from './test-support/fake-cluster.js'

const clusters: FakeCluster[] = []
const clients: ClusterClient[] = []

async function cluster(nodes = 1): Promise<FakeCluster> {
  const started = await FakeCluster.start({ nodes })
  clusters.push(started)
  return started
}

function client(options: ConstructorParameters<typeof ClusterClient>[0]): ClusterClient {
  const created = new ClusterClient({ reconnectBackoffMs: 10, reconnectBackoffMaxMs: 50, ...options })
  clients.push(created)
  return created
}

/** A port nobody listens on: bound, then released. */
async function deadPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((each) => each.close()))
  await Promise.all(clusters.splice(0).map((each) => each.close()))
})

describe('bootstrap', () => {
  it('falls back to the second server when the first refuses, and learns the cluster', async () => {
    const fake = await cluster(3)
    fake.controllerId = 2
    const dead = await deadPort()
    const second = fake.node(2)
    const kafka = client({ bootstrapServers: [`127.0.0.1:${dead}`, `127.0.0.1:${second.port}`] })
    await kafka.bootstrap()
    expect(second.appRequests(Metadata.api)).toHaveLength(1)
    expect(kafka.metadata.clusterId).toBe('fake-cluster')
    expect(kafka.metadata.controllerId).toBe(2)
    expect([...kafka.metadata.brokers.keys()]).toEqual([1, 2, 3])
    // The bootstrap connection is kept as node 2's default lane: no second connection to it.
    await kafka.brokerConnection(2)
    expect(second.connections).toBe(1)
  })

  it('takes a comma-separated string and a bare host defaults to port 9092', () => {
    const kafka = client({ bootstrapServers: ' a:1 , b ' })
    expect(kafka.options.bootstrapServers).toEqual([
      { host: 'a', port: 1 },
      { host: 'b', port: 9092 },
    ])
  })

  it('throws NoBrokersAvailable naming every address and why it failed', async () => {
    const first = await deadPort()
    const second = await deadPort()
    const kafka = client({ bootstrapServers: `127.0.0.1:${first},127.0.0.1:${second}` })
    const error = await kafka.bootstrap().then(
      () => undefined,
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(NoBrokersAvailable)
    const message = (error as Error).message
    expect(message).toContain(`127.0.0.1:${first}`)
    expect(message).toContain(`127.0.0.1:${second}`)
    expect(message).toMatch(/ECONNREFUSED|refused/i)
    expect((error as NoBrokersAvailable).retriable).toBe(true)
    const cause = (error as Error).cause as AggregateError
    expect(cause.errors).toHaveLength(2)
    expect(cause.errors[0]).toBeInstanceOf(KafkaConnectionError)
  })

  it('stops at the first server that fails for a reason the others would share (authentication)', async () => {
    const fake = await cluster(2)
    const kafka = client({
      bootstrapServers: fake.bootstrap,
      securityProtocol: 'SASL_PLAINTEXT',
      sasl: { mechanism: 'PLAIN', username: 'u', password: 'wrong-password' },
    })
    // SaslHandshake answered with an empty mechanism list: the broker offers nothing we can use.
    fake.handler = (request) =>
      request.api.name === 'SaslHandshake' ? { errorCode: 33, mechanisms: [] } : undefined
    const error = await kafka.bootstrap().catch((caught: unknown) => caught)
    expect(error).not.toBeInstanceOf(NoBrokersAvailable)
    expect((error as { retriable: boolean }).retriable).toBe(false)
    expect(fake.node(2).connections).toBe(0)
    expect(String(error)).not.toContain('wrong-password')
  })

  it('shares one attempt between concurrent callers and bootstraps lazily on first use', async () => {
    const fake = await cluster(1)
    const kafka = client({ bootstrapServers: fake.bootstrap })
    await Promise.all([kafka.bootstrap(), kafka.bootstrap(), kafka.partitionsFor('missing').catch(() => {})])
    const metadataRequests = fake.appRequests(Metadata.api)
    // One bootstrap request, one for the topic asked about.
    expect(metadataRequests).toHaveLength(2)
    await kafka.bootstrap()
    expect(fake.appRequests(Metadata.api)).toHaveLength(2)
  })

  it('publishes the bootstrap on kafkite:metadata-refresh', async () => {
    const fake = await cluster(1)
    const seen: MetadataRefreshMessage[] = []
    const listener = (message: unknown): void => {
      seen.push(message as MetadataRefreshMessage)
    }
    subscribe(clusterChannelNames.metadataRefresh, listener)
    try {
      await client({ bootstrapServers: fake.bootstrap, clientId: 'observed' }).bootstrap()
    } finally {
      unsubscribe(clusterChannelNames.metadataRefresh, listener)
    }
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ clientId: 'observed', reason: 'bootstrap', nodeId: -1 })
  })

  it('rejects every call after close()', async () => {
    const fake = await cluster(1)
    const kafka = client({ bootstrapServers: fake.bootstrap })
    await kafka.close()
    await expect(kafka.bootstrap()).rejects.toBeInstanceOf(IllegalStateError)
    await expect(kafka.send(CreateTopics.api, CreateTopics.createRequest())).rejects.toBeInstanceOf(
      IllegalStateError,
    )
  })
})
