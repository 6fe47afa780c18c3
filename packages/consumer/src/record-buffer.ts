import { IllegalArgumentError, type KafkaError } from '@kafkite/protocol'
import type { CompletedFetch } from './completed-fetch.js'
import type { ConsumerRecord, DefaultDeserialized } from './consumer-record.js'
import type { SubscriptionState } from './subscription-state.js'
import { type TopicPartition, TopicPartitionMap, TopicPartitionSet } from './topic-partition.js'

export interface RecordBufferOptions {
  /**
   * A partition is not fetched again while this many bytes of it are buffered. Use the consumer's
   * `maxPartitionFetchBytes`: one full fetch may wait while the next is in flight.
   */
  readonly maxPartitionBytes: number
  /** No partition is fetched while this many bytes are buffered in all (`maxBufferedBytes`). */
  readonly maxBufferedBytes: number
}

interface Entry<K, V> {
  readonly tp: TopicPartition
  /** Fetches in offset order; each starts where the one before it ends. */
  readonly fetches: CompletedFetch<K, V>[]
  bytes: number
  /** A fetch error to raise once, on the next read of the partition (aiokafka's FetchError). */
  error: KafkaError | null
}

/**
 * The prefetched records between the fetcher and `getone()`/`getmany()`, with aiokafka's delivery rules:
 * records are handed out only while their partition is assigned, not paused, and its position is where
 * they start; otherwise they are dropped (and fetched again later) and the position is kept. So a seek,
 * a pause or an unassignment discards buffered records without the caller having to, and paused
 * partitions yield nothing. Reading moves positions in the subscription state.
 *
 * Bytes are bounded per partition and in total: `fetchablePartitions()` leaves out a partition whose
 * buffered bytes reached `maxPartitionBytes` and every partition once `maxBufferedBytes` is reached, which
 * is the backpressure on fetching. A fetch's bytes count until its last record is read, because decoded
 * values are views that keep the whole response alive.
 */
export class RecordBuffer<K = DefaultDeserialized, V = DefaultDeserialized> {
  readonly #subscription: SubscriptionState
  readonly #options: RecordBufferOptions
  readonly #entries = new TopicPartitionMap<Entry<K, V>>()
  #bytes = 0

  constructor(subscription: SubscriptionState, options: RecordBufferOptions) {
    if (!(options.maxPartitionBytes > 0 && options.maxBufferedBytes >= options.maxPartitionBytes)) {
      throw new IllegalArgumentError({
        message: 'maxPartitionBytes must be positive and no larger than maxBufferedBytes',
      })
    }
    this.#subscription = subscription
    this.#options = options
  }

  /** Bytes of all buffered fetches. */
  get bufferedBytes(): number {
    return this.#bytes
  }

  bufferedBytesOf(tp: TopicPartition): number {
    return this.#entries.get(tp)?.bytes ?? 0
  }

  /** Whether anything (records or an error) is buffered, for the given partitions or any. */
  hasBuffered(partitions?: readonly TopicPartition[]): boolean {
    if (partitions === undefined || partitions.length === 0) return this.#entries.size > 0
    return partitions.some((tp) => this.#entries.has(tp))
  }

  /**
   * Where the next fetch of the partition starts: the end of its last buffered fetch, else its position
   * (null without one). Prefetching from there lets a partition be fetched while its records are read.
   */
  nextFetchOffset(tp: TopicPartition): bigint | null {
    const entry = this.#current(tp)
    const last = entry?.fetches.at(-1)
    if (last !== undefined) return last.endOffset
    return this.#subscription.isAssigned(tp) ? this.#subscription.position(tp) : null
  }

  /**
   * The partitions to put in the next fetch request and the offset to fetch each from: fetchable in the
   * subscription, no error waiting to be raised, and under both byte bounds. Drops stale entries first,
   * so a paused or re-positioned partition's bytes stop counting.
   */
  fetchablePartitions(): Array<[TopicPartition, bigint]> {
    this.#prune()
    const result: Array<[TopicPartition, bigint]> = []
    if (this.#bytes >= this.#options.maxBufferedBytes) return result
    for (const [tp] of this.#subscription.fetchablePartitions()) {
      const entry = this.#entries.get(tp)
      if (entry !== undefined && (entry.error !== null || entry.bytes >= this.#options.maxPartitionBytes))
        continue
      // A fetch that stopped on an error never reaches its end: wait until it is read or dropped.
      if (entry?.fetches.some((fetch) => fetch.error !== undefined)) continue
      const offset = this.nextFetchOffset(tp)
      if (offset !== null) result.push([tp, offset])
    }
    return result
  }

  /**
   * Buffers a fetch. Refused (false) when the partition is not fetchable or the fetch does not start
   * where the buffered data ends: the response raced a seek, a pause or an unassignment.
   */
  add(fetch: CompletedFetch<K, V>): boolean {
    const tp = fetch.topicPartition
    if (!this.#subscription.isFetchable(tp) || fetch.fetchOffset !== this.nextFetchOffset(tp)) return false
    const entry = this.#current(tp) ?? this.#newEntry(tp)
    entry.fetches.push(fetch)
    entry.bytes += fetch.sizeInBytes
    this.#bytes += fetch.sizeInBytes
    return true
  }

  /** Raises `error` on the next read of the partition (after records already buffered for it). */
  addError(tp: TopicPartition, error: KafkaError): void {
    if (!this.#subscription.isAssigned(tp)) return
    const entry = this.#entries.get(tp) ?? this.#newEntry(tp)
    entry.error = error
  }

  /** Forgets the partition's buffered records and error (seek, pause, unassignment). */
  drop(tp: TopicPartition): void {
    const entry = this.#entries.get(tp)
    if (entry === undefined) return
    this.#bytes -= entry.bytes
    this.#entries.delete(tp)
  }

  /** Forgets everything (stop). */
  clear(): void {
    this.#entries.clear()
    this.#bytes = 0
  }

  /**
   * aiokafka's `getmany()` on what is buffered: records grouped by partition, at most `maxRecords` in all
   * (null: no limit), only from `partitions` when given. Partitions are served in the order their data
   * arrived; one left with records moves behind the others, so a busy partition cannot starve the rest.
   * A partition's error is thrown when no records were collected before it in this call (else later),
   * and the partition then goes behind the others, so an error that repeats until the application seeks
   * (a record that cannot be deserialized) does not stop the other partitions.
   */
  getmany(
    partitions: readonly TopicPartition[] = [],
    maxRecords: number | null = null,
  ): TopicPartitionMap<ConsumerRecord<K, V>[]> {
    if (maxRecords !== null && !(Number.isSafeInteger(maxRecords) && maxRecords >= 1)) {
      throw new IllegalArgumentError({
        message: `maxRecords must be a positive integer, not ${String(maxRecords)}`,
      })
    }
    const only = partitions.length === 0 ? null : new TopicPartitionSet(partitions)
    const result = new TopicPartitionMap<ConsumerRecord<K, V>[]>()
    let remaining = maxRecords ?? Number.POSITIVE_INFINITY
    for (const entry of Array.from(this.#entries.values())) {
      if (only !== null && !only.has(entry.tp)) continue
      const records: ConsumerRecord<K, V>[] = []
      remaining -= this.#drain(entry, remaining, records, result.size === 0)
      if (records.length > 0) result.set(entry.tp, records)
      if (remaining <= 0) break
    }
    return result
  }

  /**
   * aiokafka's `getone()` on what is buffered: the next record of the first partition with one (only
   * from `partitions` when given), or null when none is buffered. Errors are thrown as by `getmany()`.
   */
  getone(partitions: readonly TopicPartition[] = []): ConsumerRecord<K, V> | null {
    const only = partitions.length === 0 ? null : new TopicPartitionSet(partitions)
    for (const entry of this.#entries.values()) {
      if (only !== null && !only.has(entry.tp)) continue
      const record = this.#one(entry)
      if (record !== null) return record
    }
    return null
  }

  /**
   * Moves up to `max` records of one partition into `out` and returns how many, updating its position.
   * Throws a pending error only when `mayThrow` (nothing collected yet in this call).
   */
  #drain(entry: Entry<K, V>, max: number, out: ConsumerRecord<K, V>[], mayThrow: boolean): number {
    const tp = entry.tp
    if (entry.error !== null) {
      if (!mayThrow) return 0
      this.#raise(entry)
    }
    let count = 0
    while (count < max) {
      const fetch = this.#head(entry)
      if (fetch === undefined) return count
      try {
        count += fetch.drain(max - count, out)
      } catch (error) {
        // Records before the failure were returned by an earlier drain; this one had none.
        this.#entries.moveToEnd(tp)
        if (count > 0 || !mayThrow) return count
        throw error
      } finally {
        this.#subscription.consumedTo(tp, fetch.nextFetchOffset, fetch.lastEpoch)
      }
      if (fetch.isConsumed) this.#shift(entry)
      else if (fetch.error !== undefined || count >= max) break
    }
    if (this.#entries.get(tp) === entry) this.#entries.moveToEnd(tp)
    return count
  }

  #one(entry: Entry<K, V>): ConsumerRecord<K, V> | null {
    if (entry.error !== null) this.#raise(entry)
    for (;;) {
      const fetch = this.#head(entry)
      if (fetch === undefined) return null
      let record: ConsumerRecord<K, V> | undefined
      try {
        record = fetch.next()
      } catch (error) {
        this.#entries.moveToEnd(entry.tp)
        throw error
      } finally {
        this.#subscription.consumedTo(entry.tp, fetch.nextFetchOffset, fetch.lastEpoch)
      }
      if (record !== undefined) return record
      this.#shift(entry)
    }
  }

  #raise(entry: Entry<K, V>): never {
    const error = entry.error!
    entry.error = null
    if (entry.fetches.length === 0) this.#entries.delete(entry.tp)
    else this.#entries.moveToEnd(entry.tp)
    throw error
  }

  /**
   * The partition's first fetch if it may be delivered now: the partition is assigned and not paused and
   * its position is where the fetch stands. Otherwise drops the partition's data and returns undefined.
   */
  #head(entry: Entry<K, V>): CompletedFetch<K, V> | undefined {
    const fetch = entry.fetches[0]
    if (fetch === undefined) {
      if (entry.error === null) this.#entries.delete(entry.tp)
      return undefined
    }
    if (!this.#deliverable(entry.tp, fetch)) {
      this.drop(entry.tp)
      return undefined
    }
    return fetch
  }

  #deliverable(tp: TopicPartition, fetch: CompletedFetch<K, V>): boolean {
    const subscription = this.#subscription
    return subscription.isFetchable(tp) && subscription.position(tp) === fetch.nextFetchOffset
  }

  /** Removes the consumed first fetch. */
  #shift(entry: Entry<K, V>): void {
    const fetch = entry.fetches.shift()!
    entry.bytes -= fetch.sizeInBytes
    this.#bytes -= fetch.sizeInBytes
    if (entry.fetches.length === 0 && entry.error === null) this.#entries.delete(entry.tp)
  }

  #prune(): void {
    for (const entry of Array.from(this.#entries.values())) this.#current(entry.tp)
  }

  /**
   * The partition's entry, after dropping it when a seek, pause or unassignment since it was buffered
   * means it can never be delivered (so its end is not where the next fetch should start).
   */
  #current(tp: TopicPartition): Entry<K, V> | undefined {
    const entry = this.#entries.get(tp)
    if (entry === undefined) return undefined
    const fetch = entry.fetches[0]
    const stale = fetch === undefined ? !this.#subscription.isAssigned(tp) : !this.#deliverable(tp, fetch)
    if (!stale) return entry
    this.drop(tp)
    return undefined
  }

  #newEntry(tp: TopicPartition): Entry<K, V> {
    const entry: Entry<K, V> = { tp, fetches: [], bytes: 0, error: null }
    this.#entries.set(tp, entry)
    return entry
  }
}
