import {
  IllegalArgumentError,
  KafkaTimeoutError,
  MessageSizeTooLargeError,
  NotLeaderForPartitionError,
  ProducerClosed,
} from '@kafkite/protocol'
import { RecordBatch, readBatches } from '@kafkite/records'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { BatchBuilder } from './batch-builder.js'
import { type AccumulatorOptions, RecordAccumulator } from './record-accumulator.js'

let clock = 1_000_000
const now = (): number => clock

function accumulator(options: Partial<AccumulatorOptions> = {}): RecordAccumulator {
  return new RecordAccumulator({
    maxBatchSize: 1024,
    maxRequestSize: 4096,
    lingerMs: 0,
    maxBufferBytes: 64 * 1024,
    requestTimeoutMs: 40_000,
    retryBackoffMs: 100,
    maxInFlightPerPartition: 1,
    now,
    ...options,
  })
}

const value = (size: number, fill = 0x61): Buffer => Buffer.alloc(size, fill)
const tp = (topic: string, partition: number) => ({ topic, partition })

function decode(batch: Buffer): RecordBatch {
  const [only] = [...readBatches(batch)]
  if (!(only instanceof RecordBatch)) throw new Error('expected a v2 batch')
  return only
}

beforeEach(() => {
  clock = 1_000_000
})

afterEach(() => {
  vi.useRealTimers()
})

describe('RecordAccumulator append and drain', () => {
  it('puts records of a partition in one batch and reports it ready at once with lingerMs 0', async () => {
    const acc = accumulator()
    const a = await acc.append('t', 0, { key: Buffer.from('k'), value: 'v1', timestamp: 5 })
    const b = await acc.append('t', 0, { key: null, value: value(3), timestamp: 6 })
    expect(a?.topicPartition).toEqual(tp('t', 0))
    expect(a?.topic).toBe('t')
    expect(b?.partition).toBe(0)
    expect(acc.ready().partitions).toEqual([tp('t', 0)])
    const [batch, ...rest] = acc.drain([tp('t', 0)], 1 << 20)
    expect(rest).toEqual([])
    expect(batch!.recordCount).toBe(2)
    expect(batch!.state).toBe('in-flight')
    const records = [...decode(batch!.build())]
    expect(records.map((r) => r.value?.toString())).toEqual(['v1', 'aaa'])
    expect(records[0]!.key?.toString()).toBe('k')

    batch!.complete(100n, -1, 7n)
    await expect(a!.delivery).resolves.toEqual({
      topic: 't',
      partition: 0,
      topicPartition: tp('t', 0),
      offset: 100n,
      timestamp: 5,
      timestampType: 0,
      logStartOffset: 7n,
    })
    await expect(b!.delivery).resolves.toMatchObject({ offset: 101n, timestamp: 6, timestampType: 0 })
    expect(acc.bufferedBytes).toBe(0)
    expect(acc.incompleteCount).toBe(0)
  })

  it('reports LogAppendTime and a missing log start offset as the broker gives them', async () => {
    const acc = accumulator()
    const handle = await acc.append('t', 0, { key: null, value: 'x', timestamp: 5 })
    const [batch] = acc.drain([tp('t', 0)], 1 << 20)
    batch!.complete(9n, 424242)
    await expect(handle!.delivery).resolves.toMatchObject({
      offset: 9n,
      timestamp: 424242,
      timestampType: 1,
      logStartOffset: null,
    })
    expect(handle!.delivery).toBe(handle!.delivery)
  })

  it('closes a full batch and starts another; a record larger than maxBatchSize gets a batch of its own', async () => {
    const acc = accumulator({ maxBatchSize: 200 })
    for (let i = 0; i < 3; i++) await acc.append('t', 0, { key: null, value: value(50) })
    await acc.append('t', 0, { key: null, value: value(1000) })
    await acc.append('t', 0, { key: null, value: value(10) })
    const counts: number[] = []
    for (;;) {
      const [batch] = acc.drain([tp('t', 0)], 1 << 20)
      if (batch === undefined) break
      counts.push(batch.recordCount)
      batch.complete(0n)
    }
    expect(counts).toEqual([2, 1, 1, 1])
  })

  it('fails a record larger than maxRequestSize before queuing it', async () => {
    const acc = accumulator()
    await expect(acc.append('t', 0, { key: null, value: value(5000) })).rejects.toThrow(
      MessageSizeTooLargeError,
    )
    await expect(
      acc.append('t', 0, { key: null, value: 'x', headers: [{ key: 'h', value: value(4100) }] }),
    ).rejects.toThrow('more than maxRequestSize 4096')
    expect(acc.incompleteCount).toBe(0)
    expect(acc.bufferedBytes).toBe(0)
  })

  it('holds batches for lingerMs unless full, flushing or closing', async () => {
    const acc = accumulator({ lingerMs: 50, maxBatchSize: 200 })
    await acc.append('t', 0, { key: null, value: value(10) })
    expect(acc.ready()).toEqual({ partitions: [], nextReadyInMs: 50 })
    clock += 20
    expect(acc.ready().nextReadyInMs).toBe(30)
    expect(acc.drain([tp('t', 0)], 1 << 20)).toEqual([])
    clock += 30
    expect(acc.ready().partitions).toEqual([tp('t', 0)])
    // A full batch goes without waiting.
    await acc.append('t', 1, { key: null, value: value(100) })
    await acc.append('t', 1, { key: null, value: value(100) })
    expect(acc.ready().partitions).toEqual([tp('t', 0), tp('t', 1)])
  })

  it('drains at most one batch per partition, within the request budget, rotating the start', async () => {
    const acc = accumulator({ maxBatchSize: 200 })
    for (const partition of [0, 1, 2]) {
      await acc.append('t', partition, { key: null, value: value(100) })
      await acc.append('t', partition, { key: null, value: value(100) })
    }
    const all = [tp('t', 0), tp('t', 1), tp('t', 2)]
    const first = acc.drain(all, 350)
    expect(first.map((b) => b.partition)).toEqual([0, 1])
    const second = acc.drain(all, 350)
    // 0 and 1 are muted (in flight); 2 goes first now.
    expect(second.map((b) => b.partition)).toEqual([2])
    expect(acc.mutedPartitions()).toEqual(all)
    expect(acc.isMuted('t', 0)).toBe(true)
    expect(acc.isMuted('other', 0)).toBe(false)
    expect(acc.inFlightCount('t', 2)).toBe(1)
    expect(acc.inFlightCount('nope', 2)).toBe(0)
    for (const batch of [...first, ...second]) batch.complete(0n)
    expect(acc.mutedPartitions()).toEqual([])
    // Always at least one batch, however small the budget.
    expect(acc.drain(all, 1).length).toBe(1)
    expect(acc.drain([], 1)).toEqual([])
    expect(acc.drain([tp('unknown', 0)], 1)).toEqual([])
  })

  it('allows up to maxInFlightPerPartition batches of a partition in flight', async () => {
    const acc = accumulator({ maxBatchSize: 100, maxInFlightPerPartition: 2 })
    for (let i = 0; i < 3; i++) await acc.append('t', 0, { key: null, value: value(60) })
    expect(acc.drain([tp('t', 0)], 1 << 20).length).toBe(1)
    expect(acc.drain([tp('t', 0)], 1 << 20).length).toBe(1)
    expect(acc.isMuted('t', 0)).toBe(true)
    expect(acc.drain([tp('t', 0)], 1 << 20)).toEqual([])
    expect(acc.ready().partitions).toEqual([])
    expect(acc.pendingPartitions()).toEqual([tp('t', 0)])
  })

  it('keeps order on retries: a retry goes first, alone, after its backoff', async () => {
    const acc = accumulator({ maxBatchSize: 100, maxInFlightPerPartition: 5 })
    for (let i = 0; i < 3; i++) await acc.append('t', 0, { key: null, value: value(60, 0x61 + i) })
    const [one] = acc.drain([tp('t', 0)], 1 << 20)
    const [two] = acc.drain([tp('t', 0)], 1 << 20)
    one!.setProducerState(1n, 0, 0)
    two!.setProducerState(1n, 0, 1)
    acc.reenqueue(two!)
    acc.reenqueue(one!)
    expect(one!.state).toBe('sealed')
    // Backoff: nothing yet; the retry waits 100 ms.
    expect(acc.ready()).toEqual({ partitions: [], nextReadyInMs: 100 })
    clock += 100
    const [first] = acc.drain([tp('t', 0)], 1 << 20)
    expect(first).toBe(one)
    expect(first!.attempts).toBe(2)
    // The next retry waits until the first one is settled.
    expect(acc.drain([tp('t', 0)], 1 << 20)).toEqual([])
    first!.complete(0n)
    expect(acc.drain([tp('t', 0)], 1 << 20)).toEqual([two])
    two!.complete(1n)
    const [last] = acc.drain([tp('t', 0)], 1 << 20)
    expect([...decode(last!.build())][0]!.value?.[0]).toBe(0x63)
  })

  it('fails a batch that waited longer than requestTimeoutMs with KafkaTimeoutError', async () => {
    const expired: unknown[] = []
    const acc = accumulator({
      requestTimeoutMs: 1000,
      maxInFlightPerPartition: 1,
      onExpired: (b) => expired.push(b),
    })
    const a = await acc.append('t', 0, { key: null, value: 'a' })
    const [inFlight] = acc.drain([tp('t', 0)], 1 << 20)
    const b = await acc.append('t', 0, { key: null, value: 'b' })
    inFlight!.setProducerState(1n, 0, 0)
    acc.reenqueue(inFlight!)
    clock += 1000
    expect(acc.ready()).toEqual({ partitions: [], nextReadyInMs: Number.POSITIVE_INFINITY })
    await expect(a!.delivery).rejects.toThrow(KafkaTimeoutError)
    await expect(b!.delivery).rejects.toThrow('expired after 1000 ms')
    expect(expired).toEqual([inFlight])
    expect(acc.bufferedBytes).toBe(0)
    expect(acc.pendingPartitions()).toEqual([])
    // A new record opens a new batch.
    await acc.append('t', 0, { key: null, value: 'c' })
    expect(acc.ready().partitions).toEqual([tp('t', 0)])
  })

  it('reports failed batches on every record of them, without unhandled rejections', async () => {
    const acc = accumulator()
    const handle = await acc.append('t', 0, { key: null, value: 'a' })
    const untouched = await acc.append('t', 0, { key: null, value: 'b' })
    const [batch] = acc.drain([tp('t', 0)], 1 << 20)
    const error = new NotLeaderForPartitionError()
    expect(batch!.fail(error)).toBe(true)
    expect(batch!.fail(error)).toBe(false)
    expect(batch!.complete(1n)).toBe(false)
    expect(batch!.error).toBe(error)
    await expect(handle!.delivery).rejects.toBe(error)
    expect(untouched).not.toBeNull()
    void untouched!.delivery
    await new Promise((resolve) => setImmediate(resolve))
  })

  it('with acks 0 resolves deliveries to null', async () => {
    const acc = accumulator()
    const handle = await acc.append('t', 0, { key: null, value: 'a' })
    const [batch] = acc.drain([tp('t', 0)], 1 << 20)
    expect(batch!.completeWithoutAck()).toBe(true)
    expect(batch!.completeWithoutAck()).toBe(false)
    await expect(handle!.delivery).resolves.toBeNull()
  })

  it('refuses to open a new batch when asked (sticky partitioning), and appends after that', async () => {
    const acc = accumulator({ maxBatchSize: 150 })
    expect(await acc.append('t', 0, { key: null, value: 'x' }, true)).toBeNull()
    expect(acc.bufferedBytes).toBe(0)
    expect(await acc.append('t', 0, { key: null, value: value(50) })).not.toBeNull()
    // Fits the open batch: appended even with abortOnNewBatch.
    expect(await acc.append('t', 0, { key: null, value: 'x' }, true)).not.toBeNull()
    // Does not fit: the open batch is sealed (ready) and nothing is appended.
    expect(await acc.append('t', 0, { key: null, value: value(50) }, true)).toBeNull()
    expect(acc.ready().partitions).toEqual([tp('t', 0)])
  })

  it('stamps producer state into the header, and re-stamps a built batch with a valid CRC', async () => {
    const acc = accumulator({ isTransactional: true, compression: 'gzip' })
    await acc.append('t', 0, { key: null, value: 'a' })
    await acc.append('t', 0, { key: null, value: 'b' })
    const [batch] = acc.drain([tp('t', 0)], 1 << 20)
    batch!.setProducerState(77n, 3, 10, true)
    const built = decode(batch!.build())
    expect(built).toMatchObject({
      producerId: 77n,
      producerEpoch: 3,
      baseSequence: 10,
      isTransactional: true,
    })
    expect(built.compression).toBe(1)
    expect(batch!.build()).toBe(batch!.build())
    batch!.setProducerState(77n, 4, 0, false)
    const restamped = decode(batch!.build())
    expect(restamped).toMatchObject({ producerEpoch: 4, baseSequence: 0, isTransactional: false })
    expect(restamped.isValid()).toBe(true)
    expect([...restamped].map((r) => r.value?.toString())).toEqual(['a', 'b'])
    expect(batch!.producerId).toBe(77n)
    expect(batch!.producerEpoch).toBe(4)
    expect(batch!.baseSequence).toBe(0)
  })

  it('guards batch state changes', async () => {
    const acc = accumulator()
    await acc.append('t', 0, { key: null, value: 'a' })
    const [batch] = acc.drain([tp('t', 0)], 1 << 20)
    expect(batch!.tryAppend(null, 'late', undefined, 0)).toBeNull()
    batch!.complete(0n)
    expect(() => batch!.markInFlight()).toThrow('a settled batch cannot be sent')
    expect(() => acc.reenqueue(batch!)).toThrow('only an in-flight batch can be retried')
  })
})

describe('RecordAccumulator sendBatch', () => {
  it('queues a user batch after the open one, resolving to the batch base offset', async () => {
    const acc = accumulator()
    const open = await acc.append('t', 0, { key: null, value: 'first' })
    const builder = new BatchBuilder<string, string>({ maxBytes: 1024 })
    expect(builder.append({ key: 'k', value: 'v', timestampMs: 3 })).toMatchObject({
      offset: 0,
      timestamp: 3,
    })
    builder.append({ value: 'w' })
    const handle = await acc.appendBatch('t', 0, builder as BatchBuilder)
    const next = await acc.append('t', 0, { key: null, value: 'after' })
    const order: number[] = []
    for (;;) {
      const [batch] = acc.drain([tp('t', 0)], 1 << 20)
      if (batch === undefined) break
      order.push(batch.recordCount)
      batch.complete(BigInt(order.length * 10))
    }
    expect(order).toEqual([1, 2, 1])
    await expect(open!.delivery).resolves.toMatchObject({ offset: 10n })
    await expect(handle.delivery).resolves.toMatchObject({ offset: 20n, timestamp: null, timestampType: 0 })
    await expect(next!.delivery).resolves.toMatchObject({ offset: 30n })
    expect(acc.bufferedBytes).toBe(0)
  })

  it('refuses empty, oversized and already sent batches', async () => {
    const acc = accumulator({ maxRequestSize: 1000, isTransactional: true })
    await expect(acc.appendBatch('t', 0, new BatchBuilder({ maxBytes: 1000 }))).rejects.toThrow(
      IllegalArgumentError,
    )
    const big = new BatchBuilder({ maxBytes: 100 })
    big.append({ value: value(2000) })
    await expect(acc.appendBatch('t', 0, big)).rejects.toThrow(MessageSizeTooLargeError)
    const sent = new BatchBuilder({ maxBytes: 1000 })
    sent.append({ value: 'x' })
    await acc.appendBatch('t', 0, sent)
    await expect(acc.appendBatch('t', 0, sent)).rejects.toThrow('already sent')
    const [batch] = acc.drain([tp('t', 0)], 1 << 20)
    expect(decode(batch!.build()).isTransactional).toBe(true)
  })
})

describe('RecordAccumulator buffer limit', () => {
  it('makes appends wait for space, then lets them in as batches settle', async () => {
    const acc = accumulator({ maxBufferBytes: 300, maxBatchSize: 300, maxRequestSize: 300 })
    await acc.append('t', 0, { key: null, value: value(120) })
    await acc.append('t', 1, { key: null, value: value(120) })
    expect(acc.bufferedBytes).toBeGreaterThanOrEqual(300)
    let appended = false
    const waiting = acc.append('t', 2, { key: null, value: value(10) }).then((handle) => {
      appended = true
      return handle
    })
    await new Promise((resolve) => setImmediate(resolve))
    expect(appended).toBe(false)
    const [batch] = acc.drain([tp('t', 0)], 1 << 20)
    batch!.complete(0n)
    expect(await waiting).not.toBeNull()
    expect(appended).toBe(true)
  })

  it('fails a wait for space with KafkaTimeoutError after requestTimeoutMs', async () => {
    vi.useFakeTimers()
    const acc = accumulator({
      maxBufferBytes: 500,
      maxRequestSize: 500,
      maxBatchSize: 500,
      requestTimeoutMs: 500,
    })
    for (const partition of [0, 1, 2]) await acc.append('t', partition, { key: null, value: value(150) })
    expect(acc.bufferedBytes).toBeGreaterThanOrEqual(500)
    const waiting = acc.append('t', 0, { key: null, value: value(10) })
    const check = expect(waiting).rejects.toThrow(KafkaTimeoutError)
    await vi.advanceTimersByTimeAsync(500)
    await check
  })
})

describe('RecordAccumulator signals, flush and close', () => {
  it('signals the sender once per turn with lingerMs 0, and on the linger timer otherwise', async () => {
    vi.useFakeTimers()
    const onReady = vi.fn()
    const acc = accumulator({ onReady, now: Date.now })
    await acc.append('t', 0, { key: null, value: 'a' })
    await acc.append('t', 1, { key: null, value: 'b' })
    expect(onReady).not.toHaveBeenCalled()
    await vi.advanceTimersToNextTimerAsync()
    expect(onReady).toHaveBeenCalledTimes(1)

    const lingering = accumulator({ onReady, lingerMs: 30, now: Date.now })
    onReady.mockClear()
    await lingering.append('t', 0, { key: null, value: 'a' })
    await vi.advanceTimersByTimeAsync(29)
    expect(onReady).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    await vi.advanceTimersToNextTimerAsync()
    expect(onReady).toHaveBeenCalledTimes(1)
    expect(lingering.ready().partitions).toEqual([tp('t', 0)])
  })

  it('signals when a retry backoff ends and when a muted partition is freed', async () => {
    vi.useFakeTimers()
    const onReady = vi.fn()
    const acc = accumulator({ onReady, now: Date.now })
    await acc.append('t', 0, { key: null, value: 'a' })
    const [batch] = acc.drain([tp('t', 0)], 1 << 20)
    await acc.append('t', 0, { key: null, value: 'b' })
    await vi.runOnlyPendingTimersAsync()
    onReady.mockClear()
    batch!.complete(0n)
    await vi.advanceTimersToNextTimerAsync()
    expect(onReady).toHaveBeenCalledTimes(1)
    const [second] = acc.drain([tp('t', 0)], 1 << 20)
    onReady.mockClear()
    acc.reenqueue(second!)
    expect(acc.ready().nextReadyInMs).toBe(100)
    await vi.advanceTimersByTimeAsync(100)
    await vi.advanceTimersToNextTimerAsync()
    expect(onReady).toHaveBeenCalled()
    expect(acc.ready().partitions).toEqual([tp('t', 0)])
  })

  it('flush sends lingering batches at once and resolves when they settle, failed or not', async () => {
    const acc = accumulator({ lingerMs: 60_000 })
    await expect(acc.flush()).resolves.toBeUndefined()
    const a = await acc.append('t', 0, { key: null, value: 'a' })
    await acc.append('t', 1, { key: null, value: 'b' })
    expect(acc.ready().partitions).toEqual([])
    let flushed = false
    const flush = acc.flush().then(() => {
      flushed = true
    })
    expect(acc.ready().partitions).toEqual([tp('t', 0), tp('t', 1)])
    const [one, two] = acc.drain([tp('t', 0), tp('t', 1)], 1 << 20)
    one!.fail(new NotLeaderForPartitionError())
    await new Promise((resolve) => setImmediate(resolve))
    expect(flushed).toBe(false)
    two!.complete(5n)
    await flush
    expect(flushed).toBe(true)
    await expect(a!.delivery).rejects.toThrow(NotLeaderForPartitionError)
    // Linger applies again after the flush.
    await acc.append('t', 0, { key: null, value: 'c' })
    expect(acc.ready().partitions).toEqual([])
  })

  it('close waits for queued batches by default, then refuses appends', async () => {
    const acc = accumulator({ lingerMs: 60_000 })
    const handle = await acc.append('t', 0, { key: null, value: 'a' })
    const closing = acc.close()
    expect(acc.closed).toBe(true)
    await expect(acc.append('t', 0, { key: null, value: 'b' })).rejects.toThrow(ProducerClosed)
    await expect(acc.appendBatch('t', 0, new BatchBuilder({ maxBytes: 100 }))).rejects.toThrow(ProducerClosed)
    const [batch] = acc.drain([tp('t', 0)], 1 << 20)
    batch!.complete(1n)
    await closing
    await expect(handle!.delivery).resolves.toMatchObject({ offset: 1n })
  })

  it('close without waiting fails queued and in-flight batches and waiting appends with ProducerClosed', async () => {
    const acc = accumulator({ maxBufferBytes: 4096, maxBatchSize: 2000 })
    const inFlight = await acc.append('t', 0, { key: null, value: value(2000) })
    acc.drain([tp('t', 0)], 1 << 20)
    const queued = await acc.append('t', 1, { key: null, value: value(2100) })
    const waiting = acc.append('t', 2, { key: null, value: 'x' })
    await acc.close({ wait: false })
    await expect(inFlight!.delivery).rejects.toThrow(ProducerClosed)
    await expect(queued!.delivery).rejects.toThrow('closed before the record was delivered')
    await expect(waiting).rejects.toThrow(ProducerClosed)
    expect(acc.incompleteCount).toBe(0)
    expect(acc.bufferedBytes).toBe(0)
    expect(acc.pendingPartitions()).toEqual([])
  })

  it('an append woken after close began fails and gives its reservation back', async () => {
    const acc = accumulator({ maxBufferBytes: 500, maxBatchSize: 500, maxRequestSize: 500 })
    for (const partition of [0, 1, 2]) await acc.append('t', partition, { key: null, value: value(150) })
    const waiting = acc.append('t', 0, { key: null, value: 'x' })
    const closing = acc.close()
    await expect(waiting).rejects.toThrow(ProducerClosed)
    for (const batch of acc.drain([tp('t', 0), tp('t', 1), tp('t', 2)], 1 << 20)) batch.complete(0n)
    await closing
    expect(acc.bufferedBytes).toBe(0)
  })
})
