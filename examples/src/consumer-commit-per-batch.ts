// aiokafka's "Manual commit" example (consumer docs): process messages in batches and commit after each
// batch, so a crash re-delivers at most one batch (at-least-once).
//
//   consumer = AIOKafkaConsumer("my_topic", bootstrap_servers='localhost:9092', group_id="my-group",
//                               enable_auto_commit=False)
//   await consumer.start()
//   batch = []
//   async for msg in consumer:
//       batch.append(msg)
//       if len(batch) == 100:
//           await consume_messages(batch)
//           await consumer.commit()
//           batch = []
import { AIOKafkaConsumer, type ConsumerRecord, topicPartition } from '@kafkite/consumer'

const bootstrapServers = process.env.KAFKA_BOOTSTRAP ?? 'localhost:9092'
const topic = process.env.KAFKITE_TOPIC ?? 'my_topic'
const groupId = process.env.KAFKITE_GROUP ?? 'my-group'
const batchSize = Number(process.env.KAFKITE_BATCH ?? '100')
const batches = Number(process.env.KAFKITE_BATCHES ?? '2')

async function consumeMessages(batch: readonly ConsumerRecord[]): Promise<void> {
  console.log(`processed ${batch.length} messages, last offset ${batch.at(-1)?.offset}`)
}

const consumer = new AIOKafkaConsumer({
  bootstrapServers,
  groupId,
  enableAutoCommit: false,
  autoOffsetReset: 'earliest',
})
await consumer.start()
try {
  const tp = topicPartition(topic, 0)
  consumer.assign([tp])
  let batch: ConsumerRecord[] = []
  let done = 0
  for await (const msg of consumer) {
    batch.push(msg)
    if (batch.length === batchSize) {
      await consumeMessages(batch)
      // Commits the positions of everything read so far (the last offset + 1).
      await consumer.commit()
      console.log(`committed ${await consumer.committed(tp)}`)
      batch = []
      done += 1
      if (done === batches) break
    }
  }
} finally {
  await consumer.stop()
}
