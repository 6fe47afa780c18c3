import { inspect } from 'node:util'
import {
  type ApiSchema,
  ErrorCode,
  errorFromCode,
  FindCoordinator,
  IllegalArgumentError,
  IllegalStateError,
  KafkaError,
  LeaderNotAvailableError,
  Metadata,
  NoBrokersAvailable,
  UnknownTopicOrPartitionError,
} from '@kafkite/protocol'
import { BrokerConnection, type BrokerConnectionOptions } from '@kafkite/transport'
import { type BrokerAddress, formatAddress } from './broker-address.js'
import { BrokerPool, type Lane } from './broker-pool.js'
import {
  type ClusterMetadata,
  EMPTY_METADATA,
  mergeMetadata,
  type PartitionMetadata,
  type TopicMetadata,
} from './cluster-metadata.js'
import {
  type ClusterClientOptions,
  type ResolvedClusterOptions,
  resolveClusterOptions,
} from './cluster-options.js'
import {
  COORDINATOR_KEY_TYPES,
  type CoordinatorAnswer,
  CoordinatorCache,
  type CoordinatorKind,
  type CoordinatorNode,
} from './coordinator-cache.js'
import { coordinatorLookupChannel, metadataRefreshChannel, retryChannel } from './diagnostics.js'
import { BrokerNotFoundError } from './errors.js'
import { isRetriable, needsMetadataRefresh } from './is-retriable.js'
import { MetadataRefresher, type RefreshReason } from './metadata-refresher.js'
import { type AttemptContext, type RetryOptions, withRetries } from './with-retries.js'

/** Options of one request sent through the cluster client. */
export interface SendOptions {
  /** Which of the broker's connections carries it. Default `'default'` (`'group'` for group coordinators). */
  readonly lane?: Lane
  /** The API version; by default the highest the client and that broker share. */
  readonly version?: number
  /** Overrides `requestTimeoutMs` for this request. */
  readonly timeoutMs?: number
}

/** A partition's leader as the metadata names it. */
export interface PartitionLeader {
  readonly nodeId: number
  /** -1 when the broker does not report epochs (Metadata before v7). */
  readonly leaderEpoch: number
}

/** Retry options of `ClusterClient.withRetries`; the client fills in its own backoff and timeout. */
export type ClientRetryOptions = Omit<RetryOptions, 'signal'>

/**
 * The cluster as one client: what aiokafka's `AIOKafkaClient` does, for producer, consumer and admin to
 * build on.
 *
 * - **Bootstrap**: the bootstrap servers are tried in order until one answers Metadata.
 * - **Metadata**: brokers, controller, cluster id and the topics asked about, refreshed every
 *   `metadataMaxAgeMs` and at once (coalesced) after errors that mean it is stale; leader epochs never
 *   move backwards.
 * - **Routing**: `send()` routes by the API's kind (any broker, controller); `sendToCoordinator()` finds
 *   and caches group/transaction coordinators; partition-leader requests are split by the caller with
 *   `leaderFor()` and sent with `sendToBroker()`.
 * - **Connections**: per broker and lane, opened lazily, closed when idle, reopened with backoff.
 * - **Failures**: one attempt per `send*()` call, errors typed; `withRetries()` repeats what `isRetriable()`
 *   allows, refreshing metadata first when the error says it is stale.
 */
export class ClusterClient {
  readonly #options: ResolvedClusterOptions
  readonly #abort = new AbortController()
  readonly #pool: BrokerPool
  readonly #refresher: MetadataRefresher
  readonly #coordinators: CoordinatorCache
  #metadata: ClusterMetadata = EMPTY_METADATA
  /** Topics whose metadata is kept: every topic someone asked about. */
  readonly #topics = new Set<string>()
  /** Addresses learned from FindCoordinator for brokers the metadata does not list (yet). */
  readonly #extraAddresses = new Map<number, BrokerAddress>()
  #bootstrapping: Promise<void> | undefined
  #bootstrapped = false
  /** Set by an error that says the metadata is stale; cleared by the next successful refresh. */
  #stale = false
  #closing: Promise<void> | undefined

  constructor(options: ClusterClientOptions = {}) {
    this.#options = resolveClusterOptions(options)
    const { clientId, logger } = this.#options
    this.#pool = new BrokerPool(
      {
        clientId,
        backoff: {
          initialMs: this.#options.reconnectBackoffMs,
          maxMs: this.#options.reconnectBackoffMaxMs,
        },
        idleMs: this.#options.connectionsMaxIdleMs,
        connect: (address) => BrokerConnection.connect(this.#connectionOptions(address)),
        onLost: (nodeId, error) => {
          logger.debug?.('connection lost', { clientId, nodeId, error: error.message })
          this.#markStale()
        },
        onConnectFailed: (nodeId, error) => {
          logger.debug?.('connect failed', { clientId, nodeId, error: describe(error) })
          this.#coordinators.invalidateNode(nodeId)
          if (nodeId >= 0) this.#markStale()
        },
      },
      (nodeId) => this.#addressOf(nodeId),
    )
    this.#refresher = new MetadataRefresher({
      fetch: (reason, markSent) => this.#fetchMetadata(reason, markSent),
      minIntervalMs: this.#options.retryBackoffMs,
      maxAgeMs: this.#options.metadataMaxAgeMs,
      signal: this.#abort.signal,
      onBackgroundError: (error, reason) => {
        logger.debug?.('metadata refresh failed', { clientId, reason, error: describe(error) })
      },
    })
    this.#coordinators = new CoordinatorCache((kind, keys) => this.#findCoordinators(kind, keys))
  }

  /** The options in effect (defaults applied). Secrets stay inside their mechanism. */
  get options(): ResolvedClusterOptions {
    return this.#options
  }

  /** The current metadata snapshot; empty until `bootstrap()` succeeds. */
  get metadata(): ClusterMetadata {
    return this.#metadata
  }

  get closed(): boolean {
    return this.#abort.signal.aborted
  }

  // ---- bootstrap and metadata ----

  /**
   * Tries the bootstrap servers in order until one answers Metadata, then keeps that connection as the
   * broker's default lane. Throws `NoBrokersAvailable` listing each address's failure when none answers,
   * or at once the first error that no other server would fix (authentication, TLS, versions). Concurrent
   * calls share one attempt; after success it resolves at once. Other methods bootstrap on first use.
   */
  bootstrap(): Promise<void> {
    if (this.closed) return Promise.reject(closedError())
    if (this.#bootstrapped) return Promise.resolve()
    if (this.#bootstrapping === undefined) {
      const attempt = this.#bootstrap()
      this.#bootstrapping = attempt
      const clear = (): void => {
        if (this.#bootstrapping === attempt) this.#bootstrapping = undefined
      }
      attempt.then(clear, clear)
    }
    return this.#bootstrapping
  }

  async #bootstrap(): Promise<void> {
    const { clientId, logger } = this.#options
    const reasons: string[] = []
    const errors: unknown[] = []
    for (const address of this.#options.bootstrapServers) {
      const slot = this.#pool.bootstrapSlot(address)
      const startedAt = performance.now()
      try {
        const connection = await slot.acquire()
        const topics = [...this.#topics]
        const answer = await this.#requestMetadata(connection, topics, () => {})
        this.#applyMetadata(answer, topics)
        this.#publishRefresh('bootstrap', topics, -1, startedAt, undefined)
        this.#adoptBootstrapConnection(address, slot.release())
        this.#bootstrapped = true
        this.#refresher.start()
        logger.info?.('bootstrapped', {
          clientId,
          bootstrap: formatAddress(address),
          clusterId: this.#metadata.clusterId,
          brokers: this.#metadata.brokers.size,
        })
        return
      } catch (error) {
        this.#publishRefresh('bootstrap', [], -1, startedAt, error)
        if (this.closed) throw closedError()
        // Authentication, TLS and version errors would repeat on every server: stop and say so.
        if (!isRetriable(error)) throw error
        reasons.push(`${formatAddress(address)}: ${describe(error)}`)
        errors.push(error)
        logger.debug?.('bootstrap server failed', { clientId, address: formatAddress(address) })
      }
    }
    throw new NoBrokersAvailable({
      message: `None of the bootstrap servers answered Metadata (${reasons.join('; ')})`,
      cause: new AggregateError(errors, 'bootstrap failures'),
    })
  }

  /** The bootstrap connection becomes the default lane of the broker it turned out to be. */
  #adoptBootstrapConnection(address: BrokerAddress, connection: BrokerConnection | undefined): void {
    if (connection === undefined) return
    for (const broker of this.#metadata.brokers.values()) {
      if (broker.host === address.host && broker.port === address.port) {
        if (this.#pool.slot(broker.nodeId, 'default').adopt(connection)) return
      }
    }
    void connection.close()
  }

  /**
   * Refreshes the metadata now and resolves with the new snapshot. Concurrent calls share one Metadata
   * request (see `MetadataRefresher`).
   */
  async refreshMetadata(): Promise<ClusterMetadata> {
    await this.bootstrap()
    await this.#refresher.refresh('manual')
    return this.#metadata
  }

  /** Starts a refresh nobody waits for (coalesced with any other): after an error that says metadata is stale. */
  #markStale(): void {
    if (this.closed || !this.#bootstrapped) return
    this.#stale = true
    this.#refresher.request('stale')
  }

  /**
   * The partitions of `topic`, from the cache or, the first time a topic is asked about, from a refresh.
   * Throws the topic's typed error (`UnknownTopicOrPartitionError`, `LeaderNotAvailableError`, …) when the
   * metadata holds no partitions for it.
   */
  async partitionsFor(topic: string): Promise<readonly PartitionMetadata[]> {
    const metadata = await this.#topicMetadata(topic, undefined)
    return [...metadata.partitions.values()].sort((left, right) => left.partition - right.partition)
  }

  /**
   * The leader of a partition. Refreshes first when the topic or partition is not known yet, or when a
   * refresh asked for by an error is pending (answering from the stale cache would send the caller straight
   * back to the broker that just refused). Throws a retriable `LeaderNotAvailableError` while there is no
   * leader and `UnknownTopicOrPartitionError` for a partition the topic does not have.
   */
  async leaderFor(topic: string, partition: number): Promise<PartitionLeader> {
    if (!Number.isInteger(partition) || partition < 0) {
      throw new IllegalArgumentError({
        message: `partition must be a non-negative integer, got ${partition}`,
      })
    }
    const metadata = await this.#topicMetadata(topic, partition)
    const entry = metadata.partitions.get(partition)
    if (entry === undefined) {
      throw new UnknownTopicOrPartitionError({
        message: `Topic ${topic} has no partition ${partition} (it has ${metadata.partitions.size})`,
      })
    }
    if (entry.leaderId < 0 || !this.#metadata.brokers.has(entry.leaderId)) {
      this.#markStale()
      throw new LeaderNotAvailableError({
        message: `Partition ${topic}-${partition} has no leader right now`,
      })
    }
    return { nodeId: entry.leaderId, leaderEpoch: entry.leaderEpoch }
  }

  async #topicMetadata(topic: string, partition: number | undefined): Promise<TopicMetadata> {
    if (typeof topic !== 'string' || topic === '') {
      throw new IllegalArgumentError({ message: 'topic must be a non-empty string' })
    }
    await this.bootstrap()
    const known = this.#topics.has(topic)
    this.#topics.add(topic)
    let metadata = this.#metadata.topics.get(topic)
    const missing =
      metadata === undefined ||
      (partition !== undefined && !metadata.partitions.has(partition) && metadata.errorCode === 0)
    if (!known || missing || this.#stale) {
      try {
        await this.#refresher.refresh(known ? 'stale' : 'topics')
      } catch (error) {
        // With a cached entry, a failed refresh still leaves a usable (if possibly stale) answer.
        if (this.#metadata.topics.get(topic) === undefined) throw error
      }
      metadata = this.#metadata.topics.get(topic)
    }
    if (metadata === undefined) {
      throw new UnknownTopicOrPartitionError({ message: `No metadata for topic ${topic}` })
    }
    if (metadata.partitions.size === 0 && metadata.errorCode !== 0) {
      throw (
        errorFromCode(metadata.errorCode, {
          message: `Metadata for topic ${topic}: ${errorName(metadata.errorCode)}`,
        }) ?? new UnknownTopicOrPartitionError()
      )
    }
    return metadata
  }

  async #fetchMetadata(reason: RefreshReason, markSent: () => void): Promise<void> {
    const { requestTimeoutMs } = this.#options
    const deadline = performance.now() + requestTimeoutMs
    const reasons: string[] = []
    const errors: unknown[] = []
    const tried = new Set<string>()
    const attempt = async (nodeId: number, connect: () => Promise<BrokerConnection>): Promise<boolean> => {
      const startedAt = performance.now()
      const topics = [...this.#topics]
      try {
        const connection = await connect()
        tried.add(`${connection.host}:${connection.port}`)
        const remaining = Math.max(1, Math.min(requestTimeoutMs, deadline - performance.now()))
        const answer = await this.#requestMetadata(connection, topics, markSent, remaining)
        this.#applyMetadata(answer, topics)
        this.#publishRefresh(reason, topics, nodeId, startedAt, undefined)
        return true
      } catch (error) {
        this.#publishRefresh(reason, topics, nodeId, startedAt, error)
        if (this.closed) throw closedError()
        if (!isRetriable(error)) throw error
        reasons.push(`node ${nodeId}: ${describe(error)}`)
        errors.push(error)
        return false
      }
    }
    const brokers = [...this.#metadata.brokers.keys()]
    for (const nodeId of this.#pool.rank(brokers)) {
      if (performance.now() >= deadline) break
      if (await attempt(nodeId, () => this.#pool.connection(nodeId, 'default'))) return
    }
    // Every known broker failed: the cluster may have moved. Bootstrap servers that are not one of the
    // brokers just tried are the last resort (those that are would only repeat the same failure).
    for (const address of this.#options.bootstrapServers) {
      if (performance.now() >= deadline) break
      const known = [...this.#metadata.brokers.values()].some(
        (broker) => broker.host === address.host && broker.port === address.port,
      )
      if (known || tried.has(`${address.host}:${address.port}`)) continue
      const slot = this.#pool.bootstrapSlot(address)
      if (await attempt(-1, () => slot.acquire())) {
        this.#adoptBootstrapConnection(address, slot.release())
        return
      }
    }
    throw new NoBrokersAvailable({
      message: `No broker answered Metadata (${reasons.join('; ') || 'no broker known'})`,
      cause: new AggregateError(errors, 'metadata failures'),
    })
  }

  #requestMetadata(
    connection: BrokerConnection,
    topics: readonly string[],
    markSent: () => void,
    timeoutMs = this.#options.requestTimeoutMs,
  ): Promise<Metadata.Response> {
    const request = Metadata.createRequest({
      topics: topics.map((name) => ({ name })),
      allowAutoTopicCreation: this.#options.allowAutoTopicCreation,
    })
    markSent()
    return connection.send(Metadata.api, request, { timeoutMs })
  }

  #applyMetadata(answer: Metadata.Response, topics: readonly string[]): void {
    this.#metadata = mergeMetadata(this.#metadata, answer, topics, performance.now())
    this.#stale = false
    if (this.#metadata.brokers.size > 0) {
      const live = new Set(this.#metadata.brokers.keys())
      for (const nodeId of this.#extraAddresses.keys()) {
        if (live.has(nodeId)) this.#extraAddresses.delete(nodeId)
        else live.add(nodeId)
      }
      this.#pool.retain(live)
    }
  }

  #addressOf(nodeId: number): BrokerAddress | undefined {
    return this.#metadata.brokers.get(nodeId) ?? this.#extraAddresses.get(nodeId)
  }

  // ---- connections and routing ----

  /** A ready connection to broker `nodeId` for `lane`, opened (with backoff) if needed. */
  async brokerConnection(nodeId: number, lane: Lane = 'default'): Promise<BrokerConnection> {
    await this.bootstrap()
    if (this.#addressOf(nodeId) === undefined) {
      throw new BrokerNotFoundError({ message: `Broker ${nodeId} is not in the cluster metadata` })
    }
    return this.#pool.connection(nodeId, lane)
  }

  /**
   * Sends a request routed by its API's kind: `any` to the least busy ready broker, `controller` to the
   * controller the metadata names (in KRaft any broker forwards, so any broker when none is named).
   * Partition-leader and coordinator APIs need more than the API to route: use `sendToBroker()` after
   * `leaderFor()`, or `sendToCoordinator()`.
   */
  async send<Request, Response>(
    api: ApiSchema<Request, Response>,
    body: Request,
    options: SendOptions = {},
  ): Promise<Response> {
    await this.bootstrap()
    let nodeId: number
    switch (api.route) {
      case 'any':
        nodeId = this.#anyBroker()
        break
      case 'controller': {
        const { controllerId, brokers } = this.#metadata
        nodeId = controllerId >= 0 && brokers.has(controllerId) ? controllerId : this.#anyBroker()
        break
      }
      case 'leader':
        throw new IllegalArgumentError({
          message: `${api.name} goes to partition leaders: split it by leaderFor() and use sendToBroker()`,
        })
      case 'group':
      case 'txn':
      case 'share':
        throw new IllegalArgumentError({
          message: `${api.name} goes to a ${api.route} coordinator: use sendToCoordinator()`,
        })
      default:
        throw new IllegalArgumentError({ message: `${api.name} is not sent by clients (${api.route})` })
    }
    return this.sendToBroker(nodeId, api, body, options)
  }

  /**
   * Sends a request to broker `nodeId`. One attempt; a connection failure also starts a metadata refresh,
   * since the broker may have moved or lost its leaderships.
   */
  async sendToBroker<Request, Response>(
    nodeId: number,
    api: ApiSchema<Request, Response>,
    body: Request,
    options: SendOptions = {},
  ): Promise<Response> {
    const lane = options.lane ?? 'default'
    const connection = await this.brokerConnection(nodeId, lane)
    try {
      return await connection.send(api, body, {
        ...(options.version === undefined ? {} : { version: options.version }),
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      })
    } catch (error) {
      if (needsMetadataRefresh(error)) this.#markStale()
      throw error
    } finally {
      // A long answer (a fetch long poll) counts as use: the connection is not idle while it waits.
      if (!this.closed) this.#pool.slot(nodeId, lane).touch()
    }
  }

  /** The least busy broker to send an any-broker request to. */
  #anyBroker(): number {
    const nodeId = this.#pool.rank([...this.#metadata.brokers.keys()])[0]
    if (nodeId === undefined) throw new NoBrokersAvailable({ message: 'The metadata lists no broker' })
    return nodeId
  }

  // ---- coordinators ----

  /** The coordinator of a group (`'group'`), transactional id (`'txn'`) or share group (`'share'`), cached. */
  async coordinatorFor(kind: CoordinatorKind, key: string): Promise<CoordinatorNode> {
    if (!(kind in COORDINATOR_KEY_TYPES)) {
      throw new IllegalArgumentError({ message: `coordinator kind must be group, txn or share, got ${kind}` })
    }
    if (typeof key !== 'string')
      throw new IllegalArgumentError({ message: 'coordinator key must be a string' })
    await this.bootstrap()
    return this.#coordinators.lookup(kind, key)
  }

  /**
   * Sends a request to the coordinator of `key`. When the answer's top-level error code is NOT_COORDINATOR
   * or COORDINATOR_NOT_AVAILABLE, or the coordinator cannot be reached, the cached coordinator is dropped
   * and the typed (retriable) error thrown, so that `withRetries` looks it up again. Other error codes are
   * left in the response for the caller.
   */
  async sendToCoordinator<Request, Response>(
    kind: CoordinatorKind,
    key: string,
    api: ApiSchema<Request, Response>,
    body: Request,
    options: SendOptions = {},
  ): Promise<Response> {
    const coordinator = await this.coordinatorFor(kind, key)
    const lane = options.lane ?? (kind === 'group' ? 'group' : 'default')
    let response: Response
    try {
      response = await this.sendToBroker(coordinator.nodeId, api, body, { ...options, lane })
    } catch (error) {
      if (isRetriable(error)) this.#coordinators.invalidate(kind, key, coordinator.nodeId)
      throw error
    }
    const code = topLevelErrorCode(response)
    if (code === ErrorCode.NOT_COORDINATOR || code === ErrorCode.COORDINATOR_NOT_AVAILABLE) {
      this.#coordinators.invalidate(kind, key, coordinator.nodeId)
      throw errorFromCode(code, {
        message: `${api.name} to node ${coordinator.nodeId} for ${kind} ${key}: ${errorName(code)}`,
      })
    }
    return response
  }

  /** Drops a cached coordinator, e.g. after NOT_COORDINATOR found deep inside a response. */
  invalidateCoordinator(kind: CoordinatorKind, key: string): void {
    this.#coordinators.invalidate(kind, key)
  }

  async #findCoordinators(
    kind: CoordinatorKind,
    keys: readonly string[],
  ): Promise<ReadonlyMap<string, CoordinatorAnswer>> {
    const startedAt = performance.now()
    try {
      const answers = await this.#askFindCoordinator(kind, keys)
      for (const answer of answers.values()) {
        if (!(answer instanceof Error) && !this.#metadata.brokers.has(answer.nodeId)) {
          this.#extraAddresses.set(answer.nodeId, { host: answer.host, port: answer.port })
        }
      }
      this.#publishLookup(kind, keys, startedAt, undefined)
      return answers
    } catch (error) {
      this.#publishLookup(kind, keys, startedAt, error)
      throw error
    }
  }

  async #askFindCoordinator(
    kind: CoordinatorKind,
    keys: readonly string[],
  ): Promise<Map<string, CoordinatorAnswer>> {
    const keyType = COORDINATOR_KEY_TYPES[kind]
    const nodeId = this.#anyBroker()
    const connection = await this.brokerConnection(nodeId)
    const version = connection.versionFor(FindCoordinator.api)
    const answers = new Map<string, CoordinatorAnswer>()
    if (version >= 4) {
      // v4+ (KIP-699) looks up many keys in one request.
      const response = await this.sendToBroker(
        nodeId,
        FindCoordinator.api,
        FindCoordinator.createRequest({ keyType, coordinatorKeys: [...keys] }),
        { version },
      )
      response.coordinators.forEach((entry, index) => {
        answers.set(
          entry.key,
          coordinatorAnswer(entry.errorCode, entry.errorMessage, entry, `/coordinators/${index}/errorCode`),
        )
      })
      return answers
    }
    await Promise.all(
      keys.map(async (key) => {
        const response = await this.sendToBroker(
          nodeId,
          FindCoordinator.api,
          FindCoordinator.createRequest({ key, keyType }),
          { version },
        )
        answers.set(key, coordinatorAnswer(response.errorCode, response.errorMessage, response, '/errorCode'))
      }),
    )
    return answers
  }

  // ---- retries ----

  /**
   * Runs `operation` with the client's retry policy: `isRetriable()` decides, the pause starts at
   * `retryBackoffMs`, the budget is `requestTimeoutMs` unless a deadline is given, and metadata is
   * refreshed before the next attempt when the error says it is stale. `close()` ends the waiting.
   */
  withRetries<Result>(
    operation: (context: AttemptContext) => Promise<Result>,
    options: ClientRetryOptions = {},
  ): Promise<Result> {
    const { clientId } = this.#options
    return withRetries(operation, {
      timeoutMs: this.#options.requestTimeoutMs,
      retryBackoffMs: this.#options.retryBackoffMs,
      ...options,
      signal: this.#abort.signal,
      onRetry: async (error, attempt, delayMs) => {
        if (retryChannel.hasSubscribers) retryChannel.publish({ clientId, attempt, delayMs, error })
        this.#options.logger.debug?.('retrying', { clientId, attempt, delayMs, error: error.message })
        if (needsMetadataRefresh(error) && this.#bootstrapped) {
          this.#stale = true
          await this.#refresher.refresh('stale')
        }
        await options.onRetry?.(error, attempt, delayMs)
      },
    })
  }

  // ---- closing ----

  /**
   * Closes every connection and stops the background refresh. Every pending request and lookup settles
   * (rejects with a connection or state error); later calls reject with `IllegalStateError`. Idempotent.
   */
  close(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing
    this.#abort.abort()
    this.#refresher.stop()
    this.#coordinators.rejectAll(closedError())
    this.#closing = this.#pool.close()
    return this.#closing
  }

  /** What logs and debuggers may show: addresses, ids and counts. Never credentials. */
  toJSON(): Record<string, unknown> {
    return {
      clientId: this.#options.clientId,
      bootstrapServers: this.#options.bootstrapServers.map(formatAddress),
      securityProtocol: this.#options.securityProtocol,
      sasl: this.#options.sasl?.name ?? null,
      clusterId: this.#metadata.clusterId,
      brokers: [...this.#metadata.brokers.keys()],
      connections: this.#pool.openConnections().length,
      closed: this.closed,
    }
  }

  [inspect.custom](): string {
    return `ClusterClient ${inspect(this.toJSON())}`
  }

  // ---- helpers ----

  #connectionOptions(address: BrokerAddress): BrokerConnectionOptions {
    const options = this.#options
    return {
      host: address.host,
      port: address.port,
      clientId: options.clientId,
      connectTimeoutMs: options.connectTimeoutMs,
      requestTimeoutMs: options.requestTimeoutMs,
      maxInFlightRequests: options.maxInFlightRequests,
      logger: options.logger,
      ...(options.tls === undefined ? {} : { tls: options.tls }),
      ...(options.sasl === undefined ? {} : { sasl: options.sasl }),
    }
  }

  #publishRefresh(
    reason: RefreshReason,
    topics: readonly string[],
    nodeId: number,
    startedAt: number,
    error: unknown,
  ): void {
    if (!metadataRefreshChannel.hasSubscribers) return
    metadataRefreshChannel.publish({
      clientId: this.#options.clientId,
      reason,
      topics,
      nodeId,
      durationMs: performance.now() - startedAt,
      ...(error instanceof Error ? { error } : {}),
    })
  }

  #publishLookup(kind: CoordinatorKind, keys: readonly string[], startedAt: number, error: unknown): void {
    if (!coordinatorLookupChannel.hasSubscribers) return
    coordinatorLookupChannel.publish({
      clientId: this.#options.clientId,
      kind,
      keys,
      durationMs: performance.now() - startedAt,
      ...(error instanceof Error ? { error } : {}),
    })
  }
}

function coordinatorAnswer(
  errorCode: number,
  errorMessage: string | null,
  node: { nodeId: number; host: string; port: number },
  path: string,
): CoordinatorAnswer {
  if (errorCode !== 0) {
    const detail = errorMessage === null ? '' : `: ${errorMessage}`
    return (
      errorFromCode(errorCode, { path, message: `FindCoordinator: ${errorName(errorCode)}${detail}` }) ??
      new KafkaError()
    )
  }
  return { nodeId: node.nodeId, host: node.host, port: node.port }
}

/** The `errorCode` at the top of a response body, when the API has one. */
function topLevelErrorCode(response: unknown): number {
  if (typeof response !== 'object' || response === null) return 0
  const code: unknown = Reflect.get(response, 'errorCode')
  return typeof code === 'number' ? code : 0
}

function errorName(code: number): string {
  for (const [name, value] of Object.entries(ErrorCode)) if (value === code) return name
  return `error ${code}`
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}

function closedError(): IllegalStateError {
  return new IllegalStateError({ message: 'The client is closed' })
}
