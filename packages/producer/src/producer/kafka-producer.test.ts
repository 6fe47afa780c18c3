import {
  ErrorCode,
  IllegalArgumentError,
  IllegalStateError,
  KafkaConfigurationError,
  KafkaConnectionError,
  KafkaTimeoutError,
  MessageSizeTooLargeError,
  NotEnoughReplicasError,
  NotLeaderForPartitionError,
  ProducerClosed,
  UnknownServerError,
} from '@kafkite/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import type { DeliveryHandle } from '../accumulator/delivery-handle.js'
import { partitionForKey } from '../partitioner/murmur2.js'
import type { ProduceGate } from '../produce-gate.js'
import type { ProducerOptions } from '../producer-options.js'
import { FakeLog, until } from '../test-support/fake-broker.js'
import { AIOKafkaProducer, KafkaProducer } from './kafka-producer.js'

const logs: FakeLog[] = []
const producers: KafkaProducer<never, never>[] = []

async function fakeLog(nodes = 1, ...topics: [string, number][]): Promise<FakeLog> {
  const log = await FakeLog.start(nodes)
  logs.push(log)
  for (const [name, partitions] of topics) log.cluster.addTopic(name, partitions)
  return log
}

async function started<K = string, V = string>(
  log: FakeLog,
  options: ProducerOptions<K, V> = {},
  gate?: ProduceGate,
): Promise<KafkaProducer<K, V>> {
  const producer = new KafkaProducer<K, V>(
    { bootstrapServers: log.cluster.bootstrap, retryBackoffMs: 10, ...options },
    gate === undefined ? {} : { gate },
  )
  producers.push(producer as unknown as KafkaProducer<never, never>)
  await producer.start()
  return producer
}

afterEach(async () => {
  await Promise.all(producers.splice(0).map((producer) => producer.stop().catch(() => {})))
  await Promise.all(logs.splice(0).map((log) => log.close()))
})

describe('KafkaProducer', () => {
  it('delivers records with their metadata, one request per leader for records sent together', async () => {
    const log = await fakeLog(2, ['t', 4])
    const producer = await started(log)
    const handles = await Promise.all(
      [0, 1, 2, 3, 0, 1].map((partition, i) => producer.send('t', `v${i}`, { partition, timestampMs: 5 })),
    )
    const metadata = await Promise.all(handles.map((handle) => handle.delivery))
    expect(metadata.map((entry) => [entry?.partition, entry?.offset])).toEqual([
      [0, 0n],
      [1, 0n],
      [2, 0n],
      [3, 0n],
      [0, 1n],
      [1, 1n],
    ])
    expect(metadata[0]).toMatchObject({ topic: 't', timestamp: 5, timestampType: 0, logStartOffset: 0n })
    expect(log.log('t', 0)).toEqual(['v0', 'v4'])
    // Two brokers, partitions led round-robin: one request each.
    const requests = log.cluster.nodes.map((node) =>
      node.appRequests().filter((r) => r.api.name === 'Produce'),
    )
    expect(requests.map((list) => list.length)).toEqual([1, 1])
    expect(new KafkaProducer()).toBeInstanceOf(AIOKafkaProducer)
  })

  it('sendAndWait, partitionsFor, flush and keyed partitioning as Java', async () => {
    const log = await fakeLog(1, ['t', 12])
    const producer = await started(log)
    expect(await producer.partitionsFor('t')).toEqual([...Array(12).keys()])
    const metadata = await producer.sendAndWait('t', 'v', { key: 'user-1' })
    expect(metadata?.partition).toBe(partitionForKey(Buffer.from('user-1'), 12))
    const handles: DeliveryHandle[] = []
    for (let i = 0; i < 100; i++) handles.push(await producer.send('t', `v${i}`, { key: `k${i}` }))
    await producer.flush()
    for (const [i, handle] of handles.entries()) {
      expect(handle.partition).toBe(partitionForKey(Buffer.from(`k${i}`), 12))
    }
    await expect(producer.partitionsFor('')).rejects.toThrow(IllegalArgumentError)
  })

  it('keyless records stick to a partition until its batch is taken (KIP-480)', async () => {
    const log = await fakeLog(1, ['t', 6])
    const producer = await started(log, { maxBatchSize: 1024, lingerMs: 50 })
    const handles: DeliveryHandle[] = []
    for (let i = 0; i < 60; i++) handles.push(await producer.send('t', 'x'.repeat(90)))
    await producer.flush()
    const runs = handles.reduce(
      (count, handle, i) => count + (i > 0 && handle.partition !== handles[i - 1]!.partition ? 1 : 0),
      0,
    )
    // About ten records fill a batch: one switch per batch, never one per record.
    expect(runs).toBeGreaterThanOrEqual(3)
    expect(runs).toBeLessThan(15)
    for (const received of log.received) expect(received.values.length).toBeGreaterThanOrEqual(5)
  })

  it('takes headers as tuples or objects, serializers, and a custom partitioner', async () => {
    const log = await fakeLog(1, ['t', 3])
    const seen: unknown[] = []
    const producer = await started<{ id: number }, { n: number }>(log, {
      keySerializer: (key) => Buffer.from(String(key.id)),
      valueSerializer: (value) => Buffer.from(JSON.stringify(value)),
      partitioner: (key, all, available) => {
        seen.push([key === null ? null : Buffer.from(key).toString(), all, available])
        return all.length - 1
      },
    })
    await producer.sendAndWait('t', { n: 1 }, { key: { id: 7 }, headers: [['a', Buffer.from('1')]] })
    await producer.sendAndWait('t', { n: 2 }, { headers: [{ key: 'b', value: 'two' }] })
    await producer.sendAndWait('t', null, { key: { id: 8 } })
    expect(seen[0]).toEqual(['7', [0, 1, 2], [0, 1, 2]])
    expect(log.log('t', 2)).toEqual(['{"n":1}', '{"n":2}', '<null>'])
    const [first, second] = log.received.map((received) => [...received.batch][0]!)
    expect(first?.headers.map((h) => [h.key, h.value?.toString()])).toEqual([['a', '1']])
    expect(second?.headers.map((h) => [h.key, h.value?.toString()])).toEqual([['b', 'two']])
    await expect(producer.send('t', { n: 3 }, { headers: 'x' as never })).rejects.toThrow(
      IllegalArgumentError,
    )
    await expect(producer.send('t', { n: 3 }, { headers: [['k', 5]] as never })).rejects.toThrow(
      IllegalArgumentError,
    )
    await expect(producer.send('t', { n: 3 }, { headers: [['k']] as never })).rejects.toThrow(
      IllegalArgumentError,
    )
    await expect(producer.send('t', { n: 3 }, { headers: [{ key: 1 }] as never })).rejects.toThrow(
      IllegalArgumentError,
    )
  })

  it('createBatch/sendBatch sends the caller’s batch and reports its base offset', async () => {
    const log = await fakeLog(1, ['t', 2])
    const producer = await started(log, { compressionType: 'gzip' })
    await producer.sendAndWait('t', 'first', { partition: 1 })
    const batch = producer.createBatch()
    expect(batch.append({ key: 'k', value: 'one' })).not.toBeNull()
    expect(batch.append({ value: 'two', timestampMs: 7 })).not.toBeNull()
    const handle = await producer.sendBatch(batch, 't', { partition: 1 })
    expect((await handle.delivery)?.offset).toBe(1n)
    expect(log.log('t', 1)).toEqual(['first', 'one', 'two'])
    await expect(producer.sendBatch(producer.createBatch(), 't', {} as never)).rejects.toThrow(
      IllegalArgumentError,
    )
    await expect(producer.sendBatch({} as never, 't', { partition: 0 })).rejects.toThrow(IllegalArgumentError)
  })

  it('retries NOT_LEADER_OR_FOLLOWER on the new leader after refreshing metadata', async () => {
    const log = await fakeLog(2, ['t', 1])
    // Like a real broker, node 1 refuses every write once leadership has moved: a retry that raced a metadata
    // refresh already in flight may reach node 1 once more, but the record can only land on node 2.
    log.fault = (batch, attempt) => {
      if (attempt === 1) log.cluster.moveLeader('t', 0, 2)
      return batch.nodeId === 1 ? ErrorCode.NOT_LEADER_OR_FOLLOWER : undefined
    }
    const producer = await started(log)
    const metadata = await producer.sendAndWait('t', 'v')
    expect(metadata?.offset).toBe(0n)
    const nodes = log.received.map((received) => received.nodeId)
    expect(nodes[0]).toBe(1)
    expect(nodes.at(-1)).toBe(2)
    expect(nodes.filter((nodeId) => nodeId === 2)).toHaveLength(1)
  })

  it('fails with the last typed error when retries run out of time', async () => {
    const log = await fakeLog(1, ['t', 1])
    log.fault = () => ErrorCode.NOT_ENOUGH_REPLICAS
    const producer = await started(log, { requestTimeoutMs: 300, acks: 'all' })
    const started_ = Date.now()
    await expect(producer.sendAndWait('t', 'v')).rejects.toThrow(NotEnoughReplicasError)
    expect(Date.now() - started_).toBeGreaterThanOrEqual(250)
    expect(log.received.length).toBeGreaterThan(3)
    expect(log.received.every((received) => received.acks === -1)).toBe(true)
  })

  it('fails at once on a non-retriable error, and keeps the broker’s message', async () => {
    const log = await fakeLog(1, ['t', 1])
    log.fault = () => ErrorCode.UNKNOWN_SERVER_ERROR
    const producer = await started(log)
    await expect(producer.sendAndWait('t', 'v')).rejects.toThrow(UnknownServerError)
    expect(log.received).toHaveLength(1)
  })

  it('retries a request whose connection dropped, then delivers', async () => {
    const log = await fakeLog(1, ['t', 1])
    log.fault = (_, attempt) => (attempt === 1 ? 'close' : undefined)
    const producer = await started(log)
    expect((await producer.sendAndWait('t', 'v'))?.offset).toBe(0n)
    expect(log.log('t')).toEqual(['v'])
  })

  it('a connection that keeps failing ends in the connection error', async () => {
    const log = await fakeLog(1, ['t', 1])
    log.fault = () => 'close'
    const producer = await started(log, { requestTimeoutMs: 400 })
    await expect(producer.sendAndWait('t', 'v')).rejects.toThrow(KafkaConnectionError)
  })

  it('acks 0: sends without waiting for answers, deliveries are null', async () => {
    const log = await fakeLog(1, ['t', 1])
    const producer = await started(log, { acks: 0 })
    const handles = await Promise.all([producer.send('t', 'a'), producer.send('t', 'b')])
    expect(await Promise.all(handles.map((handle) => handle.delivery))).toEqual([null, null])
    expect(await producer.sendAndWait('t', 'c')).toBeNull()
    // Resolved once written to the socket: the broker may not have read it yet.
    await until(() => log.log('t').length === 3)
    expect(log.log('t')).toEqual(['a', 'b', 'c'])
    expect(log.received.every((received) => received.acks === 0)).toBe(true)
  })

  it('waits for an unknown topic up to requestTimeoutMs, then fails with KafkaTimeoutError', async () => {
    const log = await fakeLog(1)
    const producer = await started(log, { requestTimeoutMs: 1000 })
    const sending = producer.send('later', 'v')
    setTimeout(() => log.cluster.addTopic('later', 1), 100)
    expect((await (await sending).delivery)?.offset).toBe(0n)
    await expect(producer.send('never', 'v')).rejects.toThrow(KafkaTimeoutError)
  })

  it('waits for buffer space, then fails with KafkaTimeoutError', async () => {
    const log = await fakeLog(1, ['t', 1])
    log.fault = () => null // the broker never answers: nothing is released
    const producer = await started(log, {
      maxBatchSize: 1000,
      maxRequestSize: 2000,
      maxBufferBytes: 2000,
      requestTimeoutMs: 300,
    })
    const queued: Promise<DeliveryHandle>[] = []
    for (let i = 0; i < 10; i++) queued.push(producer.send('t', 'x'.repeat(500)))
    const results = await Promise.allSettled(queued)
    expect(
      results.some((result) => result.status === 'rejected' && result.reason instanceof KafkaTimeoutError),
    ).toBe(true)
  })

  it('refuses bad records before queuing them', async () => {
    const log = await fakeLog(1, ['t', 2])
    const producer = await started(log, { maxRequestSize: 2000, maxBatchSize: 1000, maxBufferBytes: 4000 })
    await expect(producer.send('', 'v')).rejects.toThrow(IllegalArgumentError)
    await expect(producer.send('t', null)).rejects.toThrow(IllegalArgumentError)
    await expect(producer.send('t')).rejects.toThrow(IllegalArgumentError)
    await expect(producer.send('t', 'v', { partition: 5 })).rejects.toThrow(IllegalArgumentError)
    await expect(producer.send('t', 'v', { partition: 1.5 })).rejects.toThrow(IllegalArgumentError)
    await expect(producer.send('t', 'v', { timestampMs: -1 })).rejects.toThrow(IllegalArgumentError)
    await expect(producer.send('t', 'x'.repeat(3000))).rejects.toThrow(MessageSizeTooLargeError)
    await expect(producer.send('t', 5 as never)).rejects.toThrow(IllegalArgumentError)
    const bad = await started(log, { partitioner: () => -1 })
    await expect(bad.send('t', 'v')).rejects.toThrow(IllegalArgumentError)
    const wrongSerializer = await started<string, string>(log, { valueSerializer: (v) => v as never })
    await expect(wrongSerializer.send('t', 'v')).rejects.toThrow(IllegalArgumentError)
  })

  it('has a life cycle: start once, stop waits for queued records, calls after stop are refused', async () => {
    const log = await fakeLog(1, ['t', 1])
    const producer = new KafkaProducer({ bootstrapServers: log.cluster.bootstrap, lingerMs: 10_000 })
    await expect(producer.send('t', 'v')).rejects.toThrow(IllegalStateError)
    const starting = producer.start()
    expect(producer.start()).toBe(starting)
    await expect(producer.send('t', 'v')).rejects.toThrow(IllegalStateError)
    await starting
    await producer.start()
    const handle = await producer.send('t', 'lingering')
    const stopping = producer.stop()
    expect(producer.stop()).toBe(stopping)
    await expect(producer.send('t', 'v')).rejects.toThrow(ProducerClosed)
    await stopping
    expect((await handle.delivery)?.offset).toBe(0n)
    await expect(producer.start()).rejects.toThrow(IllegalStateError)
    await expect(producer.partitionsFor('t')).rejects.toThrow(ProducerClosed)
    await producer[Symbol.asyncDispose]()
    expect(producer.options.lingerMs).toBe(10_000)
    expect(producer.producerIdAndEpoch).toBeNull()
  })

  it('stop() during start() waits for it; a failed start() can be retried', async () => {
    const failing = new KafkaProducer({ bootstrapServers: '127.0.0.1:1', requestTimeoutMs: 500 })
    await expect(failing.start()).rejects.toThrow()
    await expect(failing.start()).rejects.toThrow()
    await failing.stop()
    const log = await fakeLog(1, ['t', 1])
    const producer = new KafkaProducer({ bootstrapServers: log.cluster.bootstrap })
    const starting = producer.start()
    await producer.stop()
    await starting
    await expect(producer.send('t', 'v')).rejects.toThrow(ProducerClosed)
  })

  it('passes batches through the produce gate, which may hold or refuse them', async () => {
    const log = await fakeLog(1, ['t', 2])
    const admitted: string[] = []
    const gate: ProduceGate = {
      isTransactional: false,
      beforeSend(partitions) {
        admitted.push(...partitions.map((tp) => `${tp.topic}-${tp.partition}`))
        if (partitions.some((tp) => tp.partition === 1)) return Promise.reject(new IllegalStateError())
        return Promise.resolve()
      },
    }
    const producer = await started(log, {}, gate)
    expect((await producer.sendAndWait('t', 'v', { partition: 0 }))?.offset).toBe(0n)
    await expect(producer.sendAndWait('t', 'v', { partition: 1 })).rejects.toThrow(IllegalStateError)
    const throwing = await started(
      log,
      {},
      {
        isTransactional: false,
        beforeSend() {
          throw new NotLeaderForPartitionError()
        },
      },
    )
    const failed = await throwing.sendAndWait('t', 'v').catch((error: unknown) => error)
    expect(failed).toBeInstanceOf(Error)
    expect(admitted).toEqual(['t-0', 't-1'])
  })
})

describe('KafkaProducer with a transactional id', () => {
  it('is refused without the transactions layer', () => {
    expect(() => new KafkaProducer({ transactionalId: 'tx' })).toThrow(KafkaConfigurationError)
  })

  it('gets its producer id from the transaction coordinator, and marks batches transactional', async () => {
    const log = await fakeLog(2, ['t', 1])
    log.cluster.defaultCoordinator = 2
    const gate: ProduceGate = { isTransactional: true, beforeSend: () => {} }
    const producer = await started(log, { transactionalId: 'tx', transactionTimeoutMs: 5000 }, gate)
    expect(log.initProducerIdRequests[0]).toMatchObject({ transactionalId: 'tx', transactionTimeoutMs: 5000 })
    expect(
      log.cluster
        .node(2)
        .appRequests()
        .some((request) => request.api.name === 'InitProducerId'),
    ).toBe(true)
    await producer.sendAndWait('t', 'v')
    expect(log.received[0]?.batch.isTransactional).toBe(true)
    expect(log.received[0]?.batch.producerId).toBe(1000n)
  })
})

describe('KafkaProducer with idempotence', () => {
  it('gets a producer id from any broker and stamps contiguous sequences', async () => {
    const log = await fakeLog(2, ['t', 2])
    const producer = await started(log, { enableIdempotence: true, maxBatchSize: 200 })
    expect(producer.producerIdAndEpoch).toEqual({ producerId: 1000n, epoch: 0 })
    expect(log.initProducerIdRequests[0]).toMatchObject({ transactionalId: null, producerId: -1n })
    const handles: DeliveryHandle[] = []
    for (let i = 0; i < 50; i++) handles.push(await producer.send('t', `value-${i}`, { partition: i % 2 }))
    await producer.flush()
    for (const partition of [0, 1]) {
      const batches = log.received.filter((received) => received.partition === partition)
      let expected = 0
      for (const { batch } of batches) {
        expect(batch.producerId).toBe(1000n)
        expect(batch.baseSequence).toBe(expected)
        expected += batch.recordCount
      }
      expect(expected).toBe(25)
    }
    expect(await Promise.all(handles.map(async (handle) => (await handle.delivery)?.offset))).toEqual(
      handles.map((_, i) => BigInt(Math.floor(i / 2))),
    )
  })

  it('retries InitProducerId while the coordinator loads', async () => {
    const log = await FakeLog.start(1, { initProducerIdErrors: [ErrorCode.COORDINATOR_LOAD_IN_PROGRESS] })
    logs.push(log)
    const producer = await started(log, { enableIdempotence: true })
    expect(producer.producerIdAndEpoch?.producerId).toBe(1000n)
    expect(log.initProducerIdRequests).toHaveLength(2)
  })

  it('a lost answer is sent again with the same sequence: the broker drops the duplicate', async () => {
    const log = await fakeLog(1, ['t', 1])
    let dropped = false
    log.fault = (batch) => {
      if (!dropped && batch.batch.baseSequence > 0) {
        dropped = true
        // Write it, then lose the connection before the answer.
        log.fault = undefined
        return 'close'
      }
      return undefined
    }
    const producer = await started(log, { enableIdempotence: true, maxBatchSize: 100 })
    const handles: DeliveryHandle[] = []
    for (let i = 0; i < 20; i++) handles.push(await producer.send('t', `v${i}`))
    await producer.flush()
    const offsets = await Promise.all(handles.map(async (handle) => (await handle.delivery)?.offset))
    expect(offsets).toEqual(handles.map((_, i) => BigInt(i)))
    expect(log.log('t')).toEqual(handles.map((_, i) => `v${i}`))
  })

  it('DUPLICATE_SEQUENCE_NUMBER counts as delivered', async () => {
    const log = await fakeLog(1, ['t', 1])
    log.fault = () => ErrorCode.DUPLICATE_SEQUENCE_NUMBER
    const producer = await started(log, { enableIdempotence: true })
    await expect(producer.sendAndWait('t', 'v')).resolves.not.toBeNull()
  })

  it('OUT_OF_ORDER_SEQUENCE_NUMBER on the next batch in line bumps the epoch and resends from 0', async () => {
    const log = await fakeLog(1, ['t', 1])
    const producer = await started(log, { enableIdempotence: true })
    await producer.sendAndWait('t', 'first')
    log.fault = (_, attempt) => (attempt === 2 ? ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER : undefined)
    expect((await producer.sendAndWait('t', 'second'))?.offset).toBe(1n)
    expect(producer.producerIdAndEpoch).toEqual({ producerId: 1000n, epoch: 1 })
    const last = log.received.at(-1)!.batch
    expect([last.producerEpoch, last.baseSequence]).toEqual([1, 0])
    expect(log.log('t')).toEqual(['first', 'second'])
  })

  it('UNKNOWN_PRODUCER_ID (the broker lost our state) bumps the epoch; nothing is lost or written twice', async () => {
    const log = await fakeLog(1, ['t', 1])
    const producer = await started(log, { enableIdempotence: true, maxBatchSize: 100, lingerMs: 1 })
    for (let i = 0; i < 5; i++) await producer.sendAndWait('t', `a${i}`)
    log.forgetProducers()
    const handles: DeliveryHandle[] = []
    for (let i = 0; i < 10; i++) handles.push(await producer.send('t', `b${i}`))
    await producer.flush()
    await Promise.all(handles.map((handle) => handle.delivery))
    expect(log.log('t')).toEqual([...[0, 1, 2, 3, 4].map((i) => `a${i}`), ...handles.map((_, i) => `b${i}`)])
    expect(producer.producerIdAndEpoch?.epoch).toBeGreaterThan(0)
  })

  it('a batch that failed for good makes the next batches go under a new epoch', async () => {
    const log = await fakeLog(1, ['t', 1])
    const producer = await started(log, { enableIdempotence: true })
    log.fault = (_, attempt) => (attempt === 1 ? ErrorCode.MESSAGE_TOO_LARGE : undefined)
    await expect(producer.sendAndWait('t', 'bad')).rejects.toThrow()
    expect((await producer.sendAndWait('t', 'good'))?.offset).toBe(0n)
    expect(producer.producerIdAndEpoch?.epoch).toBe(1)
    expect(log.log('t')).toEqual(['good'])
  })

  it('fetches a new producer id when the epoch cannot grow', async () => {
    const log = await FakeLog.start(1, { epoch: 32767 })
    logs.push(log)
    log.cluster.addTopic('t', 1)
    const producer = await started(log, { enableIdempotence: true })
    await producer.sendAndWait('t', 'first')
    log.fault = (_, attempt) => (attempt === 2 ? ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER : undefined)
    expect((await producer.sendAndWait('t', 'second'))?.offset).toBe(1n)
    expect(producer.producerIdAndEpoch).toEqual({ producerId: 1001n, epoch: 32767 })
    expect(log.initProducerIdRequests).toHaveLength(2)
  })
})

describe('KafkaProducer when the epoch cannot be bumped', () => {
  it('queued records still expire while InitProducerId keeps failing, and stop() returns', async () => {
    const log = await FakeLog.start(1, { epoch: 32767 })
    logs.push(log)
    log.cluster.addTopic('t', 1)
    const producer = await started(log, { enableIdempotence: true, requestTimeoutMs: 400 })
    await producer.sendAndWait('t', 'first')
    log.fault = (_, attempt) => (attempt === 2 ? ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER : undefined)
    log.failInitProducerId(Array.from({ length: 50 }, () => ErrorCode.CLUSTER_AUTHORIZATION_FAILED))
    const second = await producer.send('t', 'second')
    // Expired waiting for the bump: it fails with the error that sent it back.
    await expect(second.delivery).rejects.toThrow('OUT_OF_ORDER_SEQUENCE_NUMBER')
    await producer.stop()
    expect(log.log('t')).toEqual(['first'])
  })
})
