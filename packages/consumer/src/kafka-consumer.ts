import { ClusterClient } from '@kafkite/cluster'
import {
  ConsumerStoppedError,
  IllegalArgumentError,
  IllegalStateError,
  KafkaTimeoutError,
  Metadata,
  RecordTooLargeError,
} from '@kafkite/protocol'
import { type ConsumerCluster, clusterOptionsFor } from './consumer-cluster.js'
import { IllegalOperation } from './consumer-errors.js'
import {
  type ConsumerOptions,
  type ResolvedConsumerOptions,
  resolveConsumerOptions,
} from './consumer-options.js'
import type { ConsumerRecord, DefaultDeserialized } from './consumer-record.js'
import { FetchResponseHandler } from './fetch-response-handler.js'
import { Fetcher } from './fetcher.js'
import type { OffsetAndMetadata, OffsetAndTimestamp } from './offset-and-metadata.js'
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, OffsetRequests } from './offset-requests.js'
import { RecordBuffer } from './record-buffer.js'
import { type ResetStrategy, SubscriptionState } from './subscription-state.js'
import {
  compareTopicPartitions,
  formatTopicPartition,
  type TopicPartition,
  TopicPartitionMap,
  toTopicPartition,
  uniqueTopicPartitions,
} from './topic-partition.js'

/** `getmany()`'s trailing options. */
export interface GetManyOptions {
  /** How long to wait for records when none are buffered. Default 0: return what is buffered at once. */
  readonly timeoutMs?: number
  /** The most records to return. Default `maxPollRecords` (no limit when that is null). */
  readonly maxRecords?: number
}

/** Offsets to commit: a `TopicPartitionMap` or `[partition, offset]` pairs; the offset is the *next* one. */
export type CommitOffsets =
  | TopicPartitionMap<bigint | OffsetAndMetadata>
  | Iterable<readonly [TopicPartition, bigint | OffsetAndMetadata]>

/** `offsetsForTimes()`'s argument: epoch milliseconds per partition. */
export type TimestampQuery = TopicPartitionMap<number> | Iterable<readonly [TopicPartition, number]>

/** Test seam: the cluster client the consumer talks through. Not part of the public API. */
export interface KafkaConsumerInternals {
  readonly cluster?: ConsumerCluster
  /** KIP-227 incremental fetch sessions; default true. */
  readonly fetchSessions?: boolean
}

type State = 'new' | 'starting' | 'started' | 'stopped'

/** The issue that will bring group membership (subscribe, rebalances, heartbeats). */
const GROUP_MEMBERSHIP_PENDING =
  'Group membership (subscribe(), rebalancing) is not supported yet: it comes with the consumer-group issue that follows issue 9. Use assign() with explicit partitions; a groupId still enables commit() and committed().'

/**
 * aiokafka's `AIOKafkaConsumer`, with manual assignment: `assign()` partitions, read them with
 * `getone()`, `getmany()` or `for await`, move with `seek*()`, and commit to a group with `groupId`
 * (as a "simple" consumer: no group membership, generation -1).
 *
 * Records are prefetched in the background, one Fetch in flight per leader broker, bounded by
 * `maxPartitionFetchBytes` per partition and `maxBufferedBytes` in all. Positions move as records are
 * handed out, so `position()` after reading a record is its offset + 1.
 */
export class KafkaConsumer<K = DefaultDeserialized, V = DefaultDeserialized>
  implements AsyncIterable<ConsumerRecord<K, V>>
{
  readonly #options: ResolvedConsumerOptions<K, V>
  readonly #cluster: ConsumerCluster
  readonly #subscription: SubscriptionState
  readonly #buffer: RecordBuffer<K, V>
  readonly #offsets: OffsetRequests
  readonly #fetcher: Fetcher<K, V>
  #state: State = 'new'
  #starting: Promise<void> | undefined
  #stopping: Promise<void> | undefined
  #autoCommitTimer: NodeJS.Timeout | undefined
  #autoCommitting: Promise<void> | undefined

  constructor(options: ConsumerOptions<K, V> = {}, internals: KafkaConsumerInternals = {}) {
    this.#options = resolveConsumerOptions(options)
    this.#cluster = internals.cluster ?? new ClusterClient(clusterOptionsFor(this.#options))
    this.#subscription = new SubscriptionState({ autoOffsetReset: this.#options.autoOffsetReset })
    this.#buffer = new RecordBuffer<K, V>(this.#subscription, {
      maxPartitionBytes: this.#options.maxPartitionFetchBytes,
      maxBufferedBytes: this.#options.maxBufferedBytes,
    })
    const handler = new FetchResponseHandler<K, V>({
      isolationLevel: this.#options.isolationLevel,
      autoOffsetReset: this.#options.autoOffsetReset,
      checkCrcs: this.#options.checkCrcs,
      keyDeserializer: this.#options.keyDeserializer,
      valueDeserializer: this.#options.valueDeserializer,
    })
    this.#offsets = new OffsetRequests(this.#cluster, this.#options.requestTimeoutMs)
    this.#fetcher = new Fetcher(this.#cluster, this.#subscription, this.#buffer, handler, this.#offsets, {
      ...this.#options,
      ...(internals.fetchSessions === undefined ? {} : { fetchSessions: internals.fetchSessions }),
    })
  }

  /** The options in effect, defaults applied. */
  get options(): ResolvedConsumerOptions<K, V> {
    return this.#options
  }

  // ---- lifecycle ----

  /** Connects and loads metadata, then starts prefetching the assigned partitions. */
  start(): Promise<void> {
    if (this.#state === 'stopped') return Promise.reject(stoppedError())
    if (this.#starting === undefined) {
      this.#state = 'starting'
      this.#starting = this.#start()
    }
    return this.#starting
  }

  async #start(): Promise<void> {
    await this.#cluster.bootstrap()
    if (this.#state !== 'starting') throw stoppedError()
    this.#state = 'started'
    this.#fetcher.start()
    if (this.#options.enableAutoCommit) this.#scheduleAutoCommit()
  }

  /**
   * Commits consumed positions (with auto-commit), stops fetching and closes every connection. Pending
   * `getone()`/`getmany()` calls reject with `ConsumerStoppedError`. Idempotent.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop()
    return this.#stopping
  }

  async #stop(): Promise<void> {
    const wasStarted = this.#state === 'started'
    this.#state = 'stopped'
    if (this.#autoCommitTimer !== undefined) clearTimeout(this.#autoCommitTimer)
    this.#autoCommitTimer = undefined
    await this.#autoCommitting
    if (wasStarted && this.#options.enableAutoCommit) {
      // aiokafka logs a failed final commit and still closes.
      await this.#commitConsumed().catch(() => undefined)
    }
    this.#fetcher.close()
    await this.#starting?.catch(() => undefined)
    await this.#cluster.close()
    await this.#fetcher.settled()
    this.#buffer.clear()
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop()
  }

  // ---- assignment ----

  /** Not supported yet: group membership comes with a later issue. Use `assign()`. */
  subscribe(_topics?: readonly string[] | RegExp, _listener?: unknown): never {
    throw new IllegalStateError({ message: GROUP_MEMBERSHIP_PENDING })
  }

  /** Not supported yet (see `subscribe()`). */
  subscription(): never {
    throw new IllegalStateError({ message: GROUP_MEMBERSHIP_PENDING })
  }

  /** Without a subscription there is nothing to leave; drops the assignment as aiokafka does. */
  unsubscribe(): void {
    this.assign([])
  }

  /**
   * Replaces the assignment (not incremental). Partitions that stay keep their position; new ones start
   * from the group's committed offset, else by `autoOffsetReset`.
   */
  assign(partitions: readonly TopicPartition[]): void {
    this.#checkNotStopped()
    if (!Array.isArray(partitions)) {
      throw new IllegalArgumentError({ message: 'assign() takes an array of TopicPartition' })
    }
    const change = this.#subscription.assign(partitions.map(toTopicPartition))
    for (const tp of change.removed) this.#buffer.drop(tp)
    this.#fetcher.clearPartitions([...change.removed, ...change.added])
    this.#fetcher.wake()
  }

  /** The assigned partitions. */
  assignment(): TopicPartition[] {
    return this.#subscription.assignment()
  }

  // ---- reading ----

  /**
   * The next record of the given partitions (any assigned one when none are given); waits without limit.
   * Rejects with the partition's error when fetching it failed, and with `ConsumerStoppedError` on stop.
   */
  async getone(...partitions: TopicPartition[]): Promise<ConsumerRecord<K, V>> {
    this.#checkReading()
    const only = uniqueTopicPartitions(partitions)
    for (;;) {
      const record = this.#buffer.getone(only)
      this.#fetcher.wake()
      if (record !== null) return record
      await this.#fetcher.waitForChange(null)
    }
  }

  /**
   * Records by partition (all assigned ones when none are given). Waits up to `timeoutMs` (default 0)
   * when nothing is buffered; at most `maxRecords` records (default `maxPollRecords`).
   */
  async getmany(
    ...args: Array<TopicPartition | GetManyOptions>
  ): Promise<TopicPartitionMap<ConsumerRecord<K, V>[]>> {
    this.#checkReading()
    const { partitions, options } = splitGetmanyArguments(args)
    const timeoutMs = options.timeoutMs ?? 0
    if (!(Number.isFinite(timeoutMs) && timeoutMs >= 0)) {
      throw new IllegalArgumentError({ message: `timeoutMs must be a non-negative number, not ${timeoutMs}` })
    }
    const maxRecords = options.maxRecords ?? this.#options.maxPollRecords
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const records = this.#buffer.getmany(partitions, maxRecords)
      this.#fetcher.wake()
      const remaining = deadline - Date.now()
      if (records.size > 0 || remaining <= 0) return records
      await this.#fetcher.waitForChange(remaining)
    }
  }

  /**
   * `for await (const record of consumer)`: ends when the consumer stops; `break` does not stop it.
   * As aiokafka, a record too large for `maxPartitionFetchBytes` is skipped past rather than thrown.
   */
  [Symbol.asyncIterator](): AsyncIterator<ConsumerRecord<K, V>> {
    return {
      next: async (): Promise<IteratorResult<ConsumerRecord<K, V>>> => {
        for (;;) {
          try {
            return { done: false, value: await this.getone() }
          } catch (error) {
            if (error instanceof ConsumerStoppedError) return { done: true, value: undefined }
            if (error instanceof RecordTooLargeError) continue
            throw error
          }
        }
      },
      return: async (): Promise<IteratorResult<ConsumerRecord<K, V>>> => ({ done: true, value: undefined }),
    }
  }

  // ---- positions ----

  /** The offset of the next record to read; waits (up to `requestTimeoutMs`) for a valid position. */
  async position(partition: TopicPartition): Promise<bigint> {
    const tp = toTopicPartition(partition)
    this.#subscription.position(tp)
    this.#checkNetwork()
    const deadline = Date.now() + this.#options.requestTimeoutMs
    for (;;) {
      const error = this.#fetcher.positionError(tp)
      if (error !== undefined) throw error
      const position = this.#subscription.position(tp)
      if (position !== null && this.#subscription.hasValidPosition(tp)) return position
      const remaining = deadline - Date.now()
      if (remaining <= 0) {
        throw new KafkaTimeoutError({
          message: `No position for ${formatTopicPartition(tp)} within ${this.#options.requestTimeoutMs} ms`,
        })
      }
      this.#fetcher.wake()
      await this.#fetcher.waitForChange(remaining)
    }
  }

  /** Moves the partition's position; the next read starts at `offset`. */
  seek(partition: TopicPartition, offset: bigint): void {
    const tp = toTopicPartition(partition)
    this.#subscription.seek(tp, offset)
    this.#buffer.drop(tp)
    this.#fetcher.clearPartitions([tp])
    this.#fetcher.wake()
  }

  /** Resets to the earliest offset (all assigned partitions when none are given); false on timeout. */
  seekToBeginning(...partitions: TopicPartition[]): Promise<boolean> {
    return this.#seekTo('earliest', partitions)
  }

  /** Resets to the end: the high watermark, or the LSO with `read_committed`; false on timeout. */
  seekToEnd(...partitions: TopicPartition[]): Promise<boolean> {
    return this.#seekTo('latest', partitions)
  }

  async #seekTo(strategy: ResetStrategy, partitions: TopicPartition[]): Promise<boolean> {
    this.#checkNetwork()
    const targets = this.#subscription.requestReset(strategy, partitions.map(toTopicPartition))
    for (const tp of targets) this.#buffer.drop(tp)
    this.#fetcher.clearPartitions(targets)
    this.#fetcher.wake()
    const deadline = Date.now() + this.#options.requestTimeoutMs
    for (;;) {
      let done = true
      for (const tp of targets) {
        if (!this.#subscription.isAssigned(tp)) continue
        const error = this.#fetcher.positionError(tp)
        if (error !== undefined) throw error
        const state = this.#subscription.partitionState(tp)
        if (state.resetStrategy === strategy) done = false
      }
      if (done) return true
      const remaining = deadline - Date.now()
      if (remaining <= 0) return false
      await this.#fetcher.waitForChange(remaining)
    }
  }

  /** Seeks each partition to the group's committed offset; returns what was committed (null: none). */
  async seekToCommitted(...partitions: TopicPartition[]): Promise<TopicPartitionMap<bigint | null>> {
    const groupId = this.#groupId('seekToCommitted')
    this.#checkNetwork()
    const targets =
      partitions.length === 0 ? this.#subscription.assignment() : uniqueTopicPartitions(partitions)
    for (const tp of targets) this.#subscription.position(tp)
    const committed = await this.#offsets.fetchCommitted(groupId, targets, this.#readCommitted())
    const result = new TopicPartitionMap<bigint | null>()
    for (const tp of targets) {
      const offset = committed.get(tp) ?? null
      result.set(tp, offset?.offset ?? null)
      if (offset !== null && this.#subscription.isAssigned(tp)) {
        this.#subscription.updateCommitted(tp, offset)
        this.seek(tp, offset.offset)
      }
    }
    return result
  }

  // ---- offsets and commits ----

  /**
   * Commits offsets for the group: the given ones (the *next* offset to read, `record.offset + 1n`), or
   * every consumed position. Needs `groupId` (`IllegalOperation`); partitions must be assigned.
   */
  async commit(offsets?: CommitOffsets): Promise<void> {
    const groupId = this.#groupId('commit')
    this.#checkNetwork()
    if (offsets === undefined) {
      await this.#commitConsumed()
      return
    }
    const checked = this.#subscription.commitOffsets(offsets)
    await this.#offsets.commit(groupId, checked)
    for (const [tp, value] of checked) this.#subscription.updateCommitted(tp, value)
  }

  async #commitConsumed(): Promise<void> {
    const groupId = this.#options.groupId
    if (groupId === null) return
    const offsets = this.#subscription.allConsumed()
    await this.#offsets.commit(groupId, offsets)
    for (const [tp, value] of offsets) this.#subscription.updateCommitted(tp, value)
  }

  /** The group's committed offset of the partition, asked of the coordinator each time; null: none. */
  async committed(partition: TopicPartition): Promise<bigint | null> {
    const groupId = this.#groupId('committed')
    const tp = toTopicPartition(partition)
    this.#checkNetwork()
    const answer = await this.#offsets.fetchCommitted(groupId, [tp], this.#readCommitted())
    const committed = answer.get(tp) ?? null
    if (this.#subscription.isAssigned(tp)) this.#subscription.updateCommitted(tp, committed)
    return committed?.offset ?? null
  }

  /** The high watermark from the last fetch response; null until one arrived. */
  highwater(partition: TopicPartition): bigint | null {
    return this.#subscription.highwater(toTopicPartition(partition))
  }

  /** The last stable offset from the last fetch response (-1 with `read_uncommitted`); null until then. */
  lastStableOffset(partition: TopicPartition): bigint | null {
    return this.#subscription.lastStableOffset(toTopicPartition(partition))
  }

  /** When (epoch ms) the last fetch response for the partition arrived; null until one did. */
  lastPollTimestamp(partition: TopicPartition): number | null {
    return this.#subscription.lastPollTimestamp(toTopicPartition(partition))
  }

  /** The first offset of each partition. Does not move positions; partitions need not be assigned. */
  async beginningOffsets(partitions: readonly TopicPartition[]): Promise<TopicPartitionMap<bigint>> {
    return this.#listOffsets(partitions, EARLIEST_TIMESTAMP)
  }

  /** The end of each partition: last offset + 1, or the LSO with `read_committed`. */
  async endOffsets(partitions: readonly TopicPartition[]): Promise<TopicPartitionMap<bigint>> {
    return this.#listOffsets(partitions, LATEST_TIMESTAMP)
  }

  async #listOffsets(
    partitions: readonly TopicPartition[],
    timestamp: bigint,
  ): Promise<TopicPartitionMap<bigint>> {
    this.#checkNetwork()
    const query = new TopicPartitionMap<bigint>()
    for (const tp of uniqueTopicPartitions(partitions)) query.set(tp, timestamp)
    const answers = await this.#offsets.listOffsets(query, this.#options.isolationLevel)
    const result = new TopicPartitionMap<bigint>()
    for (const tp of query.keys()) result.set(tp, answers.get(tp)!.offset)
    return result
  }

  /**
   * For each partition, the earliest offset whose timestamp is at or after the given one (epoch ms), or
   * null when there is none. Partitions need not be assigned.
   */
  async offsetsForTimes(timestamps: TimestampQuery): Promise<TopicPartitionMap<OffsetAndTimestamp | null>> {
    this.#checkNetwork()
    const query = new TopicPartitionMap<bigint>()
    for (const [tp, timestamp] of timestamps) {
      if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0) {
        throw new IllegalArgumentError({
          message: `The timestamp of ${formatTopicPartition(tp)} must be a non-negative integer (epoch ms), not ${String(timestamp)}`,
        })
      }
      query.set(toTopicPartition(tp), BigInt(timestamp))
    }
    const answers = await this.#offsets.listOffsets(query, this.#options.isolationLevel)
    const result = new TopicPartitionMap<OffsetAndTimestamp | null>()
    for (const tp of query.keys()) {
      const answer = answers.get(tp)!
      result.set(
        tp,
        answer.offset < 0n
          ? null
          : { offset: answer.offset, timestamp: answer.timestamp < 0n ? null : Number(answer.timestamp) },
      )
    }
    return result
  }

  // ---- flow control ----

  /** Stops fetching and delivering the partitions; their positions stay. */
  pause(...partitions: TopicPartition[]): void {
    this.#subscription.pause(...partitions.map(toTopicPartition))
  }

  /** Fetches and delivers the partitions again. */
  resume(...partitions: TopicPartition[]): void {
    this.#subscription.resume(...partitions.map(toTopicPartition))
    this.#fetcher.wake()
  }

  /** The paused partitions. */
  paused(): TopicPartition[] {
    return this.#subscription.paused()
  }

  // ---- metadata ----

  /** Every topic in the cluster (internal ones left out with `excludeInternalTopics`), sorted. */
  async topics(): Promise<string[]> {
    this.#checkNetwork()
    const response = await this.#cluster.withRetries(() =>
      this.#cluster.send(
        Metadata.api,
        Metadata.createRequest({ topics: null, allowAutoTopicCreation: false }),
      ),
    )
    return response.topics
      .filter((topic) => topic.name !== null && !(this.#options.excludeInternalTopics && topic.isInternal))
      .map((topic) => topic.name as string)
      .sort()
  }

  /** The partitions of a topic from the cached metadata; null when the topic is not known (yet). */
  partitionsForTopic(topic: string): number[] | null {
    const metadata = this.#cluster.metadata.topics.get(topic)
    if (metadata === undefined || metadata.partitions.size === 0) return null
    return [...metadata.partitions.keys()].sort((a, b) => a - b)
  }

  /** The partitions of a topic, loading its metadata when needed (the producer's name for it). */
  async partitionsFor(topic: string): Promise<number[]> {
    this.#checkNetwork()
    const partitions = await this.#cluster.partitionsFor(topic)
    return partitions.map((entry) => entry.partition).sort((a, b) => a - b)
  }

  // ---- auto-commit ----

  #scheduleAutoCommit(): void {
    this.#autoCommitTimer = setTimeout(() => {
      this.#autoCommitTimer = undefined
      this.#autoCommitting = this.#autoCommit().finally(() => {
        this.#autoCommitting = undefined
        if (this.#state === 'started') this.#scheduleAutoCommit()
      })
    }, this.#options.autoCommitIntervalMs)
    // A background chore: it must not keep the process alive by itself.
    this.#autoCommitTimer.unref()
  }

  /** Commits positions that moved since they were last committed; failures wait for the next round. */
  async #autoCommit(): Promise<void> {
    const groupId = this.#options.groupId
    if (groupId === null || this.#state !== 'started') return
    const moved = new TopicPartitionMap<OffsetAndMetadata>()
    for (const [tp, value] of this.#subscription.allConsumed()) {
      if (this.#subscription.committed(tp)?.offset !== value.offset) moved.set(tp, value)
    }
    if (moved.size === 0) return
    try {
      await this.#offsets.commit(groupId, moved)
      for (const [tp, value] of moved) this.#subscription.updateCommitted(tp, value)
    } catch {
      // As aiokafka: logged there, retried at the next interval here.
    }
  }

  // ---- checks ----

  #groupId(method: string): string {
    const groupId = this.#options.groupId
    if (groupId === null) {
      throw new IllegalOperation({ message: `${method}() needs a groupId: this consumer has none` })
    }
    return groupId
  }

  #readCommitted(): boolean {
    return this.#options.isolationLevel === 'read_committed'
  }

  #checkNotStopped(): void {
    if (this.#state === 'stopped') throw stoppedError()
  }

  #checkReading(): void {
    this.#checkNotStopped()
    if (this.#state !== 'started') {
      throw new IllegalStateError({ message: 'The consumer is not started: await start() first' })
    }
  }

  #checkNetwork(): void {
    this.#checkReading()
  }

  /** What logs may show. */
  toJSON(): Record<string, unknown> {
    return {
      clientId: this.#options.clientId,
      groupId: this.#options.groupId,
      state: this.#state,
      assignment: this.#subscription.assignment().sort(compareTopicPartitions).map(formatTopicPartition),
    }
  }
}

/** aiokafka's name for the class. */
export { KafkaConsumer as AIOKafkaConsumer }

function stoppedError(): ConsumerStoppedError {
  return new ConsumerStoppedError({ message: 'The consumer is stopped' })
}

function splitGetmanyArguments(args: ReadonlyArray<TopicPartition | GetManyOptions>): {
  partitions: TopicPartition[]
  options: GetManyOptions
} {
  const last = args.at(-1)
  const hasOptions = last !== undefined && typeof last === 'object' && last !== null && !('topic' in last)
  const options = hasOptions ? (last as GetManyOptions) : {}
  const partitions = (hasOptions ? args.slice(0, -1) : args) as TopicPartition[]
  return { partitions: uniqueTopicPartitions(partitions), options }
}
