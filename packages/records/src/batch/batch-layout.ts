// Byte layout of a record batch (magic 2). Kafka: DefaultRecordBatch.java.
//
//   baseOffset int64 | batchLength int32 | partitionLeaderEpoch int32 | magic int8 | crc uint32 |
//   attributes int16 | lastOffsetDelta int32 | baseTimestamp int64 | maxTimestamp int64 |
//   producerId int64 | producerEpoch int16 | baseSequence int32 | recordCount int32 | records...
//
// `batchLength` counts from partitionLeaderEpoch to the end; the CRC-32C covers attributes to the end, so
// a broker can rewrite the leader epoch without recomputing it.

export const BASE_OFFSET_OFFSET = 0
export const BATCH_LENGTH_OFFSET = 8
export const PARTITION_LEADER_EPOCH_OFFSET = 12
export const MAGIC_OFFSET = 16
export const CRC_OFFSET = 17
export const ATTRIBUTES_OFFSET = 21
export const LAST_OFFSET_DELTA_OFFSET = 23
export const BASE_TIMESTAMP_OFFSET = 27
export const MAX_TIMESTAMP_OFFSET = 35
export const PRODUCER_ID_OFFSET = 43
export const PRODUCER_EPOCH_OFFSET = 51
export const BASE_SEQUENCE_OFFSET = 53
export const RECORD_COUNT_OFFSET = 57
/** Size of the batch header; records start here. */
export const RECORD_BATCH_OVERHEAD = 61
/** baseOffset + batchLength: the bytes before what `batchLength` counts. */
export const LOG_OVERHEAD = 12
/** The magic byte of record batch v2. */
export const CURRENT_MAGIC = 2
/** Timestamp of a record without one. */
export const NO_TIMESTAMP = -1
