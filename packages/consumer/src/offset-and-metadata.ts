/**
 * aiokafka's `OffsetAndMetadata`: a committed position. `offset` is the *next* offset to read, i.e. the
 * last consumed record's offset + 1, as Kafka stores it.
 */
export interface OffsetAndMetadata {
  readonly offset: bigint
  readonly metadata: string
}

/** aiokafka's `OffsetAndTimestamp`: an `offsetsForTimes()` answer. */
export interface OffsetAndTimestamp {
  readonly offset: bigint
  readonly timestamp: number | null
}
