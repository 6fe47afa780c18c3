import { IllegalArgumentError, TopicAuthorizationFailedError } from '@kafkite/protocol'
import { describe, expect, it } from 'vitest'
import type { CompletedFetch } from './completed-fetch.js'
import { RecordDeserializationError } from './consumer-errors.js'
import type { ConsumerRecord } from './consumer-record.js'
import { FetchResponseHandler, type FetchResponseHandlerOptions } from './fetch-response-handler.js'
import { RecordBuffer } from './record-buffer.js'
import { SubscriptionState } from './subscription-state.js'
import {
  batch,
  marker,
  type PartitionSpec,
  partitionData,
  TP,
  TP1,
  txnBatch,
} from './test-support/batches.js'
import { type TopicPartition, type TopicPartitionMap, topicPartition } from './topic-partition.js'

type Record = ConsumerRecord<Buffer | null, Buffer | null>

function setup(options: { maxPartitionBytes?: number; maxBufferedBytes?: number } = {}) {
  const subscription = new SubscriptionState({ autoOffsetReset: 'earliest' })
  subscription.assign([TP, TP1])
  subscription.seek(TP, 0n)
  subscription.seek(TP1, 0n)
  const buffer = new RecordBuffer(subscription, {
    maxPartitionBytes: options.maxPartitionBytes ?? 1 << 20,
    maxBufferedBytes: options.maxBufferedBytes ?? 4 << 20,
  })
  return { subscription, buffer }
}

function fetched<K = Buffer | null, V = Buffer | null>(
  tp: TopicPartition,
  fetchOffset: bigint,
  spec: PartitionSpec,
  options: Partial<FetchResponseHandlerOptions<K, V>> = {},
): CompletedFetch<K, V> {
  const handler = new FetchResponseHandler<K, V>({
    isolationLevel: 'read_uncommitted',
    autoOffsetReset: 'earliest',
    ...options,
  } as FetchResponseHandlerOptions<K, V>)
  const outcome = handler.handle(tp, fetchOffset, partitionData(spec))
  if (outcome.kind !== 'records') throw new Error(outcome.kind)
  return outcome.fetch
}

const summary = (map: TopicPartitionMap<Record[]>) =>
  Array.from(
    map,
    ([tp, records]) => `${tp.topic}-${tp.partition}:${records.map((record) => record.offset).join(',')}`,
  )

describe('getmany', () => {
  it('groups records by partition and moves each position to lastOffset + 1', () => {
    const { subscription, buffer } = setup()
    expect(buffer.add(fetched(TP, 0n, { records: [batch({ baseOffset: 0n, records: 3 })] }))).toBe(true)
    expect(buffer.add(fetched(TP1, 0n, { records: [batch({ baseOffset: 0n, records: 2 })] }))).toBe(true)
    const result = buffer.getmany()
    expect(summary(result)).toEqual(['orders-0:0,1,2', 'orders-1:0,1'])
    expect(subscription.position(TP)).toBe(3n)
    expect(subscription.position(TP1)).toBe(2n)
    expect(buffer.bufferedBytes).toBe(0)
    expect(buffer.getmany().size).toBe(0)
    expect(buffer.hasBuffered()).toBe(false)
  })

  it('returns at most maxRecords in all; a partition left with records goes behind the others', () => {
    const { subscription, buffer } = setup()
    buffer.add(fetched(TP, 0n, { records: [batch({ baseOffset: 0n, records: 3 })] }))
    buffer.add(fetched(TP1, 0n, { records: [batch({ baseOffset: 0n, records: 3 })] }))
    expect(summary(buffer.getmany([], 2))).toEqual(['orders-0:0,1'])
    expect(subscription.position(TP)).toBe(2n)
    expect(summary(buffer.getmany([], 2))).toEqual(['orders-1:0,1'])
    expect(summary(buffer.getmany([], 10))).toEqual(['orders-0:2', 'orders-1:2'])
    expect(() => buffer.getmany([], 0)).toThrow(IllegalArgumentError)
  })

  it('reads only the partitions asked for', () => {
    const { buffer } = setup()
    buffer.add(fetched(TP, 0n, { records: [batch({ baseOffset: 0n, records: 1 })] }))
    buffer.add(fetched(TP1, 0n, { records: [batch({ baseOffset: 0n, records: 1 })] }))
    expect(summary(buffer.getmany([{ topic: 'orders', partition: 1 }]))).toEqual(['orders-1:0'])
    expect(buffer.hasBuffered([TP1])).toBe(false)
    expect(buffer.hasBuffered([TP])).toBe(true)
  })

  it('moves the position past a fetch that delivers nothing (markers, aborted records)', () => {
    const { subscription, buffer } = setup()
    buffer.add(
      fetched(
        TP,
        0n,
        {
          records: [txnBatch(7n, 0n, 2), marker('abort', 7n, 2n)],
          abortedTransactions: [{ producerId: 7n, firstOffset: 0n }],
        },
        { isolationLevel: 'read_committed' },
      ),
    )
    expect(buffer.getmany().size).toBe(0)
    expect(subscription.position(TP)).toBe(3n)
  })
})

describe('getone', () => {
  it('hands out one record at a time across fetches and partitions', () => {
    const { subscription, buffer } = setup()
    const first = fetched(TP, 0n, { records: [batch({ baseOffset: 0n, records: 2 })] })
    buffer.add(first)
    buffer.add(fetched(TP, first.endOffset, { records: [batch({ baseOffset: 2n, records: 1 })] }))
    buffer.add(fetched(TP1, 0n, { records: [batch({ baseOffset: 0n, records: 1 })] }))
    const seen: string[] = []
    for (let record = buffer.getone(); record !== null; record = buffer.getone()) {
      seen.push(`${record.partition}@${record.offset}`)
    }
    expect(seen).toEqual(['0@0', '0@1', '0@2', '1@0'])
    expect(subscription.position(TP)).toBe(3n)
    expect(buffer.getone([TP])).toBeNull()
  })

  it('reads only the partitions asked for', () => {
    const { buffer } = setup()
    buffer.add(fetched(TP, 0n, { records: [batch({ baseOffset: 0n, records: 1 })] }))
    buffer.add(fetched(TP1, 0n, { records: [batch({ baseOffset: 0n, records: 1 })] }))
    expect(buffer.getone([TP1])?.partition).toBe(1)
  })
})

describe('pause, seek and unassign', () => {
  it('paused partitions yield nothing and keep their position; their buffered records are dropped', () => {
    const { subscription, buffer } = setup()
    buffer.add(fetched(TP, 0n, { records: [batch({ baseOffset: 0n, records: 3 })] }))
    buffer.add(fetched(TP1, 0n, { records: [batch({ baseOffset: 0n, records: 1 })] }))
    expect(buffer.getmany([], 1).size).toBe(1)
    subscription.pause(TP)
    expect(summary(buffer.getmany())).toEqual(['orders-1:0'])
    expect(buffer.getone([TP])).toBeNull()
    expect(subscription.position(TP)).toBe(1n)
    expect(buffer.bufferedBytesOf(TP)).toBe(0)
    expect(buffer.fetchablePartitions().map(([tp]) => tp.partition)).toEqual([1])
    // A fetch answered while paused is refused.
    expect(buffer.add(fetched(TP, 1n, { records: [batch({ baseOffset: 0n, records: 3 })] }))).toBe(false)
    subscription.resume(TP)
    expect(buffer.fetchablePartitions()).toContainEqual([TP, 1n])
    buffer.add(fetched(TP, 1n, { records: [batch({ baseOffset: 0n, records: 3 })] }))
    expect(summary(buffer.getmany())).toEqual(['orders-0:1,2'])
  })

  it('a seek discards buffered records: the next read starts at the new position', () => {
    const { subscription, buffer } = setup()
    buffer.add(fetched(TP, 0n, { records: [batch({ baseOffset: 0n, records: 5 })] }))
    expect(buffer.getone()?.offset).toBe(0n)
    subscription.seek(TP, 0n)
    expect(buffer.getone()).toBeNull()
    expect(buffer.bufferedBytes).toBe(0)
    expect(buffer.nextFetchOffset(TP)).toBe(0n)
    // Seek and re-read the same record.
    buffer.add(fetched(TP, 0n, { records: [batch({ baseOffset: 0n, records: 5 })] }))
    expect(buffer.getone()?.offset).toBe(0n)
  })

  it('a fetch that does not start at the position (it raced a seek) is refused', () => {
    const { subscription, buffer } = setup()
    subscription.seek(TP, 10n)
    expect(buffer.add(fetched(TP, 0n, { records: [batch({ baseOffset: 0n, records: 1 })] }))).toBe(false)
    expect(buffer.bufferedBytes).toBe(0)
  })

  it('unassigned partitions lose their buffered records and errors', () => {
    const { subscription, buffer } = setup()
    buffer.add(fetched(TP, 0n, { records: [batch({ baseOffset: 0n, records: 2 })] }))
    buffer.addError(TP1, new TopicAuthorizationFailedError())
    subscription.assign([topicPartition('other', 0)])
    expect(buffer.fetchablePartitions()).toEqual([])
    expect(buffer.bufferedBytes).toBe(0)
    expect(buffer.getmany().size).toBe(0)
    buffer.addError(TP1, new TopicAuthorizationFailedError())
    expect(buffer.hasBuffered()).toBe(false)
    expect(buffer.nextFetchOffset(TP)).toBeNull()
  })

  it('drop() and clear() forget buffered data', () => {
    const { buffer } = setup()
    buffer.add(fetched(TP, 0n, { records: [batch({ baseOffset: 0n, records: 2 })] }))
    buffer.add(fetched(TP1, 0n, { records: [batch({ baseOffset: 0n, records: 2 })] }))
    buffer.drop(TP)
    buffer.drop(topicPartition('x', 0))
    expect(buffer.bufferedBytesOf(TP)).toBe(0)
    expect(buffer.bufferedBytes).toBe(buffer.bufferedBytesOf(TP1))
    buffer.clear()
    expect(buffer.bufferedBytes).toBe(0)
    expect(buffer.hasBuffered()).toBe(false)
  })
})

describe('backpressure and prefetching', () => {
  it('the next fetch of a partition starts where its buffered data ends', () => {
    const { buffer } = setup()
    const first = fetched(TP, 0n, { records: [batch({ baseOffset: 0n, records: 4 })] })
    buffer.add(first)
    expect(buffer.nextFetchOffset(TP)).toBe(4n)
    expect(buffer.fetchablePartitions()).toEqual([
      [TP, 4n],
      [TP1, 0n],
    ])
    // A second fetch must continue exactly where the first ends.
    expect(buffer.add(fetched(TP, 0n, { records: [batch({ baseOffset: 0n, records: 4 })] }))).toBe(false)
    expect(buffer.add(fetched(TP, 4n, { records: [batch({ baseOffset: 4n, records: 1 })] }))).toBe(true)
    expect(summary(buffer.getmany())).toEqual(['orders-0:0,1,2,3,4'])
  })

  it('stops fetching a partition whose buffered bytes reach maxPartitionBytes, and all at maxBufferedBytes', () => {
    const big = batch({ baseOffset: 0n, records: 20 })
    const { buffer } = setup({ maxPartitionBytes: big.length, maxBufferedBytes: big.length * 2 })
    buffer.add(fetched(TP, 0n, { records: [big] }))
    expect(buffer.bufferedBytesOf(TP)).toBe(big.length)
    expect(buffer.fetchablePartitions()).toEqual([[TP1, 0n]])
    buffer.add(fetched(TP1, 0n, { records: [big] }))
    expect(buffer.fetchablePartitions()).toEqual([])
    // Reading frees the bytes once a fetch is fully read.
    buffer.getmany([TP], 19)
    expect(buffer.bufferedBytes).toBe(big.length * 2)
    buffer.getmany([TP], 1)
    expect(buffer.bufferedBytes).toBe(big.length)
    expect(buffer.fetchablePartitions()).toEqual([[TP, 20n]])
  })

  it('refuses inconsistent bounds', () => {
    const subscription = new SubscriptionState({ autoOffsetReset: 'latest' })
    expect(() => new RecordBuffer(subscription, { maxPartitionBytes: 10, maxBufferedBytes: 5 })).toThrow(
      IllegalArgumentError,
    )
    expect(() => new RecordBuffer(subscription, { maxPartitionBytes: 0, maxBufferedBytes: 5 })).toThrow(
      IllegalArgumentError,
    )
  })
})

describe('errors', () => {
  it('a fetch error is raised once, on the next read, after records collected from other partitions', () => {
    const { buffer } = setup()
    buffer.add(fetched(TP, 0n, { records: [batch({ baseOffset: 0n, records: 1 })] }))
    buffer.addError(TP1, new TopicAuthorizationFailedError())
    expect(buffer.fetchablePartitions()).toEqual([[TP, 1n]])
    expect(summary(buffer.getmany())).toEqual(['orders-0:0'])
    expect(() => buffer.getmany()).toThrow(TopicAuthorizationFailedError)
    expect(buffer.getmany().size).toBe(0)
    buffer.addError(TP1, new TopicAuthorizationFailedError())
    expect(() => buffer.getone()).toThrow(TopicAuthorizationFailedError)
    expect(buffer.getone()).toBeNull()
  })

  it('an error waiting behind records of its partition comes after them', () => {
    const { buffer } = setup()
    buffer.add(fetched(TP, 0n, { records: [batch({ baseOffset: 0n, records: 1 })] }))
    buffer.addError(TP, new TopicAuthorizationFailedError())
    expect(() => buffer.getmany()).toThrow(TopicAuthorizationFailedError)
    expect(summary(buffer.getmany())).toEqual(['orders-0:0'])
  })

  it('a record that cannot be deserialized stops its partition until the application seeks past it', () => {
    const { subscription, buffer } = setup()
    const options = {
      valueDeserializer: (raw: Buffer | null) => {
        if (raw?.toString() === 'bad') throw new Error('bad value')
        return raw
      },
    }
    buffer.add(
      fetched(TP, 0n, { records: [batch({ baseOffset: 0n, records: ['ok0', 'bad', 'ok2'] })] }, options),
    )
    buffer.add(fetched(TP1, 0n, { records: [batch({ baseOffset: 0n, records: 1 })] }))
    expect(summary(buffer.getmany())).toEqual(['orders-0:0', 'orders-1:0'])
    expect(subscription.position(TP)).toBe(1n)
    expect(() => buffer.getmany()).toThrow(RecordDeserializationError)
    expect(() => buffer.getone()).toThrow(RecordDeserializationError)
    // Other partitions still deliver between the raises: the failing one goes behind them each time.
    buffer.add(fetched(TP1, 1n, { records: [batch({ baseOffset: 1n, records: 1 })] }))
    expect(() => buffer.getmany()).toThrow(RecordDeserializationError)
    expect(summary(buffer.getmany())).toEqual(['orders-1:1'])
    expect(buffer.fetchablePartitions()).toEqual([[TP1, 2n]])
    expect(subscription.position(TP)).toBe(1n)
    subscription.seek(TP, 2n)
    buffer.add(
      fetched(TP, 2n, { records: [batch({ baseOffset: 0n, records: ['ok0', 'bad', 'ok2'] })] }, options),
    )
    expect(summary(buffer.getmany())).toEqual(['orders-0:2'])
  })

  it('getone delivers the records before a bad one, then throws', () => {
    const { buffer } = setup()
    const options = {
      keyDeserializer: (raw: Buffer | null) => {
        if (raw?.toString() === 'k1') throw new Error('bad key')
        return raw
      },
    }
    buffer.add(fetched(TP, 0n, { records: [batch({ baseOffset: 0n, records: 2 })] }, options))
    expect(buffer.getone()?.offset).toBe(0n)
    expect(() => buffer.getone()).toThrow(RecordDeserializationError)
  })
})
