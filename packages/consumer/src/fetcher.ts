import { isRetriable } from '@kafkite/cluster'
import {
  ConsumerStoppedError,
  ErrorCode,
  errorFromCode,
  Fetch,
  KafkaError,
  NoOffsetForPartitionError,
  OffsetOutOfRangeError,
  ZERO_UUID,
} from '@kafkite/protocol'
import type { ConsumerCluster } from './consumer-cluster.js'
import type { ResolvedConsumerOptions } from './consumer-options.js'
import type { FetchResponseHandler } from './fetch-response-handler.js'
import { FetchSession, type SessionPartition } from './fetch-session.js'
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, type OffsetRequests } from './offset-requests.js'
import type { RecordBuffer } from './record-buffer.js'
import type { SubscriptionState } from './subscription-state.js'
import {
  formatTopicPartition,
  groupByTopic,
  type TopicPartition,
  TopicPartitionMap,
  TopicPartitionSet,
} from './topic-partition.js'

type FetcherOptions = Pick<
  ResolvedConsumerOptions<unknown, unknown>,
  | 'groupId'
  | 'isolationLevel'
  | 'fetchMinBytes'
  | 'fetchMaxBytes'
  | 'fetchMaxWaitMs'
  | 'maxPartitionFetchBytes'
  | 'retryBackoffMs'
  | 'requestTimeoutMs'
> & {
  /** KIP-227 incremental fetch sessions; default true. */
  readonly fetchSessions?: boolean
}

interface Waiter {
  readonly resolve: () => void
  readonly reject: (error: Error) => void
}

/** The longest pause between two attempts to find a partition's leader or position. */
const MAX_BACKOFF_MS = 1000

/**
 * The consumer's background work, aiokafka's Fetcher: it gives assigned partitions their positions
 * (committed offsets through OffsetFetch, else ListOffsets by `autoOffsetReset`), performs requested
 * resets, and keeps one Fetch in flight per leader broker for the fetchable partitions, handing each
 * partition's answer to the `RecordBuffer`. Fetching stops for a partition while its buffered bytes are
 * at the limit, so reading is the backpressure.
 *
 * It is driven by `wake()`: after an assignment, a seek, a read or a response, the next step is worked
 * out again from the subscription state. Failures never escape: leader moves refresh metadata and are
 * retried after a backoff; errors the application must see go into the buffer (raised by `getone()` /
 * `getmany()`) or into `positionError()` (raised by `position()`).
 */
export class Fetcher<K, V> {
  readonly #cluster: ConsumerCluster
  readonly #subscription: SubscriptionState
  readonly #buffer: RecordBuffer<K, V>
  readonly #handler: FetchResponseHandler<K, V>
  readonly #offsets: OffsetRequests
  readonly #options: FetcherOptions
  readonly #isolationLevel: number
  #running = false
  #closed = false
  #scheduled = false
  readonly #inFlight = new Map<number, Promise<void>>()
  readonly #inFlightPartitions = new TopicPartitionSet()
  readonly #sessions = new Map<number, FetchSession>()
  /** Partitions not to fetch or position again before a time (`Date.now()` terms). */
  readonly #backoff = new TopicPartitionMap<number>()
  /** Failed attempts in a row per partition, for the backoff. */
  readonly #failures = new TopicPartitionMap<number>()
  readonly #nodeBackoff = new Map<number, number>()
  /** Errors of positioning (no committed offset with 'none', a failed reset), raised by `position()`. */
  readonly #positionErrors = new TopicPartitionMap<KafkaError>()
  #initializing: Promise<void> | undefined
  #resetting: Promise<void> | undefined
  #refreshing: Promise<void> | undefined
  readonly #topicLookups = new Map<string, Promise<void>>()
  #timer: NodeJS.Timeout | undefined
  #timerAt = Number.POSITIVE_INFINITY
  readonly #waiters = new Set<Waiter>()

  constructor(
    cluster: ConsumerCluster,
    subscription: SubscriptionState,
    buffer: RecordBuffer<K, V>,
    handler: FetchResponseHandler<K, V>,
    offsets: OffsetRequests,
    options: FetcherOptions,
  ) {
    this.#cluster = cluster
    this.#subscription = subscription
    this.#buffer = buffer
    this.#handler = handler
    this.#offsets = offsets
    this.#options = options
    this.#isolationLevel = options.isolationLevel === 'read_committed' ? 1 : 0
  }

  get running(): boolean {
    return this.#running
  }

  start(): void {
    if (this.#closed) return
    this.#running = true
    this.wake()
  }

  /** Works out the next step soon (coalesced): call after anything that changes what to fetch. */
  wake(): void {
    if (!this.#running || this.#scheduled) return
    this.#scheduled = true
    setImmediate(() => {
      this.#scheduled = false
      this.#pump()
    })
  }

  /** Forgets errors and backoffs of partitions that were seeked, reset or reassigned. */
  clearPartitions(partitions: Iterable<TopicPartition>): void {
    for (const tp of partitions) {
      this.#positionErrors.delete(tp)
      this.#backoff.delete(tp)
      this.#failures.delete(tp)
    }
  }

  /** The error that stops the partition from getting a position, if any. */
  positionError(tp: TopicPartition): KafkaError | undefined {
    return this.#positionErrors.get(tp)
  }

  /**
   * Resolves at the next change (records or errors buffered, positions found) or after `timeoutMs`
   * (null: no limit); rejects with `ConsumerStoppedError` when the consumer stops first.
   */
  waitForChange(timeoutMs: number | null): Promise<void> {
    if (this.#closed) return Promise.reject(stoppedError())
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined
      const waiter: Waiter = {
        resolve: () => {
          if (timer !== undefined) clearTimeout(timer)
          this.#waiters.delete(waiter)
          resolve()
        },
        reject: (error) => {
          if (timer !== undefined) clearTimeout(timer)
          this.#waiters.delete(waiter)
          reject(error)
        },
      }
      if (timeoutMs !== null) timer = setTimeout(waiter.resolve, Math.max(0, timeoutMs))
      this.#waiters.add(waiter)
      // Someone waits now: a pending backoff must keep the process alive until it fires.
      this.#timer?.ref()
    })
  }

  #notify(): void {
    for (const waiter of Array.from(this.#waiters)) waiter.resolve()
  }

  /**
   * Stops all background work; pending waits reject with `ConsumerStoppedError`. Returns when in-flight
   * requests have settled (close the cluster client to end them at once).
   */
  close(): void {
    this.#running = false
    this.#closed = true
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    const error = stoppedError()
    for (const waiter of Array.from(this.#waiters)) waiter.reject(error)
  }

  /** Resolves when every background request has settled. Never rejects. */
  async settled(): Promise<void> {
    await Promise.all([
      ...this.#inFlight.values(),
      this.#initializing,
      this.#resetting,
      this.#refreshing,
      ...this.#topicLookups.values(),
    ])
  }

  // ---- the step ----

  #pump(): void {
    if (!this.#running) return
    const now = Date.now()
    this.#expireBackoffs(now)
    if (this.#initializing === undefined && this.#needsPosition().length > 0) {
      this.#initializing = this.#initialize().finally(() => {
        this.#initializing = undefined
        this.wake()
      })
    }
    if (this.#resetting === undefined && this.#awaitingReset().length > 0) {
      this.#resetting = this.#reset().finally(() => {
        this.#resetting = undefined
        this.wake()
      })
    }
    const byNode = new Map<number, Array<[TopicPartition, bigint]>>()
    const metadata = this.#cluster.metadata
    for (const [tp, offset] of this.#buffer.fetchablePartitions()) {
      if (this.#inFlightPartitions.has(tp) || this.#backoff.has(tp)) continue
      const topic = metadata.topics.get(tp.topic)
      const partition = topic?.partitions.get(tp.partition)
      if (topic === undefined || partition === undefined) {
        this.#lookUpTopic(tp.topic)
        continue
      }
      if (partition.leaderId < 0 || !metadata.brokers.has(partition.leaderId)) {
        this.#backOff(tp, now)
        this.#refreshMetadata()
        continue
      }
      const list = byNode.get(partition.leaderId)
      if (list === undefined) byNode.set(partition.leaderId, [[tp, offset]])
      else list.push([tp, offset])
    }
    for (const [nodeId, partitions] of byNode) {
      if (this.#inFlight.has(nodeId)) continue
      const until = this.#nodeBackoff.get(nodeId)
      if (until !== undefined && until > now) continue
      this.#nodeBackoff.delete(nodeId)
      const request = this.#fetchFrom(nodeId, partitions).finally(() => {
        this.#inFlight.delete(nodeId)
        this.wake()
      })
      this.#inFlight.set(nodeId, request)
    }
    this.#armTimer()
  }

  #needsPosition(): TopicPartition[] {
    return this.#subscription
      .partitionsNeedingPosition()
      .filter((tp) => !this.#positionErrors.has(tp) && !this.#backoff.has(tp))
  }

  #awaitingReset(): Array<[TopicPartition, 'earliest' | 'latest']> {
    return this.#subscription
      .partitionsAwaitingReset()
      .filter(([tp]) => !this.#positionErrors.has(tp) && !this.#backoff.has(tp))
  }

  // ---- positions ----

  /** Committed offsets (with a group) or the reset policy for partitions without a position. */
  async #initialize(): Promise<void> {
    const partitions = this.#needsPosition()
    const groupId = this.#options.groupId
    let committed = new TopicPartitionMap<{ offset: bigint; metadata: string } | null>()
    try {
      if (groupId !== null) {
        committed = await this.#offsets.fetchCommitted(
          groupId,
          partitions,
          this.#options.isolationLevel === 'read_committed',
        )
      }
    } catch (error) {
      this.#positionFailed(partitions, error)
      return
    }
    if (!this.#running) return
    try {
      this.#subscription.initializePositions(committed, partitions)
    } catch (error) {
      if (!(error instanceof NoOffsetForPartitionError)) throw error
      for (const tp of partitions) {
        if (!this.#subscription.isAssigned(tp) || this.#subscription.hasValidPosition(tp)) continue
        if (this.#subscription.partitionState(tp).fetchState !== 'initializing') continue
        const typed = new NoOffsetForPartitionError({
          message: `${formatTopicPartition(tp)} has no committed offset and autoOffsetReset is 'none'`,
        })
        this.#positionErrors.set(tp, typed)
        this.#buffer.addError(tp, typed)
      }
    }
    for (const tp of partitions) this.#failures.delete(tp)
    this.#notify()
  }

  /** ListOffsets for partitions waiting for a reset (seekToBeginning/End, out of range, no commit). */
  async #reset(): Promise<void> {
    const awaiting = this.#awaitingReset()
    const query = new TopicPartitionMap<bigint>()
    for (const [tp, strategy] of awaiting) {
      query.set(tp, strategy === 'earliest' ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP)
    }
    let answers: Awaited<ReturnType<OffsetRequests['listOffsets']>>
    try {
      answers = await this.#offsets.listOffsets(query, this.#options.isolationLevel)
    } catch (error) {
      this.#positionFailed(
        awaiting.map(([tp]) => tp),
        error,
      )
      return
    }
    for (const [tp, strategy] of awaiting) {
      const answer = answers.get(tp)
      if (answer === undefined) continue
      // Ignored when a seek came in between: the seek wins.
      if (this.#subscription.completeReset(tp, strategy, answer.offset, answer.leaderEpoch)) {
        this.#buffer.drop(tp)
      }
      this.#failures.delete(tp)
    }
    this.#notify()
  }

  #positionFailed(partitions: readonly TopicPartition[], error: unknown): void {
    if (!this.#running) return
    if (isRetriable(error)) {
      const now = Date.now()
      for (const tp of partitions) this.#backOff(tp, now)
      return
    }
    const typed = KafkaError.isInstance(error)
      ? error
      : new KafkaError({ message: 'Cannot find the position', cause: error })
    for (const tp of partitions) {
      if (!this.#subscription.isAssigned(tp)) continue
      this.#positionErrors.set(tp, typed)
      this.#buffer.addError(tp, typed)
    }
    this.#notify()
  }

  // ---- metadata ----

  #lookUpTopic(topic: string): void {
    if (this.#topicLookups.has(topic)) return
    const lookup = this.#cluster
      .partitionsFor(topic)
      .then(
        () => undefined,
        () => {
          // Unknown yet (being created, or never): try again after a pause, as aiokafka keeps waiting.
          const now = Date.now()
          for (const tp of this.#subscription.assignment()) if (tp.topic === topic) this.#backOff(tp, now)
        },
      )
      .finally(() => {
        this.#topicLookups.delete(topic)
        this.wake()
      })
    this.#topicLookups.set(topic, lookup)
  }

  #refreshMetadata(): void {
    if (this.#refreshing !== undefined || this.#cluster.closed) return
    this.#refreshing = this.#cluster
      .refreshMetadata()
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        this.#refreshing = undefined
        this.wake()
      })
  }

  // ---- fetching ----

  #session(nodeId: number): FetchSession {
    let session = this.#sessions.get(nodeId)
    if (session === undefined) {
      session = new FetchSession(this.#options.fetchSessions ?? true)
      this.#sessions.set(nodeId, session)
    }
    return session
  }

  async #fetchFrom(nodeId: number, partitions: ReadonlyArray<[TopicPartition, bigint]>): Promise<void> {
    const metadata = this.#cluster.metadata
    const wanted = new TopicPartitionMap<SessionPartition>()
    const topicIds = new Map<string, string>()
    let allIds = true
    for (const [tp, fetchOffset] of partitions) {
      const topic = metadata.topics.get(tp.topic)
      const epoch = topic?.partitions.get(tp.partition)?.leaderEpoch ?? -1
      wanted.set(tp, {
        fetchOffset,
        maxBytes: this.#options.maxPartitionFetchBytes,
        currentLeaderEpoch: epoch,
      })
      const topicId = topic?.topicId ?? ZERO_UUID
      if (topicId === ZERO_UUID) allIds = false
      topicIds.set(tp.topic, topicId)
    }
    const session = this.#session(nodeId)
    const sessionRequest = session.build(wanted)
    for (const tp of wanted.keys()) this.#inFlightPartitions.add(tp)
    const names = new Map<string, string>()
    for (const [name, id] of topicIds) names.set(id, name)
    // Fetch v13+ names topics by id; without an id for every topic, stay at v12, which names them.
    for (const tp of sessionRequest.forget) {
      const id = metadata.topics.get(tp.topic)?.topicId ?? ZERO_UUID
      if (id === ZERO_UUID) allIds = false
      else names.set(id, tp.topic)
    }
    try {
      const request = Fetch.createRequest({
        replicaId: -1,
        maxWaitMs: this.#options.fetchMaxWaitMs,
        minBytes: this.#options.fetchMinBytes,
        maxBytes: this.#options.fetchMaxBytes,
        isolationLevel: this.#isolationLevel,
        sessionId: sessionRequest.sessionId,
        sessionEpoch: sessionRequest.sessionEpoch,
        topics: Array.from(groupByTopic(sessionRequest.send.map(([tp]) => tp)), ([topic, indexes]) => ({
          topic,
          topicId: topicIds.get(topic) ?? ZERO_UUID,
          partitions: indexes.map((partition) => {
            const data = wanted.get({ topic, partition })!
            return {
              partition,
              currentLeaderEpoch: data.currentLeaderEpoch,
              fetchOffset: data.fetchOffset,
              partitionMaxBytes: data.maxBytes,
            }
          }),
        })),
        forgottenTopicsData: Array.from(groupByTopic(sessionRequest.forget), ([topic, indexes]) => ({
          topic,
          topicId: metadata.topics.get(topic)?.topicId ?? ZERO_UUID,
          partitions: indexes,
        })),
      })
      let response: Fetch.Response
      try {
        response = await this.#cluster.sendToBroker(nodeId, Fetch.api, request, {
          lane: 'fetch',
          ...(allIds ? {} : { version: await this.#versionWithoutTopicIds(nodeId) }),
        })
      } catch (error) {
        session.reset()
        this.#requestFailed(nodeId, wanted.keyArray(), error)
        return
      }
      if (!this.#running) return
      if (!session.onResponse(response.errorCode, response.sessionId)) {
        this.#sessionFailed(nodeId, response.errorCode)
        return
      }
      this.#handleResponse(response, sessionRequest.partitions, names)
    } finally {
      for (const tp of wanted.keys()) this.#inFlightPartitions.delete(tp)
    }
  }

  /** Fetch v13+ names topics by id: without an id for every topic, the highest version below. */
  async #versionWithoutTopicIds(nodeId: number): Promise<number> {
    const connection = await this.#cluster.brokerConnection(nodeId, 'fetch')
    return Math.min(12, connection.versionFor(Fetch.api))
  }

  #handleResponse(
    response: Fetch.Response,
    partitions: TopicPartitionMap<SessionPartition>,
    names: ReadonlyMap<string, string>,
  ): void {
    const now = Date.now()
    let changed = false
    let refresh = false
    for (const topic of response.responses) {
      const name = topic.topic !== '' ? topic.topic : names.get(topic.topicId)
      if (name === undefined) continue
      for (const data of topic.partitions) {
        const tp = { topic: name, partition: data.partitionIndex }
        const asked = partitions.get(tp)
        if (asked === undefined || !this.#subscription.isAssigned(tp)) continue
        const fetchOffset = asked.fetchOffset
        // Stale: a seek, pause or read moved the partition since the request.
        if (this.#buffer.nextFetchOffset(tp) !== fetchOffset) continue
        const outcome = this.#handler.handle(tp, fetchOffset, data)
        switch (outcome.kind) {
          case 'records': {
            const metadata =
              this.#isolationLevel === 1 ? outcome.metadata : { ...outcome.metadata, lastStableOffset: -1n }
            this.#subscription.updateFetchMetadata(tp, metadata, now)
            this.#failures.delete(tp)
            const fetch = outcome.fetch
            // Nothing to read and nothing skipped: no need to buffer it.
            if (fetch.sizeInBytes === 0 && fetch.endOffset === fetchOffset) break
            if (this.#buffer.add(fetch)) changed = true
            break
          }
          case 'resetOffset':
            if (this.#subscription.position(tp) === fetchOffset) {
              this.#subscription.requestReset(outcome.strategy, [tp])
              this.#buffer.drop(tp)
              changed = true
            } else {
              this.#backOff(tp, now)
            }
            break
          case 'error':
            if (
              outcome.error instanceof OffsetOutOfRangeError &&
              this.#subscription.position(tp) !== fetchOffset
            ) {
              // Out of range ahead of what is buffered: decided when the position gets there.
              this.#backOff(tp, now)
              break
            }
            this.#buffer.addError(tp, outcome.error)
            changed = true
            break
          case 'refreshMetadata':
            refresh = true
            this.#backOff(tp, now)
            break
          case 'retry':
            this.#backOff(tp, now)
            break
        }
      }
    }
    if (refresh) this.#refreshMetadata()
    if (changed) this.#notify()
  }

  /**
   * A top-level error code: nothing in the response is usable. As in Java, it is not the application's
   * to see: session errors start over at once with a full fetch; others back off and retry.
   */
  #sessionFailed(nodeId: number, errorCode: number): void {
    if (
      errorCode === ErrorCode.FETCH_SESSION_ID_NOT_FOUND ||
      errorCode === ErrorCode.INVALID_FETCH_SESSION_EPOCH
    ) {
      return
    }
    this.#nodeBackoff.set(nodeId, Date.now() + this.#options.retryBackoffMs)
    if (errorFromCode(errorCode)?.invalidMetadata === true) this.#refreshMetadata()
  }

  #requestFailed(nodeId: number, partitions: readonly TopicPartition[], error: unknown): void {
    if (!this.#running || this.#cluster.closed) return
    this.#nodeBackoff.set(nodeId, Date.now() + this.#options.retryBackoffMs)
    if (isRetriable(error)) {
      if (KafkaError.isInstance(error) && error.invalidMetadata) this.#refreshMetadata()
      return
    }
    const typed = KafkaError.isInstance(error)
      ? error
      : new KafkaError({ message: `Fetch from node ${nodeId} failed`, cause: error })
    for (const tp of partitions) this.#buffer.addError(tp, typed)
    this.#notify()
  }

  // ---- backoff ----

  #backOff(tp: TopicPartition, now: number): void {
    const failures = (this.#failures.get(tp) ?? 0) + 1
    this.#failures.set(tp, failures)
    const delay = Math.min(MAX_BACKOFF_MS, this.#options.retryBackoffMs * 2 ** Math.min(failures - 1, 10))
    this.#backoff.set(tp, now + delay)
  }

  #expireBackoffs(now: number): void {
    for (const [tp, until] of Array.from(this.#backoff)) if (until <= now) this.#backoff.delete(tp)
    for (const [nodeId, until] of Array.from(this.#nodeBackoff))
      if (until <= now) this.#nodeBackoff.delete(nodeId)
  }

  /** Wakes the step when the earliest backoff ends. */
  #armTimer(): void {
    let next = Number.POSITIVE_INFINITY
    for (const until of this.#backoff.values()) next = Math.min(next, until)
    for (const until of this.#nodeBackoff.values()) next = Math.min(next, until)
    if (next === Number.POSITIVE_INFINITY || (this.#timer !== undefined && this.#timerAt <= next)) return
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timerAt = next
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined
        this.#timerAt = Number.POSITIVE_INFINITY
        this.wake()
      },
      Math.max(1, next - Date.now()),
    )
    // In the background only: it holds the process while someone waits for records or a position.
    if (this.#waiters.size === 0) this.#timer.unref()
  }
}

function stoppedError(): ConsumerStoppedError {
  return new ConsumerStoppedError({ message: 'The consumer was stopped' })
}
