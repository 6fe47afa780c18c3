// aiokafka's flow-control example (consumer docs, "Consumption flow control"): when some partitions lag
// behind, read only those until they catch up, judging lag by `highwater()` − `position()` and freshness
// by `last_poll_timestamp()`.
//
//   partitions = []
//   for partition in consumer.assignment():
//       highwater = consumer.highwater(partition)
//       position = await consumer.position(partition)
//       position_lag = highwater - position
//       timestamp = consumer.last_poll_timestamp(partition)
//       time_lag = current_time - timestamp
//       if position_lag > POSITION_THRESHOLD or time_lag > TIME_THRESHOLD:
//           partitions.append(partition)
//   data = await consumer.getmany(*partitions, timeout_ms=...)
import { AIOKafkaConsumer, type TopicPartition, topicPartition } from '@kafkite/consumer'

const bootstrapServers = process.env.KAFKA_BOOTSTRAP ?? 'localhost:9092'
const topic = process.env.KAFKITE_TOPIC ?? 'my_topic'
const POSITION_THRESHOLD = BigInt(process.env.KAFKITE_LAG_THRESHOLD ?? '10')
const TIME_THRESHOLD = 60_000

const consumer = new AIOKafkaConsumer({ bootstrapServers, autoOffsetReset: 'earliest', maxPollRecords: 5 })
await consumer.start()
try {
  const partitions = (await consumer.partitionsFor(topic)).map((partition) =>
    topicPartition(topic, partition),
  )
  consumer.assign(partitions)
  // One read of everything, so that every partition has a high watermark and a poll time.
  await consumer.getmany({ timeoutMs: 2000 })
  while (partitions.some((tp) => consumer.highwater(tp) === null)) await consumer.getmany({ timeoutMs: 200 })
  for (let round = 0; ; round++) {
    const lagging: TopicPartition[] = []
    const now = Date.now()
    for (const tp of consumer.assignment()) {
      const highwater = consumer.highwater(tp) ?? 0n
      const position = await consumer.position(tp)
      const positionLag = highwater - position
      const timeLag = now - (consumer.lastPollTimestamp(tp) ?? now)
      if (positionLag > POSITION_THRESHOLD || timeLag > TIME_THRESHOLD) lagging.push(tp)
    }
    if (lagging.length === 0) break
    const data = await consumer.getmany(...lagging, { timeoutMs: 1000 })
    const read = Array.from(data, ([tp, messages]) => `${tp.partition}:${messages.length}`).join(' ')
    console.log(`round ${round}: lagging ${lagging.map((tp) => tp.partition).join(',')} read ${read}`)
  }
  for (const tp of partitions) {
    const lag = (consumer.highwater(tp) ?? 0n) - (await consumer.position(tp))
    console.log(`partition ${tp.partition}: lag ${lag}`)
  }
} finally {
  await consumer.stop()
}
