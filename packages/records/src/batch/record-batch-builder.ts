import { IllegalArgumentError, IllegalStateError } from '@kafkite/protocol'
import { type CodecRegistry, defaultCodecs } from '../compression/codec-registry.js'
import { crc32c } from '../crc/crc32c.js'
import type { RecordHeaderInput } from '../record/record-header.js'
import { ByteSink, writeInt64FromNumber } from '../wire/byte-sink.js'
import { sizeOfVarint, sizeOfVarlong } from '../wire/varint-size.js'
import {
  CONTROL_MASK,
  type CompressionName,
  type CompressionType,
  TRANSACTIONAL_MASK,
  toCompressionType,
} from './attributes.js'
import {
  ATTRIBUTES_OFFSET,
  BASE_OFFSET_OFFSET,
  BASE_SEQUENCE_OFFSET,
  BASE_TIMESTAMP_OFFSET,
  BATCH_LENGTH_OFFSET,
  CRC_OFFSET,
  CURRENT_MAGIC,
  LAST_OFFSET_DELTA_OFFSET,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  NO_TIMESTAMP,
  PARTITION_LEADER_EPOCH_OFFSET,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORD_BATCH_OVERHEAD,
  RECORD_COUNT_OFFSET,
} from './batch-layout.js'

/** A record to append. Strings are written as UTF-8; `null` or absent key/value are written as null. */
export interface RecordInput {
  readonly key?: Uint8Array | string | null | undefined
  readonly value?: Uint8Array | string | null | undefined
  readonly headers?: readonly RecordHeaderInput[] | undefined
  /** Milliseconds since the epoch; default `Date.now()` at append. */
  readonly timestamp?: number | undefined
}

export interface RecordBatchBuilderOptions {
  /**
   * The byte budget (Java's `batch.size`, aiokafka's `max_batch_size`), default 16384. Once a record is in,
   * `append()` refuses the next one that would take the batch past it; the first record is always taken,
   * so one record larger than the budget still makes a batch of its own. For compressed batches the
   * budget counts uncompressed bytes, which bounds the compressed size too.
   */
  maxBytes?: number
  /** Default none. */
  compression?: CompressionType | CompressionName
  /** Where `compression` is looked up. Default: the built-in codecs. */
  codecs?: CodecRegistry
  /** Default 0; the broker assigns real offsets on append. */
  baseOffset?: bigint
  /** Default -1 (unknown); a leader sets it. */
  partitionLeaderEpoch?: number
  /** Idempotent/transactional producer id, default -1 (none). */
  producerId?: bigint
  /** Default -1. */
  producerEpoch?: number
  /** Sequence of the first record, default -1 (none). */
  baseSequence?: number
  /** Marks the batch as part of a transaction. */
  isTransactional?: boolean
  /** Marks a control batch (transaction markers); see `buildControlBatch`. */
  isControl?: boolean
}

/** Java's default `batch.size`. */
export const DEFAULT_BATCH_BYTES = 16384
/** The initial buffer never exceeds this, so a large budget with few records does not reserve it all. */
const MAX_INITIAL_CAPACITY = 64 * 1024

/**
 * Builds one record batch (magic 2) under a byte budget, the backing of aiokafka's `create_batch()`.
 * Records are serialized straight into one growing buffer behind a reserved header; `build()` fills the
 * header in and computes the CRC, and an uncompressed batch is returned without a final copy.
 */
export class RecordBatchBuilder {
  readonly maxBytes: number
  readonly compression: CompressionType
  readonly #options: RecordBatchBuilderOptions
  readonly #codecs: CodecRegistry
  readonly #sink: ByteSink
  #recordCount = 0
  #baseTimestamp = NO_TIMESTAMP
  #maxTimestamp = NO_TIMESTAMP
  #built = false

  constructor(options: RecordBatchBuilderOptions = {}) {
    this.maxBytes = options.maxBytes ?? DEFAULT_BATCH_BYTES
    if (!(this.maxBytes > RECORD_BATCH_OVERHEAD)) {
      throw new IllegalArgumentError({
        message: `maxBytes must exceed the ${RECORD_BATCH_OVERHEAD}-byte batch header`,
      })
    }
    this.compression = toCompressionType(options.compression ?? 0)
    this.#codecs = options.codecs ?? defaultCodecs
    // Fail at construction, not at build(), when the codec is unknown.
    if (this.compression !== 0) this.#codecs.get(this.compression)
    this.#options = options
    this.#sink = new ByteSink(Math.min(this.maxBytes, MAX_INITIAL_CAPACITY))
    this.#sink.offset = RECORD_BATCH_OVERHEAD
  }

  /** Records appended so far. */
  get recordCount(): number {
    return this.#recordCount
  }

  /** Uncompressed size of the batch so far, header included: what the budget is checked against. */
  get sizeInBytes(): number {
    return this.#sink.offset
  }

  /**
   * Appends a record and returns its offset delta (0 for the first), or null when it does not fit the
   * budget: close this batch and start another. Throws after `build()`.
   */
  append(record: RecordInput): number | null {
    if (this.#built) throw new IllegalStateError({ message: 'append() after build()' })
    const timestamp = record.timestamp ?? Date.now()
    if (this.#recordCount === 0) this.#baseTimestamp = timestamp
    const offsetDelta = this.#recordCount
    const timestampDelta = timestamp - this.#baseTimestamp
    const keyLength = byteLengthOf(record.key)
    const valueLength = byteLengthOf(record.value)
    const headers = record.headers
    let bodySize =
      1 +
      sizeOfVarlong(timestampDelta) +
      sizeOfVarint(offsetDelta) +
      sizeOfVarint(keyLength) +
      Math.max(keyLength, 0) +
      sizeOfVarint(valueLength) +
      Math.max(valueLength, 0) +
      sizeOfVarint(headers?.length ?? 0)
    if (headers !== undefined) bodySize += headersSize(headers)
    const size = sizeOfVarint(bodySize) + bodySize
    const sink = this.#sink
    if (this.#recordCount > 0 && sink.offset + size > this.maxBytes) return null

    sink.ensure(size)
    sink.writeVarint(bodySize)
    sink.writeInt8(0) // record attributes: unused
    sink.writeVarlong(timestampDelta)
    sink.writeVarint(offsetDelta)
    writeNullableBytes(sink, record.key, keyLength)
    writeNullableBytes(sink, record.value, valueLength)
    if (headers === undefined) {
      sink.writeVarint(0)
    } else {
      sink.writeVarint(headers.length)
      for (const header of headers) {
        const headerKeyLength = Buffer.byteLength(header.key)
        sink.writeVarint(headerKeyLength)
        sink.writeUtf8(header.key, headerKeyLength)
        writeNullableBytes(sink, header.value, byteLengthOf(header.value))
      }
    }
    this.#recordCount++
    if (timestamp > this.#maxTimestamp) this.#maxTimestamp = timestamp
    return offsetDelta
  }

  /**
   * Finishes the batch: compresses the records if asked, writes the header, computes the CRC-32C. Returns
   * an empty buffer when no record was appended (an empty batch is not sent). The builder cannot be used
   * afterwards.
   */
  build(): Buffer {
    if (this.#built) throw new IllegalStateError({ message: 'build() called twice' })
    this.#built = true
    if (this.#recordCount === 0) return Buffer.alloc(0)
    const sink = this.#sink
    let batch: Buffer
    if (this.compression === 0) {
      batch = sink.buffer.subarray(0, sink.offset)
    } else {
      const records = sink.buffer.subarray(RECORD_BATCH_OVERHEAD, sink.offset)
      const compressed = this.#codecs.get(this.compression).compress(records)
      batch = Buffer.allocUnsafe(RECORD_BATCH_OVERHEAD + compressed.length)
      compressed.copy(batch, RECORD_BATCH_OVERHEAD)
    }
    this.#writeHeader(batch)
    return batch
  }

  #writeHeader(batch: Buffer): void {
    const options = this.#options
    let attributes: number = this.compression
    if (options.isTransactional) attributes |= TRANSACTIONAL_MASK
    if (options.isControl) attributes |= CONTROL_MASK
    batch.writeBigInt64BE(options.baseOffset ?? 0n, BASE_OFFSET_OFFSET)
    batch.writeInt32BE(batch.length - LOG_OVERHEAD, BATCH_LENGTH_OFFSET)
    batch.writeInt32BE(options.partitionLeaderEpoch ?? -1, PARTITION_LEADER_EPOCH_OFFSET)
    batch[MAGIC_OFFSET] = CURRENT_MAGIC
    batch.writeInt16BE(attributes, ATTRIBUTES_OFFSET)
    batch.writeInt32BE(this.#recordCount - 1, LAST_OFFSET_DELTA_OFFSET)
    writeInt64FromNumber(batch, BASE_TIMESTAMP_OFFSET, this.#baseTimestamp)
    writeInt64FromNumber(batch, MAX_TIMESTAMP_OFFSET, this.#maxTimestamp)
    batch.writeBigInt64BE(options.producerId ?? -1n, PRODUCER_ID_OFFSET)
    batch.writeInt16BE(options.producerEpoch ?? -1, PRODUCER_EPOCH_OFFSET)
    batch.writeInt32BE(options.baseSequence ?? -1, BASE_SEQUENCE_OFFSET)
    batch.writeInt32BE(this.#recordCount, RECORD_COUNT_OFFSET)
    // The CRC covers attributes to the end, so it goes in last.
    batch.writeUInt32BE(crc32c(batch.subarray(ATTRIBUTES_OFFSET)), CRC_OFFSET)
  }
}

function byteLengthOf(value: Uint8Array | string | null | undefined): number {
  if (value === null || value === undefined) return -1
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length
}

function headersSize(headers: readonly RecordHeaderInput[]): number {
  let size = 0
  for (const header of headers) {
    const keyLength = Buffer.byteLength(header.key)
    const valueLength = byteLengthOf(header.value)
    size += sizeOfVarint(keyLength) + keyLength + sizeOfVarint(valueLength) + Math.max(valueLength, 0)
  }
  return size
}

function writeNullableBytes(
  sink: ByteSink,
  value: Uint8Array | string | null | undefined,
  length: number,
): void {
  sink.writeVarint(length)
  if (length <= 0) return
  if (typeof value === 'string') sink.writeUtf8(value, length)
  else sink.writeBytes(value as Uint8Array)
}
