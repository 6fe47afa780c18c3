import { DeleteTopics, ErrorCode, type Uuid } from '@kafkite/protocol'
import type { AdminResults } from '../admin-results.js'
import { checkStringList, checkTimeout } from '../arguments.js'
import { brokerError } from '../broker-error.js'
import {
  type AdminContext,
  type Answers,
  hasCode,
  requestTimeoutFor,
  retriableUnlessUnknownTopic,
  runBatch,
} from '../run-batch.js'
import { sendVersioned } from '../versioned-send.js'

export interface DeleteTopicsOptions {
  /** How long the controller may wait for the deletions. Default `requestTimeoutMs`. */
  readonly timeoutMs?: number
}

/** A deleted topic. */
export interface DeletedTopic {
  readonly name: string
  /** `ZERO_UUID` when the broker does not say (before v6). */
  readonly topicId: Uuid
}

/**
 * DeleteTopics by name, sent to the controller. One outcome per topic; a topic that does not exist fails
 * with `UnknownTopicOrPartitionError` at once (not retried: deleting it again cannot make it exist).
 */
export function deleteTopics(
  context: AdminContext,
  topics: readonly string[],
  options: DeleteTopicsOptions = {},
): Promise<AdminResults<string, DeletedTopic>> {
  const names = checkStringList(topics, 'topics')
  const timeoutMs = checkTimeout(options.timeoutMs, context.requestTimeoutMs)
  return runBatch(context, {
    operation: 'deleteTopics',
    items: names,
    keyOf: (name) => name,
    timeoutMs,
    retryItem: retriableUnlessUnknownTopic,
    attempt: async (pending, { attempt }) => {
      const response = await sendVersioned(
        context,
        DeleteTopics.api,
        // v6+ names topics in `topics` (name or id), before that in `topicNames`.
        (version) =>
          DeleteTopics.createRequest(
            version >= 6
              ? { topics: pending.map((name) => ({ name })), timeoutMs }
              : { topicNames: [...pending], timeoutMs },
          ),
        requestTimeoutFor(context, timeoutMs),
      )
      const answers: Answers<DeletedTopic> = new Map()
      response.responses.forEach((topic, index) => {
        if (topic.name === null) return
        const path = `/responses/${index}/errorCode`
        const error = brokerError(topic.errorCode, topic.errorMessage, path, `delete topic ${topic.name}`)
        // A retried deletion may find the topic gone: the first attempt did the work before its answer got lost.
        if (error !== undefined && !(attempt > 1 && hasCode(error, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION))) {
          answers.set(topic.name, { ok: false, error })
        } else {
          answers.set(topic.name, { ok: true, value: { name: topic.name, topicId: topic.topicId } })
        }
      })
      return answers
    },
  })
}
