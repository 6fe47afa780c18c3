import { crc32 } from 'node:zlib'
import { CorruptRecordError } from '@kafkite/protocol'
import {
  COMPRESSION_MASK,
  type CompressionType,
  compressionName,
  TIMESTAMP_TYPE_MASK,
  type TimestampType,
} from '../batch/attributes.js'
import {
  asBuffer,
  type DecodeOptions,
  type ResolvedDecodeOptions,
  resolveDecodeOptions,
} from '../batch/decode-options.js'
import { corrupt } from '../errors/corrupt.js'
import { DecodedRecord } from '../record/decoded-record.js'
import { NO_HEADERS } from '../record/record-header.js'
import { ByteCursor } from '../wire/byte-cursor.js'

// A legacy message (magic 0 or 1, Kafka before 0.11; Java: LegacyRecord.java):
//
//   offset int64 | size int32 | crc uint32 | magic int8 | attributes int8 | [timestamp int64, magic 1] |
//   key bytes (int32 length, -1 = null) | value bytes
//
// The CRC is CRC-32 (IEEE) from magic to the end. A compressed message's value is a whole message set
// (the "inner" messages), compressed. Read-only: brokers still return it to old clients and when they
// down-convert, and old log segments hold it.

/** Smallest magic-0 message after offset and size: crc, magic, attributes, key length, value length. */
export const LEGACY_RECORD_OVERHEAD_V0 = 14
const MAGIC_OFFSET = 16
const NO_TIMESTAMP = -1

/**
 * One legacy message seen as a batch, as Java's consumer sees it: uncompressed, it holds one record;
 * compressed, it holds its inner messages. Fields that v2 batches have and legacy ones do not read as
 * Kafka's "none" values (producer id -1 and so on), so consumers handle both shapes alike.
 */
export class LegacyRecordBatch implements Iterable<DecodedRecord> {
  readonly bytes: Buffer
  readonly magic: 0 | 1
  /** For a compressed message, the offset of its last inner message. */
  readonly offset: bigint
  readonly crc: number
  readonly attributes: number
  /** Milliseconds, or -1 for magic 0. */
  readonly timestamp: number
  readonly key: Buffer | null
  readonly value: Buffer | null
  readonly partitionLeaderEpoch = -1
  readonly producerId = -1n
  readonly producerEpoch = -1
  readonly baseSequence = -1
  readonly isTransactional = false
  readonly isControl = false
  readonly #options: ResolvedDecodeOptions
  #records: DecodedRecord[] | undefined

  constructor(bytes: Uint8Array, options?: DecodeOptions | ResolvedDecodeOptions) {
    const buffer = asBuffer(bytes)
    const cursor = new ByteCursor(buffer)
    this.bytes = buffer
    this.offset = cursor.readInt64()
    const size = cursor.readInt32()
    if (size < LEGACY_RECORD_OVERHEAD_V0 || size + 12 !== buffer.length) {
      throw corrupt(`Legacy message size ${size} does not match its ${buffer.length - 12} bytes`)
    }
    this.crc = cursor.readUint32()
    const magic = cursor.readInt8()
    if (magic !== 0 && magic !== 1) throw corrupt(`Legacy message magic ${magic} is not 0 or 1`)
    this.magic = magic
    this.attributes = cursor.readInt8()
    this.timestamp = magic === 1 ? cursor.readInt64AsNumber() : NO_TIMESTAMP
    this.key = cursor.readBytesView(cursor.readInt32())
    this.value = cursor.readBytesView(cursor.readInt32())
    if (cursor.offset !== buffer.length) throw corrupt('Legacy message has trailing bytes')
    this.#options = resolveDecodeOptions(options)
  }

  get compression(): CompressionType {
    return (this.attributes & COMPRESSION_MASK) as CompressionType
  }

  get timestampType(): TimestampType {
    return this.magic === 1 && this.attributes & TIMESTAMP_TYPE_MASK ? 'LogAppendTime' : 'CreateTime'
  }

  get lastOffset(): bigint {
    return this.offset
  }

  get sizeInBytes(): number {
    return this.bytes.length
  }

  computeCrc(): number {
    return crc32(this.bytes.subarray(MAGIC_OFFSET)) >>> 0
  }

  isValid(): boolean {
    return this.computeCrc() === this.crc
  }

  ensureValid(): void {
    if (!this.isValid()) throw corrupt(`Legacy message at offset ${this.offset} is corrupt: CRC-32 mismatch`)
  }

  [Symbol.iterator](): Iterator<DecodedRecord> {
    return this.toArray()[Symbol.iterator]()
  }

  /** The records: this message itself, or its inner messages when compressed. */
  toArray(): DecodedRecord[] {
    if (this.#records !== undefined) return this.#records
    if (this.compression === 0) {
      this.#records = [new DecodedRecord(this.offset, 0, this.timestamp, this.key, this.value, NO_HEADERS)]
    } else {
      this.#records = this.#readInner()
    }
    return this.#records
  }

  #readInner(): DecodedRecord[] {
    const compression = this.compression
    if (this.value === null) throw corrupt('Compressed legacy message without a value')
    let inner: Buffer
    try {
      inner = this.#options.codecs.get(compression).decompress(this.value, this.#options.maxUncompressedBytes)
    } catch (error) {
      if (CorruptRecordError.isInstance(error)) throw error
      throw corrupt(
        `Cannot inflate ${compressionName(compression)} legacy message at offset ${this.offset}`,
        error,
      )
    }
    const messages: LegacyRecordBatch[] = []
    let offset = 0
    while (offset < inner.length) {
      if (offset + 12 > inner.length) throw corrupt('Truncated inner legacy message')
      const end = offset + 12 + inner.readInt32BE(offset + 8)
      if (end > inner.length || end < offset + 12) throw corrupt('Truncated inner legacy message')
      const message = new LegacyRecordBatch(inner.subarray(offset, end), this.#options)
      if (this.#options.checkCrcs) message.ensureValid()
      if (message.compression !== 0) throw corrupt('Nested compression in a legacy message set')
      messages.push(message)
      offset = end
    }
    const last = messages[messages.length - 1]
    if (last === undefined) return []
    // Magic 1 wrappers hold relative inner offsets 0..n-1 and carry the last absolute one; magic 0 wrappers
    // hold absolute inner offsets (Java: AbstractLegacyRecordBatch.DeepRecordsIterator).
    const base = this.magic === 1 ? this.offset - last.offset : 0n
    const logAppendTime = this.timestampType === 'LogAppendTime'
    return messages.map(
      (message) =>
        new DecodedRecord(
          base + message.offset,
          0,
          logAppendTime ? this.timestamp : message.timestamp,
          message.key,
          message.value,
          NO_HEADERS,
        ),
    )
  }
}
