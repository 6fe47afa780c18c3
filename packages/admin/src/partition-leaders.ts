import type { Outcome } from './admin-results.js'
import { type AdminContext, type Answers, addToGroup, failed } from './run-batch.js'
import { formatTopicPartition, type TopicPartition } from './topic-partition.js'

/** A partition with the leader epoch the metadata gave for it, for requests that fence on epochs. */
export interface LedPartition extends TopicPartition {
  readonly leaderEpoch: number
}

/**
 * Groups partitions by their current leader. A partition whose leader cannot be found gets that typed
 * error as its outcome (`UnknownTopicOrPartitionError`, retriable `LeaderNotAvailableError`), so one bad
 * partition does not hold back the others.
 */
export async function partitionsByLeader<V>(
  context: AdminContext,
  partitions: readonly TopicPartition[],
): Promise<{ byNode: Map<number, LedPartition[]>; failures: Answers<V> }> {
  const byNode = new Map<number, LedPartition[]>()
  const failures: Answers<V> = new Map()
  const found = await Promise.all(
    partitions.map(
      async (
        tp,
      ): Promise<[TopicPartition, LedPartition & { nodeId: number }] | [TopicPartition, Outcome<V>]> => {
        try {
          const leader = await context.cluster.leaderFor(tp.topic, tp.partition)
          return [tp, { ...tp, leaderEpoch: leader.leaderEpoch, nodeId: leader.nodeId }]
        } catch (error) {
          return [tp, failed<V>(error)]
        }
      },
    ),
  )
  for (const [tp, entry] of found) {
    if ('nodeId' in entry)
      addToGroup(byNode, entry.nodeId, {
        topic: tp.topic,
        partition: tp.partition,
        leaderEpoch: entry.leaderEpoch,
      })
    else failures.set(formatTopicPartition(tp), entry)
  }
  return { byNode, failures }
}
