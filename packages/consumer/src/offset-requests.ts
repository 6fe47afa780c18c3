import {
  CommitFailedError,
  ErrorCode,
  errorFromCode,
  type KafkaError,
  ListOffsets,
  OffsetCommit,
  OffsetFetch,
} from '@kafkite/protocol'
import type { ConsumerCluster } from './consumer-cluster.js'
import type { IsolationLevel } from './consumer-options.js'
import type { OffsetAndMetadata } from './offset-and-metadata.js'
import {
  formatTopicPartition,
  groupByTopic,
  type TopicPartition,
  TopicPartitionMap,
} from './topic-partition.js'

/** ListOffsets' special timestamps. */
export const EARLIEST_TIMESTAMP = -2n
export const LATEST_TIMESTAMP = -1n

/** One partition's ListOffsets answer. */
export interface ListedOffset {
  /** -1 when no record has a timestamp at or after the one asked for. */
  readonly offset: bigint
  /** -1 when the broker gave none (earliest/latest queries). */
  readonly timestamp: bigint
  readonly leaderEpoch: number
}

// Errors that mean the group's state is not this simple consumer's to commit into.
const COMMIT_FAILED: ReadonlySet<number> = new Set([
  ErrorCode.ILLEGAL_GENERATION,
  ErrorCode.UNKNOWN_MEMBER_ID,
  ErrorCode.REBALANCE_IN_PROGRESS,
  ErrorCode.FENCED_INSTANCE_ID,
  ErrorCode.STALE_MEMBER_EPOCH,
])

const COORDINATOR_MOVED: ReadonlySet<number> = new Set([
  ErrorCode.NOT_COORDINATOR,
  ErrorCode.COORDINATOR_NOT_AVAILABLE,
])

/**
 * The consumer's offset requests: ListOffsets to partition leaders (resets, `beginningOffsets()`,
 * `endOffsets()`, `offsetsForTimes()`), and OffsetFetch/OffsetCommit to the group coordinator as a
 * "simple" consumer (generation -1, no member id), which Kafka accepts for a group with no members.
 * Each call retries what is retriable (leader moves, coordinator moves and loading) until its deadline.
 */
export class OffsetRequests {
  readonly #cluster: ConsumerCluster
  readonly #requestTimeoutMs: number

  constructor(cluster: ConsumerCluster, requestTimeoutMs: number) {
    this.#cluster = cluster
    this.#requestTimeoutMs = requestTimeoutMs
  }

  /**
   * The offset of each partition at a timestamp (`EARLIEST_TIMESTAMP`, `LATEST_TIMESTAMP` or epoch ms),
   * asked of each partition's leader. `read_committed` answers `LATEST_TIMESTAMP` with the LSO.
   */
  async listOffsets(
    query: TopicPartitionMap<bigint>,
    isolationLevel: IsolationLevel,
    deadline = Date.now() + this.#requestTimeoutMs,
  ): Promise<TopicPartitionMap<ListedOffset>> {
    const results = new TopicPartitionMap<ListedOffset>()
    const remaining = new TopicPartitionMap(query)
    if (remaining.size === 0) return results
    await this.#cluster.withRetries(
      async () => {
        const byLeader = new Map<number, TopicPartition[]>()
        const failures: unknown[] = []
        await Promise.all(
          remaining.keyArray().map(async (tp) => {
            try {
              const { nodeId } = await this.#cluster.leaderFor(tp.topic, tp.partition)
              const list = byLeader.get(nodeId)
              if (list === undefined) byLeader.set(nodeId, [tp])
              else list.push(tp)
            } catch (error) {
              failures.push(error)
            }
          }),
        )
        await Promise.all(
          Array.from(byLeader, async ([nodeId, partitions]) => {
            try {
              await this.#listFrom(nodeId, partitions, remaining, results, isolationLevel, deadline)
            } catch (error) {
              failures.push(error)
            }
          }),
        )
        if (failures.length > 0) throw failures[0]
        if (remaining.size > 0) throw new Error('unreachable: partitions left without an answer')
      },
      { deadline },
    )
    return results
  }

  async #listFrom(
    nodeId: number,
    partitions: readonly TopicPartition[],
    remaining: TopicPartitionMap<bigint>,
    results: TopicPartitionMap<ListedOffset>,
    isolationLevel: IsolationLevel,
    deadline: number,
  ): Promise<void> {
    const timeoutMs = Math.max(1, Math.min(this.#requestTimeoutMs, deadline - Date.now()))
    const request = ListOffsets.createRequest({
      replicaId: -1,
      isolationLevel: isolationLevel === 'read_committed' ? 1 : 0,
      timeoutMs,
      topics: Array.from(groupByTopic(partitions), ([name, indexes]) => ({
        name,
        partitions: indexes.map((partitionIndex) => ({
          partitionIndex,
          timestamp: remaining.get({ topic: name, partition: partitionIndex }) ?? LATEST_TIMESTAMP,
        })),
      })),
    })
    const response = await this.#cluster.sendToBroker(nodeId, ListOffsets.api, request, { timeoutMs })
    let failure: KafkaError | undefined
    for (const topic of response.topics) {
      for (const answer of topic.partitions) {
        const tp = { topic: topic.name, partition: answer.partitionIndex }
        if (!remaining.has(tp)) continue
        const error = errorFromCode(answer.errorCode, { path: formatTopicPartition(tp) })
        if (error !== undefined) {
          // A non-retriable error (authorization, an unsupported timestamp query) ends the call at once.
          if (!error.retriable) throw error
          failure ??= error
          continue
        }
        const offset = answer.oldStyleOffsets.length > 0 ? answer.oldStyleOffsets[0]! : answer.offset
        results.set(tp, { offset, timestamp: answer.timestamp, leaderEpoch: answer.leaderEpoch })
        remaining.delete(tp)
      }
    }
    if (failure !== undefined) throw failure
  }

  /** The group's committed offsets of the partitions (null where none is committed). */
  async fetchCommitted(
    groupId: string,
    partitions: readonly TopicPartition[],
    requireStable: boolean,
    deadline = Date.now() + this.#requestTimeoutMs,
  ): Promise<TopicPartitionMap<OffsetAndMetadata | null>> {
    const results = new TopicPartitionMap<OffsetAndMetadata | null>()
    if (partitions.length === 0) return results
    const topics = Array.from(groupByTopic(partitions), ([name, partitionIndexes]) => ({
      name,
      partitionIndexes,
    }))
    await this.#cluster.withRetries(
      async () => {
        const version = await this.#coordinatorVersion(groupId, OffsetFetch.api)
        const request =
          version >= 8
            ? OffsetFetch.createRequest({ groups: [{ groupId, topics }], requireStable })
            : OffsetFetch.createRequest({
                groupId,
                topics,
                ...(version >= 7 ? { requireStable } : {}),
              })
        const response = await this.#cluster.sendToCoordinator('group', groupId, OffsetFetch.api, request, {
          version,
          timeoutMs: Math.max(1, Math.min(this.#requestTimeoutMs, deadline - Date.now())),
        })
        const group = version >= 8 ? response.groups[0] : undefined
        const groupError = group?.errorCode ?? response.errorCode
        this.#throwGroupError(groupId, groupError, 'OffsetFetch')
        const answered = group?.topics ?? response.topics
        for (const topic of answered) {
          for (const answer of topic.partitions) {
            const tp = { topic: topic.name, partition: answer.partitionIndex }
            this.#throwGroupError(groupId, answer.errorCode, `OffsetFetch ${formatTopicPartition(tp)}`)
            results.set(
              tp,
              answer.committedOffset < 0n
                ? null
                : { offset: answer.committedOffset, metadata: answer.metadata ?? '' },
            )
          }
        }
      },
      { deadline },
    )
    return results
  }

  /** Commits the offsets for the group as a simple consumer (no generation, no member id). */
  async commit(
    groupId: string,
    offsets: TopicPartitionMap<OffsetAndMetadata>,
    deadline = Date.now() + this.#requestTimeoutMs,
  ): Promise<void> {
    if (offsets.size === 0) return
    const byTopic = new Map<
      string,
      Array<{ partitionIndex: number; committedOffset: bigint; committedMetadata: string }>
    >()
    for (const [tp, value] of offsets) {
      const partition = {
        partitionIndex: tp.partition,
        committedOffset: value.offset,
        committedMetadata: value.metadata,
      }
      const list = byTopic.get(tp.topic)
      if (list === undefined) byTopic.set(tp.topic, [partition])
      else list.push(partition)
    }
    const request = OffsetCommit.createRequest({
      groupId,
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      topics: Array.from(byTopic, ([name, partitions]) => ({ name, partitions })),
    })
    await this.#cluster.withRetries(
      async () => {
        const response = await this.#cluster.sendToCoordinator('group', groupId, OffsetCommit.api, request, {
          timeoutMs: Math.max(1, Math.min(this.#requestTimeoutMs, deadline - Date.now())),
        })
        for (const topic of response.topics) {
          for (const answer of topic.partitions) {
            const tp = { topic: topic.name, partition: answer.partitionIndex }
            this.#throwGroupError(groupId, answer.errorCode, `OffsetCommit ${formatTopicPartition(tp)}`)
          }
        }
      },
      { deadline },
    )
  }

  #throwGroupError(groupId: string, code: number, what: string): void {
    if (code === ErrorCode.NONE) return
    if (COORDINATOR_MOVED.has(code)) this.#cluster.invalidateCoordinator('group', groupId)
    const error = errorFromCode(code, { path: what })!
    if (COMMIT_FAILED.has(code)) {
      throw new CommitFailedError({
        message: `${what} for group ${groupId} refused (${error.name}): the group has active members or a generation; a consumer without group membership can only commit to a group with no members`,
        cause: error,
      })
    }
    throw error
  }

  async #coordinatorVersion(groupId: string, api: typeof OffsetFetch.api): Promise<number> {
    const { nodeId } = await this.#cluster.coordinatorFor('group', groupId)
    const connection = await this.#cluster.brokerConnection(nodeId, 'group')
    return connection.versionFor(api)
  }
}
