import { ProtocolError } from '../errors/protocol-error.js'

/**
 * Reads Kafka primitives from a byte buffer. Every read checks bounds first, so truncated or hostile input
 * throws a `ProtocolError` (never a RangeError), and no length read from the input allocates more than the
 * bytes actually present. Byte arrays come back as views over the input, not copies.
 */
export class Reader {
  readonly buffer: Buffer
  offset: number
  /** One past the last readable byte. */
  readonly end: number

  constructor(bytes: Uint8Array, offset = 0, end = bytes.byteLength) {
    this.buffer = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.offset = offset
    this.end = end
  }

  get remaining(): number {
    return this.end - this.offset
  }

  /** Throws unless `count` more bytes are present. */
  ensure(count: number): void {
    if (count > this.end - this.offset) {
      throw new ProtocolError({
        message: `Truncated input: needed ${count} bytes at offset ${this.offset}, ${this.end - this.offset} left`,
        offset: this.offset,
      })
    }
  }

  readInt8(): number {
    this.ensure(1)
    return (this.buffer[this.offset++]! << 24) >> 24
  }

  readUint8(): number {
    this.ensure(1)
    return this.buffer[this.offset++]!
  }

  readBool(): boolean {
    return this.readInt8() !== 0
  }

  readInt16(): number {
    this.ensure(2)
    const buffer = this.buffer
    const offset = this.offset
    this.offset = offset + 2
    return (((buffer[offset]! << 8) | buffer[offset + 1]!) << 16) >> 16
  }

  readUint16(): number {
    this.ensure(2)
    const buffer = this.buffer
    const offset = this.offset
    this.offset = offset + 2
    return (buffer[offset]! << 8) | buffer[offset + 1]!
  }

  readInt32(): number {
    this.ensure(4)
    const buffer = this.buffer
    const offset = this.offset
    this.offset = offset + 4
    return (
      (buffer[offset]! << 24) | (buffer[offset + 1]! << 16) | (buffer[offset + 2]! << 8) | buffer[offset + 3]!
    )
  }

  readUint32(): number {
    return this.readInt32() >>> 0
  }

  readInt64(): bigint {
    this.ensure(8)
    const value = this.buffer.readBigInt64BE(this.offset)
    this.offset += 8
    return value
  }

  readFloat64(): number {
    this.ensure(8)
    const value = this.buffer.readDoubleBE(this.offset)
    this.offset += 8
    return value
  }

  /** Unsigned LEB128 varint of at most 32 bits (5 bytes). */
  readUVarint(): number {
    const buffer = this.buffer
    let offset = this.offset
    let value = 0
    let shift = 0
    for (let index = 0; index < 5; index++) {
      if (offset >= this.end) {
        throw new ProtocolError({ message: 'Truncated varint', offset })
      }
      const byte = buffer[offset++]!
      if (index === 4 && byte > 0x0f) {
        throw new ProtocolError({ message: 'Varint does not fit in 32 bits', offset: this.offset })
      }
      value += (byte & 0x7f) * 2 ** shift
      if ((byte & 0x80) === 0) {
        this.offset = offset
        return value
      }
      shift += 7
    }
    throw new ProtocolError({ message: 'Varint longer than 5 bytes', offset: this.offset })
  }

  /** Zig-zag signed varint of 32 bits. */
  readVarint(): number {
    const raw = this.readUVarint()
    // Zig-zag decode on an unsigned 32-bit value: (raw >>> 1) ^ -(raw & 1).
    return (raw >>> 1) ^ -(raw & 1)
  }

  /** Zig-zag signed varint of 64 bits (at most 10 bytes). */
  readVarlong(): bigint {
    const buffer = this.buffer
    let offset = this.offset
    let low = 0
    let high = 0
    // The first 4 bytes fill 28 bits of `low`; the rest go to `high`, so no BigInt math happens per byte.
    for (let index = 0; index < 10; index++) {
      if (offset >= this.end) {
        throw new ProtocolError({ message: 'Truncated varlong', offset })
      }
      const byte = buffer[offset++]!
      if (index === 9 && byte > 0x01) {
        throw new ProtocolError({ message: 'Varlong does not fit in 64 bits', offset: this.offset })
      }
      if (index < 4) {
        low |= (byte & 0x7f) << (7 * index)
      } else if (index === 4) {
        low |= (byte & 0x0f) << 28
        high |= (byte & 0x70) >>> 4
      } else {
        high |= (byte & 0x7f) << (7 * index - 32)
      }
      if ((byte & 0x80) === 0) {
        this.offset = offset
        const unsigned = (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0)
        return (unsigned >> 1n) ^ -(unsigned & 1n)
      }
    }
    throw new ProtocolError({ message: 'Varlong longer than 10 bytes', offset: this.offset })
  }

  /** A view over the next `length` bytes (no copy). */
  readRaw(length: number): Buffer {
    this.ensure(length)
    const start = this.offset
    this.offset = start + length
    return this.buffer.subarray(start, start + length)
  }

  readUtf8(length: number): string {
    this.ensure(length)
    const start = this.offset
    const end = start + length
    this.offset = end
    // Kafka's strings (topic names, hosts, ids) are short and ASCII; building them in JavaScript avoids
    // a call into C++ per string. Anything else goes through the UTF-8 decoder.
    if (length <= 32) {
      const buffer = this.buffer
      let text = ''
      for (let index = start; index < end; index++) {
        const byte = buffer[index]!
        if (byte >= 0x80) return buffer.toString('utf8', start, end)
        text += String.fromCharCode(byte)
      }
      return text
    }
    return this.buffer.toString('utf8', start, end)
  }

  /** Length prefix of a classic (int16) string: -1 means null. */
  readStringLength(): number {
    const length = this.readInt16()
    if (length < -1)
      throw new ProtocolError({ message: `Negative string length ${length}`, offset: this.offset })
    return length
  }

  /** Length prefix of a compact string, bytes or array: uvarint of length + 1, 0 means null. */
  readCompactLength(): number {
    const encoded = this.readUVarint()
    if (encoded > 0x7fffffff) {
      throw new ProtocolError({ message: `Compact length ${encoded} too large`, offset: this.offset })
    }
    return encoded - 1
  }

  /** Length prefix of classic bytes or array (int32): -1 means null. */
  readInt32Length(): number {
    const length = this.readInt32()
    if (length < -1) throw new ProtocolError({ message: `Negative length ${length}`, offset: this.offset })
    return length
  }

  readUuid(): Buffer {
    return this.readRaw(16)
  }

  /** A UUID in Kafka's text form (22 characters of base64url), read without an intermediate view. */
  readUuidText(): string {
    this.ensure(16)
    const start = this.offset
    this.offset = start + 16
    return this.buffer.toString('base64url', start, start + 16)
  }
}
