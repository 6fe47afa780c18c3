// aiokafka's examples/batch_produce.py: fill batches yourself with create_batch() and send each to a
// partition of your choice with send_batch().
//
//   batch = producer.create_batch()
//   while i < num:
//       metadata = batch.append(key=None, value=msg, timestamp=None)
//       if metadata is None:
//           partitions = await producer.partitions_for(topic)
//           partition = random.choice(tuple(partitions))
//           await producer.send_batch(batch, topic, partition=partition)
//           print("%d messages sent to partition %d" % (batch.record_count(), partition))
//           batch = producer.create_batch()
//           continue
//       i += 1
import { KafkaProducer } from '@kafkite/producer'

const bootstrapServers = process.env.KAFKA_BOOTSTRAP ?? 'localhost:9092'
const topic = process.env.KAFKITE_TOPIC ?? 'my_topic'
const count = Number(process.env.KAFKITE_COUNT ?? 1000)

const producer = new KafkaProducer({ bootstrapServers })
await producer.start()
try {
  const sendBatch = async (batch: ReturnType<typeof producer.createBatch>): Promise<void> => {
    const partitions = await producer.partitionsFor(topic)
    const partition = partitions[Math.floor(Math.random() * partitions.length)]!
    const handle = await producer.sendBatch(batch, topic, { partition })
    await handle.delivery
    console.log(`${batch.recordCount()} messages sent to partition ${partition}`)
  }
  let batch = producer.createBatch()
  let i = 0
  while (i < count) {
    const metadata = batch.append({ key: null, value: Buffer.from(`Test message ${i}`), timestampMs: null })
    if (metadata === null) {
      // The batch is full: send it and start another.
      await sendBatch(batch)
      batch = producer.createBatch()
      continue
    }
    i++
  }
  await sendBatch(batch)
} finally {
  await producer.stop()
}
