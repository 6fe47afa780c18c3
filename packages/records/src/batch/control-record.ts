import { corrupt } from '../errors/corrupt.js'
import type { DecodedRecord } from '../record/decoded-record.js'
import { RecordBatchBuilder } from './record-batch-builder.js'

// A control record's key is [version int16][type int16]; for transaction markers the value is
// [version int16][coordinatorEpoch int32] (Java: ControlRecordType, EndTransactionMarker). KRaft adds
// other types (leader change, snapshot header/footer, voters) that clients only need to skip.

/** Control record types clients act on. */
export const ControlRecordType = {
  abort: 0,
  commit: 1,
} as const

/** A decoded control record. */
export interface ControlRecord {
  /** 0 abort, 1 commit; other values are KRaft control types a client skips. */
  readonly type: number
  /** Version of the key schema. */
  readonly version: number
  /** For abort and commit markers: the transaction coordinator's epoch; -1 otherwise. */
  readonly coordinatorEpoch: number
}

/** Reads the control record carried by a record of a control batch. */
export function readControlRecord(record: DecodedRecord): ControlRecord {
  const key = record.key
  if (key === null || key.length < 4) throw corrupt('Control record key shorter than 4 bytes')
  const version = key.readInt16BE(0)
  const type = key.readInt16BE(2)
  let coordinatorEpoch = -1
  if (type === ControlRecordType.abort || type === ControlRecordType.commit) {
    const value = record.value
    if (value === null || value.length < 6) throw corrupt('Transaction marker value shorter than 6 bytes')
    coordinatorEpoch = value.readInt32BE(2)
  }
  return { type, version, coordinatorEpoch }
}

export interface ControlBatchOptions {
  /** Commit or abort. */
  type: 'commit' | 'abort'
  producerId: bigint
  producerEpoch: number
  coordinatorEpoch: number
  baseOffset?: bigint
  partitionLeaderEpoch?: number
  /** Default `Date.now()`. */
  timestamp?: number
}

/**
 * A control batch holding one transaction marker, as a transaction coordinator writes it. Clients do not
 * send these; the fake broker and tests do.
 */
export function buildControlBatch(options: ControlBatchOptions): Buffer {
  const key = Buffer.alloc(4)
  key.writeInt16BE(0, 0)
  key.writeInt16BE(ControlRecordType[options.type], 2)
  const value = Buffer.alloc(6)
  value.writeInt16BE(0, 0)
  value.writeInt32BE(options.coordinatorEpoch, 2)
  const builder = new RecordBatchBuilder({
    isControl: true,
    isTransactional: true,
    producerId: options.producerId,
    producerEpoch: options.producerEpoch,
    ...(options.baseOffset === undefined ? {} : { baseOffset: options.baseOffset }),
    ...(options.partitionLeaderEpoch === undefined
      ? {}
      : { partitionLeaderEpoch: options.partitionLeaderEpoch }),
  })
  builder.append({ key, value, timestamp: options.timestamp ?? Date.now() })
  return builder.build()
}
