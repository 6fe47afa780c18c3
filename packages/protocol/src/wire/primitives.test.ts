import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hex, toHex } from '../__fixtures__/hex.js'
import { ProtocolError } from '../errors/protocol-error.js'
import { Reader } from './reader.js'
import { uuidFromBytes, uuidToBytes, ZERO_UUID } from './uuid.js'
import { Writer } from './writer.js'

function written(write: (writer: Writer) => void): Buffer {
  const writer = new Writer(1)
  write(writer)
  return writer.finish()
}

const INT32_MIN = -(2 ** 31)
const INT32_MAX = 2 ** 31 - 1
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

describe('varint (zig-zag, 32 bits)', () => {
  const cases: [number, string][] = [
    [0, '00'],
    [-1, '01'],
    [1, '02'],
    [-64, '7f'],
    [64, '80 01'],
    [INT32_MAX, 'fe ff ff ff 0f'],
    [INT32_MIN, 'ff ff ff ff 0f'],
  ]
  it.each(cases)('%d encodes as %s and back', (value, bytes) => {
    expect(toHex(written((writer) => writer.writeVarint(value)))).toBe(bytes)
    const reader = new Reader(hex(bytes))
    expect(reader.readVarint()).toBe(value)
    expect(reader.remaining).toBe(0)
  })

  it('round trips every int32', () => {
    fc.assert(
      fc.property(fc.integer({ min: INT32_MIN, max: INT32_MAX }), (value) => {
        expect(new Reader(written((writer) => writer.writeVarint(value))).readVarint()).toBe(value)
      }),
    )
  })
})

describe('varlong (zig-zag, 64 bits)', () => {
  const cases: [bigint, string][] = [
    [0n, '00'],
    [-1n, '01'],
    [1n, '02'],
    [BigInt(INT32_MAX), 'fe ff ff ff 0f'],
    [BigInt(INT32_MIN), 'ff ff ff ff 0f'],
    [2n ** 31n, '80 80 80 80 10'],
    [INT64_MAX, 'fe ff ff ff ff ff ff ff ff 01'],
    [INT64_MIN, 'ff ff ff ff ff ff ff ff ff 01'],
  ]
  it.each(cases)('%d encodes as %s and back', (value, bytes) => {
    expect(toHex(written((writer) => writer.writeVarlong(value)))).toBe(bytes)
    const reader = new Reader(hex(bytes))
    expect(reader.readVarlong()).toBe(value)
    expect(reader.remaining).toBe(0)
  })

  it('round trips every int64', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: INT64_MIN, max: INT64_MAX }), (value) => {
        expect(new Reader(written((writer) => writer.writeVarlong(value))).readVarlong()).toBe(value)
      }),
    )
  })

  it('rejects an 11-byte varlong', () => {
    expect(() => new Reader(hex`80 80 80 80 80 80 80 80 80 80 00`).readVarlong()).toThrow(ProtocolError)
  })

  it('rejects a 10-byte varlong above 64 bits', () => {
    expect(() => new Reader(hex`ff ff ff ff ff ff ff ff ff 02`).readVarlong()).toThrow(ProtocolError)
  })

  it('rejects a truncated varlong', () => {
    expect(() => new Reader(hex`80 80`).readVarlong()).toThrow(ProtocolError)
    expect(() => new Reader(hex``).readVarlong()).toThrow(ProtocolError)
  })
})

describe('uvarint (unsigned, 32 bits)', () => {
  const cases: [number, string][] = [
    [0, '00'],
    [1, '01'],
    [127, '7f'],
    [128, '80 01'],
    [300, 'ac 02'],
    [2 ** 28, '80 80 80 80 01'],
    [0xffffffff, 'ff ff ff ff 0f'],
  ]
  it.each(cases)('%d encodes as %s and back', (value, bytes) => {
    expect(toHex(written((writer) => writer.writeUVarint(value)))).toBe(bytes)
    const reader = new Reader(hex(bytes))
    expect(reader.readUVarint()).toBe(value)
    expect(reader.remaining).toBe(0)
  })

  it('rejects a 6-byte uvarint', () => {
    expect(() => new Reader(hex`80 80 80 80 80 00`).readUVarint()).toThrow(ProtocolError)
  })

  it('rejects a 5-byte uvarint above 32 bits', () => {
    expect(() => new Reader(hex`ff ff ff ff 10`).readUVarint()).toThrow(ProtocolError)
  })

  it('rejects a 10-byte varint where 32 bits are expected', () => {
    expect(() => new Reader(hex`ff ff ff ff ff ff ff ff ff 01`).readVarint()).toThrow(ProtocolError)
  })

  it('rejects a truncated uvarint, without moving the offset', () => {
    const reader = new Reader(hex`80 80`)
    expect(() => reader.readUVarint()).toThrow(ProtocolError)
    expect(reader.offset).toBe(0)
  })
})

describe('fixed-width integers', () => {
  it('int8 and uint8', () => {
    expect(toHex(written((writer) => writer.writeInt8(-1)))).toBe('ff')
    expect(new Reader(hex`80`).readInt8()).toBe(-128)
    expect(new Reader(hex`7f`).readInt8()).toBe(127)
    expect(new Reader(hex`ff`).readUint8()).toBe(255)
  })

  it('int16 sign handling', () => {
    expect(toHex(written((writer) => writer.writeInt16(-2)))).toBe('ff fe')
    expect(toHex(written((writer) => writer.writeInt16(0x7fff)))).toBe('7f ff')
    expect(toHex(written((writer) => writer.writeInt16(-32768)))).toBe('80 00')
    expect(new Reader(hex`ff fe`).readInt16()).toBe(-2)
    expect(new Reader(hex`80 00`).readInt16()).toBe(-32768)
    expect(new Reader(hex`7f ff`).readInt16()).toBe(32767)
    expect(new Reader(hex`ff fe`).readUint16()).toBe(0xfffe)
    expect(toHex(written((writer) => writer.writeUint16(0xfffe)))).toBe('ff fe')
  })

  it('int32 sign handling', () => {
    expect(toHex(written((writer) => writer.writeInt32(INT32_MIN)))).toBe('80 00 00 00')
    expect(toHex(written((writer) => writer.writeInt32(-1)))).toBe('ff ff ff ff')
    expect(new Reader(hex`80 00 00 00`).readInt32()).toBe(INT32_MIN)
    expect(new Reader(hex`7f ff ff ff`).readInt32()).toBe(INT32_MAX)
    expect(new Reader(hex`ff ff ff fe`).readInt32()).toBe(-2)
    expect(new Reader(hex`ff ff ff fe`).readUint32()).toBe(0xfffffffe)
    expect(toHex(written((writer) => writer.writeUint32(0xfffffffe)))).toBe('ff ff ff fe')
  })

  it('int64 and float64', () => {
    expect(toHex(written((writer) => writer.writeInt64(INT64_MIN)))).toBe('80 00 00 00 00 00 00 00')
    expect(new Reader(hex`ff ff ff ff ff ff ff ff`).readInt64()).toBe(-1n)
    expect(new Reader(hex`7f ff ff ff ff ff ff ff`).readInt64()).toBe(INT64_MAX)
    expect(toHex(written((writer) => writer.writeFloat64(1.5)))).toBe('3f f8 00 00 00 00 00 00')
    expect(new Reader(hex`3f f8 00 00 00 00 00 00`).readFloat64()).toBe(1.5)
  })

  it('bool reads any non-zero byte as true', () => {
    expect(new Reader(hex`02`).readBool()).toBe(true)
    expect(new Reader(hex`00`).readBool()).toBe(false)
    expect(toHex(written((writer) => writer.writeBool(true)))).toBe('01')
  })

  it('every fixed-width read checks bounds', () => {
    const reads: ((reader: Reader) => unknown)[] = [
      (reader) => reader.readInt8(),
      (reader) => reader.readUint8(),
      (reader) => reader.readInt16(),
      (reader) => reader.readUint16(),
      (reader) => reader.readInt32(),
      (reader) => reader.readUint32(),
      (reader) => reader.readInt64(),
      (reader) => reader.readFloat64(),
      (reader) => reader.readUuid(),
      (reader) => reader.readRaw(1),
      (reader) => reader.readUtf8(1),
    ]
    for (const read of reads) {
      expect(() => read(new Reader(hex``))).toThrow(ProtocolError)
      // A reader bounded before the end of its buffer must not read past its bound either.
      expect(() => read(new Reader(Buffer.alloc(32), 32))).toThrow(ProtocolError)
    }
  })
})

describe('lengths', () => {
  it('classic string length: -1 is null, below that is an error', () => {
    expect(new Reader(hex`ff ff`).readStringLength()).toBe(-1)
    expect(() => new Reader(hex`ff fe`).readStringLength()).toThrow(ProtocolError)
    expect(() => new Reader(hex`80 00`).readStringLength()).toThrow(ProtocolError)
  })

  it('int32 length: -1 is null, below that is an error', () => {
    expect(new Reader(hex`ff ff ff ff`).readInt32Length()).toBe(-1)
    expect(() => new Reader(hex`ff ff ff fb`).readInt32Length()).toThrow(ProtocolError)
  })

  it('compact length: 0 is null, n+1 is n, above int32 is an error', () => {
    expect(new Reader(hex`00`).readCompactLength()).toBe(-1)
    expect(new Reader(hex`01`).readCompactLength()).toBe(0)
    expect(new Reader(hex`ff ff ff ff 07`).readCompactLength()).toBe(0x7ffffffe)
    expect(() => new Reader(hex`80 80 80 80 08`).readCompactLength()).toThrow(ProtocolError)
  })
})

describe('bytes and text', () => {
  it('readRaw returns a view, not a copy', () => {
    const input = hex`01 02 03`
    const view = new Reader(input, 1).readRaw(2)
    expect(toHex(view)).toBe('02 03')
    expect(view.buffer).toBe(input.buffer)
  })

  it('accepts a plain Uint8Array with an offset into its buffer', () => {
    const backing = new Uint8Array([9, 9, 0x00, 0x02, 0x68, 0x69])
    const reader = new Reader(backing.subarray(2))
    expect(reader.readUtf8(reader.readStringLength())).toBe('hi')
  })

  it('writes UTF-8 by byte length', () => {
    const text = 'żółw 🐢'
    const length = Buffer.byteLength(text)
    const bytes = written((writer) => writer.writeUtf8(text, length))
    expect(bytes.length).toBe(length)
    expect(new Reader(bytes).readUtf8(length)).toBe(text)
  })

  it('readUtf8 decodes any bytes exactly as the UTF-8 decoder does, short (fast path) or long', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat({ max: 3 }), (bytes, offset) => {
        const input = Buffer.concat([Buffer.alloc(offset), bytes])
        const text = new Reader(input, offset).readUtf8(bytes.length)
        expect(text).toBe(Buffer.from(bytes).toString('utf8'))
      }),
      { numRuns: 300 },
    )
  })

  it('writes and reads back any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const length = Buffer.byteLength(text)
        const bytes = written((writer) => writer.writeUtf8(text, length))
        expect(new Reader(bytes).readUtf8(length)).toBe(Buffer.from(text, 'utf8').toString('utf8'))
      }),
      { numRuns: 300 },
    )
  })

  it('the writer grows past its initial capacity and keeps what it wrote', () => {
    const writer = new Writer(2)
    for (let index = 0; index < 100; index++) writer.writeInt32(index)
    writer.writeRaw(new Uint8Array(1000).fill(7))
    const bytes = writer.finish()
    expect(bytes.length).toBe(1400)
    expect(bytes.readInt32BE(99 * 4)).toBe(99)
    expect(bytes[1399]).toBe(7)
  })
})

describe('uuid', () => {
  it('uses Kafka text form: 22 characters of URL-safe base64 without padding', () => {
    const bytes = hex`00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f`
    expect(uuidFromBytes(bytes)).toBe('AAECAwQFBgcICQoLDA0ODw')
    expect(toHex(uuidToBytes('AAECAwQFBgcICQoLDA0ODw'))).toBe(toHex(bytes))
    expect(uuidFromBytes(Buffer.alloc(16))).toBe(ZERO_UUID)
    // URL-safe alphabet: - and _ rather than + and /.
    expect(uuidFromBytes(Buffer.alloc(16, 0xff))).toBe('_____________________w')
    expect(uuidFromBytes(Buffer.alloc(16, 0xfb))).toBe('-_v7-_v7-_v7-_v7-_v7-w')
  })

  it('reads from a view at an offset', () => {
    const backing = Buffer.concat([hex`aa bb`, Buffer.alloc(16, 0xff)])
    expect(uuidFromBytes(new Reader(backing, 2).readUuid())).toBe('_____________________w')
  })

  it('round trips any 16 bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        expect([...uuidToBytes(uuidFromBytes(bytes))]).toEqual([...bytes])
      }),
    )
  })

  it.each([
    ['empty', ''],
    ['too short', 'AAECAwQFBgcICQoLDA0OD'],
    ['too long', 'AAECAwQFBgcICQoLDA0ODwA'],
    ['padded', 'AAECAwQFBgcICQoLDA0ODw=='],
    ['standard base64 alphabet', '+/////////////////////w'.slice(0, 22)],
    ['non-zero padding bits', 'AAECAwQFBgcICQoLDA0ODx'],
    ['not base64', 'AAECAwQFBgcICQoLDA0O!w'],
    ['hyphenated hex form', '00010203-0405-0607-0809-0a0b0c0d0e0f'],
  ])('rejects a malformed uuid: %s', (_, text) => {
    expect(() => uuidToBytes(text)).toThrow(ProtocolError)
  })
})
