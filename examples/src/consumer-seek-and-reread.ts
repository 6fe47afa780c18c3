// aiokafka's seek example (consumer docs, "Controlling the consumer position"): read a message, seek
// back to its offset, and read the very same message again, as when processing must be retried.
//
//   msg = await consumer.getone()
//   ...  # processing failed
//   consumer.seek(tp, msg.offset)
//   msg = await consumer.getone()  # the same message
import { AIOKafkaConsumer, topicPartition } from '@kafkite/consumer'

const bootstrapServers = process.env.KAFKA_BOOTSTRAP ?? 'localhost:9092'
const topic = process.env.KAFKITE_TOPIC ?? 'my_topic'

const consumer = new AIOKafkaConsumer({ bootstrapServers, autoOffsetReset: 'earliest' })
await consumer.start()
try {
  const tp = topicPartition(topic, 0)
  consumer.assign([tp])
  await consumer.getone()
  const msg = await consumer.getone()
  console.log(`read offset ${msg.offset}: ${msg.value?.toString()}; position ${await consumer.position(tp)}`)
  // Processing failed: go back and read it again.
  consumer.seek(tp, msg.offset)
  const again = await consumer.getone()
  console.log(
    `re-read offset ${again.offset}: ${again.value?.toString()}; position ${await consumer.position(tp)}`,
  )
} finally {
  await consumer.stop()
}
