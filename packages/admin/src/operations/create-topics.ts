import { CreateTopics, IllegalArgumentError, type Uuid } from '@kafkite/protocol'
import type { AdminResults } from '../admin-results.js'
import { checkBoolean, checkInt, checkObject, checkString, checkTimeout } from '../arguments.js'
import { brokerError } from '../broker-error.js'
import { type AdminContext, type Answers, requestTimeoutFor, runBatch } from '../run-batch.js'

/**
 * A topic to create, aiokafka's `NewTopic`. Give `numPartitions` and `replicationFactor`, or leave them out
 * (or -1) for the broker's defaults (`num.partitions`, `default.replication.factor`), or give
 * `replicaAssignments` instead of both.
 */
export interface NewTopic {
  readonly name: string
  readonly numPartitions?: number
  readonly replicationFactor?: number
  /** Partition → broker ids of its replicas, the first one the preferred leader. */
  readonly replicaAssignments?:
    | Readonly<Record<number, readonly number[]>>
    | ReadonlyMap<number, readonly number[]>
  /** Topic configs, e.g. `{ 'cleanup.policy': 'compact' }`. */
  readonly topicConfigs?: Readonly<Record<string, string>>
}

export interface CreateTopicsOptions {
  /** How long the controller may wait for the topics to be created. Default `requestTimeoutMs`. */
  readonly timeoutMs?: number
  /** Only check that the topics could be created. Default false. */
  readonly validateOnly?: boolean
}

/** A topic as the controller created it (or, with `validateOnly`, would create it). */
export interface CreatedTopic {
  readonly name: string
  /** `ZERO_UUID` before CreateTopics v7 and with `validateOnly`. */
  readonly topicId: Uuid
  /** -1 when the broker does not say (before v5). */
  readonly numPartitions: number
  /** -1 when the broker does not say (before v5). */
  readonly replicationFactor: number
  /** The topic's configs as created (v5+); null when the broker does not say. */
  readonly configs: Readonly<Record<string, string | null>> | null
}

/**
 * CreateTopics, sent to the controller. One outcome per topic: `TopicAlreadyExistsError`,
 * `InvalidTopicError`, `InvalidReplicationFactorError` (more replicas than brokers), `PolicyViolationError`,
 * … for the topics that failed; the others are created.
 */
export function createTopics(
  context: AdminContext,
  newTopics: readonly NewTopic[],
  options: CreateTopicsOptions = {},
): Promise<AdminResults<string, CreatedTopic>> {
  const topics = checkNewTopics(newTopics)
  const timeoutMs = checkTimeout(options.timeoutMs, context.requestTimeoutMs)
  const validateOnly = checkBoolean(options.validateOnly, false, 'validateOnly')
  const byName = new Map(topics.map((topic) => [topic.name, topic]))
  return runBatch(context, {
    operation: 'createTopics',
    items: topics.map((topic) => topic.name),
    keyOf: (name) => name,
    timeoutMs,
    attempt: async (pending) => {
      const request = CreateTopics.createRequest({
        topics: pending.map((name) => byName.get(name) as CreateTopics.CreatableTopic),
        timeoutMs,
        validateOnly,
      })
      const response = await context.cluster.send(CreateTopics.api, request, {
        timeoutMs: requestTimeoutFor(context, timeoutMs),
      })
      const answers: Answers<CreatedTopic> = new Map()
      response.topics.forEach((topic, index) => {
        const path = `/topics/${index}/errorCode`
        const error = brokerError(topic.errorCode, topic.errorMessage, path, `create topic ${topic.name}`)
        if (error !== undefined) {
          answers.set(topic.name, { ok: false, error })
          return
        }
        answers.set(topic.name, {
          ok: true,
          value: {
            name: topic.name,
            topicId: topic.topicId,
            numPartitions: topic.numPartitions,
            replicationFactor: topic.replicationFactor,
            configs:
              topic.configs === null
                ? null
                : Object.fromEntries(topic.configs.map((config) => [config.name, config.value])),
          },
        })
      })
      return answers
    },
  })
}

function checkNewTopics(newTopics: readonly NewTopic[]): CreateTopics.CreatableTopic[] {
  if (!Array.isArray(newTopics) || newTopics.length === 0) {
    throw new IllegalArgumentError({ message: 'createTopics needs a non-empty array of NewTopic' })
  }
  const seen = new Set<string>()
  return newTopics.map((topic: unknown, index) => {
    const what = `newTopics[${index}]`
    const fields = checkObject(topic, what)
    const name = checkString(fields.name, `${what}.name`)
    if (seen.has(name)) throw new IllegalArgumentError({ message: `createTopics names ${name} twice` })
    seen.add(name)
    const numPartitions =
      fields.numPartitions === undefined
        ? -1
        : checkInt(fields.numPartitions, `${what}.numPartitions`, -1, 0x7fffffff)
    const replicationFactor =
      fields.replicationFactor === undefined
        ? -1
        : checkInt(fields.replicationFactor, `${what}.replicationFactor`, -1, 0x7fff)
    const assignments = replicaAssignments(fields.replicaAssignments, what)
    if (assignments.length > 0 && (numPartitions !== -1 || replicationFactor !== -1)) {
      // aiokafka refuses the combination too: the assignment already fixes both numbers.
      throw new IllegalArgumentError({
        message: `${what}: give replicaAssignments or numPartitions/replicationFactor, not both`,
      })
    }
    if (numPartitions === 0 || replicationFactor === 0) {
      throw new IllegalArgumentError({
        message: `${what}: numPartitions and replicationFactor must not be 0`,
      })
    }
    return {
      name,
      numPartitions,
      replicationFactor,
      assignments,
      configs: topicConfigs(fields.topicConfigs, what),
    } as CreateTopics.CreatableTopic
  })
}

function replicaAssignments(
  value: unknown,
  what: string,
): Array<{ partitionIndex: number; brokerIds: number[] }> {
  if (value === undefined) return []
  const entries: Array<[unknown, unknown]> =
    value instanceof Map ? [...value] : Object.entries(checkObject(value, `${what}.replicaAssignments`))
  return entries.map(([partition, brokers]) => {
    const partitionIndex = checkInt(Number(partition), `${what}.replicaAssignments key`, 0, 0x7fffffff)
    if (!Array.isArray(brokers) || brokers.length === 0) {
      throw new IllegalArgumentError({
        message: `${what}.replicaAssignments[${partitionIndex}] must be a non-empty array of broker ids`,
      })
    }
    const brokerIds = brokers.map((id) =>
      checkInt(id, `${what}.replicaAssignments[${partitionIndex}] item`, 0, 0x7fffffff),
    )
    return { partitionIndex, brokerIds }
  })
}

function topicConfigs(value: unknown, what: string): Array<{ name: string; value: string | null }> {
  if (value === undefined) return []
  return Object.entries(checkObject(value, `${what}.topicConfigs`)).map(([name, config]) => ({
    name,
    value: checkString(config, `${what}.topicConfigs[${JSON.stringify(name)}]`),
  }))
}
