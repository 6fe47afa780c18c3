import { DeleteRecords } from '@kafkite/protocol'
import type { AdminResults } from '../admin-results.js'
import { checkBigint, checkObject, checkTimeout } from '../arguments.js'
import { brokerError } from '../broker-error.js'
import { partitionsByLeader } from '../partition-leaders.js'
import { type AdminContext, type Answers, fanOut, requestTimeoutFor, runBatch } from '../run-batch.js'
import { byTopic, formatTopicPartition, partitionEntries, type TopicPartition } from '../topic-partition.js'

/** aiokafka's `RecordsToDelete`: delete every record below `beforeOffset` (-1: below the high watermark). */
export interface RecordsToDelete {
  readonly beforeOffset: bigint
}

export interface DeleteRecordsOptions {
  /** How long each leader may wait for its followers to catch up. Default `requestTimeoutMs`. */
  readonly timeoutMs?: number
}

/**
 * DeleteRecords, split by partition leader and sent to the leaders at once. `recordsToDelete` maps
 * partition → `RecordsToDelete` or a bare `bigint` offset. Each partition's value is its new low watermark
 * (log start offset). `OffsetOutOfRangeError` fails an offset above the high watermark.
 */
export function deleteRecords(
  context: AdminContext,
  recordsToDelete: Iterable<readonly [TopicPartition, RecordsToDelete | bigint]>,
  options: DeleteRecordsOptions = {},
): Promise<AdminResults<TopicPartition, bigint>> {
  const entries = partitionEntries(recordsToDelete, 'recordsToDelete')
  const offsets = new Map(
    entries.map(([tp, value], index) => {
      const offset =
        typeof value === 'bigint' ? value : checkObject(value, `recordsToDelete[${index}] value`).beforeOffset
      return [formatTopicPartition(tp), checkBigint(offset, `recordsToDelete[${index}] beforeOffset`, -1n)]
    }),
  )
  const timeoutMs = checkTimeout(options.timeoutMs, context.requestTimeoutMs)
  return runBatch(context, {
    operation: 'deleteRecords',
    items: entries.map(([tp]) => tp),
    keyOf: formatTopicPartition,
    timeoutMs,
    attempt: async (pending) => {
      const { byNode, failures } = await partitionsByLeader<bigint>(context, pending)
      const answers = await fanOut(byNode, formatTopicPartition, async (nodeId, partitions) => {
        const request = DeleteRecords.createRequest({
          topics: [...byTopic(partitions)].map(([name, list]) => ({
            name,
            partitions: list.map((tp) => ({
              partitionIndex: tp.partition,
              offset: offsets.get(formatTopicPartition(tp)) ?? -1n,
            })),
          })),
          timeoutMs,
        })
        const response = await context.cluster.sendToBroker(nodeId, DeleteRecords.api, request, {
          timeoutMs: requestTimeoutFor(context, timeoutMs),
        })
        const result: Answers<bigint> = new Map()
        response.topics.forEach((topic, topicIndex) => {
          topic.partitions.forEach((partition, partitionIndex) => {
            const key = formatTopicPartition({ topic: topic.name, partition: partition.partitionIndex })
            const path = `/topics/${topicIndex}/partitions/${partitionIndex}/errorCode`
            const error = brokerError(partition.errorCode, null, path, `delete records of ${key}`)
            result.set(
              key,
              error !== undefined ? { ok: false, error } : { ok: true, value: partition.lowWatermark },
            )
          })
        })
        return result
      })
      for (const [key, outcome] of failures) answers.set(key, outcome)
      return answers
    },
  })
}
