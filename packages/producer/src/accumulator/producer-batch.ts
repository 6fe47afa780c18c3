import { IllegalStateError, type KafkaError } from '@kafkite/protocol'
import {
  crc32c,
  type RecordBatchBuilder,
  type RecordBatchBuilderOptions,
  type RecordHeaderInput,
} from '@kafkite/records'
import type { RecordMetadata, TopicPartition } from '../record-metadata.js'
import type { SerializedValue } from '../serializers.js'
import { DeliveryHandle } from './delivery-handle.js'

// RecordBatch v2 header positions (Kafka's DefaultRecordBatch; fixed by the protocol), for re-stamping a
// built batch with a new producer epoch or sequence without rebuilding it.
const CRC_OFFSET = 17
const ATTRIBUTES_OFFSET = 21
const PRODUCER_ID_OFFSET = 43
const PRODUCER_EPOCH_OFFSET = 51
const BASE_SEQUENCE_OFFSET = 53

/** Where a batch is in its life. */
export type BatchState = 'open' | 'sealed' | 'in-flight' | 'done'

/** What the accumulator learns when a batch settles, to release its bytes and unmute its partition. */
export type BatchSettledListener = (batch: ProducerBatch, wasInFlight: boolean) => void

function ignore(): void {}

/**
 * One batch of records for one partition, from its first record to the broker's answer (aiokafka's
 * `MessageBatch`, Java's `ProducerBatch`). Records are written straight into a `RecordBatchBuilder`; each
 * append returns a `DeliveryHandle` that reads this batch's one outcome, so a record costs no promise of
 * its own. The sender completes the batch from the produce response (`complete`), or fails it.
 */
export class ProducerBatch {
  readonly topicPartition: TopicPartition
  /** When the first record was appended (ms since the epoch, the accumulator's clock). */
  readonly createdMs: number
  /** Send attempts so far; more than one means a retry. */
  attempts = 0
  /** Not to be sent before this time (retry backoff). */
  retryAtMs = 0
  /**
   * The retriable error of the last attempt, set by the sender before a retry: what the batch fails with
   * if it runs out of time before another attempt succeeds.
   */
  lastError: KafkaError | null = null
  #state: BatchState = 'open'
  #builder: RecordBatchBuilder | null
  readonly #builderOptions: RecordBatchBuilderOptions
  #built: Buffer | null = null
  #recordCount = 0
  #sizeInBytes: number
  readonly #onSettled: BatchSettledListener
  readonly #outcome: Promise<void>
  #resolve!: () => void
  #reject!: (error: KafkaError) => void
  #baseOffset = -1n
  #logAppendTime = -1
  #logStartOffset = -1n
  #acked = true
  #error: KafkaError | null = null

  /**
   * `builderOptions` must be the object `builder` was made with: the producer state is written into it
   * before the batch is built, and the builder reads it when it writes the header.
   */
  constructor(
    topicPartition: TopicPartition,
    builder: RecordBatchBuilder,
    builderOptions: RecordBatchBuilderOptions,
    createdMs: number,
    onSettled: BatchSettledListener,
  ) {
    this.topicPartition = topicPartition
    this.#builder = builder
    this.#builderOptions = builderOptions
    this.createdMs = createdMs
    this.#onSettled = onSettled
    this.#recordCount = builder.recordCount
    this.#sizeInBytes = builder.sizeInBytes
    this.#outcome = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve
      this.#reject = reject
    })
    // The outcome is read through delivery handles and flush(); nobody may be listening.
    this.#outcome.catch(ignore)
  }

  get topic(): string {
    return this.topicPartition.topic
  }

  get partition(): number {
    return this.topicPartition.partition
  }

  get state(): BatchState {
    return this.#state
  }

  get recordCount(): number {
    return this.#recordCount
  }

  /** Uncompressed bytes, batch header included: what the buffer budget and request size count. */
  get sizeInBytes(): number {
    return this.#sizeInBytes
  }

  get producerId(): bigint {
    return this.#builderOptions.producerId ?? -1n
  }

  get producerEpoch(): number {
    return this.#builderOptions.producerEpoch ?? -1
  }

  /** -1 until a sequence is assigned (idempotence). */
  get baseSequence(): number {
    return this.#builderOptions.baseSequence ?? -1
  }

  /** Resolves when the batch is delivered, rejects with its error. */
  get outcome(): Promise<void> {
    return this.#outcome
  }

  /** The error the batch failed with, once it has. */
  get error(): KafkaError | null {
    return this.#error
  }

  /**
   * Appends a record; null when it does not fit (seal this batch and start another) or the batch is no
   * longer open. `timestamp` is the record's CreateTime.
   */
  tryAppend(
    key: Uint8Array | null,
    value: SerializedValue,
    headers: readonly RecordHeaderInput[] | undefined,
    timestamp: number,
  ): DeliveryHandle | null {
    if (this.#state !== 'open') return null
    const builder = this.#builder!
    const offsetDelta = builder.append({ key, value, headers, timestamp })
    if (offsetDelta === null) return null
    this.#recordCount = builder.recordCount
    this.#sizeInBytes = builder.sizeInBytes
    return new DeliveryHandle(this, offsetDelta, timestamp)
  }

  /**
   * A handle for the batch as a whole (`sendBatch`): its delivery is the metadata of the first record, so
   * the offset is the batch's base offset; the timestamp is the broker's with LogAppendTime, else null.
   */
  handleForBatch(): DeliveryHandle {
    return new DeliveryHandle(this, 0, null)
  }

  /** Takes no more records. */
  seal(): void {
    if (this.#state === 'open') this.#state = 'sealed'
  }

  /**
   * Sets the idempotent producer state. Before the batch is built it goes into the header as it is
   * written; after (a retry with a bumped epoch or reset sequences), the built header is patched and its
   * CRC recomputed, the records untouched.
   */
  setProducerState(
    producerId: bigint,
    producerEpoch: number,
    baseSequence: number,
    isTransactional = false,
  ): void {
    const options = this.#builderOptions
    options.producerId = producerId
    options.producerEpoch = producerEpoch
    options.baseSequence = baseSequence
    options.isTransactional = isTransactional
    const built = this.#built
    if (built === null || built.length === 0) return
    built.writeBigInt64BE(producerId, PRODUCER_ID_OFFSET)
    built.writeInt16BE(producerEpoch, PRODUCER_EPOCH_OFFSET)
    built.writeInt32BE(baseSequence, BASE_SEQUENCE_OFFSET)
    const attributes = built.readInt16BE(ATTRIBUTES_OFFSET)
    built.writeInt16BE(isTransactional ? attributes | 0x10 : attributes & ~0x10, ATTRIBUTES_OFFSET)
    built.writeUInt32BE(crc32c(built.subarray(ATTRIBUTES_OFFSET)), CRC_OFFSET)
  }

  /** Marks the batch as sent (the accumulator counts it against the partition's in-flight limit). */
  markInFlight(): void {
    if (this.#state === 'done') throw new IllegalStateError({ message: 'a settled batch cannot be sent' })
    this.#state = 'in-flight'
    this.attempts++
  }

  /** Back in the queue for a retry. */
  markRequeued(retryAtMs: number): void {
    if (this.#state !== 'in-flight')
      throw new IllegalStateError({ message: 'only an in-flight batch can be retried' })
    this.#state = 'sealed'
    this.retryAtMs = retryAtMs
  }

  /**
   * The batch's bytes for a ProduceRequest: built (compressed, CRC'd) the first time, kept for retries.
   * The builder is dropped then, so its spare capacity is freed.
   */
  build(): Buffer {
    if (this.#built === null) {
      this.seal()
      this.#built = this.#builder!.build()
      this.#builder = null
    }
    return this.#built
  }

  /**
   * Delivered: `baseOffset` as the broker assigned it; `logAppendTime` -1 unless the topic uses
   * LogAppendTime; `logStartOffset` -1 when not reported. False when the batch had already settled (a
   * late answer after an abort), which is then ignored.
   */
  complete(baseOffset: bigint, logAppendTime = -1, logStartOffset = -1n): boolean {
    if (this.#state === 'done') return false
    this.#baseOffset = baseOffset
    this.#logAppendTime = logAppendTime
    this.#logStartOffset = logStartOffset
    this.#settle()
    this.#resolve()
    return true
  }

  /** Sent with `acks: 0`: no answer comes, deliveries resolve to null. */
  completeWithoutAck(): boolean {
    if (this.#state === 'done') return false
    this.#acked = false
    this.#settle()
    this.#resolve()
    return true
  }

  /** Failed: every record's delivery rejects with `error`. False when already settled. */
  fail(error: KafkaError): boolean {
    if (this.#state === 'done') return false
    this.#error = error
    this.#settle()
    this.#reject(error)
    return true
  }

  /** @internal A record's metadata once the batch is delivered. */
  metadataFor(offsetDelta: number, timestamp: number | null): RecordMetadata | null {
    if (!this.#acked) return null
    const logAppend = this.#logAppendTime !== -1
    return {
      topic: this.topicPartition.topic,
      partition: this.topicPartition.partition,
      topicPartition: this.topicPartition,
      offset: this.#baseOffset + BigInt(offsetDelta),
      timestamp: logAppend ? this.#logAppendTime : timestamp,
      timestampType: logAppend ? 1 : 0,
      logStartOffset: this.#logStartOffset === -1n ? null : this.#logStartOffset,
    }
  }

  #settle(): void {
    const wasInFlight = this.#state === 'in-flight'
    this.#state = 'done'
    this.#builder = null
    this.#built = null
    this.#onSettled(this, wasInFlight)
  }
}
