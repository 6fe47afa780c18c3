import { DescribeLogDirs, IllegalArgumentError } from '@kafkite/protocol'
import type { AdminResults } from '../admin-results.js'
import { brokerError } from '../broker-error.js'
import { type AdminContext, type Answers, fanOut, runBatch } from '../run-batch.js'
import { byTopic, partitionList, type TopicPartition } from '../topic-partition.js'

/** One replica's log in a log directory. */
export interface ReplicaLogInfo extends TopicPartition {
  readonly size: bigint
  /** How far this log is behind (the high watermark, or the current log for a future one). */
  readonly offsetLag: bigint
  /** True for a log being moved here by AlterReplicaLogDirs. */
  readonly isFuture: boolean
}

/** One log directory of a broker. */
export interface LogDirDescription {
  readonly path: string
  /** The directory's typed error (e.g. `KafkaStorageError` for an offline dir), or null. */
  readonly error: Error | null
  readonly replicas: readonly ReplicaLogInfo[]
  /** Bytes of the volume; null when the broker does not say (before v4). */
  readonly totalBytes: bigint | null
  readonly usableBytes: bigint | null
}

export interface DescribeLogDirsOptions {
  /** Only these brokers. Default: every broker. */
  readonly brokerIds?: readonly number[]
  /** Only these partitions. Default: all. */
  readonly partitions?: readonly TopicPartition[]
}

/**
 * DescribeLogDirs, sent to each broker (every broker reports only its own directories). One outcome per
 * broker id, its value the broker's log directories.
 */
export async function describeLogDirs(
  context: AdminContext,
  options: DescribeLogDirsOptions = {},
): Promise<AdminResults<number, LogDirDescription[]>> {
  const partitions = options.partitions === undefined ? null : partitionList(options.partitions, 'partitions')
  let brokerIds: readonly number[]
  if (options.brokerIds === undefined) {
    await context.cluster.bootstrap()
    brokerIds = [...(await context.cluster.refreshMetadata()).brokers.keys()].sort((a, b) => a - b)
  } else {
    if (
      !Array.isArray(options.brokerIds) ||
      !options.brokerIds.every((id) => Number.isInteger(id) && id >= 0)
    ) {
      throw new IllegalArgumentError({ message: 'brokerIds must be an array of node ids' })
    }
    brokerIds = options.brokerIds
  }
  const topics =
    partitions === null
      ? null
      : [...byTopic(partitions)].map(([topic, list]) => ({
          topic,
          partitions: list.map((tp) => tp.partition),
        }))
  return runBatch(context, {
    operation: 'describeLogDirs',
    items: brokerIds,
    keyOf: String,
    timeoutMs: context.requestTimeoutMs,
    attempt: (pending) =>
      fanOut(new Map(pending.map((id) => [id, [id]])), String, async (nodeId) => {
        const response = await context.cluster.sendToBroker(
          nodeId,
          DescribeLogDirs.api,
          DescribeLogDirs.createRequest({ topics }),
        )
        const answers: Answers<LogDirDescription[]> = new Map()
        const error = brokerError(response.errorCode, null, '/errorCode', `describeLogDirs on node ${nodeId}`)
        if (error !== undefined) {
          answers.set(String(nodeId), { ok: false, error })
          return answers
        }
        const dirs = response.results.map((dir, index) => ({
          path: dir.logDir,
          error:
            brokerError(dir.errorCode, null, `/results/${index}/errorCode`, `log dir ${dir.logDir}`) ?? null,
          replicas: dir.topics.flatMap((topic) =>
            topic.partitions.map((partition) => ({
              topic: topic.name,
              partition: partition.partitionIndex,
              size: partition.partitionSize,
              offsetLag: partition.offsetLag,
              isFuture: partition.isFutureKey,
            })),
          ),
          totalBytes: dir.totalBytes < 0n ? null : dir.totalBytes,
          usableBytes: dir.usableBytes < 0n ? null : dir.usableBytes,
        }))
        answers.set(String(nodeId), { ok: true, value: dirs })
        return answers
      }),
  })
}
