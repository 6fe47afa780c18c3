import { ElectLeaders, ErrorCode, IllegalArgumentError } from '@kafkite/protocol'
import { AdminResults } from '../admin-results.js'
import { checkTimeout } from '../arguments.js'
import { brokerError } from '../broker-error.js'
import { type AdminContext, type Answers, requestTimeoutFor, runBatch } from '../run-batch.js'
import { byTopic, formatTopicPartition, partitionList, type TopicPartition } from '../topic-partition.js'

/** `'preferred'`: move leadership back to the first replica; `'unclean'`: elect any live replica (may lose data). */
export type ElectionType = 'preferred' | 'unclean'

export interface ElectLeadersOptions {
  /** How long the controller may wait for the elections. Default `requestTimeoutMs`. */
  readonly timeoutMs?: number
}

/** A partition's election result. */
export interface ElectionResult {
  /**
   * False when no election was needed (ELECTION_NOT_NEEDED: the preferred replica leads already). Kafka
   * reports that as an error code; it is the state the caller asked for, so it is a success here.
   */
  readonly elected: boolean
}

/**
 * ElectLeaders, sent to the controller. `partitions` null (the default): every partition whose preferred
 * replica is not its leader, and the results list only those. One outcome per partition.
 */
export async function electLeaders(
  context: AdminContext,
  electionType: ElectionType,
  partitions: readonly TopicPartition[] | null = null,
  options: ElectLeadersOptions = {},
): Promise<AdminResults<TopicPartition, ElectionResult>> {
  if (electionType !== 'preferred' && electionType !== 'unclean') {
    throw new IllegalArgumentError({
      message: `electionType must be 'preferred' or 'unclean', got ${String(electionType)}`,
    })
  }
  const type = electionType === 'preferred' ? 0 : 1
  const timeoutMs = checkTimeout(options.timeoutMs, context.requestTimeoutMs)
  const send = async (list: readonly TopicPartition[] | null) => {
    const response = await context.cluster.send(
      ElectLeaders.api,
      ElectLeaders.createRequest({
        electionType: type,
        topicPartitions:
          list === null
            ? null
            : [...byTopic(list)].map(([topic, tps]) => ({
                topic,
                partitions: tps.map((tp) => tp.partition),
              })),
        timeoutMs,
      }),
      { timeoutMs: requestTimeoutFor(context, timeoutMs) },
    )
    const error = brokerError(response.errorCode, null, '/errorCode', 'electLeaders')
    if (error !== undefined) throw error
    const answers: Answers<ElectionResult> = new Map()
    const seen: TopicPartition[] = []
    response.replicaElectionResults.forEach((topic, topicIndex) => {
      topic.partitionResult.forEach((partition, partitionIndex) => {
        const tp = { topic: topic.topic, partition: partition.partitionId }
        seen.push(tp)
        const key = formatTopicPartition(tp)
        if (partition.errorCode === ErrorCode.ELECTION_NOT_NEEDED) {
          answers.set(key, { ok: true, value: { elected: false } })
          return
        }
        const path = `/replicaElectionResults/${topicIndex}/partitionResult/${partitionIndex}/errorCode`
        const failure = brokerError(
          partition.errorCode,
          partition.errorMessage,
          path,
          `elect leader of ${key}`,
        )
        answers.set(
          key,
          failure !== undefined ? { ok: false, error: failure } : { ok: true, value: { elected: true } },
        )
      })
    })
    return { answers, seen }
  }
  if (partitions === null) {
    // The controller chooses the partitions: there is no item list to retry item by item.
    const { answers, seen } = await context.cluster.withRetries(() => send(null), { timeoutMs })
    const results = new AdminResults<TopicPartition, ElectionResult>('electLeaders', formatTopicPartition)
    for (const tp of seen) {
      const outcome = answers.get(formatTopicPartition(tp))
      if (outcome !== undefined) results.set(tp, outcome)
    }
    return results
  }
  const list = partitionList(partitions, 'partitions')
  return runBatch(context, {
    operation: 'electLeaders',
    items: list,
    keyOf: formatTopicPartition,
    timeoutMs,
    // A partition's election failure (no live preferred replica, …) is the answer, as in Kafka's Java Admin;
    // only failures of the request as a whole (NOT_CONTROLLER, a lost connection) are retried.
    retryItem: () => false,
    attempt: async (pending) => (await send(pending)).answers,
  })
}
