// Batch attribute bits (int16). Kafka: DefaultRecordBatch.java, RecordBatch.java.

/** Kafka's compression type ids, as written in the low three attribute bits. */
export const CompressionType = {
  none: 0,
  gzip: 1,
  snappy: 2,
  lz4: 3,
  zstd: 4,
} as const

/** A compression type id (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd). */
export type CompressionType = (typeof CompressionType)[keyof typeof CompressionType]

/** A compression type by name. */
export type CompressionName = keyof typeof CompressionType

/** How a batch's timestamps were set: by the producer, or by the broker when it appended the batch. */
export type TimestampType = 'CreateTime' | 'LogAppendTime'

export const COMPRESSION_MASK = 0x07
export const TIMESTAMP_TYPE_MASK = 0x08
export const TRANSACTIONAL_MASK = 0x10
export const CONTROL_MASK = 0x20
export const DELETE_HORIZON_MASK = 0x40

const compressionNames: readonly string[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd']

/** The name of a compression type id, or `unknown(<id>)`. */
export function compressionName(type: number): string {
  return compressionNames[type] ?? `unknown(${type})`
}

/** Accepts a compression type id or name; returns the id. */
export function toCompressionType(value: CompressionType | CompressionName): CompressionType {
  return typeof value === 'number' ? value : CompressionType[value]
}
