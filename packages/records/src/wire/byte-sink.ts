const TWO_POW_32 = 4294967296

/**
 * A growable output Buffer with the writes record batches need. The builder reserves the batch header,
 * writes records after it, then patches the header in place, so an uncompressed batch is built without a
 * final copy.
 */
export class ByteSink {
  buffer: Buffer
  offset = 0

  constructor(initialCapacity: number) {
    this.buffer = Buffer.allocUnsafe(Math.max(64, initialCapacity))
  }

  ensure(count: number): void {
    const needed = this.offset + count
    if (needed <= this.buffer.length) return
    let capacity = this.buffer.length * 2
    while (capacity < needed) capacity *= 2
    const grown = Buffer.allocUnsafe(capacity)
    this.buffer.copy(grown, 0, 0, this.offset)
    this.buffer = grown
  }

  writeInt8(value: number): void {
    this.buffer[this.offset++] = value & 0xff
  }

  writeInt16(value: number): void {
    this.buffer.writeInt16BE(value, this.offset)
    this.offset += 2
  }

  writeInt32(value: number): void {
    this.buffer.writeInt32BE(value, this.offset)
    this.offset += 4
  }

  writeInt64(value: bigint): void {
    this.buffer.writeBigInt64BE(value, this.offset)
    this.offset += 8
  }

  /** An int64 given as a number (timestamps); exact within ±2^53. */
  writeInt64FromNumber(value: number): void {
    writeInt64FromNumber(this.buffer, this.offset, value)
    this.offset += 8
  }

  writeVarint(value: number): void {
    let raw = ((value << 1) ^ (value >> 31)) >>> 0
    const buffer = this.buffer
    let offset = this.offset
    while (raw >= 0x80) {
      buffer[offset++] = (raw & 0x7f) | 0x80
      raw >>>= 7
    }
    buffer[offset++] = raw
    this.offset = offset
  }

  /**
   * A zigzag varlong from a number within ±2^52, so that its zigzag form stays under 2^53. Arithmetic, not
   * bitwise: JavaScript's bitwise operators cut to 32 bits.
   */
  writeVarlong(value: number): void {
    let raw = value >= 0 ? value * 2 : -value * 2 - 1
    const buffer = this.buffer
    let offset = this.offset
    while (raw >= 0x80) {
      buffer[offset++] = (raw % 128) | 0x80
      raw = Math.floor(raw / 128)
    }
    buffer[offset++] = raw
    this.offset = offset
  }

  writeBytes(bytes: Uint8Array): void {
    this.buffer.set(bytes, this.offset)
    this.offset += bytes.length
  }

  writeUtf8(value: string, byteLength: number): void {
    this.buffer.write(value, this.offset, byteLength, 'utf8')
    this.offset += byteLength
  }
}

/** Writes an int64 given as a number (exact within ±2^53) at `offset`, big-endian. */
export function writeInt64FromNumber(buffer: Buffer, offset: number, value: number): void {
  const high = Math.floor(value / TWO_POW_32)
  buffer.writeInt32BE(high, offset)
  buffer.writeUInt32BE(value - high * TWO_POW_32, offset + 4)
}
