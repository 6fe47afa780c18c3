import { corrupt } from '../errors/corrupt.js'
import { LEGACY_RECORD_OVERHEAD_V0, LegacyRecordBatch } from '../legacy/legacy-record-batch.js'
import { CURRENT_MAGIC, LOG_OVERHEAD, MAGIC_OFFSET } from './batch-layout.js'
import { asBuffer, type DecodeOptions, resolveDecodeOptions } from './decode-options.js'
import { RecordBatch } from './record-batch.js'

/** A batch as found in a fetch: v2, or one legacy (magic 0/1) message, which Kafka also treats as a batch. */
export type AnyRecordBatch = RecordBatch | LegacyRecordBatch

/**
 * Walks the batches in a partition's `records` bytes from a Fetch response, without copying them.
 *
 * Brokers cut the last batch short when it does not fit `maxBytes`; such a partial trailing batch is not
 * an error and ends the walk (Java: ByteBufferLogInputStream). Each batch's checksum is verified as it is
 * reached, unless `checkCrcs` is false.
 */
export function* readBatches(
  records: Uint8Array,
  options?: DecodeOptions,
): Generator<AnyRecordBatch, void, undefined> {
  const buffer = asBuffer(records)
  const resolved = resolveDecodeOptions(options)
  let offset = 0
  while (buffer.length - offset >= LOG_OVERHEAD) {
    const size = buffer.readInt32BE(offset + 8)
    if (size < LEGACY_RECORD_OVERHEAD_V0) throw corrupt(`Batch at byte ${offset} has impossible size ${size}`)
    const end = offset + LOG_OVERHEAD + size
    if (end > buffer.length) return
    const bytes = buffer.subarray(offset, end)
    const magic = buffer[offset + MAGIC_OFFSET]!
    if (magic === CURRENT_MAGIC) {
      const batch = new RecordBatch(bytes, resolved)
      if (resolved.checkCrcs) batch.ensureValid()
      yield batch
    } else if (magic === 0 || magic === 1) {
      const batch = new LegacyRecordBatch(bytes, resolved)
      if (resolved.checkCrcs) batch.ensureValid()
      yield batch
    } else {
      throw corrupt(`Unknown record magic ${magic} at byte ${offset}`)
    }
    offset = end
  }
}

/** Every record of every batch, control batches skipped. A convenience over `readBatches`. */
export function* readRecords(records: Uint8Array, options?: DecodeOptions) {
  for (const batch of readBatches(records, options)) {
    if (!batch.isControl) yield* batch
  }
}
