import { RECORD_BATCH_OVERHEAD, type RecordHeaderInput } from '@kafkite/records'
import type { SerializedValue } from '../serializers.js'

// Upper bounds of a record's varint fields (Kafka's DefaultRecord.MAX_RECORD_OVERHEAD logic): length 5,
// attributes 1, timestamp delta 10, offset delta 5, key and value lengths 5 each, header count 5.
const RECORD_FIELDS_UPPER_BOUND = 5 + 1 + 10 + 5 + 5 + 5 + 5

/**
 * An upper bound of the bytes a record takes in a batch of its own, batch header included: what is checked
 * against `maxRequestSize` before anything is queued and reserved from the buffer budget (as aiokafka's
 * and Java's estimates). It never underestimates, so a record that passes always fits a request.
 */
export function recordSizeUpperBound(
  key: Uint8Array | null,
  value: SerializedValue,
  headers: readonly RecordHeaderInput[] | undefined,
): number {
  let size = RECORD_BATCH_OVERHEAD + RECORD_FIELDS_UPPER_BOUND + lengthOf(key) + lengthOf(value)
  if (headers !== undefined) {
    for (const header of headers) size += 10 + Buffer.byteLength(header.key) + lengthOf(header.value)
  }
  return size
}

function lengthOf(bytes: Uint8Array | string | null): number {
  if (bytes === null) return 0
  return typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length
}
