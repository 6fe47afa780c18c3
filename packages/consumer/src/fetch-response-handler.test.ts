import {
  CorruptRecordError,
  ErrorCode,
  KafkaError,
  NotLeaderForPartitionError,
  OffsetOutOfRangeError,
  RecordTooLargeError,
  TopicAuthorizationFailedError,
} from '@kafkite/protocol'
import { DecompressionLimitError } from '@kafkite/records'
import { describe, expect, it } from 'vitest'
import type { CompletedFetch } from './completed-fetch.js'
import { FetchOffsetOutOfRangeError, RecordDeserializationError } from './consumer-errors.js'
import type { ConsumerRecord } from './consumer-record.js'
import { FetchResponseHandler, type FetchResponseHandlerOptions } from './fetch-response-handler.js'
import {
  batch,
  corrupted,
  marker,
  type PartitionSpec,
  partitionData,
  TIMESTAMP,
  TP,
  withLastOffsetDelta,
  withLogAppendTime,
} from './test-support/batches.js'

const defaults: FetchResponseHandlerOptions<Buffer | null, Buffer | null> = {
  isolationLevel: 'read_uncommitted',
  autoOffsetReset: 'latest',
}

function fetchOf<K = Buffer | null, V = Buffer | null>(
  fetchOffset: bigint,
  spec: PartitionSpec,
  options: Partial<FetchResponseHandlerOptions<K, V>> = {},
): CompletedFetch<K, V> {
  const handler = new FetchResponseHandler<K, V>({ ...defaults, ...options } as FetchResponseHandlerOptions<
    K,
    V
  >)
  const outcome = handler.handle(TP, fetchOffset, partitionData(spec))
  if (outcome.kind !== 'records') throw new Error(`expected records, got ${outcome.kind}`)
  return outcome.fetch
}

function readAll<K, V>(fetch: CompletedFetch<K, V>): ConsumerRecord<K, V>[] {
  const out: ConsumerRecord<K, V>[] = []
  fetch.drain(Number.POSITIVE_INFINITY, out)
  return out
}

const offsets = (records: readonly ConsumerRecord<unknown, unknown>[]) =>
  records.map((record) => record.offset)

describe('records of one partition', () => {
  it('delivers every record and ends at lastOffset + 1', () => {
    const fetch = fetchOf(0n, {
      records: [batch({ baseOffset: 0n, records: 3 }), batch({ baseOffset: 3n, records: 2 })],
    })
    const records = readAll(fetch)
    expect(offsets(records)).toEqual([0n, 1n, 2n, 3n, 4n])
    expect(fetch.nextFetchOffset).toBe(5n)
    expect(fetch.endOffset).toBe(5n)
    expect(fetch.isConsumed).toBe(true)
    expect(fetch.next()).toBeUndefined()
  })

  it('builds aiokafka ConsumerRecords', () => {
    const [record] = readAll(
      fetchOf(7n, {
        records: [
          batch({
            baseOffset: 7n,
            leaderEpoch: 5,
            records: [
              {
                key: 'key',
                value: 'value',
                headers: [
                  { key: 'h', value: 'x' },
                  { key: 'n', value: null },
                ],
              },
            ],
          }),
        ],
      }),
    )
    expect(record).toMatchObject({
      topic: 'orders',
      partition: 0,
      offset: 7n,
      timestamp: TIMESTAMP,
      timestampType: 0,
      key: Buffer.from('key'),
      value: Buffer.from('value'),
      serializedKeySize: 3,
      serializedValueSize: 5,
      leaderEpoch: 5,
    })
    expect(record!.headers).toEqual([
      ['h', Buffer.from('x')],
      ['n', null],
    ])
    expect(record!.headers).toBe(record!.headers)
    expect(JSON.parse(JSON.stringify(record))).toMatchObject({ offset: '7', topic: 'orders', leaderEpoch: 5 })
  })

  it('reports null keys and values as size -1, no headers as one shared empty list, no epoch as null', () => {
    const records = readAll(
      fetchOf(0n, { records: [batch({ baseOffset: 0n, records: [{ key: null, value: null }, {}] })] }),
    )
    expect(records[0]).toMatchObject({
      key: null,
      value: null,
      serializedKeySize: -1,
      serializedValueSize: -1,
      leaderEpoch: null,
    })
    expect(records[0]!.headers).toEqual([])
    expect(records[0]!.headers).toBe(records[1]!.headers)
  })

  it('reads LogAppendTime batches with timestampType 1', () => {
    const [record] = readAll(
      fetchOf(0n, { records: [withLogAppendTime(batch({ baseOffset: 0n, records: 1 }))] }),
    )
    expect(record!.timestampType).toBe(1)
  })

  it('applies the deserializers, also to null', () => {
    const seen: (Buffer | null)[] = []
    const [record] = readAll(
      fetchOf<string, number>(
        0n,
        { records: [batch({ baseOffset: 0n, records: [{ key: null, value: '41' }] })] },
        {
          keyDeserializer: (raw) => {
            seen.push(raw)
            return raw === null ? 'none' : raw.toString()
          },
          valueDeserializer: (raw) => Number(raw!.toString()) + 1,
        },
      ),
    )
    expect(seen).toEqual([null])
    expect(record).toMatchObject({ key: 'none', value: 42, serializedValueSize: 2 })
  })

  it('skips the records of a batch that starts before the fetch position', () => {
    const fetch = fetchOf(3n, {
      records: [
        batch({ baseOffset: 0n, records: 5, compression: 'gzip' }),
        batch({ baseOffset: 5n, records: 1 }),
      ],
    })
    expect(offsets(readAll(fetch))).toEqual([3n, 4n, 5n])
    expect(fetch.nextFetchOffset).toBe(6n)
  })

  it('accepts compacted gaps between batches and moves past records compaction removed at a batch end', () => {
    // Offsets 3-9 were compacted away; batch 10 lost its last two records (lastOffsetDelta still 3).
    const fetch = fetchOf(0n, {
      records: [
        batch({ baseOffset: 0n, records: 3 }),
        withLastOffsetDelta(batch({ baseOffset: 10n, records: 2 }), 3),
      ],
    })
    expect(fetch.endOffset).toBe(14n)
    expect(offsets(readAll(fetch))).toEqual([0n, 1n, 2n, 10n, 11n])
    expect(fetch.nextFetchOffset).toBe(14n)
  })

  it('never delivers control batches, in read_uncommitted either, but moves past them', () => {
    const fetch = fetchOf(0n, {
      records: [
        batch({ baseOffset: 0n, records: 2, producerId: 9n, transactional: true }),
        marker('commit', 9n, 2n),
      ],
    })
    expect(offsets(readAll(fetch))).toEqual([0n, 1n])
    expect(fetch.nextFetchOffset).toBe(3n)
  })

  it('delivers aborted records in read_uncommitted', () => {
    const fetch = fetchOf(0n, {
      records: [
        batch({ baseOffset: 0n, records: 2, producerId: 9n, transactional: true }),
        marker('abort', 9n, 2n),
      ],
      abortedTransactions: [{ producerId: 9n, firstOffset: 0n }],
    })
    expect(offsets(readAll(fetch))).toEqual([0n, 1n])
  })

  it('ignores a partial trailing batch; the next fetch starts at it', () => {
    const whole = batch({ baseOffset: 0n, records: 2 })
    const next = batch({ baseOffset: 2n, records: 2 })
    const fetch = fetchOf(0n, { records: [whole, next.subarray(0, next.length - 5)] })
    expect(offsets(readAll(fetch))).toEqual([0n, 1n])
    expect(fetch.nextFetchOffset).toBe(2n)
    expect(fetch.endOffset).toBe(2n)
  })

  it('an empty response delivers nothing and keeps the position', () => {
    for (const spec of [{}, { records: [] }]) {
      const fetch = fetchOf(5n, spec)
      expect(readAll(fetch)).toEqual([])
      expect(fetch.nextFetchOffset).toBe(5n)
      expect(fetch.endOffset).toBe(5n)
      expect(fetch.sizeInBytes).toBe(0)
    }
  })

  it('drains in steps of maxRecords', () => {
    const fetch = fetchOf(0n, { records: [batch({ baseOffset: 0n, records: 5 })] })
    const out: ConsumerRecord<Buffer | null, Buffer | null>[] = []
    expect(fetch.drain(2, out)).toBe(2)
    expect(fetch.nextFetchOffset).toBe(2n)
    expect(fetch.next()?.offset).toBe(2n)
    expect(fetch.drain(10, out)).toBe(2)
    expect(offsets(out)).toEqual([0n, 1n, 3n, 4n])
    expect(fetch.isConsumed).toBe(true)
  })
})

describe('decoding failures', () => {
  it('a CRC failure is a CorruptRecordError naming the partition; records before it are delivered first', () => {
    const fetch = fetchOf(0n, {
      records: [batch({ baseOffset: 0n, records: 2 }), corrupted(batch({ baseOffset: 2n, records: 2 }))],
    })
    const out: ConsumerRecord<Buffer | null, Buffer | null>[] = []
    expect(fetch.drain(10, out)).toBe(2)
    expect(fetch.nextFetchOffset).toBe(2n)
    expect(() => fetch.drain(10, out)).toThrow(CorruptRecordError)
    expect(() => fetch.next()).toThrow(/orders-0 at offset 2/)
    expect(fetch.error).toBeInstanceOf(CorruptRecordError)
    expect(fetch.nextFetchOffset).toBe(2n)
    expect(fetch.isConsumed).toBe(false)
  })

  it('a CRC failure in the first batch is thrown at once', () => {
    const fetch = fetchOf(0n, { records: [corrupted(batch({ baseOffset: 0n, records: 2 }))] })
    expect(() => fetch.next()).toThrow(CorruptRecordError)
    expect(() => readAll(fetch)).toThrow(CorruptRecordError)
  })

  it('a batch inflating past the decompression bound keeps its typed error', () => {
    const fetch = fetchOf(
      0n,
      { records: [batch({ baseOffset: 0n, records: 50, compression: 'gzip' })] },
      { decodeOptions: { maxUncompressedBytes: 64 } },
    )
    expect(() => fetch.next()).toThrow(DecompressionLimitError)
  })

  it('a v2 header too short for its fields is corrupt', () => {
    const bytes = Buffer.alloc(12 + 14)
    bytes.writeInt32BE(14, 8)
    bytes[16] = 2
    const fetch = fetchOf(4n, { records: [bytes] })
    expect(fetch.endOffset).toBe(4n)
    expect(() => fetch.next()).toThrow(CorruptRecordError)
  })

  it('checkCrcs: false does not verify checksums', () => {
    const bytes = batch({ baseOffset: 0n, records: 1 })
    bytes.writeUInt32BE(0, 17)
    expect(offsets(readAll(fetchOf(0n, { records: [bytes] }, { checkCrcs: false })))).toEqual([0n])
    expect(() => readAll(fetchOf(0n, { records: [bytes] }))).toThrow(CorruptRecordError)
  })

  it('a deserializer that throws is a RecordDeserializationError at that record, every time', () => {
    const fetch = fetchOf<Buffer | null, string>(
      0n,
      { records: [batch({ baseOffset: 0n, records: ['ok', 'bad', 'later'] })] },
      {
        valueDeserializer: (raw) => {
          if (raw?.toString() === 'bad') throw new SyntaxError('not JSON')
          return raw!.toString()
        },
      },
    )
    const out: ConsumerRecord<Buffer | null, string>[] = []
    expect(fetch.drain(10, out)).toBe(1)
    expect(fetch.nextFetchOffset).toBe(1n)
    let thrown: unknown
    try {
      fetch.drain(10, out)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(RecordDeserializationError)
    expect(thrown).toMatchObject({ topic: 'orders', partition: 0, offset: 1n, field: 'value' })
    expect((thrown as Error).cause).toBeInstanceOf(SyntaxError)
    expect(() => fetch.next()).toThrow(RecordDeserializationError)
    expect(fetch.nextFetchOffset).toBe(1n)
  })

  it('a failing key deserializer names the key; a non-Kafka error from decoding is wrapped', () => {
    const fetch = fetchOf<string, Buffer | null>(
      0n,
      { records: [batch({ baseOffset: 0n, records: 1 })] },
      {
        keyDeserializer: () => {
          throw new Error('boom')
        },
      },
    )
    expect(() => fetch.next()).toThrow(expect.objectContaining({ field: 'key', offset: 0n }))
  })
})

describe('partition errors', () => {
  const handler = new FetchResponseHandler(defaults)

  it('OFFSET_OUT_OF_RANGE asks for a reset by the policy', () => {
    const outcome = handler.handle(TP, 12n, partitionData({ errorCode: ErrorCode.OFFSET_OUT_OF_RANGE }))
    expect(outcome.kind).toBe('resetOffset')
    if (outcome.kind !== 'resetOffset') return
    expect(outcome.strategy).toBe('latest')
    expect(outcome.error).toBeInstanceOf(OffsetOutOfRangeError)
    const earliest = new FetchResponseHandler({ ...defaults, autoOffsetReset: 'earliest' })
    expect(earliest.handle(TP, 12n, partitionData({ errorCode: 1 }))).toMatchObject({ strategy: 'earliest' })
  })

  it("with policy 'none', OFFSET_OUT_OF_RANGE is an OffsetOutOfRangeError carrying the partition and offset", () => {
    const none = new FetchResponseHandler({ ...defaults, autoOffsetReset: 'none' })
    const outcome = none.handle(TP, 12n, partitionData({ errorCode: ErrorCode.OFFSET_OUT_OF_RANGE }))
    expect(outcome.kind).toBe('error')
    if (outcome.kind !== 'error') return
    const error = outcome.error as FetchOffsetOutOfRangeError
    expect(error).toBeInstanceOf(OffsetOutOfRangeError)
    expect(error).toBeInstanceOf(FetchOffsetOutOfRangeError)
    expect(error.code).toBe(1)
    expect(error.partitions).toEqual([TP])
    expect(error.offsets.get({ topic: 'orders', partition: 0 })).toBe(12n)
    expect(error.message).toContain('orders-0@12')
  })

  it.each([
    ErrorCode.NOT_LEADER_OR_FOLLOWER,
    ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    ErrorCode.FENCED_LEADER_EPOCH,
    ErrorCode.REPLICA_NOT_AVAILABLE,
    ErrorCode.KAFKA_STORAGE_ERROR,
    ErrorCode.OFFSET_NOT_AVAILABLE,
    ErrorCode.UNKNOWN_TOPIC_ID,
  ])('error code %i refreshes metadata', (code) => {
    const outcome = handler.handle(TP, 0n, partitionData({ errorCode: code }))
    expect(outcome.kind).toBe('refreshMetadata')
    if (outcome.kind === 'refreshMetadata') expect(outcome.error.code).toBe(code)
  })

  it('NOT_LEADER_OR_FOLLOWER comes back as its typed error with the partition in its path', () => {
    const outcome = handler.handle(TP, 0n, partitionData({ errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER }))
    expect(outcome).toMatchObject({ kind: 'refreshMetadata' })
    if (outcome.kind === 'refreshMetadata') {
      expect(outcome.error).toBeInstanceOf(NotLeaderForPartitionError)
      expect(outcome.error.path).toBe('orders-0')
    }
  })

  it.each([ErrorCode.UNKNOWN_LEADER_EPOCH, ErrorCode.UNKNOWN_SERVER_ERROR, ErrorCode.NOT_ENOUGH_REPLICAS])(
    'error code %i is retried',
    (code) => {
      expect(handler.handle(TP, 0n, partitionData({ errorCode: code })).kind).toBe('retry')
    },
  )

  it('TOPIC_AUTHORIZATION_FAILED and other fatal codes surface as typed errors', () => {
    const outcome = handler.handle(TP, 0n, partitionData({ errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED }))
    expect(outcome.kind).toBe('error')
    if (outcome.kind === 'error') expect(outcome.error).toBeInstanceOf(TopicAuthorizationFailedError)
    const unknown = handler.handle(TP, 0n, partitionData({ errorCode: 9999 }))
    expect(unknown.kind).toBe('error')
    if (unknown.kind === 'error') expect(KafkaError.isInstance(unknown.error)).toBe(true)
  })

  it('bytes without one complete batch are a RecordTooLargeError', () => {
    const bytes = batch({ baseOffset: 0n, records: 3 })
    for (const cut of [bytes.subarray(0, 8), bytes.subarray(0, bytes.length - 1)]) {
      const outcome = handler.handle(TP, 0n, { ...partitionData(), records: cut })
      expect(outcome.kind).toBe('error')
      if (outcome.kind === 'error') expect(outcome.error).toBeInstanceOf(RecordTooLargeError)
    }
  })

  it('a batch with an impossible size is reported as corrupt when read', () => {
    const bytes = Buffer.alloc(20)
    bytes.writeInt32BE(-5, 8)
    const fetch = fetchOf(0n, {}, {})
    expect(fetch.endOffset).toBe(0n)
    const outcome = handler.handle(TP, 0n, { ...partitionData(), records: bytes })
    expect(outcome.kind).toBe('records')
    if (outcome.kind === 'records') {
      expect(outcome.fetch.endOffset).toBe(0n)
      expect(() => outcome.fetch.next()).toThrow(CorruptRecordError)
    }
  })

  it('reports the watermarks with the records', () => {
    const outcome = handler.handle(
      TP,
      0n,
      partitionData({ highWatermark: 10n, lastStableOffset: 8n, logStartOffset: 2n, records: [] }),
    )
    expect(outcome).toMatchObject({
      kind: 'records',
      metadata: { highWatermark: 10n, lastStableOffset: 8n, logStartOffset: 2n },
    })
  })
})
