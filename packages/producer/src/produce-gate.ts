import type { TopicPartition } from './record-metadata.js'

/**
 * What the sender asks before it sends batches, so that transactions can hook in without the producer
 * knowing them (dependency inversion: `@kafkite/transactions` implements this, the producer only calls
 * it). A transactional gate adds the partitions to the transaction (AddPartitionsToTxn) before their first
 * batch goes, and refuses sends outside a transaction.
 */
export interface ProduceGate {
  /** Resolves when batches for `partitions` may be sent; rejects to fail them. */
  beforeSend(partitions: readonly TopicPartition[]): Promise<void> | void
  /** Whether batches must carry the transactional flag. */
  readonly isTransactional: boolean
}

/** The gate of a producer without transactions: everything may go at once. */
export const OPEN_GATE: ProduceGate = Object.freeze({
  beforeSend(): void {},
  isTransactional: false,
})
