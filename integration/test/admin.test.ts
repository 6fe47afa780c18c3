// @kafkite/admin against the real broker: every call round-trips, and Kafka's own tools (TopicCommand,
// ConfigCommand, ConsumerGroupCommand, AclCommand, a SCRAM login) see what we did, and we see what they did.
// Partial failures and bad input come back as per-item typed errors. JVM tool starts cost 2-3 s each on
// CI's 2 cores, so each test batches what it asks the tools.
import {
  AdminBatchError,
  ConfigResourceType,
  encodeAssignment,
  encodeSubscription,
  KafkaAdminClient,
} from '@kafkite/admin'
import { type ClientSecurity, type ClusterInfo, kafkaVersion, runKafkaTool } from '@kafkite/kafka-harness'
import {
  ErrorCode,
  errorFromCode,
  GroupIdNotFound,
  InvalidReplicationFactorError,
  InvalidTopicError,
  JoinGroup,
  LeaveGroup,
  Produce,
  SyncGroup,
  TopicAlreadyExistsError,
  UnknownTopicOrPartitionError,
} from '@kafkite/protocol'
import { RecordBatchBuilder } from '@kafkite/records'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kafka, uniqueGroup, uniqueTopic } from '../src/index.js'

const info = kafka()
const bootstrap = info.bootstrap.PLAINTEXT ?? ''
const kafka4 = kafkaVersion(info.kafkaVersion).line === '4'
// Kafka 4 moved ConfigCommand and AclCommand from the Scala core into the tools jar.
const CONFIG_COMMAND = kafka4 ? 'org.apache.kafka.tools.ConfigCommand' : 'kafka.admin.ConfigCommand'
const ACL_COMMAND = kafka4 ? 'org.apache.kafka.tools.AclCommand' : 'kafka.admin.AclCommand'
const TOPIC_COMMAND = 'org.apache.kafka.tools.TopicCommand'
const GROUP_COMMAND = 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand'

async function tool(mainClass: string, args: readonly string[], security?: ClientSecurity): Promise<string> {
  const { stdout } = await runKafkaTool(
    security === undefined ? info : infoFor(security),
    mainClass,
    [
      '--bootstrap-server',
      security === undefined ? bootstrap : (info.bootstrap[security.listener] ?? ''),
      ...args,
    ],
    security,
  )
  return stdout
}

let scramLogin: { username: string; password: string } | undefined
function infoFor(security: ClientSecurity): ClusterInfo {
  if (scramLogin === undefined || security.mechanism === undefined) return info
  return { ...info, saslUsers: [{ ...scramLogin, mechanisms: [security.mechanism] }] }
}

let admin: KafkaAdminClient
beforeAll(async () => {
  admin = new KafkaAdminClient({
    bootstrapServers: bootstrap,
    clientId: 'kafkite-admin-it',
    requestTimeoutMs: 15_000,
  })
  await admin.start()
})
afterAll(async () => {
  await admin?.close()
})

/** Appends `count` records with timestamps base, base + 1000, … to one partition; acks=all. */
async function produce(topic: string, partition: number, count: number, base: number): Promise<void> {
  const builder = new RecordBatchBuilder({ maxBytes: 1 << 20 })
  for (let index = 0; index < count; index += 1)
    builder.append({ value: `v${index}`, timestamp: base + index * 1000 })
  const records = builder.build()
  const cluster = admin.cluster
  await cluster.withRetries(async () => {
    const { nodeId } = await cluster.leaderFor(topic, partition)
    const response = await cluster.sendToBroker(
      nodeId,
      Produce.api,
      Produce.createRequest({
        acks: -1,
        timeoutMs: 10_000,
        topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
      }),
    )
    const error = errorFromCode(
      response.responses[0]?.partitionResponses[0]?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR,
    )
    if (error !== undefined) throw error
  })
}

describe('topics', () => {
  it('creates topics with per-topic errors, Kafka\u2019s TopicCommand sees them, and we see and delete the tool\u2019s', async () => {
    const prefix = uniqueTopic('admin-topics')
    const ours = `${prefix}-ours`
    const compacted = `${prefix}-compacted`
    const byTool = `${prefix}-by-tool`
    await tool(TOPIC_COMMAND, [
      '--create',
      '--topic',
      byTool,
      '--partitions',
      '2',
      '--replication-factor',
      '1',
    ])

    const created = await admin.createTopics([
      { name: ours, numPartitions: 3, replicationFactor: 1, topicConfigs: { 'retention.ms': '123456' } },
      { name: compacted, topicConfigs: { 'cleanup.policy': 'compact' } },
      { name: byTool, numPartitions: 1, replicationFactor: 1 },
      { name: `${prefix}-bad name!`, numPartitions: 1, replicationFactor: 1 },
      { name: `${prefix}-rf`, numPartitions: 1, replicationFactor: info.nodeCount + 2 },
    ])
    expect(created.value(ours)).toMatchObject({ name: ours, numPartitions: 3, replicationFactor: 1 })
    expect(created.value(ours)?.configs?.['retention.ms']).toBe('123456')
    expect(created.value(compacted)?.numPartitions).toBeGreaterThan(0)
    expect(created.error(byTool)).toBeInstanceOf(TopicAlreadyExistsError)
    expect(created.error(`${prefix}-bad name!`)).toBeInstanceOf(InvalidTopicError)
    expect(created.error(`${prefix}-rf`)).toBeInstanceOf(InvalidReplicationFactorError)
    expect(created.error(`${prefix}-rf`)?.message).toMatch(
      /replication factor|larger than available brokers/i,
    )
    const thrown = (() => {
      try {
        created.orThrow()
      } catch (error) {
        return error
      }
    })()
    expect(thrown).toBeInstanceOf(AdminBatchError)
    expect((thrown as AdminBatchError).failures.map((failure) => failure.item)).toEqual([
      byTool,
      `${prefix}-bad name!`,
      `${prefix}-rf`,
    ])

    // validateOnly creates nothing.
    const dry = await admin.createTopics(
      [{ name: `${prefix}-dry`, numPartitions: 1, replicationFactor: 1 }],
      {
        validateOnly: true,
      },
    )
    expect(dry.ok).toBe(true)

    const described = await tool(TOPIC_COMMAND, ['--describe', '--topic', `${prefix}.*`])
    expect(described).toMatch(
      new RegExp(`Topic: ${ours}\\s.*PartitionCount: 3\\s.*ReplicationFactor: 1\\s.*retention\\.ms=123456`),
    )
    expect(described).toMatch(new RegExp(`Topic: ${compacted}\\s.*cleanup\\.policy=compact`))
    expect(described).not.toContain(`${prefix}-dry`)

    expect(await admin.listTopics()).toEqual(expect.arrayContaining([ours, compacted, byTool]))
    const topics = await admin.describeTopics([ours, byTool, `${prefix}-missing`])
    expect(topics.value(byTool)?.partitions.map((partition) => partition.partition)).toEqual([0, 1])
    expect(topics.value(ours)?.partitions).toHaveLength(3)
    expect(
      topics
        .value(ours)
        ?.partitions.every((partition) => partition.leader >= 0 && partition.isr.length === 1),
    ).toBe(true)
    expect(topics.error(`${prefix}-missing`)).toBeInstanceOf(UnknownTopicOrPartitionError)

    // Partitions: ours grows from 3 to 5; lowering the tool's topic is refused for that topic alone.
    const grown = await admin.createPartitions({ [ours]: { totalCount: 5 }, [byTool]: { totalCount: 1 } })
    expect(grown.value(ours)).toEqual({ topic: ours, totalCount: 5 })
    expect(grown.error(byTool)?.name).toBe('InvalidPartitionsError')

    // One replica per partition leads already: the preferred election is not needed, which is no failure.
    const elected = await admin.electLeaders('preferred', [
      { topic: ours, partition: 0 },
      { topic: `${prefix}-missing`, partition: 0 },
    ])
    expect(elected.value({ topic: ours, partition: 0 })).toEqual({ elected: false })
    expect(elected.error({ topic: `${prefix}-missing`, partition: 0 })).toBeInstanceOf(
      UnknownTopicOrPartitionError,
    )

    const deleted = await admin.deleteTopics([byTool, compacted, `${prefix}-missing`])
    expect(deleted.value(byTool)?.name).toBe(byTool)
    expect(deleted.value(compacted)?.name).toBe(compacted)
    expect(deleted.error(`${prefix}-missing`)).toBeInstanceOf(UnknownTopicOrPartitionError)

    const after = await tool(TOPIC_COMMAND, ['--describe', '--topic', `${prefix}.*`])
    expect(after).toMatch(new RegExp(`Topic: ${ours}\\s.*PartitionCount: 5`))
    expect(after).not.toContain(`Topic: ${byTool}`)
    await admin.deleteTopics([ours])
  })

  it('describes the cluster and the broker log dirs', async () => {
    const cluster = await admin.describeCluster()
    expect(cluster.brokers).toHaveLength(info.nodeCount)
    expect(cluster.clusterId).toMatch(/\S+/)
    const dirs = await admin.describeLogDirs()
    expect(dirs.keys()).toEqual(cluster.brokers.map((broker) => broker.nodeId))
    expect(dirs.ok).toBe(true)
    for (const [, logDirs] of dirs.values) expect(logDirs[0]?.path).toMatch(/\//)
  })
})

describe('records and offsets', () => {
  it('lists offsets per leader (earliest, latest, max timestamp, by time) and deletes records below an offset', async () => {
    const topic = uniqueTopic('admin-offsets')
    ;(await admin.createTopics([{ name: topic, numPartitions: 2, replicationFactor: 1 }])).orThrow()
    const base = Date.now() - 60_000
    await produce(topic, 0, 10, base)
    const p0 = { topic, partition: 0 }
    const p1 = { topic, partition: 1 }
    const offsets = await admin.listOffsets([
      [p0, 'latest'],
      [p1, 'earliest'],
    ])
    expect(offsets.value(p0)?.offset).toBe(10n)
    expect(offsets.value(p1)?.offset).toBe(0n)
    const times = await admin.listOffsets([
      [p0, { timestamp: base + 3500 }],
      [p1, { timestamp: base }],
    ])
    expect(times.value(p0)).toMatchObject({ offset: 4n, timestamp: base + 4000 })
    expect(times.value(p1)).toBeNull()
    const max = await admin.listOffsets([[p0, 'maxTimestamp']])
    expect(max.value(p0)).toMatchObject({ offset: 9n, timestamp: base + 9000 })

    const deleted = await admin.deleteRecords(
      [
        [p0, { beforeOffset: 4n }],
        [p1, 5n],
        [{ topic: `${topic}-missing`, partition: 0 }, 1n],
      ],
      { timeoutMs: 2000 },
    )
    expect(deleted.value(p0)).toBe(4n)
    expect(deleted.error(p1)?.name).toBe('OffsetOutOfRangeError')
    expect(deleted.error({ topic: `${topic}-missing`, partition: 0 })).toBeInstanceOf(
      UnknownTopicOrPartitionError,
    )
    expect((await admin.listOffsets([[p0, 'earliest']])).value(p0)?.offset).toBe(4n)

    // Kafka's GetOffsetShell agrees on the new log start.
    const shell = await tool('org.apache.kafka.tools.GetOffsetShell', ['--topic', topic, '--time', '-2'])
    expect(shell).toContain(`${topic}:0:4`)
    await admin.deleteTopics([topic])
  })
})

describe('configs', () => {
  it('alters incrementally, ConfigCommand sees it; ConfigCommand alters, we see it; broker configs come from the broker', async () => {
    const topic = uniqueTopic('admin-configs')
    const other = `${topic}-other`
    ;(await admin.createTopics([{ name: topic }, { name: other }])).orThrow()
    const key = { resourceType: ConfigResourceType.TOPIC, name: topic }
    const altered = await admin.alterConfigs([
      {
        resourceType: 'topic',
        name: topic,
        configs: { 'retention.ms': '7777', 'cleanup.policy': { op: 'append', value: 'compact' } },
      },
      { resourceType: 'topic', name: `${topic}-missing`, configs: { 'retention.ms': '1' } },
      { resourceType: 'topic', name: other, configs: { 'retention.ms': 'not-a-number' } },
    ])
    expect(altered.value(key)).toEqual(key)
    expect(altered.error({ resourceType: 2, name: `${topic}-missing` })).toBeInstanceOf(
      UnknownTopicOrPartitionError,
    )
    expect(altered.error({ resourceType: 2, name: other })?.name).toBe('InvalidConfigurationError')

    await tool(CONFIG_COMMAND, [
      '--entity-type',
      'topics',
      '--entity-name',
      other,
      '--alter',
      '--add-config',
      'max.message.bytes=65536',
    ])
    const toolView = await tool(CONFIG_COMMAND, [
      '--entity-type',
      'topics',
      '--entity-name',
      topic,
      '--describe',
    ])
    expect(toolView).toMatch(/retention\.ms=7777/)
    expect(toolView).toMatch(/cleanup\.policy=delete,compact|cleanup\.policy=compact,delete/)

    const brokerId = String((await admin.describeCluster()).brokers[0]?.nodeId)
    const described = await admin.describeConfigs(
      [
        { resourceType: 'topic', name: topic },
        { resourceType: 'topic', name: other, configs: ['max.message.bytes'] },
        {
          resourceType: 'broker',
          name: brokerId,
          configs: ['log.cleaner.dedupe.buffer.size', 'num.io.threads'],
        },
        { resourceType: 'topic', name: `${topic}-missing` },
      ],
      { includeSynonyms: true, includeDocumentation: true },
    )
    const topicEntries = described.value(key)?.entries
    expect(topicEntries?.get('retention.ms')).toMatchObject({
      value: '7777',
      source: 'DYNAMIC_TOPIC_CONFIG',
      isDefault: false,
    })
    expect(topicEntries?.get('retention.ms')?.synonyms[0]).toMatchObject({
      source: 'DYNAMIC_TOPIC_CONFIG',
      value: '7777',
    })
    expect(topicEntries?.get('retention.ms')?.type).toBe('LONG')
    expect(topicEntries?.get('retention.ms')?.documentation).toMatch(/\w/)
    const otherEntries = described.value({ resourceType: 2, name: other })?.entries
    expect([...(otherEntries?.keys() ?? [])]).toEqual(['max.message.bytes'])
    expect(otherEntries?.get('max.message.bytes')?.value).toBe('65536')
    const broker = described.value({ resourceType: ConfigResourceType.BROKER, name: brokerId })?.entries
    // The harness sets this in server.properties: only that broker itself knows.
    expect(broker?.get('log.cleaner.dedupe.buffer.size')).toMatchObject({
      value: '33554432',
      source: 'STATIC_BROKER_CONFIG',
    })
    expect(described.error({ resourceType: 2, name: `${topic}-missing` })).toBeInstanceOf(
      UnknownTopicOrPartitionError,
    )

    // Deleting a key returns it to its default; subtract takes a value out of a list.
    ;(
      await admin.alterConfigs([
        {
          resourceType: 'topic',
          name: topic,
          configs: { 'retention.ms': null, 'cleanup.policy': { op: 'subtract', value: 'compact' } },
        },
      ])
    ).orThrow()
    const back = (
      await admin.describeConfigs([
        { resourceType: 'topic', name: topic, configs: ['retention.ms', 'cleanup.policy'] },
      ])
    ).value(key)
    expect(back?.entries.get('retention.ms')?.source).not.toBe('DYNAMIC_TOPIC_CONFIG')
    expect(back?.entries.get('cleanup.policy')?.value).toBe('delete')
    await admin.deleteTopics([topic, other])
  })
})

describe('consumer groups', () => {
  it('commits, lists, describes and deletes group offsets and groups; ConsumerGroupCommand agrees both ways', async () => {
    const topic = uniqueTopic('admin-groups')
    const ours = uniqueGroup('admin-ours')
    const byTool = uniqueGroup('admin-by-tool')
    const active = uniqueGroup('admin-active')
    ;(await admin.createTopics([{ name: topic, numPartitions: 2, replicationFactor: 1 }])).orThrow()
    await produce(topic, 0, 5, Date.now())
    await produce(topic, 1, 5, Date.now())
    const p0 = { topic, partition: 0 }
    const p1 = { topic, partition: 1 }

    const committed = await admin.alterConsumerGroupOffsets(ours, [
      [p0, { offset: 3n, metadata: 'from-admin' }],
      [p1, 1n],
    ])
    expect(committed.ok).toBe(true)

    // The tool sets offsets of another group; an active member (joined by hand below) holds a third.
    await tool(GROUP_COMMAND, [
      '--reset-offsets',
      '--group',
      byTool,
      '--topic',
      `${topic}:0`,
      '--to-offset',
      '2',
      '--execute',
    ])
    const member = await joinGroup(active, topic)

    const toolDescribe = await tool(GROUP_COMMAND, [
      '--describe',
      '--group',
      ours,
      '--group',
      active,
      '--members',
      '--verbose',
    ])
    // --members lists the active member with its assignment as the group leader gave it.
    expect(toolDescribe).toMatch(
      new RegExp(
        `${active}\\s+${escapeRegExp(member.memberId)}\\s+\\S+\\s+kafkite-admin-it\\s+2\\s.*${topic}:0,1`,
      ),
    )
    const offsetsView = await tool(GROUP_COMMAND, ['--describe', '--group', ours])
    expect(offsetsView).toMatch(new RegExp(`${ours}\\s+${topic}\\s+0\\s+3\\s+5\\s+2`))
    expect(offsetsView).toMatch(new RegExp(`${ours}\\s+${topic}\\s+1\\s+1\\s+5\\s+4`))

    const listed = await admin.listConsumerGroupOffsets(ours)
    expect(listed.value(p0)).toEqual({ offset: 3n, metadata: 'from-admin' })
    expect(listed.value(p1)).toMatchObject({ offset: 1n, metadata: '' })
    const fromTool = await admin.listConsumerGroupOffsets(byTool, { partitions: [p0, p1] })
    expect(fromTool.value(p0)?.offset).toBe(2n)
    expect(fromTool.value(p1)).toBeNull()

    const groups = await admin.listConsumerGroups()
    const mine = groups.filter((group) => [ours, byTool, active].includes(group.groupId))
    expect(mine.map((group) => group.groupId).sort()).toEqual([ours, byTool, active].sort())
    expect(mine.find((group) => group.groupId === active)).toMatchObject({
      protocolType: 'consumer',
      state: 'Stable',
    })

    const described = await admin.describeConsumerGroups([active, ours, uniqueGroup('admin-unknown')])
    const group = described.value(active)
    expect(group).toMatchObject({ state: 'Stable', protocolType: 'consumer', protocol: 'range' })
    expect(group?.members[0]).toMatchObject({ memberId: member.memberId, clientId: 'kafkite-admin-it' })
    expect(group?.members[0]?.subscription?.topics).toEqual([topic])
    expect(group?.members[0]?.assignment?.partitions).toEqual([p0, p1])
    expect(described.value(ours)).toMatchObject({ state: 'Empty', members: [] })
    expect(
      described.errors.map(([id, error]) => [
        id.startsWith('kafkite-g-admin-unknown'),
        error instanceof GroupIdNotFound,
      ]),
    ).toEqual([[true, true]])

    // The active group refuses outside commits and deletion while its member is there.
    const refused = await admin.alterConsumerGroupOffsets(active, [[p0, 1n]])
    expect(refused.error(p0)?.name).toMatch(/UnknownMemberId|RebalanceInProgress|IllegalGeneration/)
    const deleteBusy = await admin.deleteConsumerGroups([active, ours, uniqueGroup('admin-none')])
    expect(deleteBusy.error(active)?.name).toBe('NonEmptyGroup')
    expect(deleteBusy.value(ours)).toBe(ours)
    expect(deleteBusy.errors.some(([, error]) => error instanceof GroupIdNotFound)).toBe(true)

    const dropped = await admin.deleteConsumerGroupOffsets(byTool, [p0])
    expect(dropped.ok).toBe(true)
    expect((await admin.listConsumerGroupOffsets(byTool, { partitions: [p0] })).value(p0)).toBeNull()
    const busyOffsets = await admin.deleteConsumerGroupOffsets(active, [p0])
    expect(busyOffsets.error(p0)?.name).toBe('GroupSubscribedToTopicError')

    await member.leave()
    ;(await admin.deleteConsumerGroups([active, byTool])).orThrow()
    await admin.deleteTopics([topic])
  })
})

/** Joins `groupId` by hand (classic protocol, as a Java consumer would) and leads it: both partitions to us. */
async function joinGroup(
  groupId: string,
  topic: string,
): Promise<{ memberId: string; leave: () => Promise<void> }> {
  const cluster = admin.cluster
  const join = (memberId: string) =>
    cluster.sendToCoordinator(
      'group',
      groupId,
      JoinGroup.api,
      JoinGroup.createRequest({
        groupId,
        memberId,
        sessionTimeoutMs: 45_000,
        rebalanceTimeoutMs: 10_000,
        protocolType: 'consumer',
        protocols: [{ name: 'range', metadata: encodeSubscription([topic]) }],
      }),
    )
  let joined = await join('')
  // Since JoinGroup v4 the coordinator first hands out the member id and asks to join again with it.
  if (joined.errorCode === ErrorCode.MEMBER_ID_REQUIRED) joined = await join(joined.memberId)
  expect(joined.errorCode).toBe(0)
  const synced = await cluster.sendToCoordinator(
    'group',
    groupId,
    SyncGroup.api,
    SyncGroup.createRequest({
      groupId,
      generationId: joined.generationId,
      memberId: joined.memberId,
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [
        {
          memberId: joined.memberId,
          assignment: encodeAssignment([
            { topic, partition: 0 },
            { topic, partition: 1 },
          ]),
        },
      ],
    }),
  )
  expect(synced.errorCode).toBe(0)
  return {
    memberId: joined.memberId,
    leave: async () => {
      await cluster.sendToCoordinator(
        'group',
        groupId,
        LeaveGroup.api,
        LeaveGroup.createRequest({
          groupId,
          members: [{ memberId: joined.memberId }],
        }),
      )
    },
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

describe('ACLs and SCRAM credentials', () => {
  // The harness broker runs StandardAuthorizer with allow.everyone.if.no.acl.found=true. Every ACL here is an
  // ALLOW on a topic of this test's own name for a principal no other test uses, and all are deleted at the
  // end, so no other test can be denied anything. An external cluster's authorizer is unknown: skipped there.
  it.runIf(info.kind !== 'external')(
    'creates ACLs that AclCommand lists, sees the ones AclCommand adds, and deletes both per filter',
    async () => {
      const ours = uniqueTopic('admin-acl')
      const byTool = `${ours}-by-tool`
      const principal = `User:kafkite-acl-${Date.now().toString(36)}`
      const read = {
        resourceType: 'TOPIC',
        resourceName: ours,
        principal,
        operation: 'READ',
        permissionType: 'ALLOW',
      } as const
      const write = { ...read, operation: 'WRITE', host: '127.0.0.1' } as const
      const oursFilter = { resourceType: 'TOPIC', resourceName: ours } as const
      const toolFilter = { resourceType: 'TOPIC', resourceName: byTool } as const
      const nothingFilter = { resourceType: 'TOPIC', resourceName: `${ours}-none` } as const
      try {
        await tool(ACL_COMMAND, [
          '--add',
          '--allow-principal',
          principal,
          '--operation',
          'Describe',
          '--topic',
          byTool,
        ])
        const created = await admin.createAcls([read, write])
        expect(created.error(read)).toBeUndefined()
        expect(created.error(write)).toBeUndefined()

        // Kafka's tool lists ours (and the one it added).
        const listed = await tool(ACL_COMMAND, ['--list', '--topic', ours])
        expect(listed).toMatch(
          new RegExp(`principal=${escapeRegExp(principal)}, host=\\*, operation=READ, permissionType=ALLOW`),
        )
        expect(listed).toMatch(
          new RegExp(
            `principal=${escapeRegExp(principal)}, host=127\\.0\\.0\\.1, operation=WRITE, permissionType=ALLOW`,
          ),
        )

        // We see the tool's (a broker applies ACLs from the metadata log, so it may lag a moment).
        await expect
          .poll(() => admin.describeAcls(toolFilter), { timeout: 10_000 })
          .toEqual([
            {
              resourceType: 'TOPIC',
              resourceName: byTool,
              patternType: 'LITERAL',
              principal,
              host: '*',
              operation: 'DESCRIBE',
              permissionType: 'ALLOW',
            },
          ])
        await expect
          .poll(async () => (await admin.describeAcls({ principal })).length, { timeout: 10_000 })
          .toBe(3)

        const deleted = await admin.deleteAcls([oursFilter, toolFilter, nothingFilter])
        expect(deleted.ok).toBe(true)
        expect(
          deleted
            .value(oursFilter)
            ?.deleted.map((binding) => binding.operation)
            .sort(),
        ).toEqual(['READ', 'WRITE'])
        expect(deleted.value(oursFilter)?.failed).toEqual([])
        expect(deleted.value(toolFilter)?.deleted).toEqual([
          expect.objectContaining({ resourceName: byTool, principal, operation: 'DESCRIBE' }),
        ])
        expect(deleted.value(nothingFilter)?.deleted).toEqual([])
        await expect.poll(() => admin.describeAcls({ principal }), { timeout: 10_000 }).toEqual([])
      } finally {
        // Nothing this test made may outlive it.
        await admin.deleteAcls([oursFilter, toolFilter]).catch(() => undefined)
      }
    },
  )

  it.runIf(info.kind === 'local')(
    'creates a SCRAM user whose password logs in from Kafka\u2019s tool and from us; lists the harness users; deletes',
    async () => {
      const username = `kafkite-admin-${Date.now().toString(36)}`
      const password = `pw-${Math.random().toString(36).slice(2)}`
      const upserted = await admin.alterUserScramCredentials([
        { op: 'upsert', user: username, mechanism: 'SCRAM-SHA-256', password, iterations: 8192 },
        { op: 'delete', user: `${username}-ghost`, mechanism: 'SCRAM-SHA-256' },
        // Kafka refuses two alterations of one user in one request, whatever the mechanisms.
        { op: 'upsert', user: `${username}-dup`, mechanism: 'SCRAM-SHA-256', password },
        { op: 'upsert', user: `${username}-dup`, mechanism: 'SCRAM-SHA-512', password },
      ])
      expect(upserted.error(username)).toBeUndefined()
      expect(upserted.value(username)).toBe(username)
      expect(upserted.error(`${username}-ghost`)?.name).toBe('ResourceNotFoundError')
      expect(upserted.error(`${username}-dup`)?.name).toBe('DuplicateResourceError')
      ;(
        await admin.alterUserScramCredentials([
          { op: 'upsert', user: username, mechanism: 'SCRAM-SHA-512', password },
        ])
      ).orThrow()

      const described = await admin.describeUserScramCredentials([username, `${username}-ghost`])
      expect(described.value(username)).toEqual(
        expect.arrayContaining([
          { mechanism: 'SCRAM-SHA-256', iterations: 8192 },
          { mechanism: 'SCRAM-SHA-512', iterations: 4096 },
        ]),
      )
      expect(described.error(`${username}-ghost`)?.name).toBe('ResourceNotFoundError')
      const everyone = await admin.describeUserScramCredentials()
      const harnessUser = info.saslUsers.find((user) => user.mechanisms.includes('SCRAM-SHA-256'))
      if (harnessUser !== undefined) expect(everyone.has(harnessUser.username)).toBe(true)

      // The credential works for Kafka's own client and for ours (the broker may need a moment to apply it).
      scramLogin = { username, password }
      try {
        await expect(
          tool(TOPIC_COMMAND, ['--command-config', '{config}', '--list'], {
            listener: 'SASL_PLAINTEXT',
            mechanism: 'SCRAM-SHA-256',
          }),
        ).resolves.not.toMatch(/Exception/)
      } finally {
        scramLogin = undefined
      }
      const asUser = new KafkaAdminClient({
        bootstrapServers: info.bootstrap.SASL_PLAINTEXT ?? '',
        securityProtocol: 'SASL_PLAINTEXT',
        saslMechanism: 'SCRAM-SHA-512',
        saslPlainUsername: username,
        saslPlainPassword: password,
      })
      try {
        expect(Array.isArray(await asUser.listTopics())).toBe(true)
      } finally {
        await asUser.close()
      }

      for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const) {
        ;(await admin.alterUserScramCredentials([{ op: 'delete', user: username, mechanism }])).orThrow()
      }
      expect((await admin.describeUserScramCredentials([username])).error(username)?.name).toBe(
        'ResourceNotFoundError',
      )
    },
  )
})

describe('bad input', () => {
  it('refuses wrong arguments with IllegalArgumentError before any request', async () => {
    await expect(admin.createTopics([])).rejects.toMatchObject({ name: 'IllegalArgumentError' })
    await expect(admin.deleteRecords([[{ topic: 't', partition: -1 }, 1n]])).rejects.toMatchObject({
      name: 'IllegalArgumentError',
    })
    await expect(
      admin.alterUserScramCredentials([
        { op: 'upsert', user: 'u', mechanism: 'SCRAM-SHA-256', password: 'p', iterations: 10 },
      ]),
    ).rejects.toMatchObject({ name: 'IllegalArgumentError' })
  })
})
