import { partitionForKey } from './murmur2.js'

/**
 * A custom partitioner, as aiokafka's `partitioner` option: called after serialization with the key's
 * bytes (null without a key), every partition of the topic, and those whose leader is known. Returns the
 * partition to use; it should be one of `allPartitions`.
 */
export type Partitioner = (
  key: Uint8Array | null,
  allPartitions: number[],
  availablePartitions: number[],
) => number

/** A random source in [0, 1); replaceable so tests can pin choices. */
export type RandomSource = () => number

/** One of `partitions` chosen uniformly. `partitions` must not be empty. */
export function pickRandom(partitions: readonly number[], random: RandomSource = Math.random): number {
  return partitions[Math.floor(random() * partitions.length)]!
}

/**
 * aiokafka's `DefaultPartitioner`, for users who want its exact behaviour: keyed records go to
 * `allPartitions[toPositive(murmur2(key)) % allPartitions.length]` (Java's partition for the key when the
 * list is `0..n-1`, which metadata gives), keyless records to a random available partition (any partition
 * when none is available). Random spreading makes small batches; the producer's default is
 * {@link StickyPartitioner}.
 */
export const murmur2Partitioner: Partitioner = (key, allPartitions, availablePartitions) => {
  if (key !== null) return allPartitions[partitionForKey(key, allPartitions.length)]!
  return pickRandom(availablePartitions.length > 0 ? availablePartitions : allPartitions)
}
