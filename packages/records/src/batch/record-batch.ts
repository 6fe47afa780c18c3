import { CorruptRecordError } from '@kafkite/protocol'
import { crc32c } from '../crc/crc32c.js'
import { corrupt } from '../errors/corrupt.js'
import { DecodedRecord } from '../record/decoded-record.js'
import { NO_HEADERS, type RecordHeader } from '../record/record-header.js'
import { ByteCursor } from '../wire/byte-cursor.js'
import {
  COMPRESSION_MASK,
  CONTROL_MASK,
  type CompressionType,
  compressionName,
  DELETE_HORIZON_MASK,
  TIMESTAMP_TYPE_MASK,
  type TimestampType,
  TRANSACTIONAL_MASK,
} from './attributes.js'
import {
  ATTRIBUTES_OFFSET,
  BASE_SEQUENCE_OFFSET,
  BASE_TIMESTAMP_OFFSET,
  BATCH_LENGTH_OFFSET,
  CRC_OFFSET,
  CURRENT_MAGIC,
  LAST_OFFSET_DELTA_OFFSET,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  PARTITION_LEADER_EPOCH_OFFSET,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORD_BATCH_OVERHEAD,
  RECORD_COUNT_OFFSET,
} from './batch-layout.js'
import {
  asBuffer,
  type DecodeOptions,
  type ResolvedDecodeOptions,
  resolveDecodeOptions,
} from './decode-options.js'

const TWO_POW_32 = 4294967296

/**
 * A record batch (magic 2) read lazily over the bytes it came in. The header is parsed at once (a few
 * integer reads); records are decoded only while iterating, into views over the same bytes, and a
 * compressed batch is inflated once, on first iteration.
 */
export class RecordBatch implements Iterable<DecodedRecord> {
  /** The whole batch, a view over the fetched bytes. */
  readonly bytes: Buffer
  readonly magic: 2 = CURRENT_MAGIC
  readonly baseOffset: bigint
  readonly partitionLeaderEpoch: number
  /** The CRC-32C stored in the batch. */
  readonly crc: number
  /** Raw attribute bits; see `compression`, `timestampType`, `isTransactional`, `isControl`. */
  readonly attributes: number
  readonly lastOffsetDelta: number
  /** Timestamp of the first record (ms), or the delete horizon when `hasDeleteHorizon`. */
  readonly baseTimestamp: number
  readonly maxTimestamp: number
  readonly producerId: bigint
  readonly producerEpoch: number
  readonly baseSequence: number
  /** The record count the header states (checked against the records while iterating). */
  readonly recordCount: number
  readonly #options: ResolvedDecodeOptions
  #records: Buffer | undefined

  /**
   * Reads the header of the batch held exactly by `bytes`. Does not verify the CRC (see `ensureValid`);
   * `readBatches` does, unless `checkCrcs` is false.
   */
  constructor(bytes: Uint8Array, options?: DecodeOptions | ResolvedDecodeOptions) {
    const buffer = asBuffer(bytes)
    if (buffer.length < RECORD_BATCH_OVERHEAD) {
      throw corrupt(
        `Record batch of ${buffer.length} bytes is shorter than its ${RECORD_BATCH_OVERHEAD}-byte header`,
      )
    }
    const magic = buffer[MAGIC_OFFSET]!
    if (magic !== CURRENT_MAGIC) throw corrupt(`Record batch magic ${magic} is not ${CURRENT_MAGIC}`)
    const batchLength = buffer.readInt32BE(BATCH_LENGTH_OFFSET)
    if (batchLength + LOG_OVERHEAD !== buffer.length) {
      throw corrupt(
        `Record batch length ${batchLength} does not match its ${buffer.length - LOG_OVERHEAD} bytes`,
      )
    }
    this.bytes = buffer
    this.baseOffset = buffer.readBigInt64BE(0)
    this.partitionLeaderEpoch = buffer.readInt32BE(PARTITION_LEADER_EPOCH_OFFSET)
    this.crc = buffer.readUInt32BE(CRC_OFFSET)
    this.attributes = buffer.readInt16BE(ATTRIBUTES_OFFSET)
    this.lastOffsetDelta = buffer.readInt32BE(LAST_OFFSET_DELTA_OFFSET)
    this.baseTimestamp = readInt64AsNumber(buffer, BASE_TIMESTAMP_OFFSET)
    this.maxTimestamp = readInt64AsNumber(buffer, MAX_TIMESTAMP_OFFSET)
    this.producerId = buffer.readBigInt64BE(PRODUCER_ID_OFFSET)
    this.producerEpoch = buffer.readInt16BE(PRODUCER_EPOCH_OFFSET)
    this.baseSequence = buffer.readInt32BE(BASE_SEQUENCE_OFFSET)
    this.recordCount = buffer.readInt32BE(RECORD_COUNT_OFFSET)
    if (this.recordCount < 0) throw corrupt(`Negative record count ${this.recordCount}`)
    this.#options = resolveDecodeOptions(options)
  }

  get compression(): CompressionType {
    return (this.attributes & COMPRESSION_MASK) as CompressionType
  }

  get timestampType(): TimestampType {
    return this.attributes & TIMESTAMP_TYPE_MASK ? 'LogAppendTime' : 'CreateTime'
  }

  get isTransactional(): boolean {
    return (this.attributes & TRANSACTIONAL_MASK) !== 0
  }

  /** A control batch holds transaction markers (see `readControlRecord`), not user records. */
  get isControl(): boolean {
    return (this.attributes & CONTROL_MASK) !== 0
  }

  /** Set by log compaction: `baseTimestamp` then holds the delete horizon, not the first record's time. */
  get hasDeleteHorizon(): boolean {
    return (this.attributes & DELETE_HORIZON_MASK) !== 0
  }

  /** Offset of the last record, also when compaction removed it: the consumer resumes after it. */
  get lastOffset(): bigint {
    return this.baseOffset + BigInt(this.lastOffsetDelta)
  }

  /** The batch's size on the wire. */
  get sizeInBytes(): number {
    return this.bytes.length
  }

  /** The CRC-32C of the batch as it is now. */
  computeCrc(): number {
    return crc32c(this.bytes.subarray(ATTRIBUTES_OFFSET))
  }

  /** Whether the stored CRC matches the bytes. */
  isValid(): boolean {
    return this.computeCrc() === this.crc
  }

  /** Throws `CorruptRecordError` unless the stored CRC matches the bytes. */
  ensureValid(): void {
    const computed = this.computeCrc()
    if (computed !== this.crc) {
      throw corrupt(
        `Record batch at offset ${this.baseOffset} is corrupt: stored CRC ${hex(this.crc)}, computed ${hex(computed)}`,
      )
    }
  }

  /** The serialized records, inflated if the batch is compressed (once; later calls reuse them). */
  recordBytes(): Buffer {
    if (this.#records !== undefined) return this.#records
    const payload = this.bytes.subarray(RECORD_BATCH_OVERHEAD)
    const compression = this.compression
    if (compression === 0) {
      this.#records = payload
    } else {
      const codec = this.#options.codecs.get(compression)
      try {
        this.#records = codec.decompress(payload, this.#options.maxUncompressedBytes)
      } catch (error) {
        if (CorruptRecordError.isInstance(error)) throw error
        throw corrupt(
          `Cannot inflate ${compressionName(compression)} batch at offset ${this.baseOffset}`,
          error,
        )
      }
    }
    return this.#records
  }

  [Symbol.iterator](): Iterator<DecodedRecord> {
    return new RecordIterator(this, this.recordBytes())
  }

  /** All records in an array. */
  toArray(): DecodedRecord[] {
    const records: DecodedRecord[] = []
    for (const record of this) records.push(record)
    return records
  }
}

function readInt64AsNumber(buffer: Buffer, offset: number): number {
  return buffer.readInt32BE(offset) * TWO_POW_32 + buffer.readUInt32BE(offset + 4)
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`
}

/**
 * Walks the records of one batch. It reuses one result object for every step, which the iterator protocol
 * allows, so iterating allocates only the records themselves (and their views and header arrays).
 */
class RecordIterator implements Iterator<DecodedRecord> {
  readonly #batch: RecordBatch
  readonly #cursor: ByteCursor
  readonly #end: number
  readonly #logAppendTime: boolean
  #remaining: number
  readonly #result: { done: boolean; value: DecodedRecord | undefined } = { done: false, value: undefined }

  constructor(batch: RecordBatch, records: Buffer) {
    this.#batch = batch
    this.#cursor = new ByteCursor(records)
    this.#end = records.length
    this.#remaining = batch.recordCount
    this.#logAppendTime = batch.timestampType === 'LogAppendTime'
  }

  next(): IteratorResult<DecodedRecord> {
    const result = this.#result
    if (this.#remaining === 0) {
      if (this.#cursor.offset !== this.#end) {
        throw corrupt(`${this.#end - this.#cursor.offset} bytes left after the last record of the batch`)
      }
      result.done = true
      result.value = undefined
      return result as IteratorResult<DecodedRecord>
    }
    this.#remaining--
    result.value = this.#readRecord()
    return result as IteratorResult<DecodedRecord>
  }

  #readRecord(): DecodedRecord {
    const cursor = this.#cursor
    const batch = this.#batch
    const length = cursor.readVarint()
    const recordEnd = cursor.offset + length
    if (length < 0 || recordEnd > this.#end) throw corrupt(`Record length ${length} runs past the batch`)
    // Bound every read inside this record by its own length.
    cursor.end = recordEnd
    cursor.readInt8() // attributes: unused by Kafka
    const timestampDelta = cursor.readVarlongAsNumber()
    const offsetDelta = cursor.readVarint()
    const key = cursor.readBytesView(cursor.readVarint())
    const value = cursor.readBytesView(cursor.readVarint())
    const headerCount = cursor.readVarint()
    let headers: readonly RecordHeader[] = NO_HEADERS
    if (headerCount !== 0) headers = readHeaders(cursor, headerCount)
    if (cursor.offset !== recordEnd) throw corrupt(`Record at offset delta ${offsetDelta} has trailing bytes`)
    cursor.end = this.#end
    const timestamp = this.#logAppendTime ? batch.maxTimestamp : batch.baseTimestamp + timestampDelta
    return new DecodedRecord(batch.baseOffset, offsetDelta, timestamp, key, value, headers)
  }
}

function readHeaders(cursor: ByteCursor, count: number): RecordHeader[] {
  // Each header takes at least two bytes, so a count beyond that is a lie; checking first keeps a hostile
  // count from sizing anything.
  if (count < 0 || count > (cursor.end - cursor.offset) / 2) throw corrupt(`Invalid header count ${count}`)
  const headers: RecordHeader[] = []
  for (let index = 0; index < count; index++) {
    const keyLength = cursor.readVarint()
    if (keyLength < 0) throw corrupt(`Negative header key length ${keyLength}`)
    cursor.ensure(keyLength)
    const keyStart = cursor.offset
    cursor.offset += keyLength
    const key = cursor.buffer.toString('utf8', keyStart, keyStart + keyLength)
    const value = cursor.readBytesView(cursor.readVarint())
    headers.push({ key, value })
  }
  return headers
}
