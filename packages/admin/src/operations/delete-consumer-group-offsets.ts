import { OffsetDelete } from '@kafkite/protocol'
import type { AdminResults } from '../admin-results.js'
import { checkString } from '../arguments.js'
import { brokerError } from '../broker-error.js'
import { sendToGroup } from '../group-coordinator.js'
import { type AdminContext, type Answers, runBatch } from '../run-batch.js'
import { byTopic, formatTopicPartition, partitionList, type TopicPartition } from '../topic-partition.js'

/**
 * OffsetDelete, sent to the group's coordinator: forgets the group's committed offsets of `partitions`.
 * One outcome per partition. An error for the whole group (`GroupIdNotFound`, `NonEmptyGroup`, …) is
 * the outcome of each of its partitions; `GroupSubscribedToTopicError` fails the partitions of a topic an
 * active member still reads.
 */
export function deleteConsumerGroupOffsets(
  context: AdminContext,
  groupId: string,
  partitions: readonly TopicPartition[],
): Promise<AdminResults<TopicPartition, TopicPartition>> {
  checkString(groupId, 'groupId')
  const list = partitionList(partitions, 'partitions')
  return runBatch(context, {
    operation: 'deleteConsumerGroupOffsets',
    items: list,
    keyOf: formatTopicPartition,
    timeoutMs: context.requestTimeoutMs,
    attempt: async (pending) => {
      const response = await sendToGroup(context, groupId, OffsetDelete.api, () =>
        OffsetDelete.createRequest({
          groupId,
          topics: [...byTopic(pending)].map(([name, tps]) => ({
            name,
            partitions: tps.map((tp) => ({ partitionIndex: tp.partition })),
          })),
        }),
      )
      const answers: Answers<TopicPartition> = new Map()
      const groupError = brokerError(
        response.errorCode,
        null,
        '/errorCode',
        `delete offsets of group ${groupId}`,
      )
      if (groupError !== undefined) {
        for (const tp of pending) answers.set(formatTopicPartition(tp), { ok: false, error: groupError })
        return answers
      }
      response.topics.forEach((topic, topicIndex) => {
        topic.partitions.forEach((partition, partitionIndex) => {
          const tp = { topic: topic.name, partition: partition.partitionIndex }
          const key = formatTopicPartition(tp)
          const path = `/topics/${topicIndex}/partitions/${partitionIndex}/errorCode`
          const error = brokerError(
            partition.errorCode,
            null,
            path,
            `delete offset of ${key} for group ${groupId}`,
          )
          answers.set(key, error !== undefined ? { ok: false, error } : { ok: true, value: tp })
        })
      })
      return answers
    },
  })
}
