// aiokafka's producer docs, "Partitioner": route keys `first` and `last` to the first and last partitions,
// everything else as the default partitioner does.
//
//   class MyPartitioner(DefaultPartitioner):
//       def __call__(self, key, all_partitions, available_partitions):
//           if key == b'first':
//               return all_partitions[0]
//           elif key == b'last':
//               return all_partitions[-1]
//           return super().__call__(key, all_partitions, available_partitions)
//
//   producer = AIOKafkaProducer(bootstrap_servers='localhost:9092', partitioner=MyPartitioner())
//
// In kafkite a partitioner is a plain function; aiokafka's DefaultPartitioner is `murmur2Partitioner`.
import { KafkaProducer, murmur2Partitioner, type Partitioner } from '@kafkite/producer'

const bootstrapServers = process.env.KAFKA_BOOTSTRAP ?? 'localhost:9092'
const topic = process.env.KAFKITE_TOPIC ?? 'my_topic'

const myPartitioner: Partitioner = (key, allPartitions, availablePartitions) => {
  const text = key === null ? null : Buffer.from(key).toString()
  if (text === 'first') return allPartitions[0]!
  if (text === 'last') return allPartitions[allPartitions.length - 1]!
  return murmur2Partitioner(key, allPartitions, availablePartitions)
}

const producer = new KafkaProducer({ bootstrapServers, partitioner: myPartitioner })
await producer.start()
try {
  for (const key of ['first', 'last', 'other']) {
    const metadata = await producer.sendAndWait(topic, Buffer.from(`message for ${key}`), { key })
    console.log(`key ${key} -> partition ${metadata?.partition} offset ${metadata?.offset}`)
  }
} finally {
  await producer.stop()
}
