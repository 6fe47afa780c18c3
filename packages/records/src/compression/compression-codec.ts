import type { CompressionType } from '../batch/attributes.js'

/**
 * One compression algorithm as Kafka frames it inside a record batch. Implementations are synchronous:
 * batches are at most a few MiB, and a sync call avoids a promise and a thread hop per batch on the
 * fetch path. A codec that cannot load (a missing native addon) throws `UnsupportedCodecError` from
 * its first call, not at import, so the codecs nobody uses cost nothing.
 */
export interface CompressionCodec {
  /** The id written in the batch attributes. */
  readonly type: CompressionType
  /** Kafka's name for it (`compression.type`). */
  readonly name: string
  /** Compresses the serialized records of a batch. */
  compress(data: Buffer): Buffer
  /**
   * Inflates `data`. Must throw `DecompressionLimitError` rather than return more than `maxBytes`, must
   * bound its memory by about `maxBytes` (decide before allocating, not after), and must throw
   * `CorruptRecordError` for malformed input.
   */
  decompress(data: Buffer, maxBytes: number): Buffer
}
