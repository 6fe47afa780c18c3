// KafkaConsumer against the real broker: positions after reads, commits and committed offsets, a restart
// resuming from the committed offset, auto-commit, 'none' after DeleteRecords, pause/resume, seek and
// re-read, offsets by timestamp, metadata.
import type { ClusterClient } from '@kafkite/cluster'
import {
  type ConsumerOptions,
  type ConsumerRecord,
  FetchOffsetOutOfRangeError,
  IllegalOperation,
  KafkaConsumer,
  topicPartition,
} from '@kafkite/consumer'
import { IllegalStateError, NoOffsetForPartitionError, OffsetOutOfRangeError } from '@kafkite/protocol'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { kafka, uniqueGroup, uniqueTopic } from '../src/index.js'
import { adminClient, createTopic, deleteRecords, produce } from './consumer-helpers.js'

const info = kafka()
const bootstrapServers = info.bootstrap.PLAINTEXT ?? ''
let admin: ClusterClient
const consumers: KafkaConsumer[] = []

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
  await Promise.all(consumers.splice(0).map((each) => each.stop()))
})

afterAll(async () => {
  await admin.close()
})

const values = (records: readonly ConsumerRecord[] | undefined): string[] =>
  (records ?? []).map((record) => record.value?.toString() ?? '<null>')

/** Reads records of `tp` with getmany until `count` arrived (or 15 s passed). */
async function readRecords(reader: KafkaConsumer, count: number): Promise<ConsumerRecord[]> {
  const records: ConsumerRecord[] = []
  const deadline = Date.now() + 15_000
  while (records.length < count && Date.now() < deadline) {
    const batch = await reader.getmany({ timeoutMs: 1000, maxRecords: count - records.length })
    for (const list of batch.values()) records.push(...list)
  }
  return records
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('KafkaConsumer against the broker', () => {
  it('reads what was produced, and position == last offset + 1 after every read', async () => {
    const topic = uniqueTopic()
    await createTopic(admin, topic)
    await produce(admin, topic, 0, [{ key: 'k1', value: 'a', headers: [{ key: 'h', value: 'x' }] }, 'b', 'c'])
    await produce(admin, topic, 0, ['d', 'e'])
    const tp = topicPartition(topic, 0)
    const reader = consumer({ autoOffsetReset: 'earliest' })
    await reader.start()
    reader.assign([tp])
    expect(reader.assignment()).toEqual([tp])

    const first = await reader.getone()
    expect(first).toMatchObject({ topic, partition: 0, offset: 0n, timestampType: 0 })
    expect(first.key?.toString()).toBe('k1')
    expect(first.value?.toString()).toBe('a')
    expect(first.headers.map(([key, value]) => [key, value?.toString()])).toEqual([['h', 'x']])
    expect(first.serializedKeySize).toBe(2)
    expect(first.serializedValueSize).toBe(1)
    expect(await reader.position(tp)).toBe(1n)

    const rest = await readRecords(reader, 4)
    expect(values(rest)).toEqual(['b', 'c', 'd', 'e'])
    expect(await reader.position(tp)).toBe(rest.at(-1)!.offset + 1n)
    expect(reader.highwater(tp)).toBe(5n)
    expect(reader.lastStableOffset(tp)).toBe(-1n)
    expect(reader.lastPollTimestamp(tp)).toBeGreaterThan(Date.now() - 60_000)
    expect((await reader.endOffsets([tp])).get(tp)).toBe(5n)
    expect((await reader.beginningOffsets([tp])).get(tp)).toBe(0n)
  })

  it('commits consumed positions and explicit offsets; committed() asks the coordinator', async () => {
    const topic = uniqueTopic()
    await createTopic(admin, topic)
    await produce(admin, topic, 0, ['v0', 'v1', 'v2', 'v3', 'v4'])
    const tp = topicPartition(topic, 0)
    const groupId = uniqueGroup()
    const reader = consumer({ groupId, enableAutoCommit: false, autoOffsetReset: 'earliest' })
    await reader.start()
    reader.assign([tp])
    expect(await reader.committed(tp)).toBeNull()
    const read = await readRecords(reader, 3)
    expect(values(read)).toEqual(['v0', 'v1', 'v2'])
    await reader.commit()
    expect(await reader.committed(tp)).toBe(3n)
    await reader.commit([[tp, { offset: 4n, metadata: 'by test' }]])
    expect(await reader.committed(tp)).toBe(4n)

    // No group id: commits are refused with aiokafka's IllegalOperation.
    const anonymous = consumer({ autoOffsetReset: 'earliest' })
    await anonymous.start()
    anonymous.assign([tp])
    await expect(anonymous.commit()).rejects.toBeInstanceOf(IllegalOperation)
    await expect(anonymous.committed(tp)).rejects.toBeInstanceOf(IllegalOperation)
    await expect(anonymous.commit([[topicPartition(topic, 9), 1n]])).rejects.toBeInstanceOf(IllegalOperation)
  })

  it('a restarted consumer of the same group resumes from the committed offset', async () => {
    const topic = uniqueTopic()
    await createTopic(admin, topic)
    await produce(admin, topic, 0, ['v0', 'v1', 'v2', 'v3', 'v4', 'v5'])
    const tp = topicPartition(topic, 0)
    const groupId = uniqueGroup()
    const first = consumer({ groupId, enableAutoCommit: false, autoOffsetReset: 'earliest' })
    await first.start()
    first.assign([tp])
    const read = await readRecords(first, 2)
    await first.commit([[tp, read.at(-1)!.offset + 1n]])
    await first.stop()

    const second = consumer({ groupId, enableAutoCommit: false, autoOffsetReset: 'earliest' })
    await second.start()
    second.assign([tp])
    expect(await second.position(tp)).toBe(2n)
    const next = await second.getone()
    expect(next.offset).toBe(2n)
    expect(next.value?.toString()).toBe('v2')
    // seekToCommitted goes back to it after reading on.
    await readRecords(second, 2)
    expect((await second.seekToCommitted(tp)).get(tp)).toBe(2n)
    expect((await second.getone()).offset).toBe(2n)
  })

  it('auto-commits by time in the background, and commits on stop()', async () => {
    const topic = uniqueTopic()
    await createTopic(admin, topic)
    await produce(admin, topic, 0, ['v0', 'v1', 'v2'])
    const tp = topicPartition(topic, 0)
    const groupId = uniqueGroup()
    const ticking = consumer({ groupId, autoCommitIntervalMs: 200, autoOffsetReset: 'earliest' })
    await ticking.start()
    ticking.assign([tp])
    await readRecords(ticking, 2)
    await until('the auto-commit', async () => (await ticking.committed(tp)) === 2n)
    await ticking.stop()

    const lazy = consumer({ groupId, autoCommitIntervalMs: 600_000, autoOffsetReset: 'earliest' })
    await lazy.start()
    lazy.assign([tp])
    expect((await lazy.getone()).offset).toBe(2n)
    await lazy.stop()
    const check = consumer({ groupId, enableAutoCommit: false })
    await check.start()
    check.assign([tp])
    expect(await check.committed(tp)).toBe(3n)
  })

  it("'none' raises OffsetOutOfRangeError with the partition and offset after DeleteRecords", async () => {
    const topic = uniqueTopic()
    await createTopic(admin, topic)
    await produce(admin, topic, 0, ['v0', 'v1', 'v2', 'v3', 'v4', 'v5'])
    const tp = topicPartition(topic, 0)
    const strict = consumer({ autoOffsetReset: 'none' })
    await strict.start()
    strict.assign([tp])
    // No committed offset (no group) and no reset policy: no position at all.
    await expect(strict.position(tp)).rejects.toBeInstanceOf(NoOffsetForPartitionError)
    strict.seek(tp, 0n)
    const read = await readRecords(strict, 2)
    expect(values(read)).toEqual(['v0', 'v1'])
    expect(await deleteRecords(admin, topic, 0, 4n)).toBe(4n)
    strict.seek(tp, 2n)
    const error = await strict.getmany({ timeoutMs: 10_000 }).then(
      () => undefined,
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(FetchOffsetOutOfRangeError)
    expect(error).toBeInstanceOf(OffsetOutOfRangeError)
    const outOfRange = error as FetchOffsetOutOfRangeError
    expect(outOfRange.partitions).toEqual([tp])
    expect(outOfRange.offsets.get(tp)).toBe(2n)
    expect(await strict.position(tp)).toBe(2n)
    expect((await strict.beginningOffsets([tp])).get(tp)).toBe(4n)
    // Seeking into range reads again.
    strict.seek(tp, 4n)
    expect(values(await readRecords(strict, 2))).toEqual(['v4', 'v5'])

    // 'earliest' resets an out-of-range position to the new log start instead.
    const lenient = consumer({ autoOffsetReset: 'earliest' })
    await lenient.start()
    lenient.assign([tp])
    lenient.seek(tp, 1n)
    const first = await lenient.getone()
    expect(first.offset).toBe(4n)
  })

  it('paused partitions yield nothing and keep their position; resume delivers them', async () => {
    const topic = uniqueTopic()
    await createTopic(admin, topic, 2)
    await produce(admin, topic, 0, ['a0', 'a1'])
    await produce(admin, topic, 1, ['b0', 'b1', 'b2'])
    const tp0 = topicPartition(topic, 0)
    const tp1 = topicPartition(topic, 1)
    const reader = consumer({ autoOffsetReset: 'earliest' })
    await reader.start()
    reader.assign([tp0, tp1])
    expect(await reader.position(tp1)).toBe(0n)
    reader.pause(tp1)
    expect(reader.paused()).toEqual([tp1])
    const seen: ConsumerRecord[] = []
    const deadline = Date.now() + 1500
    while (Date.now() < deadline) {
      const batch = await reader.getmany({ timeoutMs: 300 })
      for (const list of batch.values()) seen.push(...list)
    }
    expect(seen.map((record) => `${record.partition}:${record.value}`)).toEqual(['0:a0', '0:a1'])
    expect(await reader.position(tp1)).toBe(0n)
    reader.resume(tp1)
    expect(reader.paused()).toEqual([])
    const resumed = await reader.getmany(tp1, { timeoutMs: 10_000 })
    expect(values(resumed.get(tp1))).toEqual(['b0', 'b1', 'b2'])
    expect(await reader.position(tp1)).toBe(3n)
  })

  it('seek() re-reads the same record; seekToBeginning and seekToEnd move to the ends', async () => {
    const topic = uniqueTopic()
    await createTopic(admin, topic)
    await produce(admin, topic, 0, ['v0', 'v1', 'v2', 'v3'])
    const tp = topicPartition(topic, 0)
    const reader = consumer({ autoOffsetReset: 'latest' })
    await reader.start()
    reader.assign([tp])
    expect(await reader.position(tp)).toBe(4n)
    expect(await reader.seekToBeginning(tp)).toBe(true)
    expect(await reader.position(tp)).toBe(0n)
    const read = await readRecords(reader, 3)
    const record = read[1]!
    reader.seek(tp, record.offset)
    const again = await reader.getone()
    expect(again.offset).toBe(record.offset)
    expect(again.value?.toString()).toBe(record.value?.toString())
    expect(await reader.seekToEnd()).toBe(true)
    expect(await reader.position(tp)).toBe(4n)
    await produce(admin, topic, 0, ['v4'])
    expect((await reader.getone()).value?.toString()).toBe('v4')
  })

  it('offsetsForTimes finds the first offset at or after a timestamp, null past the end', async () => {
    const topic = uniqueTopic()
    await createTopic(admin, topic)
    const t0 = Date.now() - 60_000
    await produce(admin, topic, 0, [
      { value: 'early', timestamp: t0 },
      { value: 'middle', timestamp: t0 + 1000 },
      { value: 'late', timestamp: t0 + 2000 },
    ])
    const tp = topicPartition(topic, 0)
    const reader = consumer()
    await reader.start()
    const found = await reader.offsetsForTimes([[tp, t0 + 500]])
    expect(found.get(tp)).toEqual({ offset: 1n, timestamp: t0 + 1000 })
    const exact = await reader.offsetsForTimes([[tp, t0]])
    expect(exact.get(tp)).toEqual({ offset: 0n, timestamp: t0 })
    const none = await reader.offsetsForTimes([[tp, Date.now() + 3_600_000]])
    expect(none.get(tp)).toBeNull()
    reader.assign([tp])
    reader.seek(tp, found.get(tp)!.offset)
    expect((await reader.getone()).value?.toString()).toBe('middle')
  })

  it('lists topics and partitions; subscribe() says group membership is not there yet', async () => {
    const topic = uniqueTopic()
    await createTopic(admin, topic, 3)
    const reader = consumer()
    await reader.start()
    expect(await reader.topics()).toContain(topic)
    expect(await reader.topics()).not.toContain('__consumer_offsets')
    expect(await reader.partitionsFor(topic)).toEqual([0, 1, 2])
    expect(reader.partitionsForTopic(topic)).toEqual([0, 1, 2])
    expect(reader.partitionsForTopic(uniqueTopic())).toBeNull()
    expect(() => reader.subscribe([topic])).toThrow(IllegalStateError)
    expect(() => reader.subscribe([topic])).toThrow(/not supported yet/)
  })

  it('stop() rejects a pending getone with ConsumerStoppedError and ends for-await loops', async () => {
    const topic = uniqueTopic()
    await createTopic(admin, topic)
    const tp = topicPartition(topic, 0)
    const reader = consumer({ autoOffsetReset: 'latest' })
    await reader.start()
    reader.assign([tp])
    const pending = reader.getone().then(
      () => undefined,
      (error: unknown) => error,
    )
    const loop = (async () => {
      let count = 0
      for await (const _record of reader) count += 1
      return count
    })()
    await new Promise((resolve) => setTimeout(resolve, 300))
    await reader.stop()
    expect(await pending).toMatchObject({ name: 'ConsumerStoppedError' })
    await expect(loop).resolves.toBe(0)
  })
})
