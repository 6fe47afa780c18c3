import { crc32 } from 'node:zlib'
import { CorruptRecordError, UnsupportedCodecError } from '@kafkite/protocol'
import { describe, expect, it } from 'vitest'
import { readBatches, readRecords } from '../batch/read-batches.js'
import { gzipCodec } from '../compression/gzip-codec.js'
import { lz4Codec } from '../compression/lz4-codec.js'
import { xxhash32 } from '../compression/xxhash32.js'
import { LegacyRecordBatch } from './legacy-record-batch.js'

interface MessageSpec {
  offset: bigint
  magic: 0 | 1
  attributes?: number
  timestamp?: bigint
  key: Buffer | null
  value: Buffer | null
}

/** A legacy message written byte by byte from the format description, CRC-32 included. */
function message(spec: MessageSpec): Buffer {
  const body: Buffer[] = [Buffer.from([spec.magic, spec.attributes ?? 0])]
  if (spec.magic === 1) {
    const timestamp = Buffer.alloc(8)
    timestamp.writeBigInt64BE(spec.timestamp ?? -1n)
    body.push(timestamp)
  }
  for (const field of [spec.key, spec.value]) {
    const length = Buffer.alloc(4)
    length.writeInt32BE(field === null ? -1 : field.length)
    body.push(length)
    if (field !== null) body.push(field)
  }
  const content = Buffer.concat(body)
  const head = Buffer.alloc(16)
  head.writeBigInt64BE(spec.offset, 0)
  head.writeInt32BE(content.length + 4, 8)
  head.writeUInt32BE(crc32(content) >>> 0, 12)
  return Buffer.concat([head, content])
}

describe('legacy MessageSet v0/v1', () => {
  it('reads uncompressed v0 and v1 messages from hand-made bytes', () => {
    const bytes = Buffer.concat([
      message({ offset: 10n, magic: 0, key: Buffer.from('k0'), value: Buffer.from('v0') }),
      message({ offset: 11n, magic: 1, timestamp: 1_600_000_000_000n, key: null, value: Buffer.from('v1') }),
      message({ offset: 12n, magic: 1, attributes: 0x08, timestamp: 5n, key: Buffer.from('k'), value: null }),
    ])
    const batches = [...readBatches(bytes)] as LegacyRecordBatch[]
    expect(batches.map((batch) => batch.magic)).toEqual([0, 1, 1])
    expect(batches[2]!.timestampType).toBe('LogAppendTime')
    expect(batches[0]!.timestampType).toBe('CreateTime')
    expect(batches[0]!.lastOffset).toBe(10n)
    expect(batches[0]!.producerId).toBe(-1n)
    expect(batches[0]!.isControl).toBe(false)
    expect(batches[0]!.sizeInBytes).toBe(bytes.indexOf(Buffer.from([0, 0, 0, 0, 0, 0, 0, 11])))
    const records = [...readRecords(bytes)]
    expect(records.map((record) => record.offset)).toEqual([10n, 11n, 12n])
    expect(records.map((record) => record.timestamp)).toEqual([-1, 1_600_000_000_000, 5])
    expect(records.map((record) => record.key?.toString() ?? null)).toEqual(['k0', null, 'k'])
    expect(records.map((record) => record.value?.toString() ?? null)).toEqual(['v0', 'v1', null])
    expect(records[0]!.headers).toEqual([])
  })

  it('reads a gzip v1 wrapper: relative inner offsets, LogAppendTime from the wrapper', () => {
    const inner = Buffer.concat(
      ['a', 'b', 'c'].map((value, index) =>
        message({
          offset: BigInt(index),
          magic: 1,
          timestamp: BigInt(100 + index),
          key: null,
          value: Buffer.from(value),
        }),
      ),
    )
    const wrapper = (attributes: number) =>
      message({
        offset: 42n,
        magic: 1,
        attributes,
        timestamp: 999n,
        key: null,
        value: gzipCodec.compress(inner),
      })
    const createTime = [...readRecords(wrapper(0x01))]
    expect(createTime.map((record) => record.offset)).toEqual([40n, 41n, 42n])
    expect(createTime.map((record) => record.timestamp)).toEqual([100, 101, 102])
    expect(createTime.map((record) => record.value!.toString())).toEqual(['a', 'b', 'c'])
    const logAppend = [...readRecords(wrapper(0x09))]
    expect(logAppend.map((record) => record.timestamp)).toEqual([999, 999, 999])
  })

  it('reads an lz4 v0 wrapper with absolute inner offsets and the old broken frame checksum', () => {
    const inner = Buffer.concat([
      message({ offset: 7n, magic: 0, key: null, value: Buffer.from('x') }),
      message({ offset: 8n, magic: 0, key: null, value: Buffer.from('y') }),
    ])
    const frame = lz4Codec.compress(inner)
    // Kafka 0.8 hashed the magic into the header checksum.
    frame[6] = (xxhash32(frame, 0, 6) >>> 8) & 0xff
    const bytes = message({ offset: 8n, magic: 0, attributes: 0x03, key: null, value: frame })
    const batch = [...readBatches(bytes)][0] as LegacyRecordBatch
    expect(batch.compression).toBe(3)
    expect([...batch].map((record) => `${record.offset}:${record.value}`)).toEqual(['7:x', '8:y'])
    expect(batch.toArray()).toBe(batch.toArray())
  })

  it('detects a corrupt CRC, inner ones included', () => {
    const bytes = message({ offset: 0n, magic: 1, timestamp: 0n, key: null, value: Buffer.from('abc') })
    bytes[bytes.length - 1]! ^= 0x20
    expect(() => [...readBatches(bytes)]).toThrow(CorruptRecordError)
    expect([...readBatches(bytes, { checkCrcs: false })]).toHaveLength(1)
    const inner = message({ offset: 0n, magic: 1, timestamp: 0n, key: null, value: Buffer.from('abc') })
    inner[inner.length - 1]! ^= 0x20
    const wrapper = message({
      offset: 0n,
      magic: 1,
      attributes: 1,
      timestamp: 0n,
      key: null,
      value: gzipCodec.compress(inner),
    })
    expect(() => [...readRecords(wrapper)]).toThrow(/CRC-32/)
  })

  it('rejects malformed legacy messages', () => {
    const good = message({ offset: 0n, magic: 1, timestamp: 0n, key: null, value: Buffer.from('abc') })
    const trailing = Buffer.concat([good, Buffer.from([0])])
    trailing.writeInt32BE(trailing.readInt32BE(8) + 1, 8)
    expect(() => new LegacyRecordBatch(trailing)).toThrow(/trailing/)
    expect(() => new LegacyRecordBatch(good.subarray(0, good.length - 1))).toThrow(CorruptRecordError)
    const magic = Buffer.from(good)
    magic[16] = 3
    expect(() => new LegacyRecordBatch(magic)).toThrow(/magic 3/)
    const noValue = message({ offset: 0n, magic: 1, attributes: 1, timestamp: 0n, key: null, value: null })
    expect(() => [...readRecords(noValue)]).toThrow(/without a value/)
    const garbage = message({
      offset: 0n,
      magic: 1,
      attributes: 1,
      timestamp: 0n,
      key: null,
      value: Buffer.from('zz'),
    })
    expect(() => [...readRecords(garbage)]).toThrow(CorruptRecordError)
    const nested = message({
      offset: 0n,
      magic: 1,
      attributes: 1,
      timestamp: 0n,
      key: null,
      value: gzipCodec.compress(good),
    })
    const twice = message({
      offset: 0n,
      magic: 1,
      attributes: 1,
      timestamp: 0n,
      key: null,
      value: gzipCodec.compress(nested),
    })
    expect(() => [...readRecords(twice)]).toThrow(/Nested compression/)
    for (const cut of [5, 20]) {
      const truncated = message({
        offset: 0n,
        magic: 1,
        attributes: 1,
        timestamp: 0n,
        key: null,
        value: gzipCodec.compress(good.subarray(0, cut)),
      })
      expect(() => [...readRecords(truncated)]).toThrow(/Truncated inner/)
    }
    const empty = message({
      offset: 0n,
      magic: 1,
      attributes: 1,
      timestamp: 0n,
      key: null,
      value: gzipCodec.compress(Buffer.alloc(0)),
    })
    expect([...readRecords(empty)]).toEqual([])
    const unknownCodec = message({
      offset: 0n,
      magic: 1,
      attributes: 6,
      timestamp: 0n,
      key: null,
      value: Buffer.from('x'),
    })
    expect(() => [...readRecords(unknownCodec)]).toThrow(UnsupportedCodecError)
  })
})
