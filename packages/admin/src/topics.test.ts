import {
  CreatePartitions,
  CreateTopics,
  DeleteTopics,
  ErrorCode,
  IllegalArgumentError,
  InvalidReplicationFactorError,
  Metadata,
  TopicAlreadyExistsError,
  UnknownTopicOrPartitionError,
} from '@kafkite/protocol'
import { describe, expect, it } from 'vitest'
import { adminOnFake } from './test-support/admin-on-fake.js'

describe('createTopics', () => {
  it('goes to the controller and reports each topic: one exists already, the others are created', async () => {
    const { admin, fake } = await adminOnFake({ nodes: 3 })
    fake.controllerId = 2
    fake.addTopic('exists')
    const results = await admin.createTopics([
      { name: 'a', numPartitions: 3, replicationFactor: 1 },
      { name: 'exists', numPartitions: 1, replicationFactor: 1 },
      { name: 'b', topicConfigs: { 'cleanup.policy': 'compact' } },
    ])
    expect(results.keys()).toEqual(['a', 'exists', 'b'])
    expect(results.value('a')?.name).toBe('a')
    expect(results.value('b')).toBeDefined()
    const error = results.error('exists')
    expect(error).toBeInstanceOf(TopicAlreadyExistsError)
    expect((error as TopicAlreadyExistsError).path).toBe('/topics/1/errorCode')
    expect(() => results.orThrow()).toThrow(/createTopics: 1 of 3 item\(s\) failed \(exists: /)
    const sent = fake.appRequests(CreateTopics.api)
    expect(sent.map((request) => request.nodeId)).toEqual([2])
    const body = sent[0]?.body as CreateTopics.Request
    expect(body.topics.map((topic) => [topic.name, topic.numPartitions, topic.replicationFactor])).toEqual([
      ['a', 3, 1],
      ['exists', 1, 1],
      ['b', -1, -1],
    ])
    expect(body.topics[2]?.configs).toEqual([{ name: 'cleanup.policy', value: 'compact' }])
    expect(body.timeoutMs).toBe(1500)
  })

  it('passes the broker message on, and retries NOT_CONTROLLER for the topics that met it only', async () => {
    const { admin, fake } = await adminOnFake({ nodes: 2 })
    let calls = 0
    fake.handler = (request) => {
      if (request.api.apiKey !== CreateTopics.api.apiKey) return undefined
      calls += 1
      const body = request.body as CreateTopics.Request
      return CreateTopics.createResponse({
        topics: body.topics.map((topic) => {
          if (topic.name === 'rf3') {
            return {
              name: topic.name,
              errorCode: ErrorCode.INVALID_REPLICATION_FACTOR,
              errorMessage: 'Unable to replicate the partition 3 time(s): only 2 broker(s) are registered.',
            }
          }
          if (topic.name === 'moving' && calls === 1) {
            return { name: topic.name, errorCode: ErrorCode.NOT_CONTROLLER }
          }
          return { name: topic.name, errorCode: 0, numPartitions: 1, replicationFactor: 1 }
        }),
      })
    }
    const results = await admin.createTopics(
      [
        { name: 'rf3', numPartitions: 1, replicationFactor: 3 },
        { name: 'moving', numPartitions: 1, replicationFactor: 1 },
      ],
      { validateOnly: true, timeoutMs: 1000 },
    )
    const error = results.error('rf3')
    expect(error).toBeInstanceOf(InvalidReplicationFactorError)
    expect(error?.message).toMatch(
      /INVALID_REPLICATION_FACTOR at \/topics\/0\/errorCode: Unable to replicate/,
    )
    expect(results.value('moving')).toMatchObject({ name: 'moving', numPartitions: 1, replicationFactor: 1 })
    const bodies = fake.appRequests(CreateTopics.api).map((request) => request.body as CreateTopics.Request)
    expect(bodies.map((body) => body.topics.map((topic) => topic.name))).toEqual([
      ['rf3', 'moving'],
      ['moving'],
    ])
    expect(bodies[0]?.validateOnly).toBe(true)
    expect(bodies[0]?.timeoutMs).toBe(1000)
  })

  it('gives items still failing retriably at the deadline their last error', async () => {
    const { admin, fake } = await adminOnFake({}, { requestTimeoutMs: 300 })
    fake.handler = (request) =>
      request.api.apiKey === CreateTopics.api.apiKey
        ? CreateTopics.createResponse({ topics: [{ name: 'slow', errorCode: ErrorCode.REQUEST_TIMED_OUT }] })
        : undefined
    const results = await admin.createTopics([{ name: 'slow', numPartitions: 1, replicationFactor: 1 }])
    expect(results.error('slow')?.name).toBe('RequestTimedOutError')
    expect(fake.appRequests(CreateTopics.api).length).toBeGreaterThan(1)
  })

  it('reports an item the answer leaves out, and rejects when the request as a whole fails', async () => {
    const { admin, fake } = await adminOnFake()
    fake.handler = (request) => (request.api.apiKey === CreateTopics.api.apiKey ? { topics: [] } : undefined)
    const results = await admin.createTopics([{ name: 'x' }])
    expect(results.error('x')?.message).toMatch(/does not mention x/)
    fake.handler = (request) => (request.api.apiKey === CreateTopics.api.apiKey ? 'close' : undefined)
    const short = await adminOnFake({}, { requestTimeoutMs: 200 })
    short.fake.handler = fake.handler
    await expect(short.admin.createTopics([{ name: 'x' }])).rejects.toMatchObject({
      name: 'KafkaConnectionError',
    })
  })

  it.each([
    ['no topics', []],
    ['not an object', [42]],
    ['a name that is not a string', [{ name: 5 }]],
    ['the same name twice', [{ name: 'a' }, { name: 'a' }]],
    ['assignments with a partition count', [{ name: 'a', numPartitions: 2, replicaAssignments: { 0: [1] } }]],
    ['zero partitions', [{ name: 'a', numPartitions: 0 }]],
    ['a fractional replication factor', [{ name: 'a', replicationFactor: 1.5 }]],
    ['an empty replica list', [{ name: 'a', replicaAssignments: { 0: [] } }]],
    ['a config that is not a string', [{ name: 'a', topicConfigs: { x: 1 } }]],
  ])('refuses %s before any request', async (_, topics) => {
    const { admin, fake } = await adminOnFake()
    await expect(admin.createTopics(topics as never)).rejects.toBeInstanceOf(IllegalArgumentError)
    expect(fake.appRequests()).toEqual([])
  })

  it('sends replica assignments from a Map or an object, with -1 counts', async () => {
    const { admin, fake } = await adminOnFake({ nodes: 2 })
    await admin.createTopics([
      { name: 'm', replicaAssignments: new Map([[0, [2, 1]]]) },
      { name: 'o', replicaAssignments: { 0: [1], 1: [2] } },
    ])
    const body = fake.appRequests(CreateTopics.api)[0]?.body as CreateTopics.Request
    expect(
      body.topics.map((topic) => [topic.numPartitions, topic.replicationFactor, topic.assignments]),
    ).toEqual([
      [-1, -1, [{ partitionIndex: 0, brokerIds: [2, 1] }]],
      [
        -1,
        -1,
        [
          { partitionIndex: 0, brokerIds: [1] },
          { partitionIndex: 1, brokerIds: [2] },
        ],
      ],
    ])
  })
})

describe('deleteTopics', () => {
  it('reports unknown topics at once and the others as deleted', async () => {
    const { admin, fake } = await adminOnFake()
    fake.handler = (request) => {
      if (request.api.apiKey !== DeleteTopics.api.apiKey) return undefined
      const body = request.body as DeleteTopics.Request
      return DeleteTopics.createResponse({
        responses: body.topics.map((topic) => ({
          name: topic.name,
          errorCode: topic.name === 'missing' ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : 0,
        })),
      })
    }
    const results = await admin.deleteTopics(['gone', 'missing'])
    expect(results.value('gone')?.name).toBe('gone')
    expect(results.error('missing')).toBeInstanceOf(UnknownTopicOrPartitionError)
    expect(fake.appRequests(DeleteTopics.api)).toHaveLength(1)
  })

  it('names topics in topicNames before v6, and takes a retried deletion that finds the topic gone as done', async () => {
    const { admin, fake } = await adminOnFake({ maxVersions: { [DeleteTopics.api.apiKey]: 5 } })
    let calls = 0
    fake.handler = (request) => {
      if (request.api.apiKey !== DeleteTopics.api.apiKey) return undefined
      calls += 1
      const body = request.body as DeleteTopics.Request
      expect(request.version).toBe(5)
      return DeleteTopics.createResponse({
        responses: body.topicNames.map((name) => ({
          name,
          errorCode: calls === 1 ? ErrorCode.NOT_CONTROLLER : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        })),
      })
    }
    const results = await admin.deleteTopics(['t'])
    expect(results.ok).toBe(true)
    expect(calls).toBe(2)
  })

  it('refuses a list that is empty or holds a non-string', async () => {
    const { admin } = await adminOnFake()
    await expect(admin.deleteTopics([])).rejects.toBeInstanceOf(IllegalArgumentError)
    await expect(admin.deleteTopics([1] as never)).rejects.toBeInstanceOf(IllegalArgumentError)
    await expect(admin.deleteTopics(['a', 'a'])).rejects.toBeInstanceOf(IllegalArgumentError)
    await expect(admin.deleteTopics(['a'], { timeoutMs: -1 })).rejects.toBeInstanceOf(IllegalArgumentError)
  })
})

describe('listTopics and describeTopics', () => {
  it('lists every topic, sorted, internal ones unless left out', async () => {
    const { admin, fake } = await adminOnFake()
    fake.addTopic('zeta')
    fake.addTopic('alpha')
    fake.addTopic('__consumer_offsets')
    const base = fake.metadataResponse.bind(fake)
    fake.metadataResponse = (request: Metadata.Request) => {
      const response = base(request)
      for (const topic of response.topics) topic.isInternal = topic.name === '__consumer_offsets'
      return response
    }
    expect(await admin.listTopics()).toEqual(['__consumer_offsets', 'alpha', 'zeta'])
    expect(await admin.listTopics({ includeInternal: false })).toEqual(['alpha', 'zeta'])
    const all = await admin.describeTopics()
    expect(all.keys()).toEqual(['__consumer_offsets', 'alpha', 'zeta'])
  })

  it('describes partitions and fails unknown topics at once with their typed error', async () => {
    const { admin, fake } = await adminOnFake({ nodes: 2 })
    const topic = fake.addTopic('orders', 2)
    const p1 = topic.partitions[1]
    if (p1 !== undefined) {
      p1.replicas = [2, 1]
      p1.errorCode = ErrorCode.LEADER_NOT_AVAILABLE
    }
    const results = await admin.describeTopics(['orders', 'missing'], { includeAuthorizedOperations: true })
    expect(results.error('missing')).toBeInstanceOf(UnknownTopicOrPartitionError)
    const orders = results.value('orders')
    expect(orders?.topicId).toBe(topic.topicId)
    expect(orders?.partitions.map((p) => [p.partition, p.leader, p.replicas, p.isr])).toEqual([
      [0, 1, [1], [1]],
      [1, 2, [2, 1], [2, 1]],
    ])
    expect(orders?.partitions[1]?.error?.name).toBe('LeaderNotAvailableError')
    expect(orders?.partitions[0]?.error).toBeNull()
    const requests = fake.appRequests(Metadata.api).map((request) => request.body as Metadata.Request)
    const last = requests.at(-1)
    expect(last?.allowAutoTopicCreation).toBe(false)
    expect(last?.includeTopicAuthorizedOperations).toBe(true)
  })
})

describe('createPartitions', () => {
  it('raises counts per topic through the controller and reports each topic', async () => {
    const { admin, fake } = await adminOnFake({ nodes: 2 })
    fake.controllerId = 2
    fake.handler = (request) => {
      if (request.api.apiKey !== CreatePartitions.api.apiKey) return undefined
      const body = request.body as CreatePartitions.Request
      return CreatePartitions.createResponse({
        results: body.topics.map((topic) => ({
          name: topic.name,
          errorCode: topic.count < 3 ? ErrorCode.INVALID_PARTITIONS : 0,
          errorMessage: topic.count < 3 ? 'Topic currently has 3 partitions' : null,
        })),
      })
    }
    const results = await admin.createPartitions(
      new Map([
        ['grow', { totalCount: 4, newAssignments: [[2]] }],
        ['shrink', { totalCount: 2 }],
      ]),
      { validateOnly: false, timeoutMs: 500 },
    )
    expect(results.value('grow')).toEqual({ topic: 'grow', totalCount: 4 })
    expect(results.error('shrink')?.message).toMatch(/INVALID_PARTITIONS .*Topic currently has 3 partitions/)
    const sent = fake.appRequests(CreatePartitions.api)
    expect(sent.map((request) => request.nodeId)).toEqual([2])
    expect((sent[0]!.body as CreatePartitions.Request).topics).toEqual([
      expect.objectContaining({
        name: 'grow',
        count: 4,
        assignments: [expect.objectContaining({ brokerIds: [2] })],
      }),
      expect.objectContaining({ name: 'shrink', count: 2, assignments: null }),
    ])
    const fromObject = await admin.createPartitions({ grow: { totalCount: 5 } })
    expect(fromObject.ok).toBe(true)
  })

  it.each([
    ['nothing', {}],
    ['a count below 1', { t: { totalCount: 0 } }],
    ['assignments that are not arrays', { t: { totalCount: 2, newAssignments: [5] } }],
    ['assignments that are not a list', { t: { totalCount: 2, newAssignments: 5 } }],
  ])('refuses %s', async (_, input) => {
    const { admin } = await adminOnFake()
    await expect(admin.createPartitions(input as never)).rejects.toBeInstanceOf(IllegalArgumentError)
  })
})
