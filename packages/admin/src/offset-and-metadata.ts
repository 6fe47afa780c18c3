/**
 * aiokafka's `OffsetAndMetadata`: a committed position. `offset` is the next offset to read (the last
 * consumed record's offset + 1), as Kafka stores it.
 */
export interface OffsetAndMetadata {
  readonly offset: bigint
  readonly metadata: string
  /** The leader epoch of the committed position, when known (-1 / left out: not known). */
  readonly leaderEpoch?: number
}
