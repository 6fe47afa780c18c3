import {
  DeleteGroups,
  DescribeGroups,
  ErrorCode,
  FindCoordinator,
  GroupIdNotFound,
  IllegalArgumentError,
  ListGroups,
  OffsetCommit,
  OffsetDelete,
  OffsetFetch,
} from '@kafkite/protocol'
import { describe, expect, it } from 'vitest'
import {
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
} from './consumer-protocol.js'
import { adminOnFake } from './test-support/admin-on-fake.js'

describe('describeConsumerGroups', () => {
  it('asks each group coordinator about its groups and decodes ConsumerProtocol members', async () => {
    const { admin, fake } = await adminOnFake({ nodes: 3 })
    fake.coordinators.set('0:g1', 2)
    fake.coordinators.set('0:g2', 3)
    fake.coordinators.set('0:gone', 3)
    let notCoordinatorOnce = true
    fake.handler = (request) => {
      if (request.api.apiKey !== DescribeGroups.api.apiKey) return undefined
      const body = request.body as DescribeGroups.Request
      return DescribeGroups.createResponse({
        groups: body.groups.map((groupId) => {
          if (groupId === 'gone') return { groupId, errorCode: 0, groupState: 'Dead' }
          if (groupId === 'g2' && notCoordinatorOnce) {
            notCoordinatorOnce = false
            return { groupId, errorCode: ErrorCode.NOT_COORDINATOR }
          }
          return {
            groupId,
            errorCode: 0,
            groupState: 'Stable',
            protocolType: 'consumer',
            protocolData: 'range',
            members: [
              {
                memberId: 'm1',
                groupInstanceId: null,
                clientId: 'c1',
                clientHost: '/127.0.0.1',
                memberMetadata: encodeSubscription(['t']),
                memberAssignment: encodeAssignment([
                  { topic: 't', partition: 0 },
                  { topic: 't', partition: 1 },
                ]),
              },
            ],
          }
        }),
      })
    }
    const results = await admin.describeConsumerGroups(['g1', 'g2', 'gone'])
    const g1 = results.value('g1')
    expect(g1).toMatchObject({
      groupId: 'g1',
      state: 'Stable',
      protocolType: 'consumer',
      protocol: 'range',
      coordinator: 2,
    })
    expect(g1?.members[0]?.subscription?.topics).toEqual(['t'])
    expect(g1?.members[0]?.assignment?.partitions).toEqual([
      { topic: 't', partition: 0 },
      { topic: 't', partition: 1 },
    ])
    expect(results.value('g2')?.coordinator).toBe(3)
    expect(results.error('gone')).toBeInstanceOf(GroupIdNotFound)
    const sent = fake
      .appRequests(DescribeGroups.api)
      .map((request) => [request.nodeId, (request.body as DescribeGroups.Request).groups])
    expect(sent).toEqual(
      expect.arrayContaining([
        [2, ['g1']],
        [3, ['g2', 'gone']],
        [3, ['g2']],
      ]),
    )
    // One batched lookup for the three groups (FindCoordinator v4+), one more for the group that moved.
    expect(fake.appRequests(FindCoordinator.api)).toHaveLength(2)
  })

  it('asks a given coordinator directly, and reports a coordinator lookup failure per group', async () => {
    const { admin, fake } = await adminOnFake({ nodes: 2 }, { requestTimeoutMs: 200 })
    fake.handler = (request) => {
      if (request.api.apiKey === FindCoordinator.api.apiKey) {
        const body = request.body as FindCoordinator.Request
        return FindCoordinator.createResponse({
          coordinators: body.coordinatorKeys.map((key) => ({
            key,
            errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED,
          })),
        })
      }
      if (request.api.apiKey === DescribeGroups.api.apiKey) {
        const body = request.body as DescribeGroups.Request
        return DescribeGroups.createResponse({
          groups: body.groups.map((groupId) => ({
            groupId,
            errorCode: 0,
            groupState: 'Empty',
            protocolType: '',
            authorizedOperations: 8,
          })),
        })
      }
      return undefined
    }
    const denied = await admin.describeConsumerGroups(['g'])
    expect(denied.error('g')?.name).toBe('GroupAuthorizationFailedError')
    const direct = await admin.describeConsumerGroups(['g'], {
      groupCoordinatorId: 2,
      includeAuthorizedOperations: true,
    })
    expect(direct.value('g')).toMatchObject({
      state: 'Empty',
      coordinator: 2,
      members: [],
      authorizedOperations: 8,
    })
    await expect(admin.describeConsumerGroups([])).rejects.toBeInstanceOf(IllegalArgumentError)
  })
})

describe('listConsumerGroups', () => {
  it('asks every broker and merges their groups', async () => {
    const { admin, fake } = await adminOnFake({ nodes: 2 })
    fake.handler = (request) => {
      if (request.api.apiKey !== ListGroups.api.apiKey) return undefined
      const body = request.body as ListGroups.Request
      expect(body.statesFilter).toEqual(['Stable'])
      return ListGroups.createResponse({
        groups: [
          {
            groupId: `g${request.nodeId}`,
            protocolType: 'consumer',
            groupState: 'Stable',
            groupType: 'classic',
          },
        ],
      })
    }
    expect(await admin.listConsumerGroups({ states: ['Stable'] })).toEqual([
      { groupId: 'g1', protocolType: 'consumer', state: 'Stable', type: 'classic' },
      { groupId: 'g2', protocolType: 'consumer', state: 'Stable', type: 'classic' },
    ])
    expect(await admin.listConsumerGroups({ brokerIds: [2], states: ['Stable'] })).toHaveLength(1)
    await expect(admin.listConsumerGroups({ brokerIds: ['x'] as never })).rejects.toBeInstanceOf(
      IllegalArgumentError,
    )
  })

  it('fails when a broker reports an error: a shorter list would look complete', async () => {
    const { admin, fake } = await adminOnFake({ nodes: 2 })
    fake.handler = (request) =>
      request.api.apiKey === ListGroups.api.apiKey && request.nodeId === 2
        ? ListGroups.createResponse({ errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED })
        : undefined
    await expect(admin.listConsumerGroups()).rejects.toMatchObject({
      name: 'ClusterAuthorizationFailedError',
    })
  })
})

describe('consumer group offsets', () => {
  it('lists committed offsets over OffsetFetch v8+ and v7, null where nothing is committed', async () => {
    for (const maxVersion of [9, 7]) {
      const { admin, fake } = await adminOnFake({ maxVersions: { [OffsetFetch.api.apiKey]: maxVersion } })
      fake.handler = (request) => {
        if (request.api.apiKey !== OffsetFetch.api.apiKey) return undefined
        const topics = [
          {
            name: 't',
            partitions: [
              {
                partitionIndex: 0,
                committedOffset: 5n,
                committedLeaderEpoch: 3,
                metadata: 'm',
                errorCode: 0,
              },
              { partitionIndex: 1, committedOffset: -1n, metadata: '', errorCode: 0 },
              {
                partitionIndex: 2,
                committedOffset: -1n,
                metadata: null,
                errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT,
              },
            ],
          },
        ]
        const body = request.body as OffsetFetch.Request
        if (request.version >= 8) {
          expect(body.groups[0]?.groupId).toBe('g')
          return OffsetFetch.createResponse({ groups: [{ groupId: 'g', topics, errorCode: 0 }] })
        }
        expect(body.groupId).toBe('g')
        return OffsetFetch.createResponse({ topics })
      }
      const all = await admin.listConsumerGroupOffsets('g')
      expect(all.value({ topic: 't', partition: 0 })).toEqual({ offset: 5n, metadata: 'm', leaderEpoch: 3 })
      expect(all.value({ topic: 't', partition: 1 })).toBeNull()
      expect(all.error({ topic: 't', partition: 2 })?.name).toBe('UnstableOffsetCommitError')
      const some = await admin.listConsumerGroupOffsets('g', {
        partitions: [
          { topic: 't', partition: 0 },
          { topic: 't', partition: 1 },
        ],
        requireStable: true,
      })
      expect(some.keys()).toHaveLength(2)
      expect(some.ok).toBe(true)
    }
  })

  it('throws a group-level OffsetFetch error, after retrying NOT_COORDINATOR', async () => {
    const { admin, fake } = await adminOnFake({ nodes: 2 })
    let calls = 0
    fake.handler = (request) => {
      if (request.api.apiKey !== OffsetFetch.api.apiKey) return undefined
      calls += 1
      const errorCode = calls === 1 ? ErrorCode.NOT_COORDINATOR : ErrorCode.GROUP_AUTHORIZATION_FAILED
      return OffsetFetch.createResponse({ groups: [{ groupId: 'g', errorCode }] })
    }
    await expect(admin.listConsumerGroupOffsets('g')).rejects.toMatchObject({
      name: 'GroupAuthorizationFailedError',
      path: '/groups/0/errorCode',
    })
    expect(calls).toBe(2)
  })

  it('commits offsets from outside the group and reports each partition', async () => {
    const { admin, fake } = await adminOnFake()
    fake.handler = (request) => {
      if (request.api.apiKey !== OffsetCommit.api.apiKey) return undefined
      const body = request.body as OffsetCommit.Request
      return OffsetCommit.createResponse({
        topics: body.topics.map((topic) => ({
          name: topic.name,
          partitions: topic.partitions.map((partition) => ({
            partitionIndex: partition.partitionIndex,
            errorCode: topic.name === 'busy' ? ErrorCode.UNKNOWN_MEMBER_ID : 0,
          })),
        })),
      })
    }
    const results = await admin.alterConsumerGroupOffsets('g', [
      [
        { topic: 't', partition: 0 },
        { offset: 10n, metadata: 'note' },
      ],
      [{ topic: 't', partition: 1 }, 20n],
      [{ topic: 'busy', partition: 0 }, 1n],
    ])
    expect(results.value({ topic: 't', partition: 0 })).toMatchObject({ offset: 10n, metadata: 'note' })
    expect(results.value({ topic: 't', partition: 1 })).toMatchObject({ offset: 20n, metadata: '' })
    expect(results.error({ topic: 'busy', partition: 0 })?.name).toBe('UnknownMemberIdError')
    const body = fake.appRequests(OffsetCommit.api)[0]?.body as OffsetCommit.Request
    expect(body.generationIdOrMemberEpoch).toBe(-1)
    expect(body.memberId).toBe('')
    expect(body.topics[0]?.partitions[0]).toMatchObject({ committedOffset: 10n, committedMetadata: 'note' })
    await expect(
      admin.alterConsumerGroupOffsets('g', [[{ topic: 't', partition: 0 }, -1n]]),
    ).rejects.toBeInstanceOf(IllegalArgumentError)
    await expect(
      admin.alterConsumerGroupOffsets('g', [
        [{ topic: 't', partition: 0 }, { offset: 1n, metadata: 5 } as never],
      ]),
    ).rejects.toBeInstanceOf(IllegalArgumentError)
    await expect(admin.alterConsumerGroupOffsets(5 as never, [])).rejects.toBeInstanceOf(IllegalArgumentError)
  })

  it('deletes offsets per partition; a group-level error is each partition’s outcome', async () => {
    const { admin, fake } = await adminOnFake()
    let groupError = 0
    fake.handler = (request) => {
      if (request.api.apiKey !== OffsetDelete.api.apiKey) return undefined
      const body = request.body as OffsetDelete.Request
      return OffsetDelete.createResponse({
        errorCode: groupError,
        topics: body.topics.map((topic) => ({
          name: topic.name,
          partitions: topic.partitions.map((partition) => ({
            partitionIndex: partition.partitionIndex,
            errorCode: topic.name === 'read' ? ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC : 0,
          })),
        })),
      })
    }
    const partitions = [
      { topic: 't', partition: 0 },
      { topic: 'read', partition: 0 },
    ]
    const results = await admin.deleteConsumerGroupOffsets('g', partitions)
    expect(results.value({ topic: 't', partition: 0 })).toEqual({ topic: 't', partition: 0 })
    expect(results.error({ topic: 'read', partition: 0 })?.name).toBe('GroupSubscribedToTopicError')
    groupError = ErrorCode.GROUP_ID_NOT_FOUND
    const missing = await admin.deleteConsumerGroupOffsets('g', partitions)
    expect(missing.errors.map(([, error]) => error)).toEqual([
      expect.any(GroupIdNotFound),
      expect.any(GroupIdNotFound),
    ])
  })

  it('deletes groups at their coordinators, one outcome per group', async () => {
    const { admin, fake } = await adminOnFake({ nodes: 2 })
    fake.coordinators.set('0:b', 2)
    let calls = 0
    fake.handler = (request) => {
      if (request.api.apiKey !== DeleteGroups.api.apiKey) return undefined
      calls += 1
      const body = request.body as DeleteGroups.Request
      return DeleteGroups.createResponse({
        results: body.groupsNames.map((groupId) => ({
          groupId,
          errorCode:
            groupId === 'busy'
              ? ErrorCode.NON_EMPTY_GROUP
              : groupId === 'b' && calls <= 2
                ? ErrorCode.COORDINATOR_LOAD_IN_PROGRESS
                : groupId === 'b'
                  ? ErrorCode.GROUP_ID_NOT_FOUND
                  : 0,
        })),
      })
    }
    const results = await admin.deleteConsumerGroups(['a', 'b', 'busy'])
    expect(results.value('a')).toBe('a')
    // b met a loading coordinator first; the retry finding it gone means the first attempt deleted it.
    expect(results.value('b')).toBe('b')
    expect(results.error('busy')?.name).toBe('NonEmptyGroup')
    const direct = await admin.deleteConsumerGroups(['a'], { groupCoordinatorId: 1 })
    expect(direct.ok).toBe(true)
  })

  it('finds a coordinator, and refuses an unknown coordinator type', async () => {
    const { admin, fake } = await adminOnFake({ nodes: 2 })
    fake.coordinators.set('1:tx', 2)
    expect(await admin.findCoordinator('tx', 1)).toBe(2)
    expect(await admin.findCoordinator('g')).toBe(1)
    await expect(admin.findCoordinator('g', 2 as never)).rejects.toBeInstanceOf(IllegalArgumentError)
  })
})

describe('ConsumerProtocol decoding', () => {
  it('reads what it writes, newer versions with trailing fields, and nothing from empty or foreign bytes', () => {
    const subscription = decodeSubscription(encodeSubscription(['a', 'b'], Buffer.from('u')))
    expect(subscription).toMatchObject({
      topics: ['a', 'b'],
      ownedPartitions: [],
      generationId: -1,
      rackId: null,
    })
    expect(Buffer.from(subscription?.userData ?? []).toString()).toBe('u')
    const newer = Buffer.concat([encodeAssignment([{ topic: 't', partition: 3 }]), Buffer.from([1, 2, 3])])
    newer.writeInt16BE(9, 0)
    expect(decodeAssignment(newer)?.partitions).toEqual([{ topic: 't', partition: 3 }])
    expect(decodeAssignment(new Uint8Array())).toBeNull()
    expect(decodeSubscription(Buffer.from([0, 0, 0xff]))).toBeNull()
    expect(decodeAssignment(Buffer.from([0, 1, 0x7f, 0xff, 0xff, 0xff]))).toBeNull()
    expect(decodeAssignment(Buffer.from([0xff, 0xff, 0]))).toBeNull()
  })
})
