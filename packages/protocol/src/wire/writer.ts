/**
 * Writes Kafka primitives into a growing buffer. The buffer doubles when full, so a message costs a few
 * allocations in all, not one per field. `finish()` returns a view of the written bytes.
 */
export class Writer {
  buffer: Buffer
  offset: number

  constructor(initialCapacity = 256) {
    this.buffer = Buffer.allocUnsafe(initialCapacity)
    this.offset = 0
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

  /** The bytes written so far, as a view. */
  finish(): Buffer {
    return this.buffer.subarray(0, this.offset)
  }

  writeInt8(value: number): void {
    this.ensure(1)
    this.buffer[this.offset++] = value & 0xff
  }

  writeBool(value: boolean): void {
    this.writeInt8(value ? 1 : 0)
  }

  writeInt16(value: number): void {
    this.ensure(2)
    const buffer = this.buffer
    const offset = this.offset
    buffer[offset] = (value >>> 8) & 0xff
    buffer[offset + 1] = value & 0xff
    this.offset = offset + 2
  }

  writeUint16(value: number): void {
    this.writeInt16(value)
  }

  writeInt32(value: number): void {
    this.ensure(4)
    const buffer = this.buffer
    const offset = this.offset
    buffer[offset] = (value >>> 24) & 0xff
    buffer[offset + 1] = (value >>> 16) & 0xff
    buffer[offset + 2] = (value >>> 8) & 0xff
    buffer[offset + 3] = value & 0xff
    this.offset = offset + 4
  }

  writeUint32(value: number): void {
    this.writeInt32(value)
  }

  writeInt64(value: bigint): void {
    this.ensure(8)
    this.buffer.writeBigInt64BE(value, this.offset)
    this.offset += 8
  }

  writeFloat64(value: number): void {
    this.ensure(8)
    this.buffer.writeDoubleBE(value, this.offset)
    this.offset += 8
  }

  /** Unsigned LEB128 varint of at most 32 bits. */
  writeUVarint(value: number): void {
    this.ensure(5)
    const buffer = this.buffer
    let offset = this.offset
    let remaining = value >>> 0
    while (remaining >= 0x80) {
      buffer[offset++] = (remaining & 0x7f) | 0x80
      remaining >>>= 7
    }
    buffer[offset++] = remaining
    this.offset = offset
  }

  /** Zig-zag signed varint of 32 bits. */
  writeVarint(value: number): void {
    this.writeUVarint(((value << 1) ^ (value >> 31)) >>> 0)
  }

  /** Zig-zag signed varint of 64 bits. */
  writeVarlong(value: bigint): void {
    let remaining = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n))
    this.ensure(10)
    const buffer = this.buffer
    let offset = this.offset
    while (remaining >= 0x80n) {
      buffer[offset++] = Number(remaining & 0x7fn) | 0x80
      remaining >>= 7n
    }
    buffer[offset++] = Number(remaining)
    this.offset = offset
  }

  writeRaw(bytes: Uint8Array): void {
    this.ensure(bytes.byteLength)
    this.buffer.set(bytes, this.offset)
    this.offset += bytes.byteLength
  }

  /** Writes text the caller found to be ASCII: one byte per character, no call into C++. */
  writeAscii(value: string): void {
    const length = value.length
    this.ensure(length)
    const buffer = this.buffer
    const offset = this.offset
    for (let index = 0; index < length; index++) buffer[offset + index] = value.charCodeAt(index)
    this.offset = offset + length
  }

  /** Writes a UUID given in Kafka's text form (checked by the caller) as its 16 bytes. */
  writeUuid(uuid: string): void {
    this.ensure(16)
    this.buffer.write(uuid, this.offset, 16, 'base64url')
    this.offset += 16
  }

  /** Writes UTF-8 text whose byte length the caller already knows. */
  writeUtf8(value: string, byteLength: number): void {
    this.ensure(byteLength)
    this.offset += this.buffer.write(value, this.offset, byteLength, 'utf8')
  }
}
