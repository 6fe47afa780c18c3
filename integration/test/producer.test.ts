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
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { CONSOLE_NULL_MARKER, consoleConsume, consoleProduce } from '../src/console-tools.js'
import { kafka, uniqueTopic } from '../src/index.js'
import { createTopic, endOffset, fetchPartition, testCluster } from './producer-support.js'

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

const CODECS = [null, 'gzip', 'snappy', 'lz4', 'zstd'] as const

function jsonSerializer(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), 'utf8')
}

describe('KafkaProducer against the broker', () => {
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

  it('sendAndWait resolves with the metadata; LogAppendTime topics report the broker time', async () => {
    const topic = uniqueTopic()
    await createTopic(cluster, topic, 1, { 'message.timestamp.type': 'LogAppendTime' })
    const sender = new AIOKafkaProducer({ bootstrapServers })
    producers.push(sender as unknown as KafkaProducer<never, never>)
    await sender.start()
    const before = Date.now()
    const first = (await sender.sendAndWait(topic, 'one', { headers: [{ key: 'h', value: 'v' }] }))!
    const second = (await sender.sendAndWait(topic, Buffer.from('two'), { timestampMs: 1000 }))!
    expect([first.offset, second.offset]).toEqual([0n, 1n])
    expect(first.timestampType).toBe(1)
    expect(first.timestamp).toBeGreaterThanOrEqual(before - 1000)
    expect(second.timestamp).not.toBe(1000)
    const records = await fetchPartition(cluster, topic, 0, 2n)
    expect(records.map((record) => record.value?.toString())).toEqual(['one', 'two'])
    expect(records[0]?.headers[0]?.value?.toString()).toBe('v')
  })

  it('keyless records stick to one partition per batch, and every one is delivered', async () => {
    const topic = uniqueTopic()
    await createTopic(cluster, topic, 4)
    const sender = producer({ lingerMs: 5 })
    await sender.start()
    const handles: DeliveryHandle[] = []
    for (let i = 0; i < 2000; i++) handles.push(await sender.send(topic, `value-${i}`))
    const delivered = await Promise.all(handles.map((handle) => handle.delivery))
    // Sticky: records go in runs on one partition, not one partition per record.
    let switches = 0
    for (let i = 1; i < handles.length; i++)
      if (handles[i]!.partition !== handles[i - 1]!.partition) switches++
    expect(switches).toBeLessThan(200)
    let total = 0n
    for (const partition of [0, 1, 2, 3]) total += await endOffset(cluster, topic, partition)
    expect(total).toBe(2000n)
    expect(delivered.every((metadata) => metadata !== null && metadata.offset >= 0n)).toBe(true)
  })

  it('createBatch/sendBatch writes one batch at the base offset it reports', async () => {
    const topic = uniqueTopic()
    await createTopic(cluster, topic, 2)
    const sender = producer({ compressionType: 'lz4' })
    await sender.start()
    await sender.sendAndWait(topic, 'before', { partition: 1 })
    const batch = sender.createBatch()
    let count = 0
    while (batch.append({ key: `k${count}`, value: `message ${count}` }) !== null) count++
    expect(count).toBeGreaterThan(100)
    const handle = await sender.sendBatch(batch, topic, { partition: 1 })
    const metadata = (await handle.delivery)!
    expect(metadata.partition).toBe(1)
    expect(metadata.offset).toBe(1n)
    const records = await fetchPartition(cluster, topic, 1, BigInt(count + 1))
    expect(records).toHaveLength(count + 1)
    expect(records[count]?.value?.toString()).toBe(`message ${count - 1}`)
    expect(records[1]?.compression).toBe(CompressionType.lz4)
    await expect(sender.sendBatch(batch, topic, { partition: 0 })).rejects.toThrow(IllegalStateError)
  })

  it('a custom partitioner gets the key bytes and the partitions, and chooses', async () => {
    const topic = uniqueTopic()
    await createTopic(cluster, topic, 5)
    const calls: [string | null, number[], number[]][] = []
    // aiokafka's docs example: keys ending in a digit go to that partition, the rest to the last one.
    const partitioner: Partitioner = (key, all, available) => {
      calls.push([key === null ? null : Buffer.from(key).toString(), [...all], [...available]])
      const digit = key === null ? Number.NaN : Number(Buffer.from(key).toString().slice(-1))
      return Number.isInteger(digit) && digit < all.length ? all[digit]! : all[all.length - 1]!
    }
    const sender = producer({ partitioner })
    await sender.start()
    const results = await Promise.all(
      ['user-1', 'user-3', 'other', 'user-9'].map(
        async (key) => (await sender.sendAndWait(topic, 'v', { key }))!,
      ),
    )
    expect(results.map((metadata) => metadata.partition)).toEqual([1, 3, 4, 4])
    expect(calls[0]).toEqual(['user-1', [0, 1, 2, 3, 4], [0, 1, 2, 3, 4]])
    const bad = producer({ partitioner: () => 99 })
    await bad.start()
    await expect(bad.send(topic, 'v')).rejects.toThrow(IllegalArgumentError)
  })

  it.each(CODECS)('JSON values compressed with %s are read by Kafka’s console consumer', async (codec) => {
    const topic = uniqueTopic(`producer-json-${codec ?? 'none'}`)
    await createTopic(cluster, topic, 1, { 'compression.type': 'producer' })
    const sender = producer<string, unknown>({
      compressionType: codec,
      valueSerializer: jsonSerializer,
      keySerializer: (key) => Buffer.from(key),
      lingerMs: 20,
    })
    await sender.start()
    const values = Array.from({ length: 50 }, (_, i) => ({ id: i, text: `héllo ${i}`, tags: ['a', 'b'] }))
    const handles = await Promise.all(values.map((value, i) => sender.send(topic, value, { key: `k${i}` })))
    await sender.flush()
    const offsets = await Promise.all(handles.map(async (handle) => (await handle.delivery)!.offset))
    expect(offsets).toEqual(values.map((_, i) => BigInt(i)))
    const stored = await fetchPartition(cluster, topic, 0, 50n)
    expect(new Set(stored.map((record) => record.compression))).toEqual(
      new Set([CompressionType[codec ?? 'none']]),
    )
    const printed = await consoleConsume(info, topic, { maxMessages: values.length })
    expect(printed).toEqual(values.map((value, i) => `NO_HEADERS\tk${i}\t${JSON.stringify(value)}`))
  })

  it('an idempotent producer gets a producer id and writes contiguous sequences per partition', async () => {
    const topic = uniqueTopic()
    await createTopic(cluster, topic, 3)
    const sender = producer({ enableIdempotence: true, lingerMs: 2, maxBatchSize: 4096 })
    await sender.start()
    expect(sender.options.acks).toBe(-1)
    const { producerId, epoch } = sender.producerIdAndEpoch!
    expect(producerId).toBeGreaterThanOrEqual(0n)
    expect(epoch).toBeGreaterThanOrEqual(0)
    const handles: DeliveryHandle[] = []
    for (let i = 0; i < 3000; i++) {
      handles.push(await sender.send(topic, `value-${i}`, { key: `key-${i % 30}` }))
    }
    await sender.flush()
    const perPartition = new Map<number, number>()
    for (const handle of handles) {
      perPartition.set(handle.partition, (perPartition.get(handle.partition) ?? 0) + 1)
    }
    for (const [partition, count] of perPartition) {
      const records = await fetchPartition(cluster, topic, partition, BigInt(count))
      expect(records).toHaveLength(count)
      expect(new Set(records.map((record) => record.producerId))).toEqual(new Set([producerId]))
      // Batches start at sequence 0 and follow each other without a gap: offset == sequence here.
      for (const record of records) expect(BigInt(record.baseSequence)).toBeLessThanOrEqual(record.offset)
      expect(records[0]?.baseSequence).toBe(0)
    }
  })

  it('puts every one of 10k keys where Java’s producer puts it (12 partitions)', async () => {
    const javaTopic = uniqueTopic('producer-java-keys')
    const ourTopic = uniqueTopic('producer-our-keys')
    await createTopic(cluster, javaTopic, 12)
    await createTopic(cluster, ourTopic, 12)
    const keys = Array.from({ length: 10_000 }, (_, i) => `key-${i}-${(i * 7919).toString(36)}`)
    await consoleProduce(
      info,
      javaTopic,
      keys.map((key, i) => `${CONSOLE_NULL_MARKER}\t${key}\t${i}`),
      { compression: 'none' },
    )
    const javaPartition = new Map<string, number>()
    for (let partition = 0; partition < 12; partition++) {
      const end = await endOffset(cluster, javaTopic, partition)
      for (const record of await fetchPartition(cluster, javaTopic, partition, end)) {
        javaPartition.set(record.key!.toString(), partition)
      }
    }
    expect(javaPartition.size).toBe(keys.length)

    const sender = producer({ lingerMs: 5 })
    await sender.start()
    const handles: DeliveryHandle[] = []
    for (const key of keys) handles.push(await sender.send(ourTopic, 'v', { key }))
    await sender.flush()
    const mismatches = keys.filter((key, i) => {
      const java = javaPartition.get(key)
      return java !== handles[i]!.partition || java !== partitionForKey(Buffer.from(key), 12)
    })
    expect(mismatches).toEqual([])
  })

  it('acks 0: deliveries resolve to null and the records are written', async () => {
    const topic = uniqueTopic()
    await createTopic(cluster, topic, 1)
    const sender = producer({ acks: 0 })
    await sender.start()
    const handles = await Promise.all(Array.from({ length: 100 }, (_, i) => sender.send(topic, `v${i}`)))
    expect(await Promise.all(handles.map((handle) => handle.delivery))).toEqual(handles.map(() => null))
    expect(await sender.sendAndWait(topic, 'last')).toBeNull()
    const records = await fetchPartition(cluster, topic, 0, 101n)
    expect(records.map((record) => record.value?.toString())).toEqual([
      ...handles.map((_, i) => `v${i}`),
      'last',
    ])
  })

  it('bounds buffered bytes: send waits for space, then fails with KafkaTimeoutError', async () => {
    const topic = uniqueTopic()
    await createTopic(cluster, topic, 3)
    const sender = producer({
      lingerMs: 60_000,
      maxBatchSize: 16_384,
      maxRequestSize: 20_000,
      maxBufferBytes: 20_000,
      requestTimeoutMs: 1000,
    })
    await sender.start()
    const value = Buffer.alloc(1000, 'x')
    // Three partitions, each batch far from full: nothing is sent while the linger runs, so the buffer fills.
    const queued: DeliveryHandle[] = []
    let failure: unknown
    for (let i = 0; i < 100 && failure === undefined; i++) {
      try {
        queued.push(await sender.send(topic, value, { partition: i % 3 }))
      } catch (error) {
        failure = error
      }
    }
    expect(failure).toBeInstanceOf(KafkaTimeoutError)
    expect(queued.length).toBeGreaterThan(10)
    expect(queued.length).toBeLessThan(25)
  })

  it('refuses calls before start() and after stop(), and bad records before queuing them', async () => {
    const topic = uniqueTopic()
    await createTopic(cluster, topic, 2)
    const sender = producer({ maxRequestSize: 2000, maxBatchSize: 1000, maxBufferBytes: 4000 })
    await expect(sender.send(topic, 'v')).rejects.toThrow(IllegalStateError)
    await expect(sender.partitionsFor(topic)).rejects.toThrow(IllegalStateError)
    await sender.start()
    await sender.start()
    expect(await sender.partitionsFor(topic)).toEqual([0, 1])
    await expect(sender.send(topic, null)).rejects.toThrow(IllegalArgumentError)
    await expect(sender.send(topic, 'v', { partition: 2 })).rejects.toThrow(IllegalArgumentError)
    await expect(sender.send(topic, Buffer.alloc(5000))).rejects.toThrow(MessageSizeTooLargeError)
    await expect(sender.send(topic, 42 as unknown as string)).rejects.toThrow(IllegalArgumentError)
    const tombstone = await sender.sendAndWait(topic, null, { key: 'gone', partition: 0 })
    expect(tombstone?.offset).toBe(0n)
    const pending = sender.send(topic, 'queued before stop', { partition: 1 })
    const stopping = sender.stop()
    expect(sender.stop()).toBe(stopping)
    await stopping
    expect((await (await pending).delivery)?.offset).toBe(0n)
    await expect(sender.send(topic, 'v')).rejects.toThrow(ProducerClosed)
    await expect(sender.start()).rejects.toThrow(IllegalStateError)
  })

  it('rejects bad values and option combinations that cannot work at construction', () => {
    // One bad value: IllegalArgumentError, as in the consumer, admin and cluster clients.
    expect(() => new KafkaProducer({ acks: 2 as 1 })).toThrow(IllegalArgumentError)
    expect(() => new KafkaProducer({ compressionType: 'brotli' as 'gzip' })).toThrow(IllegalArgumentError)
    // Options that conflict: KafkaConfigurationError.
    expect(() => new KafkaProducer({ enableIdempotence: true, acks: 1 })).toThrow(KafkaConfigurationError)
    expect(() => new KafkaProducer({ maxBatchSize: 2_000_000 })).toThrow(KafkaConfigurationError)
    expect(() => new KafkaProducer({ securityProtocol: 'SASL_SSL' })).toThrow(KafkaConfigurationError)
    expect(() => new KafkaProducer({ sslContext: { ca: 'x' } })).toThrow(KafkaConfigurationError)
    expect(
      () =>
        new KafkaProducer({
          securityProtocol: 'SASL_PLAINTEXT',
          saslMechanism: 'GSSAPI',
        }),
    ).toThrow(KafkaConfigurationError)
    expect(() => new KafkaProducer({ transactionalId: 't', enableIdempotence: false })).toThrow(
      KafkaConfigurationError,
    )
  })

  it('fails start() with no broker to talk to, and can be stopped after', async () => {
    const sender = new KafkaProducer({ bootstrapServers: '127.0.0.1:1', requestTimeoutMs: 2000 })
    await expect(sender.start()).rejects.toThrow()
    await sender.stop()
    await expect(sender.send('t', 'v')).rejects.toThrow(ProducerClosed)
  })
})
