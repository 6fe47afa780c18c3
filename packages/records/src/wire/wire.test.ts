import { CorruptRecordError } from '@kafkite/protocol'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ByteCursor } from './byte-cursor.js'
import { ByteSink } from './byte-sink.js'
import { sizeOfVarint, sizeOfVarlong } from './varint-size.js'

describe('varint and varlong', () => {
  it('round-trip 32-bit varints with the size they predict', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (value) => {
        const sink = new ByteSink(1)
        sink.ensure(10)
        sink.writeVarint(value)
        expect(sink.offset).toBe(sizeOfVarint(value))
        const cursor = new ByteCursor(sink.buffer, 0, sink.offset)
        expect(cursor.readVarint()).toBe(value)
        expect(cursor.offset).toBe(sink.offset)
      }),
    )
  })

  it('round-trip varlongs within ±2^52 with the size they predict', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 52), max: 2 ** 52 - 1 }), (value) => {
        const sink = new ByteSink(16)
        sink.writeVarlong(value)
        expect(sink.offset).toBe(sizeOfVarlong(value))
        expect(new ByteCursor(sink.buffer, 0, sink.offset).readVarlongAsNumber()).toBe(value)
      }),
    )
  })

  it('reads varlongs written by the protocol package (bigint zigzag)', () => {
    // -1 → 1, 1 → 2, -64 → 127, 64 → 128 (0x80 0x01)
    expect(new ByteCursor(Buffer.from([0x01])).readVarlongAsNumber()).toBe(-1)
    expect(new ByteCursor(Buffer.from([0x80, 0x01])).readVarlongAsNumber()).toBe(64)
    expect(new ByteCursor(Buffer.from([0x7f])).readVarint()).toBe(-64)
  })

  it('rejects truncated and over-long varints with CorruptRecordError', () => {
    expect(() => new ByteCursor(Buffer.from([0x80])).readVarint()).toThrow(CorruptRecordError)
    expect(() => new ByteCursor(Buffer.alloc(6, 0x80)).readVarint()).toThrow(CorruptRecordError)
    expect(() => new ByteCursor(Buffer.from([0x80])).readVarlongAsNumber()).toThrow(CorruptRecordError)
    expect(() => new ByteCursor(Buffer.alloc(11, 0x80)).readVarlongAsNumber()).toThrow(CorruptRecordError)
  })

  it('bounds-checks fixed-width reads and byte views', () => {
    const cursor = new ByteCursor(Buffer.from([1, 2, 3]))
    expect(() => cursor.readInt32()).toThrow(CorruptRecordError)
    expect(cursor.readBytesView(-1)).toBeNull()
    expect(() => cursor.readBytesView(-2)).toThrow(CorruptRecordError)
    expect(() => cursor.readBytesView(4)).toThrow(CorruptRecordError)
    expect(cursor.readInt16()).toBe(0x0102)
    cursor.reset(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]), 0, 8)
    expect(cursor.readInt64AsNumber()).toBe(-2)
  })

  it('writes int64 timestamps from numbers, negative ones included', () => {
    const sink = new ByteSink(8)
    sink.writeInt64FromNumber(-1)
    sink.writeInt64FromNumber(1_700_000_000_123)
    expect(sink.buffer.readBigInt64BE(0)).toBe(-1n)
    expect(sink.buffer.readBigInt64BE(8)).toBe(1_700_000_000_123n)
  })
})
