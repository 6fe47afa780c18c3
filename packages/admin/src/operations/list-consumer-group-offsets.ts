import { ErrorCode, OffsetFetch } from '@kafkite/protocol'
import { AdminResults } from '../admin-results.js'
import { checkBoolean, checkString } from '../arguments.js'
import { brokerError } from '../broker-error.js'
import { sendToGroup } from '../group-coordinator.js'
import type { OffsetAndMetadata } from '../offset-and-metadata.js'
import { type AdminContext, type Answers, runBatch } from '../run-batch.js'
import { byTopic, formatTopicPartition, partitionList, type TopicPartition } from '../topic-partition.js'

export interface ListConsumerGroupOffsetsOptions {
  /** Only these partitions (aiokafka's `partitions`). Default: every partition the group committed. */
  readonly partitions?: readonly TopicPartition[]
  /**
   * Wait for pending transactional commits to settle (OffsetFetch v7+ `requireStable`); the broker answers
   * UNSTABLE_OFFSET_COMMIT meanwhile, which is retried. Default false.
   */
  readonly requireStable?: boolean
}

interface FetchedPartition {
  readonly tp: TopicPartition
  readonly errorCode: number
  readonly path: string
  readonly offset: bigint
  readonly leaderEpoch: number
  readonly metadata: string | null
}

/**
 * OffsetFetch from the group's coordinator: the committed offsets, keyed by partition. A partition asked
 * for that has no committed offset maps to null. A group-level error (e.g. `GroupAuthorizationFailedError`)
 * is thrown; per-partition errors are that partition's outcome. A group that does not exist has no
 * offsets: Kafka answers it with an empty list, not an error.
 */
export async function listConsumerGroupOffsets(
  context: AdminContext,
  groupId: string,
  options: ListConsumerGroupOffsetsOptions = {},
): Promise<AdminResults<TopicPartition, OffsetAndMetadata | null>> {
  checkString(groupId, 'groupId')
  const requireStable = checkBoolean(options.requireStable, false, 'requireStable')
  const keyOf = formatTopicPartition
  if (options.partitions !== undefined) {
    const partitions = partitionList(options.partitions, 'partitions')
    return runBatch(context, {
      operation: 'listConsumerGroupOffsets',
      items: partitions,
      keyOf,
      timeoutMs: context.requestTimeoutMs,
      attempt: async (pending) => {
        const answers: Answers<OffsetAndMetadata | null> = new Map()
        for (const fetched of await fetchOffsets(context, groupId, pending, requireStable)) {
          answers.set(keyOf(fetched.tp), toOutcome(fetched, groupId))
        }
        return answers
      },
    })
  }
  const fetched = await context.cluster.withRetries(() => fetchOffsets(context, groupId, null, requireStable))
  const results = new AdminResults<TopicPartition, OffsetAndMetadata | null>(
    'listConsumerGroupOffsets',
    keyOf,
  )
  for (const entry of fetched) results.set(entry.tp, toOutcome(entry, groupId))
  return results
}

function toOutcome(fetched: FetchedPartition, groupId: string) {
  const error = brokerError(
    fetched.errorCode,
    null,
    fetched.path,
    `offsets of group ${groupId} for ${formatTopicPartition(fetched.tp)}`,
  )
  if (error !== undefined) return { ok: false as const, error }
  const value: OffsetAndMetadata | null =
    fetched.offset < 0n
      ? null
      : {
          offset: fetched.offset,
          metadata: fetched.metadata ?? '',
          ...(fetched.leaderEpoch >= 0 ? { leaderEpoch: fetched.leaderEpoch } : {}),
        }
  return { ok: true as const, value }
}

/** One OffsetFetch; throws the group-level error, typed. `partitions` null: all of the group's offsets. */
async function fetchOffsets(
  context: AdminContext,
  groupId: string,
  partitions: readonly TopicPartition[] | null,
  requireStable: boolean,
): Promise<FetchedPartition[]> {
  const topics =
    partitions === null
      ? null
      : [...byTopic(partitions)].map(([name, list]) => ({
          name,
          partitionIndexes: list.map((tp) => tp.partition),
        }))
  const response = await sendToGroup(context, groupId, OffsetFetch.api, (version) =>
    // v8 moved everything into per-group entries (one request may ask about many groups).
    version >= 8
      ? OffsetFetch.createRequest({ groups: [{ groupId, topics }], requireStable })
      : OffsetFetch.createRequest({ groupId, topics, requireStable: version >= 7 && requireStable }),
  )
  const group = response.groups[0]
  const groupCode = group === undefined ? response.errorCode : group.errorCode
  if (groupCode === ErrorCode.NOT_COORDINATOR || groupCode === ErrorCode.COORDINATOR_NOT_AVAILABLE) {
    context.cluster.invalidateCoordinator('group', groupId)
  }
  const prefix = group === undefined ? '' : '/groups/0'
  const error = brokerError(groupCode, null, `${prefix}/errorCode`, `offsets of group ${groupId}`)
  if (error !== undefined) throw error
  const fetched: FetchedPartition[] = []
  const topicsAnswered = group === undefined ? response.topics : group.topics
  topicsAnswered.forEach((topic, topicIndex) => {
    topic.partitions.forEach((partition, partitionIndex) => {
      fetched.push({
        tp: { topic: topic.name, partition: partition.partitionIndex },
        errorCode: partition.errorCode,
        path: `${prefix}/topics/${topicIndex}/partitions/${partitionIndex}/errorCode`,
        offset: partition.committedOffset,
        leaderEpoch: partition.committedLeaderEpoch,
        metadata: partition.metadata,
      })
    })
  })
  return fetched
}
