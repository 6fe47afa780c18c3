import { OffsetCommit } from '@kafkite/protocol'
import type { AdminResults } from '../admin-results.js'
import { checkBigint, checkObject, checkString } from '../arguments.js'
import { brokerError } from '../broker-error.js'
import { sendToGroup } from '../group-coordinator.js'
import type { OffsetAndMetadata } from '../offset-and-metadata.js'
import { type AdminContext, type Answers, runBatch } from '../run-batch.js'
import { byTopic, formatTopicPartition, partitionEntries, type TopicPartition } from '../topic-partition.js'

/**
 * OffsetCommit from outside the group (no member id, generation -1), sent to the group's coordinator: sets
 * the group's committed offsets. `offsets` maps partition → `OffsetAndMetadata` or a bare `bigint` offset
 * (any iterable of pairs, e.g. a `Map` or an array). Kafka accepts it only while the group has no active
 * members; otherwise each partition fails with `UnknownMemberIdError` (or another typed error).
 */
export function alterConsumerGroupOffsets(
  context: AdminContext,
  groupId: string,
  offsets: Iterable<readonly [TopicPartition, OffsetAndMetadata | bigint]>,
): Promise<AdminResults<TopicPartition, OffsetAndMetadata>> {
  checkString(groupId, 'groupId')
  const entries = partitionEntries(offsets, 'offsets').map(
    ([tp, value], index): readonly [TopicPartition, OffsetAndMetadata] => {
      if (typeof value === 'bigint')
        return [tp, { offset: checkBigint(value, `offsets[${index}]`, 0n), metadata: '' }]
      const fields = checkObject(value, `offsets[${index}] value`)
      const metadata =
        fields.metadata === undefined ? '' : checkString(fields.metadata, `offsets[${index}].metadata`)
      const leaderEpoch = fields.leaderEpoch === undefined ? -1 : Number(fields.leaderEpoch)
      return [
        tp,
        { offset: checkBigint(fields.offset, `offsets[${index}].offset`, 0n), metadata, leaderEpoch },
      ]
    },
  )
  const values = new Map(entries.map(([tp, value]) => [formatTopicPartition(tp), value]))
  return runBatch(context, {
    operation: 'alterConsumerGroupOffsets',
    items: entries.map(([tp]) => tp),
    keyOf: formatTopicPartition,
    timeoutMs: context.requestTimeoutMs,
    attempt: async (pending) => {
      const response = await sendToGroup(context, groupId, OffsetCommit.api, () =>
        OffsetCommit.createRequest({
          groupId,
          generationIdOrMemberEpoch: -1,
          memberId: '',
          topics: [...byTopic(pending)].map(([name, list]) => ({
            name,
            partitions: list.map((tp) => {
              const value = values.get(formatTopicPartition(tp)) as OffsetAndMetadata
              return {
                partitionIndex: tp.partition,
                committedOffset: value.offset,
                committedLeaderEpoch: value.leaderEpoch ?? -1,
                committedMetadata: value.metadata,
              }
            }),
          })),
        }),
      )
      const answers: Answers<OffsetAndMetadata> = new Map()
      response.topics.forEach((topic, topicIndex) => {
        topic.partitions.forEach((partition, partitionIndex) => {
          const tp = { topic: topic.name, partition: partition.partitionIndex }
          const key = formatTopicPartition(tp)
          const path = `/topics/${topicIndex}/partitions/${partitionIndex}/errorCode`
          const error = brokerError(partition.errorCode, null, path, `commit ${key} for group ${groupId}`)
          const value = values.get(key)
          if (error !== undefined) answers.set(key, { ok: false, error })
          else if (value !== undefined) answers.set(key, { ok: true, value })
        })
      })
      return answers
    },
  })
}
