import { CorruptRecordError } from '@kafkite/protocol'

/**
 * Builds the error for bytes that break the record format. Hostile or truncated input must end in this
 * typed error, never in a RangeError from Buffer or an out-of-bounds `undefined` read.
 */
export function corrupt(message: string, cause?: unknown): CorruptRecordError {
  return new CorruptRecordError(cause === undefined ? { message } : { message, cause })
}
