import {
  DeleteRecords,
  DescribeLogDirs,
  ElectLeaders,
  ErrorCode,
  IllegalArgumentError,
  ListOffsets,
  OffsetOutOfRangeError,
  UnknownTopicOrPartitionError,
} from '@kafkite/protocol'
import { describe, expect, it } from 'vitest'
import { adminOnFake, type FakeRequest } from './test-support/admin-on-fake.js'

function deleteRecordsAnswer(request: FakeRequest, code: (topic: string, partition: number) => number) {
  const body = request.body as DeleteRecords.Request
  return DeleteRecords.createResponse({
    topics: body.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((partition) => {
        const errorCode = code(topic.name, partition.partitionIndex)
        return {
          partitionIndex: partition.partitionIndex,
          lowWatermark: errorCode === 0 ? partition.offset : -1n,
          errorCode,
        }
      }),
    })),
  })
}

describe('deleteRecords', () => {
  it('splits by leader, sends to every leader at once, and reports each partition', async () => {
    const { admin, fake } = await adminOnFake({ nodes: 3 })
    fake.addTopic('t', 3)
    fake.handler = (request) =>
      request.api.apiKey === DeleteRecords.api.apiKey
        ? deleteRecordsAnswer(request, (_, partition) =>
            partition === 2 ? ErrorCode.OFFSET_OUT_OF_RANGE : 0,
          )
        : undefined
    const results = await admin.deleteRecords(
      [
        [{ topic: 't', partition: 0 }, { beforeOffset: 5n }],
        [{ topic: 't', partition: 1 }, 7n],
        [{ topic: 't', partition: 2 }, { beforeOffset: 100n }],
      ],
      { timeoutMs: 800 },
    )
    expect(results.value({ topic: 't', partition: 0 })).toBe(5n)
    expect(results.value({ topic: 't', partition: 1 })).toBe(7n)
    expect(results.error({ topic: 't', partition: 2 })).toBeInstanceOf(OffsetOutOfRangeError)
    const sent = fake.appRequests(DeleteRecords.api)
    expect(sent.map((request) => request.nodeId).sort()).toEqual([1, 2, 3])
    for (const request of sent) {
      const body = request.body as DeleteRecords.Request
      expect(body.timeoutMs).toBe(800)
      // Partition p is led by node p + 1: each request carries exactly its leader's partition.
      expect(body.topics[0]?.partitions.map((p) => p.partitionIndex)).toEqual([request.nodeId - 1])
    }
  })

  it('follows a moved leader for the partition that met NOT_LEADER_OR_FOLLOWER only', async () => {
    const { admin, fake } = await adminOnFake({ nodes: 2 })
    fake.addTopic('t', 2)
    let moved = false
    fake.handler = (request) => {
      if (request.api.apiKey !== DeleteRecords.api.apiKey) return undefined
      return deleteRecordsAnswer(request, (_, partition) => {
        if (partition === 0 && request.nodeId === 1 && !moved) {
          moved = true
          fake.moveLeader('t', 0, 2)
          return ErrorCode.NOT_LEADER_OR_FOLLOWER
        }
        return 0
      })
    }
    const results = await admin.deleteRecords(
      new Map([
        [{ topic: 't', partition: 0 }, 3n],
        [{ topic: 't', partition: 1 }, 4n],
      ]),
    )
    expect(results.ok).toBe(true)
    const sent = fake
      .appRequests(DeleteRecords.api)
      .map((request) => [
        request.nodeId,
        (request.body as DeleteRecords.Request).topics.flatMap((topic) =>
          topic.partitions.map((p) => p.partitionIndex),
        ),
      ])
    expect(sent).toContainEqual([2, [0]])
    // Partition 1 succeeded at once and is not sent again.
    expect(sent.filter(([, partitions]) => (partitions as number[]).includes(1))).toHaveLength(1)
  })

  it('fails a partition of an unknown topic with its typed error and still deletes the others', async () => {
    const { admin, fake } = await adminOnFake({}, { requestTimeoutMs: 300 })
    fake.addTopic('t', 1)
    fake.handler = (request) =>
      request.api.apiKey === DeleteRecords.api.apiKey ? deleteRecordsAnswer(request, () => 0) : undefined
    const results = await admin.deleteRecords([
      [{ topic: 't', partition: 0 }, 1n],
      [{ topic: 'nope', partition: 0 }, 1n],
      [{ topic: 't', partition: 9 }, 1n],
    ])
    expect(results.value({ topic: 't', partition: 0 })).toBe(1n)
    expect(results.error({ topic: 'nope', partition: 0 })).toBeInstanceOf(UnknownTopicOrPartitionError)
    expect(results.error({ topic: 't', partition: 9 })).toBeInstanceOf(UnknownTopicOrPartitionError)
  })

  it('fails the partitions of a leader whose connection drops with that error, not the others', async () => {
    const { admin, fake } = await adminOnFake({ nodes: 2 }, { requestTimeoutMs: 300 })
    fake.addTopic('t', 2)
    fake.handler = (request) => {
      if (request.api.apiKey !== DeleteRecords.api.apiKey) return undefined
      return request.nodeId === 2 ? 'close' : deleteRecordsAnswer(request, () => 0)
    }
    const results = await admin.deleteRecords([
      [{ topic: 't', partition: 0 }, 1n],
      [{ topic: 't', partition: 1 }, 1n],
    ])
    expect(results.value({ topic: 't', partition: 0 })).toBe(1n)
    expect(results.error({ topic: 't', partition: 1 })?.name).toBe('KafkaConnectionError')
  })

  it.each([
    [
      'a duplicate partition',
      [
        [{ topic: 't', partition: 0 }, 1n],
        [{ topic: 't', partition: 0 }, 2n],
      ],
    ],
    ['a negative partition', [[{ topic: 't', partition: -1 }, 1n]]],
    ['an offset below -1', [[{ topic: 't', partition: 0 }, -2n]]],
    ['a topic that is not a string', [[{ topic: 1, partition: 0 }, 1n]]],
    ['an entry that is not a pair', [[{ topic: 't', partition: 0 }]]],
    ['a key that is not an object', [[null, 1n]]],
    ['no iterable', 5],
  ])('refuses %s before any request', async (_, input) => {
    const { admin, fake } = await adminOnFake()
    await expect(admin.deleteRecords(input as never)).rejects.toBeInstanceOf(IllegalArgumentError)
    expect(fake.appRequests(DeleteRecords.api)).toEqual([])
  })
})

describe('listOffsets', () => {
  it('sends earliest, latest, max timestamp and timestamps to each leader with the leader epoch', async () => {
    const { admin, fake } = await adminOnFake({ nodes: 2 })
    fake.addTopic('t', 4)
    fake.moveLeader('t', 3, 2)
    fake.handler = (request) => {
      if (request.api.apiKey !== ListOffsets.api.apiKey) return undefined
      const body = request.body as ListOffsets.Request
      return ListOffsets.createResponse({
        topics: body.topics.map((topic) => ({
          name: topic.name,
          partitions: topic.partitions.map((partition) => ({
            partitionIndex: partition.partitionIndex,
            errorCode: partition.timestamp === 99n ? ErrorCode.UNSUPPORTED_VERSION : 0,
            offset: partition.timestamp === 5000n ? -1n : 10n + BigInt(partition.partitionIndex),
            timestamp: partition.timestamp >= 0n ? partition.timestamp : -1n,
            leaderEpoch: 0,
          })),
        })),
      })
    }
    const results = await admin.listOffsets(
      [
        [{ topic: 't', partition: 0 }, 'earliest'],
        [{ topic: 't', partition: 1 }, 'latest'],
        [{ topic: 't', partition: 2 }, 'maxTimestamp'],
        [{ topic: 't', partition: 3 }, { timestamp: 1234 }],
      ],
      { isolationLevel: 'read_committed' },
    )
    expect(results.value({ topic: 't', partition: 0 })).toEqual({
      offset: 10n,
      timestamp: null,
      leaderEpoch: 0,
    })
    expect(results.value({ topic: 't', partition: 3 })).toEqual({
      offset: 13n,
      timestamp: 1234,
      leaderEpoch: 0,
    })
    const sent = fake.appRequests(ListOffsets.api).map((request) => request.body as ListOffsets.Request)
    const partitions = sent.flatMap((body) => body.topics.flatMap((topic) => topic.partitions))
    expect(partitions.map((p) => [p.partitionIndex, p.timestamp, p.currentLeaderEpoch]).sort()).toEqual([
      [0, -2n, 0],
      [1, -1n, 0],
      [2, -3n, 0],
      [3, 1234n, 1],
    ])
    expect(sent.every((body) => body.isolationLevel === 1)).toBe(true)

    const none = await admin.listOffsets([
      [{ topic: 't', partition: 0 }, { timestamp: 5000 }],
      [{ topic: 't', partition: 1 }, { timestamp: 99 }],
    ])
    expect(none.value({ topic: 't', partition: 0 })).toBeNull()
    expect(none.outcome({ topic: 't', partition: 0 })?.ok).toBe(true)
    expect(none.error({ topic: 't', partition: 1 })?.name).toBe('UnsupportedVersionError')
  })

  it.each([
    ['an unknown spec', 'middle'],
    ['a negative timestamp', { timestamp: -5 }],
    ['a spec that is not a string or object', 7],
  ])('refuses %s', async (_, spec) => {
    const { admin } = await adminOnFake()
    await expect(admin.listOffsets([[{ topic: 't', partition: 0 }, spec as never]])).rejects.toBeInstanceOf(
      IllegalArgumentError,
    )
  })

  it('refuses an unknown isolation level', async () => {
    const { admin } = await adminOnFake()
    await expect(
      admin.listOffsets([[{ topic: 't', partition: 0 }, 'latest']], { isolationLevel: 'dirty' as never }),
    ).rejects.toBeInstanceOf(IllegalArgumentError)
  })
})

describe('electLeaders', () => {
  it('counts ELECTION_NOT_NEEDED as done and reports real failures per partition', async () => {
    const { admin, fake } = await adminOnFake({ nodes: 2 })
    fake.controllerId = 2
    fake.handler = (request) => {
      if (request.api.apiKey !== ElectLeaders.api.apiKey) return undefined
      const body = request.body as ElectLeaders.Request
      const asked = body.topicPartitions ?? [{ topic: 'all', partitions: [0] }]
      return ElectLeaders.createResponse({
        errorCode: 0,
        replicaElectionResults: asked.map((topic) => ({
          topic: topic.topic,
          partitionResult: topic.partitions.map((partitionId) => ({
            partitionId,
            errorCode:
              [0, ErrorCode.ELECTION_NOT_NEEDED, ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE][partitionId] ?? 0,
            errorMessage: partitionId === 2 ? 'Failed to elect leader' : null,
          })),
        })),
      })
    }
    const results = await admin.electLeaders('preferred', [
      { topic: 't', partition: 0 },
      { topic: 't', partition: 1 },
      { topic: 't', partition: 2 },
    ])
    expect(results.value({ topic: 't', partition: 0 })).toEqual({ elected: true })
    expect(results.value({ topic: 't', partition: 1 })).toEqual({ elected: false })
    expect(results.error({ topic: 't', partition: 2 })?.message).toMatch(
      /PREFERRED_LEADER_NOT_AVAILABLE.*Failed to elect/,
    )
    const sent = fake.appRequests(ElectLeaders.api)
    expect(sent.map((request) => request.nodeId)).toEqual([2])
    expect((sent[0]!.body as ElectLeaders.Request).electionType).toBe(0)

    const all = await admin.electLeaders('unclean')
    expect(all.keys()).toEqual([{ topic: 'all', partition: 0 }])
    expect((fake.appRequests(ElectLeaders.api)[1]!.body as ElectLeaders.Request).topicPartitions).toBeNull()
  })

  it('throws a top-level error and refuses an unknown election type', async () => {
    const { admin, fake } = await adminOnFake()
    fake.handler = (request) =>
      request.api.apiKey === ElectLeaders.api.apiKey
        ? ElectLeaders.createResponse({ errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED })
        : undefined
    await expect(admin.electLeaders('preferred')).rejects.toMatchObject({
      name: 'ClusterAuthorizationFailedError',
    })
    await expect(admin.electLeaders('random' as never)).rejects.toBeInstanceOf(IllegalArgumentError)
  })
})

describe('describeLogDirs', () => {
  it('asks every broker about its own directories', async () => {
    const { admin, fake } = await adminOnFake({ nodes: 2 })
    fake.handler = (request) => {
      if (request.api.apiKey !== DescribeLogDirs.api.apiKey) return undefined
      if (request.nodeId === 2)
        return DescribeLogDirs.createResponse({ errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED })
      return DescribeLogDirs.createResponse({
        results: [
          {
            errorCode: 0,
            logDir: '/data/1',
            totalBytes: 1000n,
            usableBytes: 400n,
            topics: [
              {
                name: 't',
                partitions: [{ partitionIndex: 0, partitionSize: 42n, offsetLag: 0n, isFutureKey: false }],
              },
            ],
          },
          { errorCode: ErrorCode.KAFKA_STORAGE_ERROR, logDir: '/data/2', topics: [] },
        ],
      })
    }
    const results = await admin.describeLogDirs({ partitions: [{ topic: 't', partition: 0 }] })
    expect(results.keys()).toEqual([1, 2])
    const dirs = results.value(1)
    expect(dirs?.[0]).toEqual({
      path: '/data/1',
      error: null,
      replicas: [{ topic: 't', partition: 0, size: 42n, offsetLag: 0n, isFuture: false }],
      totalBytes: 1000n,
      usableBytes: 400n,
    })
    expect(dirs?.[1]?.error?.name).toBe('KafkaStorageError')
    expect(dirs?.[1]?.totalBytes).toBeNull()
    expect(results.error(2)?.name).toBe('ClusterAuthorizationFailedError')
    const bodies = fake
      .appRequests(DescribeLogDirs.api)
      .map((request) => request.body as DescribeLogDirs.Request)
    expect(bodies[0]?.topics).toEqual([expect.objectContaining({ topic: 't', partitions: [0] })])
    const one = await admin.describeLogDirs({ brokerIds: [1] })
    expect(one.keys()).toEqual([1])
    await expect(admin.describeLogDirs({ brokerIds: ['x'] as never })).rejects.toBeInstanceOf(
      IllegalArgumentError,
    )
  })
})
