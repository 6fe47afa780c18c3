import { corrupt } from '../errors/corrupt.js'

const TWO_POW_32 = 4294967296

/**
 * A read position over a Buffer, for the record hot path. One cursor serves a whole batch, so walking
 * records allocates nothing but what they return. Every read checks bounds and throws
 * `CorruptRecordError`, so a hostile length can neither read past `end` nor allocate.
 */
export class ByteCursor {
  buffer: Buffer
  offset: number
  end: number

  constructor(buffer: Buffer, offset = 0, end = buffer.length) {
    this.buffer = buffer
    this.offset = offset
    this.end = end
  }

  /** Points the cursor at another region (reuse instead of allocating a new cursor). */
  reset(buffer: Buffer, offset: number, end: number): void {
    this.buffer = buffer
    this.offset = offset
    this.end = end
  }

  ensure(count: number): void {
    if (count > this.end - this.offset) {
      throw corrupt(
        `Truncated record data: needed ${count} bytes at ${this.offset}, ${this.end - this.offset} left`,
      )
    }
  }

  readInt8(): number {
    this.ensure(1)
    return (this.buffer[this.offset++]! << 24) >> 24
  }

  readInt16(): number {
    this.ensure(2)
    const value = this.buffer.readInt16BE(this.offset)
    this.offset += 2
    return value
  }

  readInt32(): number {
    this.ensure(4)
    const value = this.buffer.readInt32BE(this.offset)
    this.offset += 4
    return value
  }

  readUint32(): number {
    this.ensure(4)
    const value = this.buffer.readUInt32BE(this.offset)
    this.offset += 4
    return value
  }

  /** An int64 as a bigint (offsets, producer ids: values that need all 64 bits). */
  readInt64(): bigint {
    this.ensure(8)
    const value = this.buffer.readBigInt64BE(this.offset)
    this.offset += 8
    return value
  }

  /**
   * An int64 as a number: exact within ±2^53, which holds every millisecond timestamp up to the year
   * 287,000. Used for timestamps so that no record pays for a BigInt.
   */
  readInt64AsNumber(): number {
    this.ensure(8)
    const high = this.buffer.readInt32BE(this.offset)
    const low = this.buffer.readUInt32BE(this.offset + 4)
    this.offset += 8
    return high * TWO_POW_32 + low
  }

  /** A zigzag varint of at most 32 bits (Kafka's `varint`). */
  readVarint(): number {
    const buffer = this.buffer
    const end = this.end
    let offset = this.offset
    let raw = 0
    let shift = 0
    for (;;) {
      if (offset >= end) throw corrupt(`Truncated varint at ${this.offset}`)
      const byte = buffer[offset++]!
      raw |= (byte & 0x7f) << shift
      if (byte < 0x80) break
      shift += 7
      if (shift > 28) throw corrupt(`Varint longer than 5 bytes at ${this.offset}`)
    }
    this.offset = offset
    return (raw >>> 1) ^ -(raw & 1)
  }

  /**
   * A zigzag varlong (Kafka's `varlong`) as a number. Record timestamp deltas are the only varlongs in a
   * batch; they are differences of millisecond timestamps, so they fit a double exactly.
   */
  readVarlongAsNumber(): number {
    const buffer = this.buffer
    const end = this.end
    let offset = this.offset
    let raw = 0
    let multiplier = 1
    for (let index = 0; ; index++) {
      if (offset >= end) throw corrupt(`Truncated varlong at ${this.offset}`)
      if (index === 10) throw corrupt(`Varlong longer than 10 bytes at ${this.offset}`)
      const byte = buffer[offset++]!
      raw += (byte & 0x7f) * multiplier
      if (byte < 0x80) break
      multiplier *= 128
    }
    this.offset = offset
    // Zigzag decode with arithmetic, since bitwise operators would cut the value to 32 bits.
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2
  }

  /** `length` bytes as a view over the buffer, or null for length -1. */
  readBytesView(length: number): Buffer | null {
    if (length < 0) {
      if (length === -1) return null
      throw corrupt(`Negative length ${length} at ${this.offset}`)
    }
    this.ensure(length)
    const start = this.offset
    this.offset = start + length
    return this.buffer.subarray(start, start + length)
  }
}
