// aiokafka's producer docs, "Idempotent produce": the broker drops duplicates a retry could cause, and
// keeps the order per partition, by producer id and sequence numbers.
//
//   producer = AIOKafkaProducer(
//       bootstrap_servers='localhost:9092',
//       enable_idempotence=True)
//   await producer.start()
//   try:
//       await producer.send_and_wait("my_topic", b"Super message")
//   finally:
//       await producer.stop()
import { KafkaProducer } from '@kafkite/producer'

const bootstrapServers = process.env.KAFKA_BOOTSTRAP ?? 'localhost:9092'
const topic = process.env.KAFKITE_TOPIC ?? 'my_topic'

// Idempotence needs acks 'all', which is then the default.
const producer = new KafkaProducer({ bootstrapServers, enableIdempotence: true })
await producer.start()
try {
  const metadata = await producer.sendAndWait(topic, Buffer.from('Super message'))
  const { producerId } = producer.producerIdAndEpoch!
  console.log(`producer ${producerId} wrote offset ${metadata?.offset} with acks ${producer.options.acks}`)
} finally {
  await producer.stop()
}
