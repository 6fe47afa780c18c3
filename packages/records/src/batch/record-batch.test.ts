import { CorruptRecordError } from '@kafkite/protocol'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { asBytes, compressionNames, recordInput } from '../test-support/arbitraries.js'
import { CompressionType } from './attributes.js'
import { RECORD_BATCH_OVERHEAD } from './batch-layout.js'
import { readBatches, readRecords } from './read-batches.js'
import { RecordBatch } from './record-batch.js'
import { RecordBatchBuilder } from './record-batch-builder.js'

describe('record batch v2 round trip', () => {
  for (const compression of compressionNames) {
    it(`decodes what it encodes (${compression})`, () => {
      fc.assert(
        fc.property(
          fc.array(recordInput, { minLength: 1, maxLength: 30 }),
          fc.record({
            baseOffset: fc.bigInt({ min: 0n, max: 2n ** 62n }),
            partitionLeaderEpoch: fc.integer({ min: -1, max: 2 ** 31 - 1 }),
            producerId: fc.bigInt({ min: -1n, max: 2n ** 62n }),
            producerEpoch: fc.integer({ min: -1, max: 32767 }),
            baseSequence: fc.integer({ min: -1, max: 2 ** 31 - 1 }),
            isTransactional: fc.boolean(),
          }),
          (records, header) => {
            const builder = new RecordBatchBuilder({ ...header, compression, maxBytes: 1 << 24 })
            records.forEach((record, index) => {
              expect(builder.append(record)).toBe(index)
            })
            const bytes = builder.build()
            const batches = [...readBatches(bytes)]
            expect(batches).toHaveLength(1)
            const batch = batches[0] as RecordBatch
            expect(batch).toBeInstanceOf(RecordBatch)
            expect(batch.magic).toBe(2)
            expect(batch.compression).toBe(CompressionType[compression])
            expect(batch.baseOffset).toBe(header.baseOffset)
            expect(batch.partitionLeaderEpoch).toBe(header.partitionLeaderEpoch)
            expect(batch.producerId).toBe(header.producerId)
            expect(batch.producerEpoch).toBe(header.producerEpoch)
            expect(batch.baseSequence).toBe(header.baseSequence)
            expect(batch.isTransactional).toBe(header.isTransactional)
            expect(batch.isControl).toBe(false)
            expect(batch.timestampType).toBe('CreateTime')
            expect(batch.recordCount).toBe(records.length)
            expect(batch.lastOffset).toBe(header.baseOffset + BigInt(records.length - 1))
            expect(batch.baseTimestamp).toBe(records[0]!.timestamp)
            expect(batch.maxTimestamp).toBe(Math.max(...records.map((record) => record.timestamp!)))
            expect(batch.sizeInBytes).toBe(bytes.length)
            const decoded = batch.toArray()
            expect(decoded).toHaveLength(records.length)
            decoded.forEach((record, index) => {
              const input = records[index]!
              expect(record.offset).toBe(header.baseOffset + BigInt(index))
              expect(record.timestamp).toBe(input.timestamp)
              expect(record.key).toEqual(asBytes(input.key))
              expect(record.value).toEqual(asBytes(input.value))
              expect(record.headers).toEqual(
                (input.headers ?? []).map((h) => ({ key: h.key, value: asBytes(h.value) })),
              )
            })
          },
        ),
        { numRuns: 60 },
      )
    })
  }

  it('returns key and value as views over the fetched bytes, not copies', () => {
    const builder = new RecordBatchBuilder()
    builder.append({ key: 'k', value: 'v', headers: [{ key: 'h', value: 'x' }] })
    const bytes = builder.build()
    const [record] = readRecords(bytes)
    expect(record!.key!.buffer).toBe(bytes.buffer)
    expect(record!.value!.buffer).toBe(bytes.buffer)
    expect(record!.headers[0]!.value!.buffer).toBe(bytes.buffer)
  })

  it('shares one header array among records without headers', () => {
    const builder = new RecordBatchBuilder()
    builder.append({ value: 'a' })
    builder.append({ value: 'b' })
    const [first, second] = readRecords(builder.build())
    expect(first!.headers).toBe(second!.headers)
  })

  it('defaults the timestamp to now and reads LogAppendTime batches with the max timestamp', () => {
    const before = Date.now()
    const builder = new RecordBatchBuilder()
    builder.append({ value: 'a' })
    builder.append({ value: 'b', timestamp: 5 })
    const bytes = builder.build()
    const [first] = readRecords(bytes)
    expect(first!.timestamp).toBeGreaterThanOrEqual(before)
    // A broker that appends with LogAppendTime sets bit 3 and maxTimestamp; every record then reads it.
    bytes.writeInt16BE(bytes.readInt16BE(21) | 0x08, 21)
    bytes.writeBigInt64BE(123n, 35)
    const batch = new RecordBatch(bytes, { checkCrcs: false })
    expect(batch.timestampType).toBe('LogAppendTime')
    expect(batch.toArray().map((record) => record.timestamp)).toEqual([123, 123])
  })

  it('accepts a Uint8Array that is not a Buffer', () => {
    const builder = new RecordBatchBuilder()
    builder.append({ value: new Uint8Array([1, 2, 3]) })
    const bytes = builder.build()
    const copy = new Uint8Array(bytes.length)
    copy.set(bytes)
    expect([...readRecords(copy)][0]!.value).toEqual(Buffer.from([1, 2, 3]))
  })

  it('reads the delete-horizon flag set by compaction', () => {
    const builder = new RecordBatchBuilder()
    builder.append({ value: 'a' })
    const bytes = builder.build()
    bytes.writeInt16BE(0x40, 21)
    expect(new RecordBatch(bytes).hasDeleteHorizon).toBe(true)
  })
})

describe('reading a fetch buffer', () => {
  function batchOf(baseOffset: bigint, values: string[]): Buffer {
    const builder = new RecordBatchBuilder({ baseOffset })
    for (const value of values) builder.append({ value })
    return builder.build()
  }

  it('walks consecutive batches and stops at a partial trailing batch', () => {
    const first = batchOf(0n, ['a', 'b'])
    const second = batchOf(2n, ['c'])
    const third = batchOf(3n, ['d'])
    const fetched = Buffer.concat([first, second, third.subarray(0, third.length - 5)])
    const values = [...readRecords(fetched)].map((record) => `${record.offset}:${record.value}`)
    expect(values).toEqual(['0:a', '1:b', '2:c'])
    expect([...readBatches(Buffer.concat([first, Buffer.alloc(11)]))]).toHaveLength(1)
  })

  it('rejects an impossible batch size and an unknown magic', () => {
    const bytes = batchOf(0n, ['a'])
    const small = Buffer.from(bytes)
    small.writeInt32BE(3, 8)
    expect(() => [...readBatches(small)]).toThrow(CorruptRecordError)
    const magic = Buffer.from(bytes)
    magic[16] = 7
    expect(() => [...readBatches(magic)]).toThrow(/magic 7/)
  })

  it('verifies the CRC by default and not with checkCrcs: false', () => {
    const bytes = batchOf(0n, ['hello'])
    bytes[bytes.length - 2]! ^= 0x01
    expect(() => [...readBatches(bytes)]).toThrow(CorruptRecordError)
    expect(() => [...readBatches(bytes)]).toThrow(/stored CRC/)
    const [batch] = readBatches(bytes, { checkCrcs: false })
    expect(batch!.isValid()).toBe(false)
  })

  it('rejects a malformed header: too short, wrong magic, wrong length, negative count', () => {
    const bytes = batchOf(0n, ['a'])
    expect(() => new RecordBatch(bytes.subarray(0, RECORD_BATCH_OVERHEAD - 1))).toThrow(CorruptRecordError)
    const magic = Buffer.from(bytes)
    magic[16] = 1
    expect(() => new RecordBatch(magic)).toThrow(/magic 1/)
    expect(() => new RecordBatch(bytes.subarray(0, bytes.length - 1))).toThrow(/length/)
    const count = Buffer.from(bytes)
    count.writeInt32BE(-1, 57)
    expect(() => new RecordBatch(count)).toThrow(/Negative record count/)
  })
})
