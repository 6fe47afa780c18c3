import {
  CoordinatorNotAvailableError,
  ErrorCode,
  FindCoordinator,
  GroupAuthorizationFailedError,
  Heartbeat,
  IllegalArgumentError,
  InitProducerId,
  KafkaConnectionError,
  NotCoordinatorError,
  Produce,
} from '@kafkite/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { ClusterClient } from './cluster-client.js'
import { FakeCluster } from './test-support/fake-cluster.js'

const clusters: FakeCluster[] = []
const clients: ClusterClient[] = []

async function start(nodes: number, maxVersions?: Record<number, number>): Promise<FakeCluster> {
  const fake = await FakeCluster.start({ nodes, ...(maxVersions === undefined ? {} : { maxVersions }) })
  clusters.push(fake)
  return fake
}

function client(fake: FakeCluster): ClusterClient {
  const created = new ClusterClient({
    bootstrapServers: fake.bootstrap,
    retryBackoffMs: 10,
    reconnectBackoffMs: 10,
    reconnectBackoffMaxMs: 50,
  })
  clients.push(created)
  return created
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((each) => each.close()))
  await Promise.all(clusters.splice(0).map((each) => each.close()))
})

const heartbeat = Heartbeat.createRequest({ groupId: 'g', generationId: 1, memberId: 'm' })

describe('coordinators', () => {
  it('finds a group coordinator once and caches it', async () => {
    const fake = await start(3)
    fake.coordinators.set('0:g', 3)
    const kafka = client(fake)
    expect(await kafka.coordinatorFor('group', 'g')).toMatchObject({ nodeId: 3 })
    await kafka.sendToCoordinator('group', 'g', Heartbeat.api, heartbeat)
    await kafka.sendToCoordinator('group', 'g', Heartbeat.api, heartbeat)
    expect(fake.appRequests(FindCoordinator.api)).toHaveLength(1)
    expect(fake.node(3).appRequests(Heartbeat.api)).toHaveLength(2)
  })

  it('batches keys asked in the same tick into one FindCoordinator v4+ request', async () => {
    const fake = await start(2)
    fake.coordinators.set('0:b', 2)
    const kafka = client(fake)
    await kafka.bootstrap()
    const nodes = await Promise.all(['a', 'b', 'c', 'a'].map((key) => kafka.coordinatorFor('group', key)))
    expect(nodes.map((node) => node.nodeId)).toEqual([1, 2, 1, 1])
    const requests = fake.appRequests(FindCoordinator.api)
    expect(requests).toHaveLength(1)
    expect((requests[0]?.body as FindCoordinator.Request | undefined)?.coordinatorKeys).toEqual([
      'a',
      'b',
      'c',
    ])
  })

  it('asks one key per request from a broker older than FindCoordinator v4', async () => {
    const fake = await start(1, { [FindCoordinator.api.apiKey]: 3 })
    const kafka = client(fake)
    await kafka.bootstrap()
    await Promise.all([kafka.coordinatorFor('txn', 'x'), kafka.coordinatorFor('txn', 'y')])
    const requests = fake.appRequests(FindCoordinator.api)
    expect(requests.map((request) => (request.body as FindCoordinator.Request).key).sort()).toEqual([
      'x',
      'y',
    ])
    expect(requests.every((request) => (request.body as FindCoordinator.Request).keyType === 1)).toBe(true)
  })

  it('on NOT_COORDINATOR drops the cached coordinator and a retry finds the new one', async () => {
    const fake = await start(2)
    fake.coordinators.set('0:g', 1)
    const kafka = client(fake)
    await kafka.sendToCoordinator('group', 'g', Heartbeat.api, heartbeat)
    // The group moves to node 2; node 1 now answers NOT_COORDINATOR.
    fake.coordinators.set('0:g', 2)
    fake.node(1).handler = (request) =>
      request.api.apiKey === Heartbeat.api.apiKey ? { errorCode: ErrorCode.NOT_COORDINATOR } : undefined
    const first = await kafka
      .sendToCoordinator('group', 'g', Heartbeat.api, heartbeat)
      .catch((error: unknown) => error)
    expect(first).toBeInstanceOf(NotCoordinatorError)
    expect((first as { retriable: boolean }).retriable).toBe(true)
    const response = await kafka.withRetries(() =>
      kafka.sendToCoordinator('group', 'g', Heartbeat.api, heartbeat),
    )
    expect(response.errorCode).toBe(0)
    expect(fake.appRequests(FindCoordinator.api)).toHaveLength(2)
    expect(fake.node(2).appRequests(Heartbeat.api)).toHaveLength(1)
  })

  it('on COORDINATOR_NOT_AVAILABLE from FindCoordinator, retries until the coordinator is up', async () => {
    const fake = await start(1)
    let refusals = 2
    fake.handler = (request) => {
      if (request.api.apiKey !== FindCoordinator.api.apiKey || refusals === 0) return undefined
      refusals -= 1
      const body = request.body as FindCoordinator.Request
      return {
        coordinators: body.coordinatorKeys.map((key) => ({
          key,
          nodeId: -1,
          host: '',
          port: -1,
          errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE,
        })),
      }
    }
    const kafka = client(fake)
    await expect(kafka.coordinatorFor('group', 'g')).rejects.toBeInstanceOf(CoordinatorNotAvailableError)
    const node = await kafka.withRetries(() => kafka.coordinatorFor('group', 'g'))
    expect(node.nodeId).toBe(1)
    expect(fake.appRequests(FindCoordinator.api)).toHaveLength(3)
  })

  it('a connection failure to the coordinator drops it too; other error codes stay in the response', async () => {
    const fake = await start(2)
    fake.coordinators.set('0:g', 2)
    const kafka = client(fake)
    await kafka.coordinatorFor('group', 'g')
    fake.node(2).handler = (request) => (request.api.apiKey === Heartbeat.api.apiKey ? 'close' : undefined)
    await expect(kafka.sendToCoordinator('group', 'g', Heartbeat.api, heartbeat)).rejects.toBeInstanceOf(
      KafkaConnectionError,
    )
    fake.node(2).handler = (request) =>
      request.api.apiKey === Heartbeat.api.apiKey ? { errorCode: ErrorCode.REBALANCE_IN_PROGRESS } : undefined
    const response = await kafka.sendToCoordinator('group', 'g', Heartbeat.api, heartbeat)
    expect(response.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS)
    expect(fake.appRequests(FindCoordinator.api)).toHaveLength(2)
  })

  it('gives a per-key error typed, and invalidateCoordinator() forces a new lookup', async () => {
    const fake = await start(1)
    fake.handler = (request) => {
      if (request.api.apiKey !== FindCoordinator.api.apiKey) return undefined
      const body = request.body as FindCoordinator.Request
      return {
        coordinators: body.coordinatorKeys.map((key) =>
          key === 'secret'
            ? { key, nodeId: -1, host: '', port: -1, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED }
            : { key, nodeId: 1, host: '127.0.0.1', port: fake.node(1).port, errorCode: 0 },
        ),
      }
    }
    const kafka = client(fake)
    await kafka.bootstrap()
    const [open, secret] = await Promise.allSettled([
      kafka.coordinatorFor('group', 'open'),
      kafka.coordinatorFor('group', 'secret'),
    ])
    expect(open.status).toBe('fulfilled')
    expect((secret as PromiseRejectedResult).reason).toBeInstanceOf(GroupAuthorizationFailedError)
    kafka.invalidateCoordinator('group', 'open')
    await kafka.coordinatorFor('group', 'open')
    expect(fake.appRequests(FindCoordinator.api)).toHaveLength(2)
  })

  it('routes init-producer-id to the txn coordinator on the default lane', async () => {
    const fake = await start(2)
    fake.coordinators.set('1:tx', 2)
    const kafka = client(fake)
    await kafka.sendToCoordinator(
      'txn',
      'tx',
      InitProducerId.api,
      InitProducerId.createRequest({ transactionalId: 'tx', transactionTimeoutMs: 1000 }),
    )
    expect(fake.node(2).appRequests(InitProducerId.api)).toHaveLength(1)
    expect(kafka.metadata.brokers.has(2)).toBe(true)
  })
})

describe('routing', () => {
  it('refuses to guess a route for leader, coordinator and internal APIs', async () => {
    const fake = await start(1)
    const kafka = client(fake)
    await expect(kafka.send(Produce.api, Produce.createRequest())).rejects.toBeInstanceOf(
      IllegalArgumentError,
    )
    await expect(kafka.send(Heartbeat.api, heartbeat)).rejects.toThrow(/sendToCoordinator/)
    const { LeaderAndIsr } = await import('@kafkite/protocol')
    await expect(kafka.send(LeaderAndIsr.api, LeaderAndIsr.createRequest())).rejects.toBeInstanceOf(
      IllegalArgumentError,
    )
    await expect(kafka.coordinatorFor('nope' as 'group', 'g')).rejects.toBeInstanceOf(IllegalArgumentError)
  })

  it('sends any-broker requests to the least busy ready broker', async () => {
    const fake = await start(3)
    const kafka = client(fake)
    await kafka.bootstrap()
    for (let index = 0; index < 5; index += 1) {
      await kafka.send(FindCoordinator.api, FindCoordinator.createRequest({ coordinatorKeys: ['x'] }))
    }
    // The bootstrap connection is ready and idle: every request goes there, none opens a new connection.
    expect(fake.connections).toBe(1)
  })
})
