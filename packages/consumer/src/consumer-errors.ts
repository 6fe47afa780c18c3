import { KafkaError, type KafkaErrorOptions, OffsetOutOfRangeError } from '@kafkite/protocol'
import { formatTopicPartition, type TopicPartition, TopicPartitionMap } from './topic-partition.js'

/**
 * The broker refused a fetch position and `autoOffsetReset` is `'none'`. aiokafka raises
 * `OffsetOutOfRangeError({tp: fetch_offset})`; this subclass of protocol's `OffsetOutOfRangeError` (so
 * `instanceof` and `code` 1 still match) carries those partitions and offsets, so the caller can decide
 * where to seek.
 */
export class FetchOffsetOutOfRangeError extends OffsetOutOfRangeError {
  /** The refused fetch offset of each partition. */
  readonly offsets: TopicPartitionMap<bigint>

  constructor(offsets: Iterable<readonly [TopicPartition, bigint]>, options: KafkaErrorOptions = {}) {
    const map = new TopicPartitionMap(offsets)
    const listed = Array.from(map, ([tp, offset]) => `${formatTopicPartition(tp)}@${offset}`).join(', ')
    super({ message: `Fetch offsets out of range with no reset policy: ${listed}`, ...options })
    this.offsets = map
  }

  /** The partitions whose position was refused. */
  get partitions(): TopicPartition[] {
    return this.offsets.keyArray()
  }
}

/**
 * A key or value deserializer threw. As in Java's `RecordDeserializationException`, the position stays
 * at the record, every later read of the partition raises this again, and `seek(partition, offset + 1n)`
 * skips it; records before it are delivered first. The deserializer's error is the `cause`.
 */
export class RecordDeserializationError extends KafkaError {
  readonly topic: string
  readonly partition: number
  readonly offset: bigint
  /** Which deserializer failed. */
  readonly field: 'key' | 'value'

  constructor(tp: TopicPartition, offset: bigint, field: 'key' | 'value', cause: unknown) {
    super({
      message: `Cannot deserialize the ${field} of the record at offset ${offset} of ${formatTopicPartition(tp)}; seek past it to continue`,
      cause,
    })
    this.topic = tp.topic
    this.partition = tp.partition
    this.offset = offset
    this.field = field
  }
}

/**
 * aiokafka's `IllegalOperation`: the call needs something this consumer was not configured with, such as
 * `commit()`, `committed()` or `seekToCommitted()` without a `groupId`. Not retriable.
 */
export class IllegalOperation extends KafkaError {}
