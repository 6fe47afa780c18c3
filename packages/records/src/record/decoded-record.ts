import type { RecordHeader } from './record-header.js'

/**
 * One record read from a batch. `key`, `value` and header values are views over the fetched (or
 * decompressed) bytes, not copies: keep them only as long as you keep the batch, or copy them.
 *
 * The absolute offset is a bigint, computed when read, so a consumer that only needs the values never
 * pays for one BigInt per record.
 */
export class DecodedRecord {
  /** The offset of the record's batch (shared by the batch's records). */
  readonly baseOffset: bigint
  /** Offset relative to `baseOffset`. */
  readonly offsetDelta: number
  /** Milliseconds since the epoch (CreateTime or LogAppendTime, as the batch says), -1 if none. */
  readonly timestamp: number
  readonly key: Buffer | null
  readonly value: Buffer | null
  readonly headers: readonly RecordHeader[]

  constructor(
    baseOffset: bigint,
    offsetDelta: number,
    timestamp: number,
    key: Buffer | null,
    value: Buffer | null,
    headers: readonly RecordHeader[],
  ) {
    this.baseOffset = baseOffset
    this.offsetDelta = offsetDelta
    this.timestamp = timestamp
    this.key = key
    this.value = value
    this.headers = headers
  }

  /** The record's offset in its partition. */
  get offset(): bigint {
    return this.baseOffset + BigInt(this.offsetDelta)
  }
}
