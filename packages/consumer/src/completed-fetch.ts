import { CorruptRecordError, KafkaError } from '@kafkite/protocol'
import {
  type AnyRecordBatch,
  ControlRecordType,
  type DecodedRecord,
  RECORD_BATCH_OVERHEAD,
  type ResolvedDecodeOptions,
  readBatches,
  readControlRecord,
} from '@kafkite/records'
import { RecordDeserializationError } from './consumer-errors.js'
import type { IsolationLevel } from './consumer-options.js'
import {
  type ConsumerRecord,
  type Deserializer,
  FetchedRecord,
  type TimestampType,
} from './consumer-record.js'
import { formatTopicPartition, type TopicPartition } from './topic-partition.js'

/** An entry of a Fetch response's `abortedTransactions`. */
export interface AbortedTransaction {
  readonly producerId: bigint
  readonly firstOffset: bigint
}

/** How records of one fetch are decoded and filtered; resolved once per consumer. */
export interface CompletedFetchConfig<K, V> {
  readonly isolationLevel: IsolationLevel
  readonly decodeOptions: ResolvedDecodeOptions
  readonly keyDeserializer: Deserializer<K> | null
  readonly valueDeserializer: Deserializer<V> | null
}

// Kafka's batch header: baseOffset int64 at 0, length int32 at 8 (bytes after it), magic int8 at 16 for
// every format; v2 keeps lastOffsetDelta (int32) at 23. A legacy wrapper's offset is its last inner offset.
const LOG_OVERHEAD = 12
const MAGIC_OFFSET = 16
const LAST_OFFSET_DELTA_OFFSET = 23
const NO_PRODUCER_ID = -1n
/** The smallest legacy (v0) message after its offset and size; v2 batches are larger. */
const MIN_BATCH_SIZE = 14

/**
 * One partition's records from one fetch response, decoded lazily as they are read (Java's
 * CompletedFetch, aiokafka's PartitionRecords):
 *
 * - batches that start before the fetch position are read from it (a fetch returns the whole batch
 *   holding the offset asked for);
 * - control batches are never delivered;
 * - in `read_committed`, records of aborted transactions are dropped using the response's aborted
 *   transactions (Kafka's algorithm: a producer's batches are aborted from the transaction's first offset
 *   until its ABORT marker), and nothing at or past the last stable offset is delivered;
 * - `nextFetchOffset` moves past everything consumed *or skipped* (control batches, aborted batches,
 *   records removed by compaction), so a fetch with nothing to deliver still moves the position; gaps in
 *   the offsets of delivered records are expected.
 *
 * A decoding error (bad CRC, bad compression, a deserializer throwing) stops the fetch where it happened:
 * records before it are delivered, then every later read throws the same error, and `nextFetchOffset`
 * stays at the failed batch or record, as Java does, until the application seeks past it.
 */
export class CompletedFetch<K, V> {
  readonly topicPartition: TopicPartition
  /** The position the fetch was made from. */
  readonly fetchOffset: bigint
  /** The records bytes held (and kept alive) by this fetch, for buffer accounting. */
  readonly sizeInBytes: number
  /** Where `nextFetchOffset` ends once every batch is read: where the next fetch may start. */
  readonly endOffset: bigint
  /** The leader epoch of the last batch read; null while none was or the broker did not set one. */
  lastEpoch: number | null = null
  readonly #config: CompletedFetchConfig<K, V>
  readonly #batches: Iterator<AnyRecordBatch>
  /** Records at or past this offset are not delivered (the LSO in read_committed); null: no limit. */
  readonly #limit: bigint | null
  readonly #readCommitted: boolean
  readonly #aborted: readonly AbortedTransaction[]
  #abortedIndex = 0
  readonly #abortedProducers = new Set<bigint>()
  #nextFetchOffset: bigint
  /**
   * The offset of the last record handed out since `#nextFetchOffset` was last brought up to date, or
   * null. Keeping it instead of computing `offset + 1n` for every record saves a BigInt per record; the
   * position is settled from it only when asked for.
   */
  #delivered: bigint | null = null
  /** `endOffset - 1n`: the offset whose delivery consumes the fetch. */
  readonly #lastOffset: bigint
  #batch: AnyRecordBatch | undefined
  #records: Iterator<DecodedRecord> | undefined
  /** Whether records of the current batch may lie below the position (only the first batch's can). */
  #mayBeBelowPosition = false
  /** Whether records of the current batch may reach `#limit`. */
  #mayReachLimit = false
  #timestampType: TimestampType = 0
  #batchEpoch: number | null = null
  #done = false
  #error: KafkaError | undefined

  constructor(
    tp: TopicPartition,
    fetchOffset: bigint,
    records: Uint8Array,
    config: CompletedFetchConfig<K, V>,
    lastStableOffset: bigint,
    abortedTransactions: readonly AbortedTransaction[] | null,
  ) {
    this.topicPartition = tp
    this.fetchOffset = fetchOffset
    this.sizeInBytes = records.byteLength
    this.#config = config
    this.#nextFetchOffset = fetchOffset
    const readCommitted = config.isolationLevel === 'read_committed'
    this.#readCommitted = readCommitted
    this.#limit = readCommitted && lastStableOffset >= 0n ? lastStableOffset : null
    // Sorted by first offset: the algorithm walks the list alongside the batches.
    this.#aborted =
      readCommitted && abortedTransactions !== null && abortedTransactions.length > 0
        ? [...abortedTransactions].sort((a, b) =>
            a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0,
          )
        : []
    this.endOffset = scanEndOffset(records, fetchOffset, this.#limit)
    this.#lastOffset = this.endOffset - 1n
    this.#batches = readBatches(records, config.decodeOptions)
  }

  /** The position after what was read so far (delivered or skipped). */
  get nextFetchOffset(): bigint {
    return this.#settle()
  }

  #settle(): bigint {
    if (this.#delivered !== null) {
      this.#nextFetchOffset = this.#delivered + 1n
      this.#delivered = null
    }
    return this.#nextFetchOffset
  }

  /** True once every batch was read; a failed fetch is not consumed (it throws instead). */
  get isConsumed(): boolean {
    return this.#done
  }

  /** The error this fetch stopped on, if any; reads throw it. */
  get error(): KafkaError | undefined {
    return this.#error
  }

  /**
   * Appends up to `maxRecords` records to `out` and returns how many. When an error stops the fetch after
   * some records were appended, those are returned and the error is thrown by the next call (so records
   * read before a bad one are not lost).
   */
  drain(maxRecords: number, out: ConsumerRecord<K, V>[]): number {
    if (this.#error !== undefined) throw this.#error
    let count = 0
    while (count < maxRecords) {
      let record: FetchedRecord<K, V> | undefined
      try {
        record = this.#next()
      } catch (error) {
        this.#fail(error)
        if (count > 0) return count
        throw this.#error
      }
      if (record === undefined) break
      out.push(record)
      count++
    }
    return count
  }

  /** The next record, or undefined when the fetch is consumed. Throws as `drain()` does. */
  next(): ConsumerRecord<K, V> | undefined {
    if (this.#error !== undefined) throw this.#error
    try {
      return this.#next()
    } catch (error) {
      this.#fail(error)
      throw this.#error
    }
  }

  #fail(error: unknown): void {
    this.#error = this.#wrap(error)
    this.#records = undefined
  }

  #wrap(error: unknown): KafkaError {
    if (error instanceof RecordDeserializationError) return error
    const where = `${formatTopicPartition(this.topicPartition)} at offset ${this.#settle()}`
    // Name the partition in a plain CorruptRecordError; subclasses (DecompressionLimitError) stay as they
    // are, since callers tell them apart by class.
    if (error instanceof CorruptRecordError && error.constructor === CorruptRecordError) {
      return new CorruptRecordError({
        message: `Corrupt record batch in ${where}: ${error.message}`,
        cause: error,
      })
    }
    if (KafkaError.isInstance(error)) return error
    return new KafkaError({ message: `Cannot read the records of ${where}`, cause: error })
  }

  #next(): FetchedRecord<K, V> | undefined {
    if (this.#done) return undefined
    for (;;) {
      if (this.#records === undefined) {
        this.#finishBatch()
        if (!this.#startBatch()) {
          this.#done = true
          return undefined
        }
        continue
      }
      const step = this.#records.next()
      if (step.done) {
        this.#records = undefined
        continue
      }
      const decoded = step.value
      const offset = decoded.offset
      if (this.#mayBeBelowPosition && offset < this.#settle()) continue
      if (this.#mayReachLimit && offset >= this.#limit!) {
        // Everything below the limit in this batch was delivered, so the position may move up to it.
        this.#advance(this.#limit!)
        this.#finish()
        return undefined
      }
      const record = this.#toConsumerRecord(decoded, offset)
      this.#delivered = offset
      // Nothing past the end can be delivered, so the fetch is consumed now rather than on the next read,
      // which frees its buffered bytes as soon as its last record is handed out.
      if (offset >= this.#lastOffset) this.#finish()
      return record
    }
  }

  #finish(): void {
    this.#records = undefined
    this.#batch = undefined
    this.#done = true
  }

  /** After a batch was fully read: move past its last offset, also when compaction removed it. */
  #finishBatch(): void {
    const batch = this.#batch
    if (batch === undefined) return
    this.#batch = undefined
    this.#advance(batch.lastOffset + 1n)
  }

  /** Moves to the next batch holding deliverable records; false at the end. */
  #startBatch(): boolean {
    for (;;) {
      const step = this.#batches.next()
      if (step.done) return false
      const batch = step.value
      const limit = this.#limit
      // A legacy wrapper is known by its last offset only; its records are checked one by one.
      const baseOffset = batch.magic === 2 ? batch.baseOffset : null
      if (limit !== null && baseOffset !== null && baseOffset >= limit) return false
      if (this.#readCommitted && batch.producerId !== NO_PRODUCER_ID) {
        this.#consumeAbortedUpTo(batch.lastOffset)
        if (batch.isControl) {
          // The ABORT marker ends the producer's aborted transaction; its later batches are live again.
          if (containsAbortMarker(batch)) this.#abortedProducers.delete(batch.producerId)
        } else if (batch.isTransactional && this.#abortedProducers.has(batch.producerId)) {
          this.#advance(batch.lastOffset + 1n)
          continue
        }
      }
      if (batch.isControl) {
        this.#advance(batch.lastOffset + 1n)
        continue
      }
      this.#batch = batch
      this.#mayBeBelowPosition = baseOffset === null || baseOffset < this.#settle()
      this.#mayReachLimit = limit !== null && batch.lastOffset >= limit
      this.#timestampType = batch.timestampType === 'LogAppendTime' ? 1 : 0
      this.#batchEpoch = batch.partitionLeaderEpoch >= 0 ? batch.partitionLeaderEpoch : null
      this.lastEpoch = this.#batchEpoch ?? this.lastEpoch
      this.#records = batch[Symbol.iterator]()
      return true
    }
  }

  /** Java's consumeAbortedTransactionsUpTo: producers whose aborted transaction began by `offset`. */
  #consumeAbortedUpTo(offset: bigint): void {
    const aborted = this.#aborted
    while (this.#abortedIndex < aborted.length) {
      const transaction = aborted[this.#abortedIndex]!
      if (transaction.firstOffset > offset) break
      this.#abortedProducers.add(transaction.producerId)
      this.#abortedIndex++
    }
  }

  #advance(offset: bigint): void {
    if (offset > this.#settle()) this.#nextFetchOffset = offset
  }

  #toConsumerRecord(decoded: DecodedRecord, offset: bigint): FetchedRecord<K, V> {
    const config = this.#config
    const tp = this.topicPartition
    let key: K
    let value: V
    let field: 'key' | 'value' = 'key'
    try {
      key = config.keyDeserializer === null ? (decoded.key as K) : config.keyDeserializer(decoded.key)
      field = 'value'
      value =
        config.valueDeserializer === null ? (decoded.value as V) : config.valueDeserializer(decoded.value)
    } catch (error) {
      throw new RecordDeserializationError(tp, offset, field, error)
    }
    return new FetchedRecord(
      tp.topic,
      tp.partition,
      decoded,
      offset,
      this.#timestampType,
      key,
      value,
      this.#batchEpoch,
    )
  }
}

function containsAbortMarker(batch: AnyRecordBatch): boolean {
  for (const record of batch) return readControlRecord(record).type === ControlRecordType.abort
  return false
}

/**
 * Where the position ends after reading every complete batch, from the batch headers alone (a few
 * integer reads per batch, no CRC, no decompression), so the next fetch can be sent before these records
 * are read. Mirrors the reading: past each batch's last offset, and no further than `limit`.
 */
function scanEndOffset(records: Uint8Array, fetchOffset: bigint, limit: bigint | null): bigint {
  const view = new DataView(records.buffer, records.byteOffset, records.byteLength)
  let end = fetchOffset
  let at = 0
  while (records.byteLength - at >= LOG_OVERHEAD) {
    const size = view.getInt32(at + 8)
    const next = at + LOG_OVERHEAD + size
    // Smaller than the smallest legacy message: readBatches reports it as corrupt when reached.
    if (size < MIN_BATCH_SIZE || next > records.byteLength) break
    const baseOffset = view.getBigInt64(at)
    if (limit !== null && baseOffset >= limit) break
    const isV2 = view.getInt8(at + MAGIC_OFFSET) >= 2
    if (isV2 && size < RECORD_BATCH_OVERHEAD - LOG_OVERHEAD) break
    const lastOffset = isV2 ? baseOffset + BigInt(view.getInt32(at + LAST_OFFSET_DELTA_OFFSET)) : baseOffset
    let batchEnd = lastOffset + 1n
    if (limit !== null && batchEnd > limit) batchEnd = limit
    if (batchEnd > end) end = batchEnd
    at = next
  }
  return end
}
