// read_committed against records written by Kafka's own transactional producer (the harness jars):
// TransactionalMessageCopier with random aborts copies every input record exactly once in committed
// transactions, leaving aborted copies in the log; ProducerPerformance with a long transaction holds one
// open, so the last stable offset stays behind the high watermark.
import { type ChildProcess, spawn } from 'node:child_process'
import type { ClusterClient } from '@kafkite/cluster'
import { type ConsumerOptions, type ConsumerRecord, KafkaConsumer, topicPartition } from '@kafkite/consumer'
import { fetchKafka, kafkaVersion, runKafkaTool } from '@kafkite/kafka-harness'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { kafka, uniqueGroup, uniqueTopic } from '../src/index.js'
import { adminClient, createTopic, produce } from './consumer-helpers.js'

const info = kafka()
const bootstrapServers = info.bootstrap.PLAINTEXT ?? ''
let admin: ClusterClient
const consumers: KafkaConsumer[] = []
const processes: ChildProcess[] = []

function consumer(options: ConsumerOptions = {}): KafkaConsumer {
  const created = new KafkaConsumer({ bootstrapServers, fetchMaxWaitMs: 100, ...options })
  consumers.push(created)
  return created
}

beforeAll(async () => {
  admin = adminClient(bootstrapServers)
  await admin.bootstrap()
})

afterEach(async () => {
  for (const child of processes.splice(0)) child.kill('SIGKILL')
  await Promise.all(consumers.splice(0).map((each) => each.stop()))
})

afterAll(async () => {
  await admin.close()
})

/** Reads from the start until `quietMs` pass without a record, or `limit` records arrived. */
async function readAll(reader: KafkaConsumer, quietMs = 1500, limit = 100_000): Promise<ConsumerRecord[]> {
  const records: ConsumerRecord[] = []
  for (;;) {
    const batch = await reader.getmany({ timeoutMs: quietMs })
    if (batch.size === 0 || records.length >= limit) return records
    for (const list of batch.values()) records.push(...list)
  }
}

describe('read_committed', () => {
  it('drops aborted transactions and delivers every committed record once (TransactionalMessageCopier)', async () => {
    const input = uniqueTopic('txn-input')
    const output = uniqueTopic('txn-output')
    await createTopic(admin, input)
    await createTopic(admin, output)
    const count = 200
    const sent = Array.from({ length: count }, (_, index) => `m${index}`)
    await produce(admin, input, 0, sent)
    // Aborts one transaction in three at random, then copies the same records again: the log holds
    // committed copies of every input record once, plus aborted copies and the markers.
    await runKafkaTool(
      info,
      'org.apache.kafka.tools.TransactionalMessageCopier',
      [
        '--broker-list',
        bootstrapServers,
        '--input-topic',
        input,
        '--input-partition',
        '0',
        '--output-topic',
        output,
        '--transactional-id',
        uniqueGroup('txn-copier'),
        '--consumer-group',
        uniqueGroup('txn-copier-group'),
        '--transaction-size',
        '10',
        '--max-messages',
        String(count),
        '--enable-random-aborts',
      ],
      undefined,
      90_000,
    )
    const tp = topicPartition(output, 0)
    const committed = consumer({ isolationLevel: 'read_committed', autoOffsetReset: 'earliest' })
    await committed.start()
    committed.assign([tp])
    const readCommitted = await readAll(committed)
    expect(readCommitted.map((record) => record.value?.toString())).toEqual(sent)
    // Offsets leave gaps where the markers and the aborted records are; the position passes them all.
    const end = (await committed.endOffsets([tp])).get(tp)!
    expect(await committed.position(tp)).toBe(end)
    expect(committed.lastStableOffset(tp)).toBe(end)

    const uncommitted = consumer({ isolationLevel: 'read_uncommitted', autoOffsetReset: 'earliest' })
    await uncommitted.start()
    uncommitted.assign([tp])
    const everything = await readAll(uncommitted)
    // The aborted copies are there for read_uncommitted (markers never are).
    expect(everything.length).toBeGreaterThan(count)
    const aborted = everything.length - count
    expect(BigInt(everything.length)).toBeLessThan(end)
    expect(aborted).toBeGreaterThan(0)
  })

  it('endOffsets() and seekToEnd() give the LSO while a transaction is open', async () => {
    const topic = uniqueTopic()
    await createTopic(admin, topic)
    await produce(admin, topic, 0, ['before-1', 'before-2'])
    const { libs } = await fetchKafka(kafkaVersion(info.kafkaVersion))
    const home = process.env.JAVA_HOME
    const java = home !== undefined && home !== '' ? `${home}/bin/java` : 'java'
    // One transaction held open for 10 minutes, records trickling in.
    const child = spawn(
      java,
      [
        '-Xmx256m',
        '-XX:TieredStopAtLevel=1',
        '-XX:+UseSerialGC',
        '-cp',
        `${libs}/*`,
        'org.apache.kafka.tools.ProducerPerformance',
        '--topic',
        topic,
        '--num-records',
        '100000',
        '--record-size',
        '16',
        '--throughput',
        '20',
        '--transactional-id',
        uniqueGroup('txn-open'),
        '--transaction-duration-ms',
        '600000',
        '--producer-props',
        `bootstrap.servers=${bootstrapServers}`,
        'linger.ms=0',
      ],
      { stdio: 'ignore' },
    )
    processes.push(child)
    const tp = topicPartition(topic, 0)
    const uncommitted = consumer({ autoOffsetReset: 'earliest' })
    await uncommitted.start()
    const committed = consumer({ isolationLevel: 'read_committed', autoOffsetReset: 'earliest' })
    await committed.start()
    // Wait until the open transaction has records in the log.
    const deadline = Date.now() + 60_000
    while ((await uncommitted.endOffsets([tp])).get(tp)! < 10n) {
      if (Date.now() > deadline) throw new Error('the transactional producer wrote nothing')
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    const highWatermark = (await uncommitted.endOffsets([tp])).get(tp)!
    const lso = (await committed.endOffsets([tp])).get(tp)!
    expect(lso).toBe(2n)
    expect(highWatermark).toBeGreaterThan(lso)

    committed.assign([tp])
    const read = await readAll(committed, 1000)
    expect(read.map((record) => record.value?.toString())).toEqual(['before-1', 'before-2'])
    expect(committed.lastStableOffset(tp)).toBe(2n)
    expect(committed.highwater(tp)).toBeGreaterThan(2n)
    expect(await committed.position(tp)).toBe(2n)
    expect(await committed.seekToEnd(tp)).toBe(true)
    expect(await committed.position(tp)).toBe(2n)

    uncommitted.assign([tp])
    const seen = await readAll(uncommitted, 1000, 12)
    expect(seen.length).toBeGreaterThanOrEqual(12)
  })
})
