// aiokafka's `offsets_for_times()` (consumer docs): find, per partition, the first message at or after
// a point in time and start reading there, e.g. to replay the last hour.
//
//   offsets = await consumer.offsets_for_times({tp: timestamp_ms})
//   for tp, offset_and_timestamp in offsets.items():
//       if offset_and_timestamp is not None:
//           consumer.seek(tp, offset_and_timestamp.offset)
import { AIOKafkaConsumer, TopicPartitionMap, topicPartition } from '@kafkite/consumer'

const bootstrapServers = process.env.KAFKA_BOOTSTRAP ?? 'localhost:9092'
const topic = process.env.KAFKITE_TOPIC ?? 'my_topic'
const since = Number(process.env.KAFKITE_SINCE_MS ?? String(Date.now() - 3_600_000))

const consumer = new AIOKafkaConsumer({ bootstrapServers, autoOffsetReset: 'latest' })
await consumer.start()
try {
  const partitions = (await consumer.partitionsFor(topic)).map((partition) =>
    topicPartition(topic, partition),
  )
  consumer.assign(partitions)
  const offsets = await consumer.offsetsForTimes(new TopicPartitionMap(partitions.map((tp) => [tp, since])))
  for (const [tp, found] of offsets) {
    if (found === null) {
      console.log(`partition ${tp.partition}: nothing since ${since}`)
      continue
    }
    console.log(`partition ${tp.partition}: offset ${found.offset} at ${found.timestamp}`)
    consumer.seek(tp, found.offset)
  }
  for (;;) {
    const result = await consumer.getmany({ timeoutMs: 1000 })
    if (result.size === 0) break
    for (const messages of result.values()) {
      for (const msg of messages) console.log(`read ${msg.partition}@${msg.offset} ${msg.value?.toString()}`)
    }
  }
} finally {
  await consumer.stop()
}
