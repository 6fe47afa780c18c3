import { Metadata, type Uuid } from '@kafkite/protocol'
import type { AdminResults } from '../admin-results.js'
import { checkBoolean, checkStringList } from '../arguments.js'
import { brokerError } from '../broker-error.js'
import { type AdminContext, type Answers, retriableUnlessUnknownTopic, runBatch } from '../run-batch.js'

/** One partition of a described topic. */
export interface PartitionDescription {
  readonly partition: number
  /** -1 while the partition has no leader. */
  readonly leader: number
  /** -1 when the broker does not say. */
  readonly leaderEpoch: number
  readonly replicas: readonly number[]
  readonly isr: readonly number[]
  readonly offlineReplicas: readonly number[]
  /** The partition's typed error (e.g. `LeaderNotAvailableError`), or null. */
  readonly error: Error | null
}

/** A topic as Metadata describes it: aiokafka's `describe_topics` entry, typed. */
export interface TopicDescription {
  readonly name: string
  readonly topicId: Uuid
  readonly isInternal: boolean
  /** By partition number. */
  readonly partitions: readonly PartitionDescription[]
  /** Kafka's bit field of allowed operations; null unless asked for and the broker says. */
  readonly authorizedOperations: number | null
}

export interface DescribeTopicsOptions {
  /** Ask for the operations the caller may perform on each topic. Default false. */
  readonly includeAuthorizedOperations?: boolean
}

export interface ListTopicsOptions {
  /** Include Kafka's internal topics (`__consumer_offsets`, …) as aiokafka does. Default true. */
  readonly includeInternal?: boolean
}

/** Metadata for `topics` (null: every topic) from any broker, without creating any topic. */
async function requestMetadata(
  context: AdminContext,
  topics: readonly string[] | null,
  includeTopicAuthorizedOperations: boolean,
): Promise<Metadata.Response> {
  const request = Metadata.createRequest({
    topics: topics === null ? null : topics.map((name) => ({ name })),
    allowAutoTopicCreation: false,
    includeTopicAuthorizedOperations,
  })
  return context.cluster.send(Metadata.api, request)
}

/** The names of the cluster's topics, sorted. */
export async function listTopics(context: AdminContext, options: ListTopicsOptions = {}): Promise<string[]> {
  const includeInternal = checkBoolean(options.includeInternal, true, 'includeInternal')
  const response = await context.cluster.withRetries(() => requestMetadata(context, null, false))
  return response.topics
    .filter((topic) => topic.name !== null && (includeInternal || !topic.isInternal))
    .map((topic) => topic.name as string)
    .sort()
}

/**
 * Describes `topics` (all topics when left out). One outcome per topic: a topic that does not exist fails
 * with `UnknownTopicOrPartitionError` at once, as in Kafka's Java Admin; one being created right now
 * (LEADER_NOT_AVAILABLE) is asked about again until `requestTimeoutMs`.
 */
export async function describeTopics(
  context: AdminContext,
  topics?: readonly string[],
  options: DescribeTopicsOptions = {},
): Promise<AdminResults<string, TopicDescription>> {
  const authorized = checkBoolean(options.includeAuthorizedOperations, false, 'includeAuthorizedOperations')
  const names =
    topics === undefined ? await listTopics(context) : checkStringList(topics, 'topics', { allowEmpty: true })
  return runBatch(context, {
    operation: 'describeTopics',
    items: names,
    keyOf: (name) => name,
    timeoutMs: context.requestTimeoutMs,
    retryItem: retriableUnlessUnknownTopic,
    attempt: async (pending) => {
      const response = await requestMetadata(context, pending, authorized)
      const answers: Answers<TopicDescription> = new Map()
      response.topics.forEach((topic, index) => {
        if (topic.name === null) return
        const error = brokerError(
          topic.errorCode,
          null,
          `/topics/${index}/errorCode`,
          `describe topic ${topic.name}`,
        )
        if (error !== undefined) {
          answers.set(topic.name, { ok: false, error })
          return
        }
        answers.set(topic.name, { ok: true, value: toDescription(topic, index, authorized) })
      })
      return answers
    },
  })
}

function toDescription(
  topic: Metadata.MetadataResponseTopic,
  index: number,
  authorized: boolean,
): TopicDescription {
  const name = topic.name as string
  return {
    name,
    topicId: topic.topicId,
    isInternal: topic.isInternal,
    partitions: topic.partitions
      .map((partition, partitionIndex) => ({
        partition: partition.partitionIndex,
        leader: partition.leaderId,
        leaderEpoch: partition.leaderEpoch,
        replicas: partition.replicaNodes,
        isr: partition.isrNodes,
        offlineReplicas: partition.offlineReplicas,
        error:
          brokerError(
            partition.errorCode,
            null,
            `/topics/${index}/partitions/${partitionIndex}/errorCode`,
            `partition ${name}-${partition.partitionIndex}`,
          ) ?? null,
      }))
      .sort((left, right) => left.partition - right.partition),
    // Kafka sends INT32_MIN when it was not asked (or cannot say).
    authorizedOperations:
      authorized && topic.topicAuthorizedOperations !== -2147483648 ? topic.topicAuthorizedOperations : null,
  }
}
