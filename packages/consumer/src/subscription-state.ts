import { IllegalArgumentError, IllegalStateError, NoOffsetForPartitionError } from '@kafkite/protocol'
import type { AutoOffsetReset } from './consumer-options.js'
import type { OffsetAndMetadata } from './offset-and-metadata.js'
import {
  formatTopicPartition,
  type TopicPartition,
  TopicPartitionMap,
  toTopicPartition,
  uniqueTopicPartitions,
} from './topic-partition.js'

/** Where a reset moves a position; resolved by a ListOffsets request (earliest, or latest/LSO). */
export type ResetStrategy = 'earliest' | 'latest'

/**
 * A partition's fetch state (Java's FetchStates, without validation):
 * - `initializing`: assigned, no position yet; wants its committed offset or the default reset;
 * - `awaitingReset`: a reset was asked for (`seekToBeginning()`, `seekToEnd()`, out of range) and waits
 *   for ListOffsets;
 * - `fetching`: has a position.
 */
export type FetchState = 'initializing' | 'awaitingReset' | 'fetching'

/** What the fetch response said about a partition, recorded as it arrives. */
export interface FetchedPartitionMetadata {
  readonly highWatermark: bigint
  /** -1 when the broker did not report one. */
  readonly lastStableOffset: bigint
  /** -1 when the broker did not report one. */
  readonly logStartOffset: bigint
}

/** A read-only view of one assigned partition. */
export interface PartitionStateView {
  readonly fetchState: FetchState
  /** The offset of the next record to read; null until a position is known. */
  readonly position: bigint | null
  /** Leader epoch of the last consumed batch (Fetch's `lastFetchedEpoch`); null when unknown. */
  readonly positionLeaderEpoch: number | null
  readonly resetStrategy: ResetStrategy | null
  readonly paused: boolean
  readonly highwater: bigint | null
  readonly lastStableOffset: bigint | null
  readonly logStartOffset: bigint | null
  /** `Date.now()` when the last fetch response for the partition arrived. */
  readonly lastPollTimestamp: number | null
  /** The last offset known to be committed for the group (fetched or committed by this consumer). */
  readonly committed: OffsetAndMetadata | null
}

class PartitionState implements PartitionStateView {
  position: bigint | null = null
  positionLeaderEpoch: number | null = null
  resetStrategy: ResetStrategy | null = null
  paused = false
  highwater: bigint | null = null
  lastStableOffset: bigint | null = null
  logStartOffset: bigint | null = null
  lastPollTimestamp: number | null = null
  committed: OffsetAndMetadata | null = null

  get fetchState(): FetchState {
    if (this.resetStrategy !== null) return 'awaitingReset'
    return this.position === null ? 'initializing' : 'fetching'
  }
}

/** The change `assign()` made, so buffers and fetch sessions can forget removed partitions. */
export interface AssignmentChange {
  readonly added: TopicPartition[]
  readonly removed: TopicPartition[]
}

/**
 * The consumer's assigned partitions and everything known per partition: position, reset requests,
 * pause flag, and the watermarks of the last fetch. Synchronous and network-free; the fetcher reads
 * `fetchablePartitions()` and reports back through `consumedTo()`, `updateFetchMetadata()` and
 * `completeReset()`.
 *
 * Calls naming a partition that is not assigned throw `IllegalStateError`, where aiokafka asserts.
 */
export class SubscriptionState {
  readonly #defaultReset: AutoOffsetReset
  #assignment = new TopicPartitionMap<PartitionState>()

  constructor(options: { readonly autoOffsetReset: AutoOffsetReset }) {
    this.#defaultReset = options.autoOffsetReset
  }

  /**
   * Replaces the assignment (not incremental, as aiokafka's `assign()`). Partitions that stay keep their
   * position and pause flag, as in Java, so re-assigning does not rewind them.
   */
  assign(partitions: Iterable<TopicPartition>): AssignmentChange {
    const next = new TopicPartitionMap<PartitionState>()
    const added: TopicPartition[] = []
    for (const tp of uniqueTopicPartitions(partitions)) {
      const state = this.#assignment.get(tp)
      if (state === undefined) added.push(tp)
      next.set(tp, state ?? new PartitionState())
    }
    const removed = this.#assignment.keyArray().filter((tp) => !next.has(tp))
    this.#assignment = next
    return { added, removed }
  }

  /** Drops every partition. */
  unassign(): AssignmentChange {
    return this.assign([])
  }

  /** The assigned partitions in assignment order. */
  assignment(): TopicPartition[] {
    return this.#assignment.keyArray()
  }

  isAssigned(tp: TopicPartition): boolean {
    return this.#assignment.has(tp)
  }

  /** A read-only view of the partition's state. */
  partitionState(tp: TopicPartition): PartitionStateView {
    return this.#state(tp)
  }

  /** The offset of the next record to read, or null while the position is not known yet. */
  position(tp: TopicPartition): bigint | null {
    return this.#state(tp).position
  }

  hasValidPosition(tp: TopicPartition): boolean {
    return this.#state(tp).fetchState === 'fetching'
  }

  highwater(tp: TopicPartition): bigint | null {
    return this.#state(tp).highwater
  }

  lastStableOffset(tp: TopicPartition): bigint | null {
    return this.#state(tp).lastStableOffset
  }

  logStartOffset(tp: TopicPartition): bigint | null {
    return this.#state(tp).logStartOffset
  }

  lastPollTimestamp(tp: TopicPartition): number | null {
    return this.#state(tp).lastPollTimestamp
  }

  /**
   * Sets the next offset to read. Clears any pending reset, so a ListOffsets answer that arrives later
   * does not undo the seek. The caller drops buffered records of the partition (the record buffer also
   * refuses records that no longer start at the position).
   */
  seek(tp: TopicPartition, offset: bigint): void {
    if (typeof offset !== 'bigint' || offset < 0n) {
      throw new IllegalArgumentError({
        message: `offset must be a non-negative bigint, not ${String(offset)}`,
      })
    }
    const state = this.#state(tp)
    state.position = offset
    state.positionLeaderEpoch = null
    state.resetStrategy = null
  }

  /**
   * Asks for a reset of the partitions (all assigned ones when none are named): their position is
   * forgotten until `completeReset()` brings the ListOffsets answer. `seekToBeginning()` is
   * `'earliest'`, `seekToEnd()` is `'latest'`. Returns the partitions.
   */
  requestReset(strategy: ResetStrategy, partitions: readonly TopicPartition[] = []): TopicPartition[] {
    const targets = partitions.length === 0 ? this.assignment() : uniqueTopicPartitions(partitions)
    // Check every partition first, so a bad one leaves the others untouched.
    const states = targets.map((tp) => this.#state(tp))
    for (const state of states) {
      state.position = null
      state.positionLeaderEpoch = null
      state.resetStrategy = strategy
    }
    return targets
  }

  /** Partitions waiting for ListOffsets, with the offset they want. */
  partitionsAwaitingReset(): Array<[TopicPartition, ResetStrategy]> {
    const result: Array<[TopicPartition, ResetStrategy]> = []
    for (const [tp, state] of this.#assignment) {
      if (state.resetStrategy !== null) result.push([tp, state.resetStrategy])
    }
    return result
  }

  /** Partitions with neither a position nor a pending reset: they need their committed offset. */
  partitionsNeedingPosition(): TopicPartition[] {
    const result: TopicPartition[] = []
    for (const [tp, state] of this.#assignment) if (state.fetchState === 'initializing') result.push(tp)
    return result
  }

  /**
   * Gives positionless partitions a position: the committed offset when there is one, otherwise a reset
   * by `autoOffsetReset`. With `'none'` and no committed offset, throws `NoOffsetForPartitionError`
   * naming the partitions (aiokafka raises it from `position()`/`getmany()`), after applying the others.
   * With `partitions`, only those of them still without a position are considered (others may be waiting
   * for their committed offset).
   */
  initializePositions(
    committed: TopicPartitionMap<OffsetAndMetadata | null> = new TopicPartitionMap(),
    partitions?: readonly TopicPartition[],
  ): void {
    const missing: TopicPartition[] = []
    const targets =
      partitions === undefined
        ? this.partitionsNeedingPosition()
        : partitions.filter((tp) => this.#assignment.get(tp)?.fetchState === 'initializing')
    for (const tp of targets) {
      const state = this.#state(tp)
      const offset = committed.get(tp) ?? null
      if (offset !== null) {
        state.committed = offset
        state.position = offset.offset
      } else if (this.#defaultReset === 'none') {
        missing.push(tp)
      } else {
        state.resetStrategy = this.#defaultReset
      }
    }
    if (missing.length > 0) {
      throw new NoOffsetForPartitionError({
        message: `No committed offset and autoOffsetReset is 'none' for ${missing.map(formatTopicPartition).join(', ')}`,
      })
    }
  }

  /**
   * The fetch position was out of range: reset by `autoOffsetReset`. Returns false when the policy is
   * `'none'`, leaving the position for the caller to report in an `OffsetOutOfRangeError`.
   */
  resetOutOfRange(tp: TopicPartition): boolean {
    if (this.#defaultReset === 'none') return false
    this.requestReset(this.#defaultReset, [tp])
    return true
  }

  /**
   * Applies a ListOffsets answer. Ignored (false) when the partition is no longer assigned or no longer
   * waits for this strategy, because a `seek()` since the request must win over its stale answer.
   */
  completeReset(tp: TopicPartition, strategy: ResetStrategy, offset: bigint, leaderEpoch?: number): boolean {
    const state = this.#assignment.get(tp)
    if (state === undefined || state.resetStrategy !== strategy) return false
    state.position = offset
    state.positionLeaderEpoch = leaderEpoch === undefined || leaderEpoch < 0 ? null : leaderEpoch
    state.resetStrategy = null
    return true
  }

  /** Stops fetching the partitions; their positions stay. */
  pause(...partitions: TopicPartition[]): void {
    for (const state of partitions.map((tp) => this.#state(tp))) state.paused = true
  }

  resume(...partitions: TopicPartition[]): void {
    for (const state of partitions.map((tp) => this.#state(tp))) state.paused = false
  }

  /** The paused partitions, in assignment order. */
  paused(): TopicPartition[] {
    const result: TopicPartition[] = []
    for (const [tp, state] of this.#assignment) if (state.paused) result.push(tp)
    return result
  }

  isPaused(tp: TopicPartition): boolean {
    return this.#state(tp).paused
  }

  /** Whether the partition is assigned, has a position and is not paused. */
  isFetchable(tp: TopicPartition): boolean {
    const state = this.#assignment.get(tp)
    return state !== undefined && !state.paused && state.fetchState === 'fetching'
  }

  /**
   * The partitions a fetch may ask for, with their positions: assigned, with a position, not paused,
   * and passing `filter` (e.g. the record buffer's backpressure check).
   */
  fetchablePartitions(filter?: (tp: TopicPartition) => boolean): Array<[TopicPartition, bigint]> {
    const result: Array<[TopicPartition, bigint]> = []
    for (const [tp, state] of this.#assignment) {
      if (state.paused || state.resetStrategy !== null || state.position === null) continue
      if (filter === undefined || filter(tp)) result.push([tp, state.position])
    }
    return result
  }

  /**
   * Moves the position after records were handed to the application (or skipped: control batches,
   * aborted transactions, compacted gaps). Positions only move forward; an older offset is ignored and
   * false returned. Throws when the partition has no position, which means a buffer let stale records
   * through.
   */
  consumedTo(tp: TopicPartition, nextOffset: bigint, leaderEpoch: number | null = null): boolean {
    const state = this.#state(tp)
    if (state.position === null) {
      throw new IllegalStateError({ message: `${formatTopicPartition(tp)} has no position to move` })
    }
    if (nextOffset < state.position) return false
    state.position = nextOffset
    if (leaderEpoch !== null && leaderEpoch >= 0) state.positionLeaderEpoch = leaderEpoch
    return true
  }

  /**
   * Records the watermarks of a fetch response as it arrives, whether or not its records are delivered,
   * so `highwater()` and lag follow the broker. Ignored for a partition no longer assigned.
   */
  updateFetchMetadata(tp: TopicPartition, metadata: FetchedPartitionMetadata, timestamp: number): void {
    const state = this.#assignment.get(tp)
    if (state === undefined) return
    state.highwater = metadata.highWatermark
    state.lastStableOffset = metadata.lastStableOffset
    if (metadata.logStartOffset >= 0n) state.logStartOffset = metadata.logStartOffset
    state.lastPollTimestamp = timestamp
  }

  /** What `commit()` without arguments commits: every position, as the next offset to read. */
  allConsumed(): TopicPartitionMap<OffsetAndMetadata> {
    const result = new TopicPartitionMap<OffsetAndMetadata>()
    for (const [tp, state] of this.#assignment) {
      if (state.position !== null) result.set(tp, { offset: state.position, metadata: '' })
    }
    return result
  }

  /**
   * Checks and normalizes `commit(offsets)`'s argument: each value is the *next* offset (`bigint`) or an
   * `OffsetAndMetadata`; every partition must be assigned (aiokafka: `IllegalStateError`).
   */
  commitOffsets(
    offsets: Iterable<readonly [TopicPartition, bigint | OffsetAndMetadata]>,
  ): TopicPartitionMap<OffsetAndMetadata> {
    const result = new TopicPartitionMap<OffsetAndMetadata>()
    for (const [tp, value] of offsets) {
      toTopicPartition(tp)
      this.#state(tp)
      const offsetAndMetadata = typeof value === 'bigint' ? { offset: value, metadata: '' } : value
      if (
        typeof offsetAndMetadata !== 'object' ||
        offsetAndMetadata === null ||
        typeof offsetAndMetadata.offset !== 'bigint' ||
        offsetAndMetadata.offset < 0n ||
        typeof offsetAndMetadata.metadata !== 'string'
      ) {
        throw new IllegalArgumentError({
          message: `commit offset for ${formatTopicPartition(tp)} must be a non-negative bigint or { offset: bigint, metadata: string }`,
        })
      }
      result.set(tp, offsetAndMetadata)
    }
    return result
  }

  /** The last committed offset known for the partition (null when none is known). */
  committed(tp: TopicPartition): OffsetAndMetadata | null {
    return this.#state(tp).committed
  }

  /** Records a committed offset (after a successful commit, or fetched from the coordinator). */
  updateCommitted(tp: TopicPartition, committed: OffsetAndMetadata | null): void {
    const state = this.#assignment.get(tp)
    if (state !== undefined) state.committed = committed
  }

  #state(tp: TopicPartition): PartitionState {
    // Look up first and check the argument only on a miss, so the hot path allocates nothing.
    if (typeof tp !== 'object' || tp === null) toTopicPartition(tp)
    const state = this.#assignment.get(tp)
    if (state === undefined) {
      toTopicPartition(tp)
      throw new IllegalStateError({ message: `${formatTopicPartition(tp)} is not assigned to this consumer` })
    }
    return state
  }
}
