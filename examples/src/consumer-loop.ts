// aiokafka's consumer example (README, "AIOKafkaConsumer"): read messages in a loop and print them.
//
//   consumer = AIOKafkaConsumer('my_topic', bootstrap_servers='localhost:9092', group_id="my-group")
//   await consumer.start()
//   try:
//       async for msg in consumer:
//           print("consumed: ", msg.topic, msg.partition, msg.offset, msg.key, msg.value, msg.timestamp)
//   finally:
//       await consumer.stop()
//
// Group membership (subscribing to a topic) is not in kafkite yet: the consumer is assigned every
// partition of the topic. It stops after KAFKITE_MESSAGES messages so that the example ends.
import { AIOKafkaConsumer, topicPartition } from '@kafkite/consumer'

const bootstrapServers = process.env.KAFKA_BOOTSTRAP ?? 'localhost:9092'
const topic = process.env.KAFKITE_TOPIC ?? 'my_topic'
const expected = Number(process.env.KAFKITE_MESSAGES ?? '10')

const consumer = new AIOKafkaConsumer({ bootstrapServers, groupId: 'my-group', autoOffsetReset: 'earliest' })
// Get cluster layout.
await consumer.start()
try {
  const partitions = await consumer.partitionsFor(topic)
  consumer.assign(partitions.map((partition) => topicPartition(topic, partition)))
  let count = 0
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
    count += 1
    if (count === expected) break
  }
} finally {
  // Will leave consumer group; perform autocommit if enabled.
  await consumer.stop()
}
