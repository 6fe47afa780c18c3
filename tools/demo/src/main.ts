// `pnpm demo`: aiokafka's quick start on kafkite. With KAFKA_BOOTSTRAP set it uses that cluster; otherwise
// it starts a local single-node KRaft broker from Apache Kafka's jars (fetched from Maven Central into
// ~/.cache/kafkite on first use) and stops it at the end. A producer sends one record; a consumer reads it
// back (by assignment: consumer-group membership is not in kafkite yet) and prints it.
import { fetchKafka, isFetched, kafkaVersion, startCluster } from '@kafkite/kafka-harness'
import {
  AIOKafkaAdminClient,
  AIOKafkaConsumer,
  AIOKafkaProducer,
  TopicAlreadyExistsError,
  topicPartition,
} from 'kafkite'

const topic = 'my_topic'

async function sendOne(bootstrapServers: string): Promise<void> {
  const producer = new AIOKafkaProducer({ bootstrapServers })
  // Get cluster layout and initial topic/partition leadership information.
  await producer.start()
  try {
    // Produce message.
    const metadata = await producer.sendAndWait(topic, 'Super message', { key: 'greeting' })
    console.log(`sent: partition ${metadata?.partition}, offset ${metadata?.offset}`)
  } finally {
    // Wait for all pending messages to be delivered or expire.
    await producer.stop()
  }
}

async function consume(bootstrapServers: string): Promise<void> {
  const consumer = new AIOKafkaConsumer({
    bootstrapServers,
    groupId: 'my-group',
    autoOffsetReset: 'earliest',
  })
  // Get cluster layout.
  await consumer.start()
  try {
    consumer.assign([topicPartition(topic, 0)])
    // Consume messages.
    for await (const msg of consumer) {
      console.log(
        'consumed:',
        msg.topic,
        msg.partition,
        String(msg.offset),
        msg.key?.toString() ?? null,
        msg.value?.toString() ?? null,
        msg.timestamp,
      )
      break
    }
  } finally {
    // Commit what was read (auto-commit) and close.
    await consumer.stop()
  }
}

async function createTopic(bootstrapServers: string): Promise<void> {
  const admin = new AIOKafkaAdminClient({ bootstrapServers })
  await admin.start()
  try {
    const results = await admin.createTopics([{ name: topic, numPartitions: 1, replicationFactor: 1 }])
    // An existing topic (a second run against the same cluster) is fine.
    const failure = results.errors.find(([, error]) => !(error instanceof TopicAlreadyExistsError))
    if (failure !== undefined) throw failure[1]
  } finally {
    await admin.close()
  }
}

async function main(): Promise<void> {
  const external = process.env.KAFKA_BOOTSTRAP
  if (external === undefined || external === '') {
    const version = kafkaVersion(process.env.KAFKITE_KAFKA ?? '4')
    if (!isFetched(version)) {
      console.log(`Fetching Apache Kafka ${version.maven} from Maven Central (first run only)…`)
      await fetchKafka(version)
    }
    console.log(`Starting a local Apache Kafka ${version.maven} broker (KRaft, single node)…`)
  }
  const started = Date.now()
  const cluster = await startCluster({ nodes: 1, listeners: ['PLAINTEXT'] })
  try {
    const bootstrapServers = cluster.bootstrap('PLAINTEXT')
    console.log(`Broker ready at ${bootstrapServers} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
    await createTopic(bootstrapServers)
    await sendOne(bootstrapServers)
    await consume(bootstrapServers)
  } finally {
    await cluster.stop()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
