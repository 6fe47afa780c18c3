// aiokafka's examples/serialize_and_compress.py: a JSON value serializer, and compressed batches.
//
//   def serializer(value):
//       return json.dumps(value).encode()
//
//   producer = AIOKafkaProducer(
//       bootstrap_servers='localhost:9092',
//       value_serializer=serializer,
//       compression_type="gzip")
//   await producer.start()
//   data = {"a": 123.4, "b": "some string"}
//   await producer.send('foobar', data)
//   data = [1,2,3,4]
//   await producer.send('foobar', data)
//   await producer.stop()
import { KafkaProducer } from '@kafkite/producer'

const bootstrapServers = process.env.KAFKA_BOOTSTRAP ?? 'localhost:9092'
const topic = process.env.KAFKITE_TOPIC ?? 'foobar'
const compression = process.env.KAFKITE_COMPRESSION ?? 'gzip'

function serializer(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value))
}

const producer = new KafkaProducer<string, unknown>({
  bootstrapServers,
  valueSerializer: serializer,
  compressionType: compression === 'none' ? null : (compression as 'gzip' | 'snappy' | 'lz4' | 'zstd'),
})
await producer.start()
try {
  const first = await producer.send(topic, { a: 123.4, b: 'some string' })
  const second = await producer.send(topic, [1, 2, 3, 4])
  // stop() below would wait for them too; awaiting here lets us print where they went.
  for (const handle of [first, second]) {
    const metadata = await handle.delivery
    console.log(`sent ${compression} JSON to ${metadata?.topic} offset ${metadata?.offset}`)
  }
} finally {
  await producer.stop()
}
