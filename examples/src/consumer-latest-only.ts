// A latest-only consumer (aiokafka's consumer docs: `seek_to_end()` and `auto_offset_reset="latest"`):
// skip the backlog and read only the newest message of each partition, the way a dashboard shows the
// current value of a stream.
//
//   await consumer.seek_to_end()
//   for tp in consumer.assignment():
//       position = await consumer.position(tp)
//       if position > 0:
//           consumer.seek(tp, position - 1)
import { AIOKafkaConsumer, topicPartition } from '@kafkite/consumer'

const bootstrapServers = process.env.KAFKA_BOOTSTRAP ?? 'localhost:9092'
const topic = process.env.KAFKITE_TOPIC ?? 'my_topic'

const consumer = new AIOKafkaConsumer({ bootstrapServers, autoOffsetReset: 'latest' })
await consumer.start()
try {
  const partitions = (await consumer.partitionsFor(topic)).map((partition) =>
    topicPartition(topic, partition),
  )
  consumer.assign(partitions)
  await consumer.seekToEnd()
  const pending = []
  for (const tp of partitions) {
    const end = await consumer.position(tp)
    if (end > 0n) {
      consumer.seek(tp, end - 1n)
      pending.push(tp)
    } else {
      console.log(`partition ${tp.partition}: empty`)
    }
  }
  for (const tp of pending) {
    const latest = await consumer.getone(tp)
    console.log(`partition ${tp.partition}: latest offset ${latest.offset} value ${latest.value?.toString()}`)
  }
} finally {
  await consumer.stop()
}
