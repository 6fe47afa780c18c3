import { IllegalArgumentError, ListOffsets } from '@kafkite/protocol'
import type { AdminResults } from '../admin-results.js'
import { checkObject } from '../arguments.js'
import { brokerError } from '../broker-error.js'
import { partitionsByLeader } from '../partition-leaders.js'
import { type AdminContext, type Answers, fanOut, runBatch } from '../run-batch.js'
import { byTopic, formatTopicPartition, partitionEntries, type TopicPartition } from '../topic-partition.js'

/**
 * Which offset to look up (Kafka's `OffsetSpec`): `'earliest'` (the log start), `'latest'` (the high
 * watermark, or the last stable offset under `read_committed`), `'maxTimestamp'` (the record with the
 * largest timestamp; Kafka 3.0+), or `{ timestamp }`: the first record at or after that time (ms since
 * the epoch).
 */
export type OffsetSpec = 'earliest' | 'latest' | 'maxTimestamp' | { readonly timestamp: number }

export interface ListOffsetsOptions {
  /** Default `'read_uncommitted'`. */
  readonly isolationLevel?: 'read_uncommitted' | 'read_committed'
}

/** A looked-up offset. */
export interface ListedOffset {
  readonly offset: bigint
  /** The record's timestamp for timestamp lookups; null when the broker gives none (-1). */
  readonly timestamp: number | null
  /** null when the broker does not say. */
  readonly leaderEpoch: number | null
}

/** ListOffsets' special timestamps. */
const SPECIAL = { earliest: -2n, latest: -1n, maxTimestamp: -3n } as const

/**
 * ListOffsets, split by partition leader and sent to the leaders at once. One outcome per partition; a
 * timestamp after the last record gives null (no such offset), as aiokafka's `offsets_for_times` does.
 */
export function listOffsets(
  context: AdminContext,
  specs: Iterable<readonly [TopicPartition, OffsetSpec]>,
  options: ListOffsetsOptions = {},
): Promise<AdminResults<TopicPartition, ListedOffset | null>> {
  const entries = partitionEntries(specs, 'specs')
  const timestamps = new Map(
    entries.map(([tp, spec], index) => [formatTopicPartition(tp), toTimestamp(spec, index)]),
  )
  const level = options.isolationLevel ?? 'read_uncommitted'
  if (level !== 'read_uncommitted' && level !== 'read_committed') {
    throw new IllegalArgumentError({
      message: `isolationLevel must be read_uncommitted or read_committed, got ${String(level)}`,
    })
  }
  return runBatch(context, {
    operation: 'listOffsets',
    items: entries.map(([tp]) => tp),
    keyOf: formatTopicPartition,
    timeoutMs: context.requestTimeoutMs,
    attempt: async (pending) => {
      const { byNode, failures } = await partitionsByLeader<ListedOffset | null>(context, pending)
      const answers = await fanOut(byNode, formatTopicPartition, async (nodeId, partitions) => {
        const request = ListOffsets.createRequest({
          replicaId: -1,
          isolationLevel: level === 'read_committed' ? 1 : 0,
          topics: [...byTopic(partitions)].map(([name, list]) => ({
            name,
            partitions: list.map((tp) => ({
              partitionIndex: tp.partition,
              // Fences against a stale leader: a broker behind or ahead of this epoch refuses, and we retry.
              currentLeaderEpoch: tp.leaderEpoch,
              timestamp: timestamps.get(formatTopicPartition(tp)) ?? -1n,
            })),
          })),
        })
        const response = await context.cluster.sendToBroker(nodeId, ListOffsets.api, request)
        const result: Answers<ListedOffset | null> = new Map()
        response.topics.forEach((topic, topicIndex) => {
          topic.partitions.forEach((partition, partitionIndex) => {
            const key = formatTopicPartition({ topic: topic.name, partition: partition.partitionIndex })
            const path = `/topics/${topicIndex}/partitions/${partitionIndex}/errorCode`
            const error = brokerError(partition.errorCode, null, path, `list offsets of ${key}`)
            if (error !== undefined) {
              result.set(key, { ok: false, error })
              return
            }
            const offset = partition.oldStyleOffsets[0] ?? partition.offset
            result.set(key, {
              ok: true,
              value:
                offset < 0n
                  ? null
                  : {
                      offset,
                      timestamp: partition.timestamp < 0n ? null : Number(partition.timestamp),
                      leaderEpoch: partition.leaderEpoch < 0 ? null : partition.leaderEpoch,
                    },
            })
          })
        })
        return result
      })
      for (const [key, outcome] of failures) answers.set(key, outcome)
      return answers
    },
  })
}

function toTimestamp(spec: OffsetSpec, index: number): bigint {
  if (typeof spec === 'string') {
    const special = Reflect.get(SPECIAL, spec) as bigint | undefined
    if (special !== undefined && Object.hasOwn(SPECIAL, spec)) return special
  } else if (typeof spec === 'object' && spec !== null) {
    const timestamp = checkObject(spec, `specs[${index}] value`).timestamp
    if (typeof timestamp === 'number' && Number.isSafeInteger(timestamp) && timestamp >= 0)
      return BigInt(timestamp)
  }
  throw new IllegalArgumentError({
    message: `specs[${index}] must be 'earliest', 'latest', 'maxTimestamp' or { timestamp: ms >= 0 }, got ${JSON.stringify(spec)}`,
  })
}
