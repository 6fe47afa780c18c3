// aiokafka's producer docs, "Message buffering": send() queues the record and returns a future of its
// delivery, so many records can be queued before waiting for any of them.
//
//   batch = []
//   for i in range(num):
//       fut = await producer.send(topic, ("Super message: %d" % i).encode())
//       batch.append(fut)
//   await asyncio.wait(batch)
//   for fut in batch:
//       msg = fut.result()
//       print("Message produced: partition {}; offset {}".format(msg.partition, msg.offset))
//
// In kafkite, send() resolves to a DeliveryHandle once the record is queued; handle.delivery is the
// promise of its metadata (a promise cannot resolve to another promise, so the future of a future becomes
// a promise of a handle).
import { type DeliveryHandle, KafkaProducer } from '@kafkite/producer'

const bootstrapServers = process.env.KAFKA_BOOTSTRAP ?? 'localhost:9092'
const topic = process.env.KAFKITE_TOPIC ?? 'my_topic'
const count = Number(process.env.KAFKITE_COUNT ?? 10)

const producer = new KafkaProducer({ bootstrapServers })
await producer.start()
try {
  const batch: DeliveryHandle[] = []
  for (let i = 0; i < count; i++) {
    // Resolves as soon as the record is in the producer's buffer.
    batch.push(await producer.send(topic, Buffer.from(`Super message: ${i}`)))
  }
  // Now wait for the deliveries.
  for (const handle of batch) {
    const metadata = await handle.delivery
    console.log(`Message produced: partition ${metadata?.partition}; offset ${metadata?.offset}`)
  }
} finally {
  await producer.stop()
}
