// aiokafka's per-partition commit example (consumer docs): read with getmany() and, for each partition,
// store its messages, then commit the partition's last offset + 1 (the next message to read).
//
//   while True:
//       result = await consumer.getmany(timeout_ms=10 * 1000)
//       for tp, messages in result.items():
//           if messages:
//               await save_to_db(messages)
//               # Commit progress only for this partition
//               await consumer.commit({tp: messages[-1].offset + 1})
import { AIOKafkaConsumer, type ConsumerRecord, TopicPartitionMap, topicPartition } from '@kafkite/consumer'

const bootstrapServers = process.env.KAFKA_BOOTSTRAP ?? 'localhost:9092'
const topic = process.env.KAFKITE_TOPIC ?? 'my_topic'
const groupId = process.env.KAFKITE_GROUP ?? 'my-group'

async function saveToDb(messages: readonly ConsumerRecord[]): Promise<void> {
  const first = messages[0]!
  console.log(`saved ${messages.length} messages of partition ${first.partition}`)
}

const consumer = new AIOKafkaConsumer({
  bootstrapServers,
  groupId,
  enableAutoCommit: false,
  autoOffsetReset: 'earliest',
})
await consumer.start()
try {
  const partitions = (await consumer.partitionsFor(topic)).map((partition) =>
    topicPartition(topic, partition),
  )
  consumer.assign(partitions)
  // Until nothing arrives for a second (aiokafka's example loops forever).
  for (;;) {
    const result = await consumer.getmany({ timeoutMs: 1000 })
    if (result.size === 0) break
    for (const [tp, messages] of result) {
      if (messages.length > 0) {
        await saveToDb(messages)
        // Commit progress only for this partition.
        await consumer.commit(new TopicPartitionMap([[tp, messages.at(-1)!.offset + 1n]]))
      }
    }
  }
  for (const tp of partitions)
    console.log(`partition ${tp.partition} committed ${await consumer.committed(tp)}`)
} finally {
  await consumer.stop()
}
