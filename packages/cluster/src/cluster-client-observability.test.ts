import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import {
  ErrorCode,
  Heartbeat,
  ListOffsets,
  Metadata,
  NoBrokersAvailable,
  NotLeaderForPartitionError,
} from '@kafkite/protocol'
import { channelNames } from '@kafkite/transport'
import { afterEach, describe, expect, it } from 'vitest'
import { ClusterClient } from './cluster-client.js'
import { clusterChannelNames } from './diagnostics.js'
import { FakeCluster, until } from './test-support/fake-cluster.js'

const clusters: FakeCluster[] = []
const clients: ClusterClient[] = []

afterEach(async () => {
  await Promise.all(clients.splice(0).map((each) => each.close()))
  await Promise.all(clusters.splice(0).map((each) => each.close()))
})

async function start(nodes: number, nodeIds?: number[]): Promise<FakeCluster> {
  const fake = await FakeCluster.start({ nodes, ...(nodeIds === undefined ? {} : { nodeIds }) })
  clusters.push(fake)
  return fake
}

describe('logger and diagnostics channels', () => {
  it('reports bootstrap, refreshes, connects, lookups, retries and lost connections', async () => {
    const fake = await start(2)
    fake.coordinators.set('0:g', 2)
    const lines: string[] = []
    const log = (message: string): void => {
      lines.push(message)
    }
    const events = new Map<string, number>()
    const listeners = Object.values({ ...clusterChannelNames, ...channelNames }).map((name) => {
      const listener = (): void => {
        events.set(name, (events.get(name) ?? 0) + 1)
      }
      subscribe(name, listener)
      return { name, listener }
    })
    try {
      const kafka = new ClusterClient({
        bootstrapServers: fake.bootstrap,
        retryBackoffMs: 5,
        reconnectBackoffMs: 5,
        reconnectBackoffMaxMs: 20,
        logger: { debug: log, info: log, warn: log, error: log },
      })
      clients.push(kafka)
      await kafka.sendToCoordinator('group', 'g', Heartbeat.api, Heartbeat.createRequest({ groupId: 'g' }))
      let failures = 1
      await kafka.withRetries(async () => {
        if (failures-- > 0) throw new NotLeaderForPartitionError()
      })
      await kafka.withRetries(async () => {
        if (failures-- > -1) {
          const { KafkaConnectionError } = await import('@kafkite/protocol')
          throw new KafkaConnectionError()
        }
      })
      fake.node(2).dropConnections()
      await until(() => lines.includes('connection lost'))
      await fake.node(2).stop()
      await kafka.sendToBroker(2, ListOffsets.api, ListOffsets.createRequest()).catch(() => {})
      await until(() => lines.includes('connect failed'))
    } finally {
      for (const { name, listener } of listeners) unsubscribe(name, listener)
    }
    expect(lines).toEqual(
      expect.arrayContaining(['bootstrapped', 'retrying', 'connection lost', 'connect failed']),
    )
    for (const name of [
      clusterChannelNames.metadataRefresh,
      clusterChannelNames.brokerConnect,
      clusterChannelNames.coordinatorLookup,
      clusterChannelNames.retry,
      channelNames.requestSend,
      channelNames.connectionReady,
    ]) {
      expect(events.get(name) ?? 0, name).toBeGreaterThan(0)
    }
  })
})

describe('metadata refresh failures', () => {
  it('falls back to a bootstrap server the metadata does not list when every known broker is gone', async () => {
    const old = await start(1, [1])
    const moved = await start(1, [7])
    const kafka = new ClusterClient({
      bootstrapServers: [`127.0.0.1:${old.node(1).port}`, `127.0.0.1:${moved.node(7).port}`],
      retryBackoffMs: 5,
      reconnectBackoffMs: 5,
      reconnectBackoffMaxMs: 20,
    })
    clients.push(kafka)
    await kafka.bootstrap()
    expect([...kafka.metadata.brokers.keys()]).toEqual([1])
    await old.node(1).stop()
    const metadata = await kafka.withRetries(async () => {
      const refreshed = await kafka.refreshMetadata()
      if (!refreshed.brokers.has(7)) throw new NoBrokersAvailable({ message: 'not yet' })
      return refreshed
    })
    expect([...metadata.brokers.keys()]).toEqual([7])
    // The bootstrap connection to node 7 was kept as its default lane.
    await kafka.brokerConnection(7)
    expect(moved.node(7).connections).toBe(1)
  })

  it('a refresh with no broker answering throws NoBrokersAvailable; cached topics stay usable', async () => {
    const fake = await start(1)
    fake.addTopic('t')
    const kafka = new ClusterClient({
      bootstrapServers: fake.bootstrap,
      retryBackoffMs: 5,
      reconnectBackoffMs: 5,
      reconnectBackoffMaxMs: 20,
    })
    clients.push(kafka)
    await kafka.partitionsFor('t')
    await fake.node(1).stop()
    await expect(kafka.refreshMetadata()).rejects.toBeInstanceOf(NoBrokersAvailable)
    // Marked stale, the refresh fails, and the cached answer is still given.
    expect((await kafka.leaderFor('t', 0)).nodeId).toBe(1)
  })

  it('keeps a topic-level error for a topic without partitions', async () => {
    const fake = await start(1)
    const topic = fake.addTopic('t')
    topic.errorCode = ErrorCode.LEADER_NOT_AVAILABLE
    topic.partitions = []
    const kafka = new ClusterClient({ bootstrapServers: fake.bootstrap, retryBackoffMs: 5 })
    clients.push(kafka)
    await expect(kafka.partitionsFor('t')).rejects.toMatchObject({ code: ErrorCode.LEADER_NOT_AVAILABLE })
    expect(fake.appRequests(Metadata.api).length).toBeGreaterThanOrEqual(2)
  })
})
