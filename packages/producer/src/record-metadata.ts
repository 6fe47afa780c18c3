/** A topic's partition, aiokafka's `TopicPartition`. Compare by value: two equal ones need not be the same object. */
export interface TopicPartition {
  readonly topic: string
  readonly partition: number
}

/** How a record's timestamp was set: 0 by the producer (CreateTime), 1 by the broker (LogAppendTime). */
export type TimestampType = 0 | 1

/** aiokafka's `RecordMetadata`: where a delivered record was written. */
export interface RecordMetadata {
  readonly topic: string
  readonly partition: number
  readonly topicPartition: TopicPartition
  /** The record's offset: the batch's base offset plus the record's offset delta. */
  readonly offset: bigint
  /** The producer's timestamp (CreateTime), or the broker's append time (LogAppendTime). */
  readonly timestamp: number | null
  readonly timestampType: TimestampType
  /** The partition's log start offset after the append; null when the broker did not report it. */
  readonly logStartOffset: bigint | null
}
