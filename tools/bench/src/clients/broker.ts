// The one broker of a bench run: the cluster named by KAFKA_BOOTSTRAP, or a single local broker started
// with the kafka-harness on first use and stopped when the run ends. Topics are made, checked and deleted
// with KafkaJS's admin client (a client none of the suites measure through its admin path).

import { type Cluster, startCluster } from '@kafkite/kafka-harness'
import { type Admin, Kafka, logLevel } from 'kafkajs'

export interface Broker {
  readonly bootstrap: string
  readonly kafkaVersion: string
  /** 'external' for KAFKA_BOOTSTRAP, 'local' for a broker this run started. */
  readonly kind: string
  readonly admin: Admin
}

let acquired: Promise<{ broker: Broker; cluster: Cluster }> | undefined

async function start(): Promise<{ broker: Broker; cluster: Cluster }> {
  const cluster = await startCluster({ nodes: 1, listeners: ['PLAINTEXT'] })
  const bootstrap = cluster.bootstrap('PLAINTEXT')
  const kafka = new Kafka({
    clientId: 'kafkite-bench-admin',
    brokers: bootstrap.split(','),
    logLevel: logLevel.NOTHING,
  })
  const admin = kafka.admin()
  await admin.connect()
  return {
    cluster,
    broker: { bootstrap, kafkaVersion: cluster.info.kafkaVersion, kind: cluster.info.kind, admin },
  }
}

export async function acquireBroker(): Promise<Broker> {
  acquired ??= start()
  return (await acquired).broker
}

/** Disconnects the admin client and stops the broker if this run started it. Safe to call twice. */
export async function releaseBroker(): Promise<void> {
  const pending = acquired
  acquired = undefined
  if (pending === undefined) return
  const { broker, cluster } = await pending
  await broker.admin.disconnect()
  await cluster.stop()
}

/** Creates the topic and waits until every partition has a leader that answers for it. */
export async function createTopic(broker: Broker, topic: string, partitions: number): Promise<void> {
  const created = await broker.admin.createTopics({
    topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
    waitForLeaders: false,
  })
  if (!created) throw new Error(`topic ${topic} already exists`)
  const deadline = Date.now() + 30_000
  for (;;) {
    try {
      const offsets = await broker.admin.fetchTopicOffsets(topic)
      if (offsets.length === partitions) return
    } catch (error) {
      if (Date.now() > deadline) throw error
    }
    if (Date.now() > deadline) throw new Error(`topic ${topic}: partitions without a leader after 30 s`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Records in a topic: the sum over partitions of end offset minus start offset. */
export async function recordCount(broker: Broker, topic: string): Promise<number> {
  const offsets = await broker.admin.fetchTopicOffsets(topic)
  return offsets.reduce((total, partition) => total + Number(partition.high) - Number(partition.low), 0)
}

export async function deleteTopic(broker: Broker, topic: string): Promise<void> {
  try {
    await broker.admin.deleteTopics({ topics: [topic], timeout: 30_000 })
  } catch {
    // Leftover topics only cost disk on a throwaway broker; never fail a run for it.
  }
}
