import { CreatePartitions, IllegalArgumentError } from '@kafkite/protocol'
import type { AdminResults } from '../admin-results.js'
import { checkBoolean, checkInt, checkObject, checkTimeout } from '../arguments.js'
import { brokerError } from '../broker-error.js'
import { type AdminContext, type Answers, requestTimeoutFor, runBatch } from '../run-batch.js'

/** aiokafka's `NewPartitions`: the topic's new partition count, and optionally where the new ones go. */
export interface NewPartitions {
  readonly totalCount: number
  /** One broker-id list per new partition (`totalCount - current count` of them). */
  readonly newAssignments?: readonly (readonly number[])[]
}

export interface CreatePartitionsOptions {
  /** How long the controller may wait. Default `requestTimeoutMs`. */
  readonly timeoutMs?: number
  /** Only check that the partitions could be created. Default false. */
  readonly validateOnly?: boolean
}

/** A topic whose partitions were raised. */
export interface CreatedPartitions {
  readonly topic: string
  readonly totalCount: number
}

/**
 * CreatePartitions, sent to the controller. `newPartitions` maps topic → `NewPartitions` (a `Map` or a
 * plain object). One outcome per topic: `InvalidPartitionsError` (a count not above the current one),
 * `UnknownTopicOrPartitionError`, … for those that failed; aiokafka stops at the first failed topic.
 */
export function createPartitions(
  context: AdminContext,
  newPartitions: ReadonlyMap<string, NewPartitions> | Readonly<Record<string, NewPartitions>>,
  options: CreatePartitionsOptions = {},
): Promise<AdminResults<string, CreatedPartitions>> {
  const entries =
    newPartitions instanceof Map
      ? [...newPartitions]
      : Object.entries(checkObject(newPartitions, 'newPartitions'))
  if (entries.length === 0)
    throw new IllegalArgumentError({ message: 'createPartitions needs at least one topic' })
  const topics = new Map<string, CreatePartitions.CreatePartitionsTopic>()
  for (const [name, value] of entries) {
    const fields = checkObject(value, `newPartitions[${JSON.stringify(name)}]`)
    const count = checkInt(
      fields.totalCount,
      `newPartitions[${JSON.stringify(name)}].totalCount`,
      1,
      0x7fffffff,
    )
    const assignments =
      fields.newAssignments === undefined ? null : checkAssignments(fields.newAssignments, String(name))
    topics.set(String(name), {
      name: String(name),
      count,
      assignments,
    } as CreatePartitions.CreatePartitionsTopic)
  }
  const timeoutMs = checkTimeout(options.timeoutMs, context.requestTimeoutMs)
  const validateOnly = checkBoolean(options.validateOnly, false, 'validateOnly')
  return runBatch(context, {
    operation: 'createPartitions',
    items: [...topics.keys()],
    keyOf: (name) => name,
    timeoutMs,
    attempt: async (pending) => {
      const request = CreatePartitions.createRequest({
        topics: pending.map((name) => topics.get(name) as CreatePartitions.CreatePartitionsTopic),
        timeoutMs,
        validateOnly,
      })
      const response = await context.cluster.send(CreatePartitions.api, request, {
        timeoutMs: requestTimeoutFor(context, timeoutMs),
      })
      const answers: Answers<CreatedPartitions> = new Map()
      response.results.forEach((result, index) => {
        const path = `/results/${index}/errorCode`
        const error = brokerError(
          result.errorCode,
          result.errorMessage,
          path,
          `create partitions of ${result.name}`,
        )
        answers.set(
          result.name,
          error !== undefined
            ? { ok: false, error }
            : { ok: true, value: { topic: result.name, totalCount: topics.get(result.name)?.count ?? -1 } },
        )
      })
      return answers
    },
  })
}

function checkAssignments(value: unknown, topic: string): Array<{ brokerIds: number[] }> {
  if (!Array.isArray(value)) {
    throw new IllegalArgumentError({
      message: `newAssignments of ${topic} must be an array of broker-id arrays`,
    })
  }
  return value.map((brokers: unknown, index) => {
    if (!Array.isArray(brokers) || brokers.length === 0) {
      throw new IllegalArgumentError({
        message: `newAssignments[${index}] of ${topic} must be a non-empty array`,
      })
    }
    return {
      brokerIds: brokers.map((id) => checkInt(id, `newAssignments[${index}] of ${topic}`, 0, 0x7fffffff)),
    }
  })
}
