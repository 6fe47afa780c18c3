// @kafkite/admin against a 3-node cluster started here: replication factor 3 as Kafka's TopicCommand sees
// it, a replication factor above the broker count refused per topic, a broker's own configs asked of that
// broker, and a preferred-leader election after the preferred replica came back.
import { ConfigResourceType, KafkaAdminClient } from '@kafkite/admin'
import { type LocalCluster, runKafkaTool, startCluster } from '@kafkite/kafka-harness'
import { InvalidReplicationFactorError } from '@kafkite/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uniqueTopic } from '../src/index.js'

let cluster: LocalCluster
let admin: KafkaAdminClient

beforeAll(async () => {
  // ignoreEnvironment: this file is about a 3-node layout whatever cluster the run's global setup started.
  cluster = (await startCluster({ nodes: 3, ignoreEnvironment: true })) as LocalCluster
  admin = new KafkaAdminClient({ bootstrapServers: cluster.bootstrap('PLAINTEXT'), requestTimeoutMs: 30_000 })
  await admin.start()
})

afterAll(async () => {
  await admin?.close()
  await cluster?.stop()
})

/** Polls `check` until it returns true (a broker coming back takes a few seconds to rejoin the ISR). */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

describe('admin on a 3-node cluster', () => {
  it('creates topics with replication factor 3 that TopicCommand sees, refusing 4 for that topic alone', async () => {
    const topic = uniqueTopic('admin-rf3')
    const created = await admin.createTopics([
      { name: topic, numPartitions: 3, replicationFactor: 3 },
      { name: `${topic}-rf4`, numPartitions: 1, replicationFactor: 4 },
    ])
    expect(created.value(topic)).toMatchObject({ numPartitions: 3, replicationFactor: 3 })
    expect(created.error(`${topic}-rf4`)).toBeInstanceOf(InvalidReplicationFactorError)
    // A new topic reaches every broker's metadata a moment after the controller created it.
    await until('the new topic in every broker’s metadata', async () => {
      const described = (await admin.describeTopics([topic])).value(topic)
      return described?.partitions.length === 3
    })
    const description = (await admin.describeTopics([topic])).value(topic)
    expect(description?.partitions.map((partition) => partition.replicas.length)).toEqual([3, 3, 3])

    const { stdout } = await runKafkaTool(cluster.info, 'org.apache.kafka.tools.TopicCommand', [
      '--bootstrap-server',
      cluster.bootstrap('PLAINTEXT'),
      '--describe',
      '--topic',
      topic,
    ])
    expect(stdout).toMatch(/PartitionCount: 3\s+ReplicationFactor: 3/)
    for (const partition of description?.partitions ?? []) {
      expect(stdout).toMatch(
        new RegExp(
          `Partition: ${partition.partition}\\s+Leader: ${partition.leader}\\s+Replicas: ${partition.replicas.join(',')}`,
        ),
      )
    }

    const brokers = (await admin.describeCluster()).brokers.map((broker) => broker.nodeId)
    expect(brokers).toEqual([1, 2, 3])
    // node.id is static: only broker 2 itself answers 2, so this proves where the request went.
    const configs = await admin.describeConfigs(
      brokers.map((nodeId) => ({
        resourceType: ConfigResourceType.BROKER,
        name: String(nodeId),
        configs: ['node.id'],
      })),
    )
    for (const nodeId of brokers) {
      expect(
        configs
          .value({ resourceType: ConfigResourceType.BROKER, name: String(nodeId) })
          ?.entries.get('node.id')?.value,
      ).toBe(String(nodeId))
    }
    const dirs = await admin.describeLogDirs()
    expect(dirs.keys()).toEqual([1, 2, 3])
    for (const nodeId of brokers) {
      expect(
        dirs
          .value(nodeId)
          ?.flatMap((dir) => dir.replicas)
          .filter((replica) => replica.topic === topic),
      ).toHaveLength(3)
    }
  })

  it('moves leadership back to the preferred replica with electLeaders once it has rejoined', async () => {
    const topic = uniqueTopic('admin-elect')
    ;(await admin.createTopics([{ name: topic, replicaAssignments: { 0: [2, 1, 3] } }])).orThrow()
    const tp = { topic, partition: 0 }
    const partition = async () => (await admin.describeTopics([topic])).value(topic)?.partitions[0]
    await until('broker 2 to lead', async () => (await partition())?.leader === 2)

    await cluster.stopNode(1)
    await until('leadership to move off broker 2', async () => {
      const now = await partition()
      return now !== undefined && now.leader !== 2 && now.leader >= 0
    })
    await cluster.startNode(1)
    await until('broker 2 to rejoin the ISR', async () => (await partition())?.isr.includes(2) === true)

    const elected = await admin.electLeaders('preferred', [tp])
    expect(elected.ok).toBe(true)
    await until('broker 2 to lead again', async () => (await partition())?.leader === 2)
    // Now the preferred replica leads: another election is not needed, which is no failure.
    const again = await admin.electLeaders('preferred', [tp])
    expect(again.value(tp)).toEqual({ elected: false })
    await admin.deleteTopics([topic])
  })
})
