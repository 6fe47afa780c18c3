import { IllegalArgumentError } from '@kafkite/protocol'

/**
 * A topic's partition, aiokafka's `TopicPartition`. Compare by value: two equal ones need not be the same
 * object, which is why containers keyed by partition use `TopicPartitionMap`, never `Map`/`Set`.
 */
export interface TopicPartition {
  readonly topic: string
  readonly partition: number
}

/** A frozen `TopicPartition`; checks its parts so that a bad key never reaches a request. */
export function topicPartition(topic: string, partition: number): TopicPartition {
  if (typeof topic !== 'string' || topic === '') {
    throw new IllegalArgumentError({ message: `topic must be a non-empty string, not ${String(topic)}` })
  }
  if (!Number.isInteger(partition) || partition < 0 || partition > 0x7fffffff) {
    throw new IllegalArgumentError({
      message: `partition must be a non-negative int32, not ${String(partition)}`,
    })
  }
  return Object.freeze({ topic, partition })
}

/** Checks a caller's partition object (JavaScript callers may pass anything) and returns a frozen copy. */
export function toTopicPartition(value: TopicPartition): TopicPartition {
  if (typeof value !== 'object' || value === null) {
    throw new IllegalArgumentError({ message: `expected a TopicPartition, not ${String(value)}` })
  }
  return Object.isFrozen(value) ? checked(value) : topicPartition(value.topic, value.partition)
}

function checked(value: TopicPartition): TopicPartition {
  topicPartition(value.topic, value.partition)
  return value
}

/** Equality by value. */
export function sameTopicPartition(a: TopicPartition, b: TopicPartition): boolean {
  return a.partition === b.partition && a.topic === b.topic
}

/** Java's and aiokafka's text form, `topic-partition`, for messages and logs. */
export function formatTopicPartition(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`
}

/** Orders by topic, then partition: a stable order for requests and for output that tests compare. */
export function compareTopicPartitions(a: TopicPartition, b: TopicPartition): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1
  return a.partition - b.partition
}

/**
 * The key a partition is stored under. The partition number comes first and never contains ':', so the
 * first ':' separates the two parts whatever characters the topic holds.
 */
function keyOf(tp: TopicPartition): string {
  return `${tp.partition}:${tp.topic}`
}

interface Entry<V> {
  readonly tp: TopicPartition
  value: V
}

/**
 * A map keyed by a partition's value (topic, partition), the kafkite type for aiokafka's
 * `dict[TopicPartition, X]`. Iterates in insertion order; a key is stored as a frozen copy, so mutating the
 * object passed to `set()` later changes nothing.
 */
export class TopicPartitionMap<V> implements Iterable<[TopicPartition, V]> {
  readonly #entries = new Map<string, Entry<V>>()

  constructor(entries?: Iterable<readonly [TopicPartition, V]>) {
    if (entries !== undefined) for (const [tp, value] of entries) this.set(tp, value)
  }

  get size(): number {
    return this.#entries.size
  }

  has(tp: TopicPartition): boolean {
    return this.#entries.has(keyOf(tp))
  }

  get(tp: TopicPartition): V | undefined {
    return this.#entries.get(keyOf(tp))?.value
  }

  set(tp: TopicPartition, value: V): this {
    const key = keyOf(tp)
    const entry = this.#entries.get(key)
    if (entry === undefined) this.#entries.set(key, { tp: toTopicPartition(tp), value })
    else entry.value = value
    return this
  }

  delete(tp: TopicPartition): boolean {
    return this.#entries.delete(keyOf(tp))
  }

  clear(): void {
    this.#entries.clear()
  }

  /** The stored (frozen) key equal to `tp`, so callers can hand out one canonical object per partition. */
  keyFor(tp: TopicPartition): TopicPartition | undefined {
    return this.#entries.get(keyOf(tp))?.tp
  }

  *keys(): IterableIterator<TopicPartition> {
    for (const entry of this.#entries.values()) yield entry.tp
  }

  *values(): IterableIterator<V> {
    for (const entry of this.#entries.values()) yield entry.value
  }

  *entries(): IterableIterator<[TopicPartition, V]> {
    for (const entry of this.#entries.values()) yield [entry.tp, entry.value]
  }

  [Symbol.iterator](): IterableIterator<[TopicPartition, V]> {
    return this.entries()
  }

  forEach(callback: (value: V, tp: TopicPartition, map: this) => void): void {
    for (const entry of this.#entries.values()) callback(entry.value, entry.tp, this)
  }

  /** Moves an existing key to the end of the iteration order (round-robin over partitions). */
  moveToEnd(tp: TopicPartition): void {
    const key = keyOf(tp)
    const entry = this.#entries.get(key)
    if (entry === undefined) return
    this.#entries.delete(key)
    this.#entries.set(key, entry)
  }

  /** The keys as an array, in insertion order. */
  keyArray(): TopicPartition[] {
    return Array.from(this.keys())
  }
}

/** A set of partitions compared by value, in insertion order: aiokafka's `set[TopicPartition]`. */
export class TopicPartitionSet implements Iterable<TopicPartition> {
  readonly #map = new TopicPartitionMap<true>()

  constructor(partitions?: Iterable<TopicPartition>) {
    if (partitions !== undefined) for (const tp of partitions) this.add(tp)
  }

  get size(): number {
    return this.#map.size
  }

  has(tp: TopicPartition): boolean {
    return this.#map.has(tp)
  }

  add(tp: TopicPartition): this {
    this.#map.set(tp, true)
    return this
  }

  delete(tp: TopicPartition): boolean {
    return this.#map.delete(tp)
  }

  clear(): void {
    this.#map.clear()
  }

  [Symbol.iterator](): IterableIterator<TopicPartition> {
    return this.#map.keys()
  }

  toArray(): TopicPartition[] {
    return this.#map.keyArray()
  }
}

/** Partitions without duplicates, first occurrence kept, each checked and frozen. */
export function uniqueTopicPartitions(partitions: Iterable<TopicPartition>): TopicPartition[] {
  return new TopicPartitionSet(partitions).toArray()
}

/** Partition numbers by topic, in first-seen order: the shape of Fetch and ListOffsets requests. */
export function groupByTopic(partitions: Iterable<TopicPartition>): Map<string, number[]> {
  const byTopic = new Map<string, number[]>()
  for (const tp of partitions) {
    const list = byTopic.get(tp.topic)
    if (list === undefined) byTopic.set(tp.topic, [tp.partition])
    else list.push(tp.partition)
  }
  return byTopic
}
