import {
  ErrorCode,
  errorFromCode,
  LeaderNotAvailableError,
  ListOffsets,
  Metadata,
  NotLeaderForPartitionError,
  UnknownTopicOrPartitionError,
} from '@kafkite/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { ClusterClient } from './cluster-client.js'
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
  const created = new ClusterClient({
    bootstrapServers: fake.bootstrap,
    retryBackoffMs: 10,
    reconnectBackoffMs: 10,
    reconnectBackoffMaxMs: 50,
    ...options,
  })
  clients.push(created)
  return created
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((each) => each.close()))
  await Promise.all(clusters.splice(0).map((each) => each.close()))
})

/** ListOffsets for one partition, as a producer or consumer would send it to the leader. */
async function listOffsets(kafka: ClusterClient, topic: string, partition: number): Promise<bigint> {
  const { nodeId } = await kafka.leaderFor(topic, partition)
  const response = await kafka.sendToBroker(
    nodeId,
    ListOffsets.api,
    ListOffsets.createRequest({
      replicaId: -1,
      topics: [{ name: topic, partitions: [{ partitionIndex: partition, timestamp: -1n }] }],
    }),
  )
  const answer = response.topics[0]?.partitions[0]
  const error = errorFromCode(answer?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR)
  if (error !== undefined) throw error
  return answer?.offset ?? -1n
}

/** Every node answers ListOffsets as a leader does: offset 42 when it leads the partition, NOT_LEADER otherwise. */
function answerListOffsets(fake: FakeCluster): void {
  fake.handler = (request) => {
    if (request.api.apiKey !== ListOffsets.api.apiKey) return undefined
    const body = request.body as ListOffsets.Request
    return ListOffsets.createResponse({
      topics: body.topics.map((topic) => ({
        name: topic.name,
        partitions: topic.partitions.map((partition) => {
          const leader = fake.topics.get(topic.name)?.partitions[partition.partitionIndex]?.leaderId
          return leader === request.nodeId
            ? { partitionIndex: partition.partitionIndex, errorCode: 0, offset: 42n }
            : { partitionIndex: partition.partitionIndex, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER }
        }),
      })),
    })
  }
}

describe('metadata', () => {
  it('describes topics, partitions, leaders, epochs and topic ids', async () => {
    const fake = await start(3)
    const topic = fake.addTopic('orders', 3)
    const kafka = client(fake)
    const partitions = await kafka.partitionsFor('orders')
    expect(partitions.map((entry) => [entry.partition, entry.leaderId, entry.leaderEpoch])).toEqual([
      [0, 1, 0],
      [1, 2, 0],
      [2, 3, 0],
    ])
    expect(kafka.metadata.topics.get('orders')?.topicId).toBe(topic.topicId)
    expect(kafka.metadata.topicNames.get(topic.topicId)).toBe('orders')
    expect(await kafka.leaderFor('orders', 2)).toEqual({ nodeId: 3, leaderEpoch: 0 })
  })

  it('coalesces concurrent refresh triggers into one Metadata request', async () => {
    const fake = await start(1)
    fake.addTopic('t', 1)
    const kafka = client(fake)
    await kafka.partitionsFor('t')
    const before = fake.appRequests(Metadata.api).length
    await Promise.all(Array.from({ length: 25 }, () => kafka.refreshMetadata()))
    expect(fake.appRequests(Metadata.api).length - before).toBe(1)
  })

  it('a trigger after the request went out gets exactly one follow-up, shared by later triggers', async () => {
    const fake = await start(1)
    const kafka = client(fake)
    await kafka.bootstrap()
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    fake.handler = async (request) => {
      if (request.api.apiKey === Metadata.api.apiKey) await gate
      return undefined
    }
    const before = fake.appRequests(Metadata.api).length
    const first = kafka.refreshMetadata()
    await until(() => fake.appRequests(Metadata.api).length === before + 1)
    const late = Array.from({ length: 10 }, () => kafka.refreshMetadata())
    release()
    await Promise.all([first, ...late])
    expect(fake.appRequests(Metadata.api).length - before).toBe(2)
  })

  it('asks for a topic the first time it is needed and keeps it in later refreshes', async () => {
    const fake = await start(1)
    fake.addTopic('a')
    fake.addTopic('b')
    const kafka = client(fake)
    await kafka.partitionsFor('a')
    await kafka.partitionsFor('b')
    await kafka.refreshMetadata()
    const last = fake.appRequests(Metadata.api).at(-1)?.body as Metadata.Request
    expect(last.topics?.map((topic) => topic.name)).toEqual(['a', 'b'])
    expect(last.allowAutoTopicCreation).toBe(false)
  })

  it('throws typed errors for an unknown topic, a missing partition and a partition without leader', async () => {
    const fake = await start(1)
    fake.addTopic('t', 1)
    const kafka = client(fake)
    await expect(kafka.partitionsFor('nope')).rejects.toBeInstanceOf(UnknownTopicOrPartitionError)
    await expect(kafka.leaderFor('t', 5)).rejects.toBeInstanceOf(UnknownTopicOrPartitionError)
    const entry = fake.topics.get('t')?.partitions[0]
    if (entry !== undefined) entry.leaderId = -1
    await kafka.refreshMetadata()
    const error = await kafka.leaderFor('t', 0).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(LeaderNotAvailableError)
    expect((error as LeaderNotAvailableError).retriable).toBe(true)
  })

  it('after NOT_LEADER_OR_FOLLOWER, refreshes and succeeds on the new leader', async () => {
    const fake = await start(2)
    fake.addTopic('moving', 1)
    answerListOffsets(fake)
    const kafka = client(fake)
    expect(await kafka.withRetries(() => listOffsets(kafka, 'moving', 0))).toBe(42n)
    fake.moveLeader('moving', 0, 2)
    const errors: unknown[] = []
    const offset = await kafka.withRetries(() => listOffsets(kafka, 'moving', 0), {
      onRetry: (error) => {
        errors.push(error)
      },
    })
    expect(offset).toBe(42n)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(NotLeaderForPartitionError)
    expect(await kafka.leaderFor('moving', 0)).toEqual({ nodeId: 2, leaderEpoch: 1 })
    expect(fake.node(2).appRequests(ListOffsets.api)).toHaveLength(1)
  })

  it('never lets a leader epoch move backwards when a lagging broker answers', async () => {
    const fake = await start(2)
    fake.addTopic('t', 1)
    fake.moveLeader('t', 0, 2)
    fake.moveLeader('t', 0, 2)
    const kafka = client(fake)
    expect(await kafka.leaderFor('t', 0)).toEqual({ nodeId: 2, leaderEpoch: 2 })
    // Every broker now describes an older election (epoch 1, leader 1).
    fake.handler = (request) => {
      if (request.api.apiKey !== Metadata.api.apiKey) return undefined
      const answer = fake.metadataResponse(request.body as Metadata.Request)
      for (const topic of answer.topics) {
        for (const partition of topic.partitions) {
          partition.leaderId = 1
          partition.leaderEpoch = 1
        }
      }
      return answer
    }
    await kafka.refreshMetadata()
    expect(await kafka.leaderFor('t', 0)).toEqual({ nodeId: 2, leaderEpoch: 2 })
    // A newer epoch is taken.
    fake.handler = undefined
    fake.moveLeader('t', 0, 1)
    await kafka.refreshMetadata()
    expect(await kafka.leaderFor('t', 0)).toEqual({ nodeId: 1, leaderEpoch: 3 })
  })

  it('refreshes every metadataMaxAgeMs in the background', async () => {
    const fake = await start(1)
    const kafka = client(fake, { metadataMaxAgeMs: 40 })
    await kafka.bootstrap()
    await delay(190)
    const count = fake.appRequests(Metadata.api).length
    // Bootstrap plus about one per 40 ms; timers are not exact, so only bound it.
    expect(count).toBeGreaterThanOrEqual(3)
    expect(count).toBeLessThanOrEqual(7)
  })

  it('refreshes at once when a connection is lost, and drops brokers that left', async () => {
    const fake = await start(2)
    fake.hideStoppedBrokers = true
    const kafka = client(fake)
    await kafka.bootstrap()
    await kafka.brokerConnection(2)
    const before = fake.appRequests(Metadata.api).length
    await fake.node(2).stop()
    await until(() => fake.appRequests(Metadata.api).length > before)
    await until(() => !kafka.metadata.brokers.has(2))
    expect([...kafka.metadata.brokers.keys()]).toEqual([1])
  })

  it('routes controller requests to the controller the metadata names', async () => {
    const fake = await start(3)
    fake.controllerId = 3
    const kafka = client(fake)
    const { CreateTopics } = await import('@kafkite/protocol')
    const response = await kafka.send(
      CreateTopics.api,
      CreateTopics.createRequest({ topics: [{ name: 'new', numPartitions: 2, replicationFactor: 1 }] }),
    )
    expect(response.topics[0]?.errorCode).toBe(0)
    expect(fake.node(3).appRequests(CreateTopics.api)).toHaveLength(1)
    expect((await kafka.partitionsFor('new')).length).toBe(2)
  })
})
