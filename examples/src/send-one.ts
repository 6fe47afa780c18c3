// aiokafka's first producer example (README, "AIOKafkaProducer"): send one message and wait for it.
//
//   producer = AIOKafkaProducer(bootstrap_servers='localhost:9092')
//   await producer.start()
//   try:
//       await producer.send_and_wait("my_topic", b"Super message")
//   finally:
//       await producer.stop()
import { AIOKafkaProducer } from '@kafkite/producer'

const bootstrapServers = process.env.KAFKA_BOOTSTRAP ?? 'localhost:9092'
const topic = process.env.KAFKITE_TOPIC ?? 'my_topic'

const producer = new AIOKafkaProducer({ bootstrapServers })
// Get cluster layout and initial topic/partition leadership information.
await producer.start()
try {
  // Produce a message.
  const metadata = await producer.sendAndWait(topic, Buffer.from('Super message'))
  console.log(`Sent to ${metadata?.topic} partition ${metadata?.partition} at offset ${metadata?.offset}`)
} finally {
  // Wait for all pending messages to be delivered or expire.
  await producer.stop()
}
