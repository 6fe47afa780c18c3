// An in-memory cluster behind the consumer's `ConsumerCluster` seam: partitions with logs of real record
// batches, leaders per partition, a group's committed offsets, and Fetch (with KIP-227 sessions),
// ListOffsets, OffsetFetch, OffsetCommit and Metadata answered from that model. Tests change the model
// (append, move a leader, delete records) and override any answer with a hook.
import type { ClusterMetadata, PartitionMetadata, SendOptions, TopicMetadata } from '@kafkite/cluster'
import { withRetries } from '@kafkite/cluster'
import {
  type ApiSchema,
  ErrorCode,
  Fetch,
  IllegalStateError,
  ListOffsets,
  Metadata,
  OffsetCommit,
  OffsetFetch,
  UnknownTopicOrPartitionError,
} from '@kafkite/protocol'
import { readBatches } from '@kafkite/records'
import type { ConsumerCluster } from '../consumer-cluster.js'

export interface MemoryPartition {
  leaderId: number
  leaderEpoch: number
  batches: Buffer[]
  logStartOffset: bigint
  /** Offsets from here on are in an open transaction (read_committed stops here). */
  lastStableOffset: bigint | null
  abortedTransactions: Array<{ producerId: bigint; firstOffset: bigint }>
  errorCode: number
}

export interface MemoryTopic {
  readonly name: string
  readonly topicId: string
  readonly partitions: MemoryPartition[]
  readonly isInternal: boolean
}

/** A hook's answer: undefined for the model's answer, an object for that body, or throw to fail. */
export type MemoryHook = (nodeId: number, api: ApiSchema, body: unknown) => unknown

interface ServerSession {
  epoch: number
  partitions: Map<string, { fetchOffset: bigint; maxBytes: number }>
}

let topicIds = 0

export class MemoryCluster implements ConsumerCluster {
  readonly topics = new Map<string, MemoryTopic>()
  readonly brokers = [1, 2]
  readonly committed = new Map<string, { offset: bigint; metadata: string }>()
  readonly requests: Array<{ nodeId: number; api: ApiSchema; body: unknown; options: SendOptions }> = []
  hook: MemoryHook | undefined
  /** Fetch versions below 13 answer with topic names; 13+ with topic ids only. */
  fetchVersion = 16
  offsetFetchVersion = 9
  /** Whether brokers create fetch sessions. */
  sessions = true
  /** Longest long-poll of an empty fetch, whatever maxWaitMs asks. */
  maxWaitCapMs = 20
  closed = false
  metadataRefreshes = 0
  coordinatorInvalidations = 0
  bootstrapError: Error | undefined
  #sessions = new Map<number, Map<number, ServerSession>>()
  #nextSessionId = 1
  #metadata: ClusterMetadata | undefined
  #rejectClosed: (error: Error) => void = () => undefined
  readonly #closedPromise = new Promise<never>((_, reject) => {
    this.#rejectClosed = reject
  })

  constructor() {
    this.#closedPromise.catch(() => undefined)
  }

  addTopic(
    name: string,
    partitions = 1,
    options: { leaderId?: number; isInternal?: boolean } = {},
  ): MemoryTopic {
    topicIds += 1
    const topic: MemoryTopic = {
      name,
      topicId: `topic-id-${topicIds}`.padEnd(22, 'x'),
      isInternal: options.isInternal ?? false,
      partitions: Array.from({ length: partitions }, () => ({
        leaderId: options.leaderId ?? 1,
        leaderEpoch: 0,
        batches: [],
        logStartOffset: 0n,
        lastStableOffset: null,
        abortedTransactions: [],
        errorCode: 0,
      })),
    }
    this.topics.set(name, topic)
    this.#metadata = undefined
    return topic
  }

  partition(topic: string, partition: number): MemoryPartition {
    const found = this.topics.get(topic)?.partitions[partition]
    if (found === undefined) throw new Error(`no ${topic}-${partition}`)
    return found
  }

  /** Appends a batch (built at the partition's end offset by `build`). Returns its base offset. */
  append(topic: string, partition: number, build: (baseOffset: bigint) => Buffer): bigint {
    const state = this.partition(topic, partition)
    const baseOffset = this.endOffset(topic, partition)
    state.batches.push(build(baseOffset))
    return baseOffset
  }

  endOffset(topic: string, partition: number): bigint {
    const state = this.partition(topic, partition)
    const last = state.batches.at(-1)
    if (last === undefined) return state.logStartOffset
    let end = state.logStartOffset
    for (const batch of readBatches(last)) end = batch.lastOffset + 1n
    return end
  }

  moveLeader(topic: string, partition: number, leaderId: number): void {
    const state = this.partition(topic, partition)
    state.leaderId = leaderId
    state.leaderEpoch += 1
  }

  /** The metadata as the cluster client last "refreshed" it (tests call `refreshMetadata()`). */
  get metadata(): ClusterMetadata {
    this.#metadata ??= this.#snapshot()
    return this.#metadata
  }

  #snapshot(): ClusterMetadata {
    const topics = new Map<string, TopicMetadata>()
    for (const topic of this.topics.values()) {
      const partitions = new Map<number, PartitionMetadata>()
      topic.partitions.forEach((state, index) => {
        partitions.set(index, {
          partition: index,
          leaderId: state.leaderId,
          leaderEpoch: state.leaderEpoch,
          replicas: [state.leaderId],
          isr: [state.leaderId],
          offlineReplicas: [],
          errorCode: 0,
        })
      })
      topics.set(topic.name, {
        name: topic.name,
        topicId: topic.topicId,
        isInternal: topic.isInternal,
        errorCode: 0,
        partitions,
      })
    }
    return {
      clusterId: 'memory',
      controllerId: 1,
      brokers: new Map(
        this.brokers.map((nodeId) => [nodeId, { nodeId, host: 'localhost', port: nodeId, rack: null }]),
      ),
      topics,
      topicNames: new Map(Array.from(this.topics.values(), (topic) => [topic.topicId, topic.name])),
      updatedAt: performance.now(),
    }
  }

  async bootstrap(): Promise<void> {
    this.#checkOpen()
    if (this.bootstrapError !== undefined) throw this.bootstrapError
  }

  async refreshMetadata(): Promise<ClusterMetadata> {
    this.#checkOpen()
    this.metadataRefreshes += 1
    this.#metadata = this.#snapshot()
    return this.#metadata
  }

  async leaderFor(topic: string, partition: number): Promise<{ nodeId: number; leaderEpoch: number }> {
    this.#checkOpen()
    const entry = this.metadata.topics.get(topic)?.partitions.get(partition)
    if (entry === undefined) throw new UnknownTopicOrPartitionError({ message: `no ${topic}-${partition}` })
    return { nodeId: entry.leaderId, leaderEpoch: entry.leaderEpoch }
  }

  async partitionsFor(topic: string): Promise<readonly PartitionMetadata[]> {
    this.#checkOpen()
    if (!this.metadata.topics.has(topic)) await this.refreshMetadata()
    const entry = this.metadata.topics.get(topic)
    if (entry === undefined) throw new UnknownTopicOrPartitionError({ message: `no ${topic}` })
    return [...entry.partitions.values()]
  }

  async brokerConnection(_nodeId: number): Promise<{ versionFor(api: ApiSchema): number }> {
    this.#checkOpen()
    return {
      versionFor: (api) =>
        api.apiKey === Fetch.api.apiKey
          ? this.fetchVersion
          : api.apiKey === OffsetFetch.api.apiKey
            ? this.offsetFetchVersion
            : 9,
    }
  }

  async coordinatorFor(): Promise<{ nodeId: number }> {
    this.#checkOpen()
    return { nodeId: 1 }
  }

  invalidateCoordinator(): void {
    this.coordinatorInvalidations += 1
  }

  async send<Request, Response>(
    api: ApiSchema<Request, Response>,
    body: Request,
    options: SendOptions = {},
  ): Promise<Response> {
    return this.sendToBroker(1, api, body, options)
  }

  async sendToCoordinator<Request, Response>(
    _kind: 'group',
    _key: string,
    api: ApiSchema<Request, Response>,
    body: Request,
    options: SendOptions = {},
  ): Promise<Response> {
    return this.sendToBroker(1, api, body, options)
  }

  async sendToBroker<Request, Response>(
    nodeId: number,
    api: ApiSchema<Request, Response>,
    body: Request,
    options: SendOptions = {},
  ): Promise<Response> {
    this.#checkOpen()
    this.requests.push({ nodeId, api, body, options })
    const hooked = this.hook?.(nodeId, api as ApiSchema, body)
    // As the real client's close(), closing settles whatever a hook left pending.
    if (hooked !== undefined) return (await Promise.race([hooked, this.#closedPromise])) as Response
    switch (api.apiKey) {
      case Fetch.api.apiKey:
        return (await this.#fetch(nodeId, body as Fetch.Request, options)) as Response
      case ListOffsets.api.apiKey:
        return this.#listOffsets(nodeId, body as ListOffsets.Request) as Response
      case OffsetFetch.api.apiKey:
        return this.#offsetFetch(body as OffsetFetch.Request, options) as Response
      case OffsetCommit.api.apiKey:
        return this.#offsetCommit(body as OffsetCommit.Request) as Response
      case Metadata.api.apiKey:
        return Metadata.createResponse({
          topics: Array.from(this.topics.values(), (topic) => ({
            name: topic.name,
            topicId: topic.topicId,
            isInternal: topic.isInternal,
          })),
        }) as Response
      default:
        throw new Error(`the memory cluster does not answer ${api.name}`)
    }
  }

  withRetries<Result>(
    operation: (context: { attempt: number; deadline: number }) => Promise<Result>,
    options: { deadline?: number; timeoutMs?: number } = {},
  ): Promise<Result> {
    return withRetries(operation, { retryBackoffMs: 5, retryBackoffMaxMs: 20, timeoutMs: 2000, ...options })
  }

  async close(): Promise<void> {
    this.closed = true
    this.#rejectClosed(new IllegalStateError({ message: 'The client is closed' }))
  }

  /** Fetch requests sent so far. */
  fetches(): Array<{ nodeId: number; body: Fetch.Request; options: SendOptions }> {
    return this.requests
      .filter((request) => request.api.apiKey === Fetch.api.apiKey)
      .map((request) => ({
        nodeId: request.nodeId,
        body: request.body as Fetch.Request,
        options: request.options,
      }))
  }

  #checkOpen(): void {
    if (this.closed) throw new IllegalStateError({ message: 'The client is closed' })
  }

  async #fetch(nodeId: number, request: Fetch.Request, options: SendOptions): Promise<Fetch.Response> {
    const version = options.version ?? this.fetchVersion
    const nameOf = (topic: { topic: string; topicId: string }): string =>
      version >= 13
        ? (Array.from(this.topics.values()).find((t) => t.topicId === topic.topicId)?.name ?? '?')
        : topic.topic
    // Sessions (KIP-227), as a broker keeps them.
    let wanted: Map<string, { fetchOffset: bigint; maxBytes: number }>
    let sessionId = 0
    const nodeSessions = this.#sessions.get(nodeId) ?? new Map<number, ServerSession>()
    this.#sessions.set(nodeId, nodeSessions)
    const given = new Map<string, { fetchOffset: bigint; maxBytes: number }>()
    for (const topic of request.topics) {
      for (const partition of topic.partitions) {
        given.set(`${nameOf(topic)}\u0000${partition.partition}`, {
          fetchOffset: partition.fetchOffset,
          maxBytes: partition.partitionMaxBytes,
        })
      }
    }
    if (request.sessionId === 0) {
      wanted = given
      if (this.sessions && request.sessionEpoch === 0) {
        sessionId = this.#nextSessionId++
        nodeSessions.set(sessionId, { epoch: 1, partitions: new Map(given) })
      }
    } else {
      const session = nodeSessions.get(request.sessionId)
      if (session === undefined)
        return Fetch.createResponse({ errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND })
      if (session.epoch !== request.sessionEpoch) {
        return Fetch.createResponse({ errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH })
      }
      session.epoch += 1
      for (const [key, value] of given) session.partitions.set(key, value)
      for (const topic of request.forgottenTopicsData) {
        for (const partition of topic.partitions)
          session.partitions.delete(`${nameOf(topic)}\u0000${partition}`)
      }
      wanted = session.partitions
      sessionId = request.sessionId
    }
    let answer = this.#fetchAnswer(nodeId, wanted, request.isolationLevel, version)
    const hasData = answer.responses.some((topic) =>
      topic.partitions.some((p) => p.records !== null || p.errorCode !== 0),
    )
    if (!hasData) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(request.maxWaitMs, this.maxWaitCapMs)))
      if (this.closed) throw new IllegalStateError({ message: 'The client is closed' })
      answer = this.#fetchAnswer(nodeId, wanted, request.isolationLevel, version)
    }
    answer.sessionId = sessionId
    return answer
  }

  #fetchAnswer(
    nodeId: number,
    wanted: Map<string, { fetchOffset: bigint; maxBytes: number }>,
    isolationLevel: number,
    version: number,
  ): Fetch.Response {
    const byTopic = new Map<string, Fetch.PartitionData[]>()
    for (const [key, { fetchOffset, maxBytes }] of wanted) {
      const [name, index] = key.split('\u0000') as [string, string]
      const partitionIndex = Number(index)
      const state = this.topics.get(name)?.partitions[partitionIndex]
      const data = Fetch.createResponse({ responses: [{ partitions: [{ partitionIndex }] }] }).responses[0]!
        .partitions[0]!
      const list = byTopic.get(name) ?? []
      byTopic.set(name, list)
      list.push(data)
      if (state === undefined) {
        data.errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
        continue
      }
      if (state.leaderId !== nodeId) {
        data.errorCode = ErrorCode.NOT_LEADER_OR_FOLLOWER
        continue
      }
      if (state.errorCode !== 0) {
        data.errorCode = state.errorCode
        continue
      }
      const end = this.endOffset(name, partitionIndex)
      data.highWatermark = end
      data.logStartOffset = state.logStartOffset
      data.lastStableOffset = state.lastStableOffset ?? end
      if (fetchOffset < state.logStartOffset || fetchOffset > end) {
        data.errorCode = ErrorCode.OFFSET_OUT_OF_RANGE
        continue
      }
      const limit = isolationLevel === 1 ? data.lastStableOffset : end
      const chunks: Buffer[] = []
      let bytes = 0
      for (const batch of state.batches) {
        let first = -1n
        let last = -1n
        for (const decoded of readBatches(batch)) {
          if (first < 0n) first = decoded.magic === 2 ? decoded.baseOffset : decoded.lastOffset
          last = decoded.lastOffset
        }
        if (last < fetchOffset || first >= limit) continue
        if (chunks.length > 0 && bytes + batch.length > maxBytes) break
        chunks.push(batch)
        bytes += batch.length
      }
      if (chunks.length > 0) data.records = Buffer.concat(chunks)
      if (isolationLevel === 1) {
        data.abortedTransactions = state.abortedTransactions.map((entry) => ({ ...entry }))
      }
    }
    return Fetch.createResponse({
      responses: Array.from(byTopic, ([name, partitions]) => ({
        topic: version >= 13 ? '' : name,
        topicId: this.topics.get(name)?.topicId ?? '',
        partitions,
      })),
    })
  }

  #listOffsets(nodeId: number, request: ListOffsets.Request): ListOffsets.Response {
    return ListOffsets.createResponse({
      topics: request.topics.map((topic) => ({
        name: topic.name,
        partitions: topic.partitions.map((query) => {
          const state = this.topics.get(topic.name)?.partitions[query.partitionIndex]
          if (state === undefined) {
            return { partitionIndex: query.partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }
          }
          if (state.leaderId !== nodeId) {
            return { partitionIndex: query.partitionIndex, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER }
          }
          const end = this.endOffset(topic.name, query.partitionIndex)
          if (query.timestamp === -2n) {
            return {
              partitionIndex: query.partitionIndex,
              offset: state.logStartOffset,
              leaderEpoch: state.leaderEpoch,
            }
          }
          if (query.timestamp === -1n) {
            const offset = request.isolationLevel === 1 ? (state.lastStableOffset ?? end) : end
            return { partitionIndex: query.partitionIndex, offset, leaderEpoch: state.leaderEpoch }
          }
          for (const batch of state.batches) {
            for (const decoded of readBatches(batch)) {
              for (const record of decoded) {
                if (BigInt(record.timestamp) >= query.timestamp && record.offset >= state.logStartOffset) {
                  return {
                    partitionIndex: query.partitionIndex,
                    offset: record.offset,
                    timestamp: BigInt(record.timestamp),
                    leaderEpoch: state.leaderEpoch,
                  }
                }
              }
            }
          }
          return { partitionIndex: query.partitionIndex, offset: -1n, timestamp: -1n }
        }),
      })),
    })
  }

  #offsetFetch(request: OffsetFetch.Request, options: SendOptions): OffsetFetch.Response {
    const version = options.version ?? this.offsetFetchVersion
    const topics = version >= 8 ? (request.groups[0]?.topics ?? []) : (request.topics ?? [])
    const answered = topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitionIndexes.map((partitionIndex) => {
        const committed = this.committed.get(`${topic.name}-${partitionIndex}`)
        return {
          partitionIndex,
          committedOffset: committed?.offset ?? -1n,
          metadata: committed?.metadata ?? null,
        }
      }),
    }))
    return version >= 8
      ? OffsetFetch.createResponse({
          groups: [{ groupId: request.groups[0]?.groupId ?? '', topics: answered }],
        })
      : OffsetFetch.createResponse({ topics: answered })
  }

  #offsetCommit(request: OffsetCommit.Request): OffsetCommit.Response {
    return OffsetCommit.createResponse({
      topics: request.topics.map((topic) => ({
        name: topic.name,
        partitions: topic.partitions.map((partition) => {
          this.committed.set(`${topic.name}-${partition.partitionIndex}`, {
            offset: partition.committedOffset,
            metadata: partition.committedMetadata ?? '',
          })
          return { partitionIndex: partition.partitionIndex }
        }),
      })),
    })
  }
}
