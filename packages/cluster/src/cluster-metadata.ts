import { ErrorCode, type Metadata, type Uuid, ZERO_UUID } from '@kafkite/protocol'

/** A broker as the metadata lists it. */
export interface BrokerMetadata {
  readonly nodeId: number
  readonly host: string
  readonly port: number
  readonly rack: string | null
}

/** One partition as the metadata describes it. */
export interface PartitionMetadata {
  readonly partition: number
  /** The leader's node id; -1 while there is none (an election is under way). */
  readonly leaderId: number
  /** -1 when the broker does not say (Metadata before v7). */
  readonly leaderEpoch: number
  readonly replicas: readonly number[]
  readonly isr: readonly number[]
  readonly offlineReplicas: readonly number[]
  /** The partition's error code from the last answer that described it (0 when fine). */
  readonly errorCode: number
}

/** One topic as the metadata describes it. */
export interface TopicMetadata {
  readonly name: string
  /** `ZERO_UUID` when the broker does not say (Metadata before v10). */
  readonly topicId: Uuid
  readonly isInternal: boolean
  /** The topic's error code from the last answer (0 when fine). */
  readonly errorCode: number
  /** By partition index. */
  readonly partitions: ReadonlyMap<number, PartitionMetadata>
}

/**
 * One immutable view of the cluster: brokers, controller, cluster id and the topics asked about so far.
 * Each refresh builds a new snapshot from the previous one and an answer (`mergeMetadata`); readers hold a
 * consistent view without locks.
 */
export interface ClusterMetadata {
  readonly clusterId: string | null
  /** -1 when unknown. */
  readonly controllerId: number
  readonly brokers: ReadonlyMap<number, BrokerMetadata>
  readonly topics: ReadonlyMap<string, TopicMetadata>
  /** Topic names by topic id, for APIs that speak ids (Fetch v13+). */
  readonly topicNames: ReadonlyMap<Uuid, string>
  /** When the snapshot was built, `performance.now()` terms; 0 for the empty one. */
  readonly updatedAt: number
}

export const EMPTY_METADATA: ClusterMetadata = {
  clusterId: null,
  controllerId: -1,
  brokers: new Map(),
  topics: new Map(),
  topicNames: new Map(),
  updatedAt: 0,
}

/**
 * Builds the next snapshot from `previous` and a Metadata answer to a request for `requestedTopics`
 * (`null` for all topics).
 *
 * - Brokers, controller and cluster id come from the answer: every answer lists all live brokers.
 * - A topic the answer describes replaces the previous entry, except that **leader epochs never move
 *   backwards**: a broker that has not yet caught up with an election may still describe the old leader
 *   under the old epoch; taking that answer would send requests back to a broker that already said it is
 *   not the leader (KafkaJS #1175, platformatic #377). Such a partition keeps its newer entry. A topic
 *   that was deleted and created again under the same name gets a new topic id, and its epochs restart,
 *   so the rule applies only while the topic id stays the same.
 * - A topic the answer reports as UNKNOWN_TOPIC_OR_PARTITION (or with an error and no partitions, e.g.
 *   LEADER_NOT_AVAILABLE right after creation) keeps no stale partitions: callers see the error.
 * - Topics not asked about this time are kept as they were.
 */
export function mergeMetadata(
  previous: ClusterMetadata,
  answer: Metadata.Response,
  requestedTopics: readonly string[] | null,
  now: number,
): ClusterMetadata {
  const brokers = new Map<number, BrokerMetadata>()
  for (const broker of answer.brokers) {
    brokers.set(broker.nodeId, {
      nodeId: broker.nodeId,
      host: broker.host,
      port: broker.port,
      rack: broker.rack,
    })
  }
  const topics = new Map(previous.topics)
  if (requestedTopics === null) topics.clear()
  for (const topic of answer.topics) {
    if (topic.name === null) continue
    const before = topics.get(topic.name)
    topics.set(topic.name, mergeTopic(before, topic))
  }
  const topicNames = new Map<Uuid, string>()
  for (const topic of topics.values()) {
    if (topic.topicId !== ZERO_UUID) topicNames.set(topic.topicId, topic.name)
  }
  return {
    clusterId: answer.clusterId ?? previous.clusterId,
    controllerId: answer.controllerId,
    brokers,
    topics,
    topicNames,
    updatedAt: now,
  }
}

function mergeTopic(before: TopicMetadata | undefined, topic: Metadata.MetadataResponseTopic): TopicMetadata {
  const name = topic.name as string
  const sameTopic =
    before !== undefined &&
    (before.topicId === ZERO_UUID || topic.topicId === ZERO_UUID || before.topicId === topic.topicId)
  const partitions = new Map<number, PartitionMetadata>()
  if (topic.errorCode !== ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
    for (const partition of topic.partitions) {
      const next: PartitionMetadata = {
        partition: partition.partitionIndex,
        leaderId: partition.leaderId,
        leaderEpoch: partition.leaderEpoch,
        replicas: partition.replicaNodes,
        isr: partition.isrNodes,
        offlineReplicas: partition.offlineReplicas,
        errorCode: partition.errorCode,
      }
      const old = sameTopic ? before.partitions.get(partition.partitionIndex) : undefined
      partitions.set(partition.partitionIndex, old !== undefined && isOlder(next, old) ? old : next)
    }
  }
  return {
    name,
    topicId: topic.topicId !== ZERO_UUID ? topic.topicId : sameTopic ? before.topicId : ZERO_UUID,
    isInternal: topic.isInternal,
    errorCode: topic.errorCode,
    partitions,
  }
}

/** True when `next` describes an older leadership than `current` (both epochs known). */
function isOlder(next: PartitionMetadata, current: PartitionMetadata): boolean {
  return next.leaderEpoch >= 0 && current.leaderEpoch >= 0 && next.leaderEpoch < current.leaderEpoch
}
