// @kafkite/cluster against the real broker: bootstrap and metadata, a topic created through the controller
// route, leader and group coordinator lookup, a broker restart in the middle of traffic, and SASL_SSL.
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import {
  type BrokerConnectMessage,
  ClusterClient,
  type ClusterClientOptions,
  clusterChannelNames,
  isRetriable,
} from '@kafkite/cluster'
import { CreateTopics, ErrorCode, errorFromCode, ListOffsets } from '@kafkite/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { canControlNodes, controlCluster, kafka, tlsPem, uniqueGroup, uniqueTopic } from '../src/index.js'

const info = kafka()
const clients: ClusterClient[] = []

function client(options: ClusterClientOptions): ClusterClient {
  const created = new ClusterClient({ clientId: `kafkite-cluster-${clients.length}`, ...options })
  clients.push(created)
  return created
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((each) => each.close()))
})

async function createTopic(cluster: ClusterClient, name: string, partitions: number): Promise<void> {
  const response = await cluster.send(
    CreateTopics.api,
    CreateTopics.createRequest({
      topics: [{ name, numPartitions: partitions, replicationFactor: -1 }],
      timeoutMs: 30_000,
    }),
  )
  const result = response.topics[0]
  if (result?.errorCode !== 0) throw new Error(`CreateTopics ${name}: error ${result?.errorCode}`)
}

/** The latest offset of one partition, asked of its leader; a partition error code becomes its typed error. */
async function latestOffset(cluster: ClusterClient, topic: string, partition: number): Promise<bigint> {
  const { nodeId } = await cluster.leaderFor(topic, partition)
  const response = await cluster.sendToBroker(
    nodeId,
    ListOffsets.api,
    ListOffsets.createRequest({
      replicaId: -1,
      topics: [{ name: topic, partitions: [{ partitionIndex: partition, timestamp: -1n }] }],
    }),
    { timeoutMs: 5000 },
  )
  const answer = response.topics[0]?.partitions[0]
  const error = errorFromCode(answer?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR)
  if (error !== undefined) throw error
  return answer?.offset ?? -1n
}

describe('cluster over PLAINTEXT', () => {
  const bootstrapServers = info.bootstrap.PLAINTEXT ?? ''

  it('bootstraps, creates a topic through the controller route and finds every partition leader', async () => {
    const cluster = client({ bootstrapServers })
    await cluster.bootstrap()
    const { metadata } = cluster
    expect(metadata.brokers.size).toBe(info.nodeCount)
    expect(metadata.clusterId).toEqual(expect.any(String))
    expect(metadata.controllerId).toBeGreaterThanOrEqual(0)
    const topic = uniqueTopic()
    await createTopic(cluster, topic, 3)
    // Right after creation the partitions may still be electing leaders: retriable errors until they are.
    const leaders = await cluster.withRetries(
      () => Promise.all([0, 1, 2].map((partition) => cluster.leaderFor(topic, partition))),
      { timeoutMs: 30_000 },
    )
    for (const leader of leaders) {
      expect(metadata.brokers.has(leader.nodeId) || cluster.metadata.brokers.has(leader.nodeId)).toBe(true)
      expect(leader.leaderEpoch).toBeGreaterThanOrEqual(0)
    }
    const partitions = await cluster.partitionsFor(topic)
    expect(partitions.map((entry) => entry.partition)).toEqual([0, 1, 2])
    expect(cluster.metadata.topics.get(topic)?.topicId).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(await cluster.withRetries(() => latestOffset(cluster, topic, 0), { timeoutMs: 30_000 })).toBe(0n)
  })

  it('finds and caches a group coordinator', async () => {
    const cluster = client({ bootstrapServers })
    const group = uniqueGroup()
    // The first lookup on a fresh cluster creates __consumer_offsets: COORDINATOR_NOT_AVAILABLE until then.
    const coordinator = await cluster.withRetries(() => cluster.coordinatorFor('group', group), {
      timeoutMs: 60_000,
    })
    expect(cluster.metadata.brokers.has(coordinator.nodeId)).toBe(true)
    expect(await cluster.coordinatorFor('group', group)).toBe(coordinator)
  })
})

describe.runIf(canControlNodes())('cluster through a broker restart', () => {
  it('pending requests fail retriably or succeed through retries, reconnects stay bounded, later requests succeed', async () => {
    const clientId = `kafkite-restart-${Date.now()}`
    const cluster = client({
      bootstrapServers: info.bootstrap.PLAINTEXT ?? '',
      clientId,
      requestTimeoutMs: 10_000,
      connectTimeoutMs: 5000,
    })
    const topic = uniqueTopic()
    await createTopic(cluster, topic, 1)
    await cluster.withRetries(() => latestOffset(cluster, topic, 0), { timeoutMs: 30_000 })
    // Restart the partition's leader (node index i has id i + 1), so the traffic is hit on any cluster size.
    const leaderBefore = await cluster.leaderFor(topic, 0)

    const connects: BrokerConnectMessage[] = []
    const onConnect = (message: unknown): void => {
      const connect = message as BrokerConnectMessage
      if (connect.clientId === clientId) connects.push(connect)
    }
    subscribe(clusterChannelNames.brokerConnect, onConnect)
    const single: PromiseSettledResult<bigint>[] = []
    const retried: Promise<bigint>[] = []
    try {
      const control = await controlCluster()
      let restarting = true
      const restart = control.restartNode(leaderBefore.nodeId - 1).finally(() => {
        restarting = false
      })
      // Traffic for the whole restart: one bare attempt every 100 ms, and every second one with retries.
      let tick = 0
      while (restarting) {
        const attempt = latestOffset(cluster, topic, 0)
        void attempt.then(
          (value) => single.push({ status: 'fulfilled', value }),
          (reason: unknown) => single.push({ status: 'rejected', reason }),
        )
        if (tick % 10 === 0) {
          retried.push(cluster.withRetries(() => latestOffset(cluster, topic, 0), { timeoutMs: 90_000 }))
        }
        tick += 1
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      await restart
      // Everything asked with retries succeeds once the broker is back.
      const offsets = await Promise.all(retried)
      expect(offsets.every((offset) => offset === 0n)).toBe(true)
    } finally {
      unsubscribe(clusterChannelNames.brokerConnect, onConnect)
    }
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const failures = single.filter((result) => result.status === 'rejected')
    // The restart was seen: some bare attempts failed, or (with followers to take over) the leadership
    // moved; every failure was typed and retriable.
    const leaderAfter = await cluster.leaderFor(topic, 0)
    const moved =
      leaderAfter.nodeId !== leaderBefore.nodeId || leaderAfter.leaderEpoch > leaderBefore.leaderEpoch
    expect(failures.length > 0 || moved).toBe(true)
    if (info.nodeCount === 1) expect(failures.length).toBeGreaterThan(0)
    for (const failure of failures) {
      expect(
        isRetriable((failure as PromiseRejectedResult).reason),
        String((failure as PromiseRejectedResult).reason),
      ).toBe(true)
    }
    // No reconnect storm: with a 50 ms backoff doubling to 1 s, a restart of ~15 s costs a few dozen
    // attempts, not one per request (there were hundreds of requests).
    expect(connects.length).toBeGreaterThan(0)
    expect(connects.length).toBeLessThanOrEqual(60)
    // After the restart, plain single attempts succeed again.
    expect(await latestOffset(cluster, topic, 0)).toBe(0n)
  })
})

describe.runIf(info.bootstrap.SASL_SSL !== undefined)('cluster over SASL_SSL', () => {
  const user = info.saslUsers.find((candidate) => candidate.mechanisms.includes('SCRAM-SHA-512'))

  it('bootstraps with SCRAM-SHA-512, creates a topic and finds its leader and a coordinator', async () => {
    if (user === undefined) throw new Error('the harness has no SCRAM-SHA-512 user')
    const cluster = client({
      bootstrapServers: info.bootstrap.SASL_SSL ?? '',
      securityProtocol: 'SASL_SSL',
      ssl: { ca: tlsPem(info).ca },
      sasl: { mechanism: 'SCRAM-SHA-512', username: user.username, password: user.password },
    })
    await cluster.bootstrap()
    // The brokers are advertised on the listener we came in on.
    const ports = new Set(
      (info.bootstrap.SASL_SSL ?? '').split(',').map((address) => Number(address.split(':')[1])),
    )
    for (const broker of cluster.metadata.brokers.values()) expect(ports.has(broker.port)).toBe(true)
    const topic = uniqueTopic()
    await createTopic(cluster, topic, 1)
    expect(await cluster.withRetries(() => latestOffset(cluster, topic, 0), { timeoutMs: 30_000 })).toBe(0n)
    const coordinator = await cluster.withRetries(() => cluster.coordinatorFor('group', uniqueGroup()), {
      timeoutMs: 60_000,
    })
    expect(cluster.metadata.brokers.has(coordinator.nodeId)).toBe(true)
  })

  it('fails closed and fast with a wrong password: typed, not retriable, one connection attempt', async () => {
    if (user === undefined) throw new Error('the harness has no SCRAM-SHA-512 user')
    const connects: BrokerConnectMessage[] = []
    const clientId = `kafkite-wrong-password-${Date.now()}`
    const onConnect = (message: unknown): void => {
      const connect = message as BrokerConnectMessage
      if (connect.clientId === clientId) connects.push(connect)
    }
    const canary = 'canary-Wrong-Password-7f3a'
    const cluster = client({
      bootstrapServers: info.bootstrap.SASL_SSL ?? '',
      clientId,
      securityProtocol: 'SASL_SSL',
      ssl: { ca: tlsPem(info).ca },
      sasl: { mechanism: 'SCRAM-SHA-512', username: user.username, password: canary },
    })
    subscribe(clusterChannelNames.brokerConnect, onConnect)
    const startedAt = performance.now()
    let error: unknown
    try {
      error = await cluster.withRetries(() => cluster.bootstrap()).catch((caught: unknown) => caught)
    } finally {
      unsubscribe(clusterChannelNames.brokerConnect, onConnect)
    }
    expect(performance.now() - startedAt).toBeLessThan(5000)
    expect(error).toBeInstanceOf(Error)
    expect(isRetriable(error)).toBe(false)
    expect(String(error)).not.toContain(canary)
    expect(connects).toHaveLength(1)
  })
})
