import {
  IllegalArgumentError,
  KafkaTimeoutError,
  MessageSizeTooLargeError,
  ProducerClosed,
} from '@kafkite/protocol'
import {
  type CodecRegistry,
  type CompressionName,
  RecordBatchBuilder,
  type RecordBatchBuilderOptions,
  type RecordHeaderInput,
} from '@kafkite/records'
import type { TopicPartition } from '../record-metadata.js'
import type { SerializedValue } from '../serializers.js'
import type { BatchBuilder } from './batch-builder.js'
import { BufferBudget } from './buffer-budget.js'
import type { DeliveryHandle } from './delivery-handle.js'
import { ProducerBatch } from './producer-batch.js'
import { recordSizeUpperBound } from './record-size.js'

export interface AccumulatorOptions {
  /** Byte budget of one batch (`maxBatchSize`). */
  readonly maxBatchSize: number
  /** Largest record, batch header included (`maxRequestSize`). */
  readonly maxRequestSize: number
  /** How long a batch waits for more records (`lingerMs`). */
  readonly lingerMs: number
  /** Record bytes held before appends wait (`maxBufferBytes`). */
  readonly maxBufferBytes: number
  /**
   * How long an append waits for buffer space, and how long a batch may wait in the queue before it
   * fails with `KafkaTimeoutError` (aiokafka uses `request_timeout_ms` for both).
   */
  readonly requestTimeoutMs: number
  /** Wait before a batch put back for a retry is sent again (`retryBackoffMs`). */
  readonly retryBackoffMs: number
  /** 1 keeps strict order; up to 5 with idempotence, where sequence numbers keep it. */
  readonly maxInFlightPerPartition: number
  readonly compression?: CompressionName | null
  readonly codecs?: CodecRegistry
  /** Batches are part of a transaction. */
  readonly isTransactional?: boolean
  /**
   * Called when batches may have become sendable (a batch filled, a linger or backoff ran out, a partition
   * was unmuted, flush or close began). Calls are coalesced to one per event-loop turn, so records
   * appended in the same turn travel together.
   */
  readonly onReady?: () => void
  /**
   * Called when a queued batch that already had a sequence expires (idempotence: its sequence may or may
   * not have reached the broker, so the partition's sequences are unresolved).
   */
  readonly onExpired?: (batch: ProducerBatch) => void
  /** The clock (ms), replaceable for tests. */
  readonly now?: () => number
}

/** A record to append, already serialized. */
export interface AccumulatorRecord {
  readonly key: Uint8Array | null
  readonly value: SerializedValue
  readonly headers?: readonly RecordHeaderInput[] | undefined
  /** Epoch ms; default now. */
  readonly timestamp?: number | undefined
}

/** What `ready()` reports. */
export interface ReadyResult {
  /** Partitions whose first batch can be sent now. */
  readonly partitions: TopicPartition[]
  /** Ms until another batch becomes sendable (linger, backoff), Infinity when none is waiting. */
  readonly nextReadyInMs: number
}

/** Per partition: its queue of batches (the last one may still be open) and what is in flight. */
class PartitionQueue {
  readonly topicPartition: TopicPartition
  readonly batches: ProducerBatch[] = []
  /** The batch appends go to; null after it was sealed. */
  open: ProducerBatch | null = null
  inFlight = 0

  constructor(topic: string, partition: number) {
    this.topicPartition = Object.freeze({ topic, partition })
  }
}

/**
 * Per-partition queues of record batches between `send()` and the sender (aiokafka's
 * `MessageAccumulator`, Java's `RecordAccumulator`, franz-go's `recBuf`).
 *
 * - `append()` adds a serialized record to its partition's open batch, opening a new one when the record
 *   does not fit; it waits for buffer space when `maxBufferBytes` is used up.
 * - `ready()` says which partitions have a batch to send (full, lingered long enough, flushing or closing,
 *   not muted, past its retry backoff); `drain()` takes them, at most one per partition, up to a request's
 *   byte budget. A partition is muted while `maxInFlightPerPartition` of its batches are in flight.
 * - The sender settles drained batches (`batch.complete()` / `batch.fail()`), or puts one back with
 *   `reenqueue()` for a retry; settling releases the batch's bytes and unmutes its partition.
 *
 * The accumulator never touches the network: the sender maps partitions to leaders and builds requests.
 */
export class RecordAccumulator {
  readonly options: AccumulatorOptions
  readonly #budget: BufferBudget
  readonly #topics = new Map<string, (PartitionQueue | undefined)[]>()
  readonly #incomplete = new Set<ProducerBatch>()
  readonly #now: () => number
  readonly #onSettled = (batch: ProducerBatch, wasInFlight: boolean): void =>
    this.#settled(batch, wasInFlight)
  #flushes = 0
  #closing = false
  #closed = false
  #drainIndex = 0
  #timer: NodeJS.Timeout | null = null
  #timerDeadline = Infinity
  #signalPending = false

  constructor(options: AccumulatorOptions) {
    this.options = options
    this.#budget = new BufferBudget(options.maxBufferBytes, options.requestTimeoutMs)
    this.#now = options.now ?? Date.now
  }

  /** Record bytes held (queued or in flight), what `maxBufferBytes` bounds. */
  get bufferedBytes(): number {
    return this.#budget.used
  }

  /** Batches not settled yet. */
  get incompleteCount(): number {
    return this.#incomplete.size
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#closing
  }

  /**
   * Appends a record to a partition. Resolves to its delivery handle once it is in a batch; waits for
   * buffer space up to `requestTimeoutMs` (then `KafkaTimeoutError`). A record larger than
   * `maxRequestSize` fails with `MessageSizeTooLargeError` before anything is queued (aiokafka); one larger
   * than `maxBatchSize` but within the request size gets a batch of its own.
   *
   * With `abortOnNewBatch`, resolves to null instead of opening a new batch: the sticky partitioner then
   * moves on and the record is appended to its new partition (KIP-480).
   */
  async append(
    topic: string,
    partition: number,
    record: AccumulatorRecord,
    abortOnNewBatch = false,
  ): Promise<DeliveryHandle | null> {
    const estimate = this.#checkRecord(record)
    if (!this.#budget.tryReserve(estimate)) {
      await this.#budget.reserve(estimate)
      if (this.#closing) {
        this.#budget.release(estimate)
        this.#checkOpen()
      }
    }
    return this.#appendReserved(topic, partition, record, estimate, abortOnNewBatch)
  }

  /**
   * `append()` without waiting: the record's handle (or null, as `append()` with `abortOnNewBatch`) when
   * buffer space is available now, undefined when it is not (call `append()`, which waits for space). Lets
   * the producer queue a record without a promise of its own on the common path. Throws as `append()`.
   */
  tryAppend(
    topic: string,
    partition: number,
    record: AccumulatorRecord,
    abortOnNewBatch = false,
  ): DeliveryHandle | null | undefined {
    const estimate = this.#checkRecord(record)
    if (!this.#budget.tryReserve(estimate)) return undefined
    return this.#appendReserved(topic, partition, record, estimate, abortOnNewBatch)
  }

  /** Throws for a closed accumulator or a record too large for any request; returns the record's size bound. */
  #checkRecord(record: AccumulatorRecord): number {
    this.#checkOpen()
    const estimate = recordSizeUpperBound(record.key, record.value, record.headers)
    if (estimate > this.options.maxRequestSize) {
      throw new MessageSizeTooLargeError({
        message: `the record is ${estimate} bytes with batch overhead, more than maxRequestSize ${this.options.maxRequestSize}`,
      })
    }
    return estimate
  }

  /**
   * Queues a batch the caller filled (`createBatch()` / `sendBatch()`), after whatever is queued for the
   * partition. Resolves to a handle whose delivery is the batch's metadata (its base offset).
   */
  async appendBatch<K, V>(
    topic: string,
    partition: number,
    batch: BatchBuilder<K, V>,
  ): Promise<DeliveryHandle> {
    this.#checkOpen()
    const size = batch.size()
    if (size > this.options.maxRequestSize) {
      throw new MessageSizeTooLargeError({
        message: `the batch is ${size} bytes, more than maxRequestSize ${this.options.maxRequestSize}`,
      })
    }
    if (batch.recordCount() === 0) throw new IllegalArgumentError({ message: 'cannot send an empty batch' })
    const { builder, builderOptions } = batch.take()
    if (!this.#budget.tryReserve(size)) await this.#budget.reserve(size)
    if (this.#closing) {
      this.#budget.release(size)
      this.#checkOpen()
    }
    if (this.options.isTransactional === true) builderOptions.isTransactional = true
    const queue = this.#queue(topic, partition)
    this.#sealOpen(queue)
    const producerBatch = new ProducerBatch(
      queue.topicPartition,
      builder,
      builderOptions,
      this.#now(),
      this.#onSettled,
    )
    producerBatch.seal()
    queue.batches.push(producerBatch)
    this.#incomplete.add(producerBatch)
    this.#budget.adjust(producerBatch.sizeInBytes - size)
    this.#signal()
    return producerBatch.handleForBatch()
  }

  /** Partitions whose first batch can be sent now, and when the next one will be. Fails expired batches. */
  ready(now: number = this.#now()): ReadyResult {
    const partitions: TopicPartition[] = []
    let nextReadyInMs = Infinity
    for (const queues of this.#topics.values()) {
      for (const queue of queues) {
        if (queue === undefined || queue.batches.length === 0) continue
        this.#expire(queue, now)
        const head = queue.batches[0]
        if (head === undefined) continue
        const waitMs = this.#waitMs(queue, head, now)
        if (waitMs === 0) partitions.push(queue.topicPartition)
        else if (waitMs < nextReadyInMs) nextReadyInMs = waitMs
      }
    }
    if (nextReadyInMs !== Infinity) this.#wakeAt(now + nextReadyInMs)
    return { partitions, nextReadyInMs }
  }

  /**
   * Takes the sendable first batch of each given partition (those led by one broker), sealing it and
   * counting it in flight, until `maxBytes` is reached; at least one batch is taken when any is sendable,
   * however large. The starting partition rotates between calls, so a busy partition cannot starve the
   * others of a request's budget (Java's drainIndex).
   */
  drain(partitions: readonly TopicPartition[], maxBytes: number, now: number = this.#now()): ProducerBatch[] {
    const drained: ProducerBatch[] = []
    const count = partitions.length
    if (count === 0) return drained
    let bytes = 0
    const start = this.#drainIndex % count
    for (let i = 0; i < count; i++) {
      const tp = partitions[(start + i) % count]!
      const queue = this.#topics.get(tp.topic)?.[tp.partition]
      const head = queue?.batches[0]
      if (queue === undefined || head === undefined || this.#waitMs(queue, head, now) !== 0) continue
      if (drained.length > 0 && bytes + head.sizeInBytes > maxBytes) {
        this.#drainIndex = (start + i) % count
        return drained
      }
      queue.batches.shift()
      if (queue.open === head) queue.open = null
      head.markInFlight()
      queue.inFlight++
      bytes += head.sizeInBytes
      drained.push(head)
    }
    this.#drainIndex = start + 1
    return drained
  }

  /**
   * Puts an in-flight batch back for a retry after `retryBackoffMs`. It goes before the partition's
   * never-sent batches, and among other retried ones in sequence order, so the partition's order holds.
   */
  reenqueue(batch: ProducerBatch, now: number = this.#now()): void {
    const queue = this.#queue(batch.topic, batch.partition)
    batch.markRequeued(now + this.options.retryBackoffMs)
    queue.inFlight--
    const batches = queue.batches
    let index = 0
    while (index < batches.length) {
      const other = batches[index]!
      if (other.attempts === 0 || (batch.baseSequence >= 0 && other.baseSequence > batch.baseSequence)) break
      index++
    }
    batches.splice(index, 0, batch)
    this.#wakeAt(batch.retryAtMs)
  }

  /** Whether the partition has as many batches in flight as allowed. */
  isMuted(topic: string, partition: number): boolean {
    const queue = this.#topics.get(topic)?.[partition]
    return queue !== undefined && queue.inFlight >= this.options.maxInFlightPerPartition
  }

  /** Partitions that cannot send another batch until one in flight settles. */
  mutedPartitions(): TopicPartition[] {
    const muted: TopicPartition[] = []
    for (const queues of this.#topics.values()) {
      for (const queue of queues) {
        if (queue !== undefined && queue.inFlight >= this.options.maxInFlightPerPartition) {
          muted.push(queue.topicPartition)
        }
      }
    }
    return muted
  }

  /** Batches in flight for a partition. */
  inFlightCount(topic: string, partition: number): number {
    return this.#topics.get(topic)?.[partition]?.inFlight ?? 0
  }

  /** Partitions with queued batches (sent or not), to know whose leaders to look up. */
  pendingPartitions(): TopicPartition[] {
    const pending: TopicPartition[] = []
    for (const queues of this.#topics.values()) {
      for (const queue of queues) {
        if (queue !== undefined && queue.batches.length > 0) pending.push(queue.topicPartition)
      }
    }
    return pending
  }

  /**
   * Resolves when every batch that holds a record appended before this call has settled (delivered or
   * failed; failures reach their own delivery promises, not this one). Batches are sent without waiting for
   * their linger meanwhile.
   */
  flush(): Promise<void> {
    if (this.#incomplete.size === 0) return Promise.resolve()
    const outcomes: Promise<void>[] = []
    for (const batch of this.#incomplete) outcomes.push(batch.outcome.then(ignore, ignore))
    this.#flushes++
    this.#signal()
    return Promise.all(outcomes).then(() => {
      this.#flushes--
    })
  }

  /**
   * Stops taking records. With `wait` (the default) every queued batch is sent without lingering and the
   * promise resolves once all have settled, as `flush()`. Without it, every unsettled batch (in flight
   * too: its answer is then ignored) and every append waiting for space fails with `ProducerClosed`.
   */
  close(options: { wait?: boolean } = {}): Promise<void> {
    this.#closing = true
    if (options.wait === false) {
      const error = new ProducerClosed({ message: 'the producer was closed before the record was delivered' })
      this.#budget.failWaiters(error)
      for (const batch of [...this.#incomplete]) batch.fail(error)
      this.#clearTimer()
      this.#closed = true
      return Promise.resolve()
    }
    this.#budget.failWaiters(
      new ProducerClosed({ message: 'the producer was closed while waiting for buffer space' }),
    )
    return this.flush().then(() => {
      this.#clearTimer()
      this.#closed = true
    })
  }

  #appendReserved(
    topic: string,
    partition: number,
    record: AccumulatorRecord,
    reserved: number,
    abortOnNewBatch: boolean,
  ): DeliveryHandle | null {
    const queue = this.#queue(topic, partition)
    const timestamp = record.timestamp ?? this.#now()
    let batch = queue.open
    if (batch !== null) {
      const before = batch.sizeInBytes
      const handle = batch.tryAppend(record.key, record.value, record.headers, timestamp)
      if (handle !== null) {
        this.#budget.adjust(batch.sizeInBytes - before - reserved)
        return handle
      }
      // Full: it can go now.
      this.#sealOpen(queue)
      this.#signal()
    }
    if (abortOnNewBatch) {
      this.#budget.release(reserved)
      return null
    }
    batch = this.#newBatch(queue)
    const handle = batch.tryAppend(record.key, record.value, record.headers, timestamp)!
    this.#budget.adjust(batch.sizeInBytes - reserved)
    return handle
  }

  #newBatch(queue: PartitionQueue): ProducerBatch {
    const options = this.options
    // One options object per batch: the sender writes the producer state into it before building.
    const builderOptions: RecordBatchBuilderOptions = { maxBytes: options.maxBatchSize }
    if (options.compression !== undefined && options.compression !== null)
      builderOptions.compression = options.compression
    if (options.codecs !== undefined) builderOptions.codecs = options.codecs
    if (options.isTransactional === true) builderOptions.isTransactional = true
    const now = this.#now()
    const batch = new ProducerBatch(
      queue.topicPartition,
      new RecordBatchBuilder(builderOptions),
      builderOptions,
      now,
      this.#onSettled,
    )
    queue.batches.push(batch)
    queue.open = batch
    this.#incomplete.add(batch)
    if (options.lingerMs === 0) this.#signal()
    else this.#wakeAt(now + options.lingerMs)
    return batch
  }

  #sealOpen(queue: PartitionQueue): void {
    if (queue.open !== null) {
      queue.open.seal()
      queue.open = null
    }
  }

  /** 0 when the batch at the head of `queue` can be sent now, else ms until it might be. */
  #waitMs(queue: PartitionQueue, head: ProducerBatch, now: number): number {
    if (queue.inFlight >= this.options.maxInFlightPerPartition) return Infinity
    if (head.attempts > 0) {
      // A retry goes alone: batches behind it in flight could otherwise land first.
      if (queue.inFlight > 0) return Infinity
      return Math.max(0, head.retryAtMs - now)
    }
    if (head.state !== 'open' || this.#flushes > 0 || this.#closing) return 0
    return Math.max(0, head.createdMs + this.options.lingerMs - now)
  }

  #expire(queue: PartitionQueue, now: number): void {
    const timeoutMs = this.options.requestTimeoutMs
    const batches = queue.batches
    for (let i = 0; i < batches.length; ) {
      const batch = batches[i]!
      if (now - batch.createdMs < timeoutMs) {
        i++
        continue
      }
      batches.splice(i, 1)
      if (queue.open === batch) queue.open = null
      if (batch.baseSequence >= 0) this.options.onExpired?.(batch)
      // A batch that was retried fails with the error that kept it from being delivered (aiokafka's
      // behaviour); one that never got an answer with KafkaTimeoutError.
      batch.fail(
        batch.lastError ??
          new KafkaTimeoutError({
            message: `batch for ${batch.topic}-${batch.partition} expired after ${now - batch.createdMs} ms waiting to be delivered`,
          }),
      )
    }
  }

  #settled(batch: ProducerBatch, wasInFlight: boolean): void {
    this.#incomplete.delete(batch)
    this.#budget.release(batch.sizeInBytes)
    const queue = this.#topics.get(batch.topic)?.[batch.partition]
    if (queue === undefined) return
    if (wasInFlight) {
      queue.inFlight--
      if (queue.batches.length > 0) this.#signal()
    } else {
      // Failed while queued (expiry, abort): take it out of the queue.
      const index = queue.batches.indexOf(batch)
      if (index >= 0) queue.batches.splice(index, 1)
      if (queue.open === batch) queue.open = null
    }
  }

  #queue(topic: string, partition: number): PartitionQueue {
    let queues = this.#topics.get(topic)
    if (queues === undefined) {
      queues = []
      this.#topics.set(topic, queues)
    }
    let queue = queues[partition]
    if (queue === undefined) {
      queue = new PartitionQueue(topic, partition)
      queues[partition] = queue
    }
    return queue
  }

  #checkOpen(): void {
    if (this.#closing) throw new ProducerClosed({ message: 'the producer is closed' })
  }

  /** Tells the sender once per event-loop turn, so records appended in the same turn go together. */
  #signal(): void {
    if (this.#signalPending || this.options.onReady === undefined) return
    this.#signalPending = true
    setImmediate(() => {
      this.#signalPending = false
      if (!this.#closed) this.options.onReady?.()
    })
  }

  /** One timer for the earliest linger or backoff deadline, not one per batch. */
  #wakeAt(deadline: number): void {
    if (this.options.onReady === undefined || deadline >= this.#timerDeadline) return
    this.#clearTimer()
    this.#timerDeadline = deadline
    this.#timer = setTimeout(
      () => {
        this.#timer = null
        this.#timerDeadline = Infinity
        this.#signal()
      },
      Math.max(0, deadline - this.#now()),
    )
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
    this.#timerDeadline = Infinity
  }
}

function ignore(): void {}
