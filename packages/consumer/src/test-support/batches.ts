import {
  buildControlBatch,
  type CompressionName,
  crc32c,
  RecordBatchBuilder,
  type RecordInput,
} from '@kafkite/records'
import type { AbortedTransaction } from '../completed-fetch.js'
import type { FetchedPartitionData } from '../fetch-response-handler.js'
import { topicPartition } from '../topic-partition.js'

export const TP = topicPartition('orders', 0)
export const TP1 = topicPartition('orders', 1)
export const TIMESTAMP = 1_700_000_000_000

// Offsets inside a v2 batch header (Kafka's DefaultRecordBatch).
const CRC_OFFSET = 17
const ATTRIBUTES_OFFSET = 21
const LAST_OFFSET_DELTA_OFFSET = 23

export interface BatchSpec {
  readonly baseOffset: bigint
  /** Values of the records (key `k<offset>`), or a record count. */
  readonly records: number | readonly (RecordInput | string)[]
  readonly producerId?: bigint
  readonly transactional?: boolean
  readonly compression?: CompressionName
  readonly leaderEpoch?: number
}

/** A record batch as a broker stores it: records at baseOffset, baseOffset + 1, … */
export function batch(spec: BatchSpec): Buffer {
  const builder = new RecordBatchBuilder({
    baseOffset: spec.baseOffset,
    maxBytes: 1 << 20,
    ...(spec.producerId === undefined
      ? {}
      : { producerId: spec.producerId, producerEpoch: 0, baseSequence: 0 }),
    ...(spec.transactional === undefined ? {} : { isTransactional: spec.transactional }),
    ...(spec.compression === undefined ? {} : { compression: spec.compression }),
    ...(spec.leaderEpoch === undefined ? {} : { partitionLeaderEpoch: spec.leaderEpoch }),
  })
  const inputs =
    typeof spec.records === 'number'
      ? Array.from({ length: spec.records }, (_, index) => `v${spec.baseOffset + BigInt(index)}`)
      : spec.records
  inputs.forEach((input, index) => {
    const record: RecordInput =
      typeof input === 'string'
        ? { key: `k${spec.baseOffset + BigInt(index)}`, value: input, timestamp: TIMESTAMP + index }
        : { timestamp: TIMESTAMP + index, ...input }
    builder.append(record)
  })
  return builder.build()
}

/** A transactional batch of `producerId`. */
export function txnBatch(
  producerId: bigint,
  baseOffset: bigint,
  records: number | readonly string[],
): Buffer {
  return batch({ baseOffset, records, producerId, transactional: true })
}

/** A commit or abort marker of `producerId` at `offset`. */
export function marker(type: 'commit' | 'abort', producerId: bigint, offset: bigint): Buffer {
  return buildControlBatch({
    type,
    producerId,
    producerEpoch: 0,
    coordinatorEpoch: 3,
    baseOffset: offset,
    timestamp: TIMESTAMP,
  })
}

/** Rewrites a v2 header field and the CRC, as a broker's compaction or append would leave it. */
function patch(bytes: Buffer, edit: (copy: Buffer) => void): Buffer {
  const copy = Buffer.from(bytes)
  edit(copy)
  copy.writeUInt32BE(crc32c(copy.subarray(ATTRIBUTES_OFFSET)), CRC_OFFSET)
  return copy
}

/** The batch as compaction leaves it when its last records were removed: lastOffsetDelta kept. */
export function withLastOffsetDelta(bytes: Buffer, lastOffsetDelta: number): Buffer {
  return patch(bytes, (copy) => copy.writeInt32BE(lastOffsetDelta, LAST_OFFSET_DELTA_OFFSET))
}

/** The batch with LogAppendTime set, as a broker with `message.timestamp.type=LogAppendTime` writes it. */
export function withLogAppendTime(bytes: Buffer): Buffer {
  return patch(bytes, (copy) =>
    copy.writeInt16BE(copy.readInt16BE(ATTRIBUTES_OFFSET) | 0x08, ATTRIBUTES_OFFSET),
  )
}

/** The batch with one payload byte flipped and the stored CRC left as it was. */
export function corrupted(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes)
  copy[copy.length - 1]! ^= 0xff
  return copy
}

export interface PartitionSpec {
  readonly records?: readonly Buffer[]
  readonly errorCode?: number
  readonly highWatermark?: bigint
  readonly lastStableOffset?: bigint
  readonly logStartOffset?: bigint
  readonly abortedTransactions?: readonly AbortedTransaction[] | null
}

/** One partition of a Fetch response. */
export function partitionData(spec: PartitionSpec = {}): FetchedPartitionData {
  return {
    errorCode: spec.errorCode ?? 0,
    highWatermark: spec.highWatermark ?? 100n,
    lastStableOffset: spec.lastStableOffset ?? -1n,
    logStartOffset: spec.logStartOffset ?? 0n,
    abortedTransactions: spec.abortedTransactions ?? null,
    records: spec.records === undefined ? null : Buffer.concat(spec.records),
  }
}
