// @kafkite/records: Kafka record batches (v2) and legacy message sets, lazily decoded over the fetched bytes.

export {
  type CompressionName,
  CompressionType,
  compressionName,
  type TimestampType,
} from './batch/attributes.js'
export { CURRENT_MAGIC, NO_TIMESTAMP, RECORD_BATCH_OVERHEAD } from './batch/batch-layout.js'
export {
  buildControlBatch,
  type ControlBatchOptions,
  type ControlRecord,
  ControlRecordType,
  readControlRecord,
} from './batch/control-record.js'
export {
  DEFAULT_MAX_UNCOMPRESSED_BYTES,
  type DecodeOptions,
  type ResolvedDecodeOptions,
  resolveDecodeOptions,
} from './batch/decode-options.js'
export { type AnyRecordBatch, readBatches, readRecords } from './batch/read-batches.js'
export { RecordBatch } from './batch/record-batch.js'
export {
  DEFAULT_BATCH_BYTES,
  RecordBatchBuilder,
  type RecordBatchBuilderOptions,
  type RecordInput,
} from './batch/record-batch-builder.js'
export { CodecRegistry, defaultCodecs } from './compression/codec-registry.js'
export type { CompressionCodec } from './compression/compression-codec.js'
export { gzipCodec } from './compression/gzip-codec.js'
export { lz4Codec } from './compression/lz4-codec.js'
export { snappyCodec } from './compression/snappy-codec.js'
export { zstdCodec } from './compression/zstd-codec.js'
export { crc32c, crc32cImplementation } from './crc/crc32c.js'
export {
  DecompressionLimitError,
  type DecompressionLimitErrorOptions,
} from './errors/decompression-limit-error.js'
export { LegacyRecordBatch } from './legacy/legacy-record-batch.js'
export { DecodedRecord } from './record/decoded-record.js'
export type { RecordHeader, RecordHeaderInput } from './record/record-header.js'
