import { IllegalArgumentError } from '@kafkite/protocol'

/**
 * A topic's partition, aiokafka's `TopicPartition`. Results keyed by partition compare by value, so any
 * `{ topic, partition }` object finds its entry.
 */
export interface TopicPartition {
  readonly topic: string
  readonly partition: number
}

/** Java's and aiokafka's text form, `topic-partition`; unique, since the partition has no '-'. */
export function formatTopicPartition(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`
}

/** Checks a caller's partition (JavaScript callers may pass anything) and returns a plain copy. */
export function checkTopicPartition(value: unknown, what: string): TopicPartition {
  if (typeof value !== 'object' || value === null) {
    throw new IllegalArgumentError({ message: `${what} must be a { topic, partition } object` })
  }
  const topic: unknown = Reflect.get(value, 'topic')
  const partition: unknown = Reflect.get(value, 'partition')
  if (typeof topic !== 'string') {
    throw new IllegalArgumentError({ message: `${what}.topic must be a string, got ${typeof topic}` })
  }
  if (
    typeof partition !== 'number' ||
    !Number.isInteger(partition) ||
    partition < 0 ||
    partition > 0x7fffffff
  ) {
    throw new IllegalArgumentError({
      message: `${what}.partition must be a non-negative int32, got ${String(partition)}`,
    })
  }
  return { topic, partition }
}

/**
 * The entries of a partition-keyed input: a `Map`, aiokafka-style map of partitions (anything iterable
 * as `[TopicPartition, value]` pairs), or an array of such pairs. Duplicates are refused: two values for
 * one partition would leave it unclear which one the broker applied.
 */
export function partitionEntries<T>(
  input: Iterable<readonly [TopicPartition, T]>,
  what: string,
): Array<readonly [TopicPartition, T]> {
  if (typeof input !== 'object' || input === null || !(Symbol.iterator in input)) {
    throw new IllegalArgumentError({
      message: `${what} must be an iterable of [TopicPartition, value] pairs`,
    })
  }
  const seen = new Set<string>()
  const entries: Array<readonly [TopicPartition, T]> = []
  for (const entry of input) {
    if (!Array.isArray(entry) || entry.length !== 2) {
      throw new IllegalArgumentError({ message: `${what} must hold [TopicPartition, value] pairs` })
    }
    const tp = checkTopicPartition(entry[0], `${what} key`)
    const key = formatTopicPartition(tp)
    if (seen.has(key)) throw new IllegalArgumentError({ message: `${what} names ${key} twice` })
    seen.add(key)
    entries.push([tp, entry[1] as T])
  }
  return entries
}

/** A list of partitions, checked, without duplicates. */
export function partitionList(input: Iterable<TopicPartition>, what: string): TopicPartition[] {
  if (typeof input !== 'object' || input === null || !(Symbol.iterator in input)) {
    throw new IllegalArgumentError({ message: `${what} must be an iterable of TopicPartition` })
  }
  const seen = new Set<string>()
  const list: TopicPartition[] = []
  for (const value of input) {
    const tp = checkTopicPartition(value, `${what} item`)
    const key = formatTopicPartition(tp)
    if (seen.has(key)) throw new IllegalArgumentError({ message: `${what} names ${key} twice` })
    seen.add(key)
    list.push(tp)
  }
  return list
}

/** Groups partitions by topic, keeping the first-seen order of topics and partitions. */
export function byTopic<T extends TopicPartition>(partitions: readonly T[]): Map<string, T[]> {
  const topics = new Map<string, T[]>()
  for (const tp of partitions) {
    const list = topics.get(tp.topic)
    if (list === undefined) topics.set(tp.topic, [tp])
    else list.push(tp)
  }
  return topics
}
