import {
  CorruptRecordError,
  IllegalArgumentError,
  IllegalStateError,
  UnsupportedCodecError,
} from '@kafkite/protocol'
import { describe, expect, it } from 'vitest'
import { CodecRegistry } from '../compression/codec-registry.js'
import { DecodedRecord } from '../record/decoded-record.js'
import { buildControlBatch, ControlRecordType, readControlRecord } from './control-record.js'
import { readBatches, readRecords } from './read-batches.js'
import type { RecordBatch } from './record-batch.js'
import { DEFAULT_BATCH_BYTES, RecordBatchBuilder } from './record-batch-builder.js'

describe('control records', () => {
  it.each(['commit', 'abort'] as const)('builds and reads a %s marker', (type) => {
    const bytes = buildControlBatch({
      type,
      producerId: 99n,
      producerEpoch: 3,
      coordinatorEpoch: 17,
      baseOffset: 500n,
      partitionLeaderEpoch: 4,
      timestamp: 1234,
    })
    const [batch] = readBatches(bytes) as Generator<RecordBatch>
    expect(batch!.isControl).toBe(true)
    expect(batch!.isTransactional).toBe(true)
    expect(batch!.producerId).toBe(99n)
    expect(batch!.partitionLeaderEpoch).toBe(4)
    const [record] = batch!
    expect(record!.offset).toBe(500n)
    expect(readControlRecord(record!)).toEqual({
      type: ControlRecordType[type],
      version: 0,
      coordinatorEpoch: 17,
    })
    // readRecords skips control batches: they hold markers, not user data.
    expect([...readRecords(bytes)]).toEqual([])
  })

  it('reads other (KRaft) control types without a coordinator epoch, and rejects short keys and values', () => {
    const key = Buffer.from([0, 0, 0, 2])
    expect(readControlRecord(new DecodedRecord(0n, 0, 0, key, null, []))).toEqual({
      type: 2,
      version: 0,
      coordinatorEpoch: -1,
    })
    expect(() => readControlRecord(new DecodedRecord(0n, 0, 0, Buffer.from([0]), null, []))).toThrow(
      CorruptRecordError,
    )
    expect(() => readControlRecord(new DecodedRecord(0n, 0, 0, Buffer.from([0, 0, 0, 1]), null, []))).toThrow(
      CorruptRecordError,
    )
  })
})

describe('batch builder budget', () => {
  it('returns null once the next record would pass maxBytes, and sizeInBytes is the built size', () => {
    const builder = new RecordBatchBuilder({ maxBytes: 1000 })
    let appended = 0
    while (builder.append({ value: Buffer.alloc(100), timestamp: 0 }) !== null) appended++
    expect(appended).toBe(8)
    expect(builder.recordCount).toBe(8)
    expect(builder.sizeInBytes).toBeLessThanOrEqual(1000)
    expect(builder.append({ value: Buffer.alloc(100), timestamp: 0 })).toBeNull()
    // A smaller record may still fit.
    expect(builder.append({ value: null, timestamp: 0 })).toBe(8)
    const size = builder.sizeInBytes
    const bytes = builder.build()
    expect(bytes.length).toBe(size)
    expect([...readRecords(bytes)]).toHaveLength(9)
  })

  it('always takes the first record, even one larger than the budget', () => {
    const builder = new RecordBatchBuilder({ maxBytes: 100 })
    expect(builder.append({ value: Buffer.alloc(1000) })).toBe(0)
    expect(builder.append({ value: 'x' })).toBeNull()
    expect([...readRecords(builder.build())][0]!.value!.length).toBe(1000)
  })

  it('counts header and string bytes exactly (UTF-8), so the estimate is the wire size', () => {
    const builder = new RecordBatchBuilder({ maxBytes: 1 << 20 })
    builder.append({
      key: 'ключ',
      value: '値',
      headers: [
        { key: 'é', value: 'ü' },
        { key: 'n', value: null },
      ],
    })
    const size = builder.sizeInBytes
    const bytes = builder.build()
    expect(bytes.length).toBe(size)
    const [record] = readRecords(bytes)
    expect(record!.key!.toString()).toBe('ключ')
    expect(record!.headers).toEqual([
      { key: 'é', value: Buffer.from('ü') },
      { key: 'n', value: null },
    ])
  })

  it('grows past its initial buffer', () => {
    const builder = new RecordBatchBuilder({ maxBytes: 4 << 20 })
    for (let index = 0; index < 100; index++) builder.append({ value: Buffer.alloc(10_000, index) })
    const records = [...readRecords(builder.build())]
    expect(records).toHaveLength(100)
    expect(records[99]!.value![0]).toBe(99)
  })

  it('defaults to a 16 KiB budget and no compression', () => {
    const builder = new RecordBatchBuilder()
    expect(builder.maxBytes).toBe(DEFAULT_BATCH_BYTES)
    expect(builder.compression).toBe(0)
  })

  it('returns an empty buffer for an empty batch and refuses use after build()', () => {
    const builder = new RecordBatchBuilder()
    expect(builder.build().length).toBe(0)
    expect(() => builder.build()).toThrow(IllegalStateError)
    expect(() => builder.append({ value: 'x' })).toThrow(IllegalStateError)
  })

  it('validates its options', () => {
    expect(() => new RecordBatchBuilder({ maxBytes: 61 })).toThrow(IllegalArgumentError)
    expect(() => new RecordBatchBuilder({ compression: 'zstd', codecs: new CodecRegistry() })).toThrow(
      UnsupportedCodecError,
    )
    expect(() => [...readBatches(Buffer.alloc(0), { maxUncompressedBytes: -1 })]).toThrow(
      IllegalArgumentError,
    )
  })
})
