import { ErrorCode } from '@kafkite/protocol'

export const NO_PRODUCER_ID = -1n
export const NO_PRODUCER_EPOCH = -1
export const NO_SEQUENCE = -1
const INT32_MAX = 0x7fffffff

/** The idempotent producer's identity, from InitProducerId. */
export interface ProducerIdAndEpoch {
  readonly producerId: bigint
  readonly epoch: number
}

/** What the sequence bookkeeping needs of a batch (`ProducerBatch` has it). */
export interface SequencedBatch {
  readonly topic: string
  readonly partition: number
  readonly recordCount: number
  readonly producerId: bigint
  readonly producerEpoch: number
  readonly baseSequence: number
  setProducerState(
    producerId: bigint,
    producerEpoch: number,
    baseSequence: number,
    isTransactional?: boolean,
  ): void
}

/**
 * What to do with a batch refused with a producer-state error:
 * - `retry`: put it back unchanged (re-stamped if the epoch moved meanwhile); an earlier batch's failure
 *   made it out of order, and it will go again after that one.
 * - `bump-epoch`: the broker's sequence for the partition cannot be trusted (a real gap, or the broker lost
 *   the producer's state); bump the epoch (KIP-360), which restarts every partition's sequences at 0, and
 *   retry the batch under the new epoch.
 * - `complete`: the broker already has the batch (DUPLICATE_SEQUENCE_NUMBER); treat it as delivered.
 * - `fatal`: fail the batch; the producer cannot go on safely with this identity (fenced).
 */
export type SequenceErrorAction = 'retry' | 'bump-epoch' | 'complete' | 'fatal'

/** Kafka's `DefaultRecordBatch.incrementSequence`: sequences are int32 and wrap to 0 after INT32_MAX. */
export function incrementSequence(sequence: number, increment: number): number {
  if (sequence > INT32_MAX - increment) return increment - (INT32_MAX - sequence) - 1
  return sequence + increment
}

class PartitionSequences {
  /** Base sequence of the next batch to stamp. */
  next = 0
  /** Last sequence the broker acknowledged, -1 for none under this epoch. */
  lastAcked = NO_SEQUENCE
  /** Offset of the last acknowledged record, to tell retention from loss on UNKNOWN_PRODUCER_ID. */
  lastAckedOffset = -1n
  /** Base sequences stamped and not yet settled, in stamping (so sequence) order. */
  readonly inFlight: number[] = []
}

/**
 * The idempotent producer's state: producer id and epoch, and per partition the next sequence, the last
 * acknowledged one, and the sequences in flight. The sender stamps each drained batch (`stamp`), reports
 * answers (`onAcked`, `onFailed`), and asks `classify` what a producer-state error means.
 *
 * Recovery follows KIP-360 for the idempotent (non-transactional) producer. When a partition's sequence
 * can no longer be trusted (OUT_OF_ORDER_SEQUENCE_NUMBER on the batch that was next in line, so a real
 * gap; UNKNOWN_PRODUCER_ID on it, so the broker dropped our state, typically because retention removed
 * our last records; or a batch that had a sequence failed for good, so its sequence may or may not have
 * been written), `epochBumpRequired` turns on. The sender then stops draining, waits for its in-flight
 * batches to come back (`inFlightTotal` 0), sends InitProducerId with the current id and epoch (brokers
 * from 2.5 bump the epoch; older ones get a new id), and calls `setProducerIdAndEpoch`. That restarts every
 * partition at sequence 0; queued batches still carrying the old epoch are re-stamped as they are drained,
 * in queue order, so nothing is reordered, lost or written twice. A transactional producer does not bump
 * on its own: its errors are `fatal` here and the transaction is aborted instead (the transactions layer).
 */
export class SequenceState {
  readonly isTransactional: boolean
  #producerId = NO_PRODUCER_ID
  #epoch = NO_PRODUCER_EPOCH
  #epochBumpRequired = false
  readonly #partitions = new Map<string, (PartitionSequences | undefined)[]>()

  constructor(isTransactional = false) {
    this.isTransactional = isTransactional
  }

  get producerIdAndEpoch(): ProducerIdAndEpoch {
    return { producerId: this.#producerId, epoch: this.#epoch }
  }

  get hasProducerId(): boolean {
    return this.#producerId !== NO_PRODUCER_ID
  }

  /** On: drain nothing until in-flight batches are back and the epoch is bumped. */
  get epochBumpRequired(): boolean {
    return this.#epochBumpRequired
  }

  /** Asks for an epoch bump (also done by `classify` and `onFailed`). */
  requestEpochBump(): void {
    this.#epochBumpRequired = true
  }

  /**
   * Takes the id and epoch InitProducerId returned. A new id or epoch restarts every partition's sequences
   * at 0 (the broker starts a fresh sequence space for it) and clears a pending bump.
   */
  setProducerIdAndEpoch(producerId: bigint, epoch: number): void {
    if (producerId !== this.#producerId || epoch !== this.#epoch) this.#partitions.clear()
    this.#producerId = producerId
    this.#epoch = epoch
    this.#epochBumpRequired = false
  }

  /** The base sequence the partition's next batch gets. */
  nextSequence(topic: string, partition: number): number {
    return this.#get(topic, partition)?.next ?? 0
  }

  /** The last sequence the broker acknowledged for the partition under this epoch, -1 for none. */
  lastAckedSequence(topic: string, partition: number): number {
    return this.#get(topic, partition)?.lastAcked ?? NO_SEQUENCE
  }

  /** Stamped batches of the partition not settled yet. */
  inFlightCount(topic: string, partition: number): number {
    return this.#get(topic, partition)?.inFlight.length ?? 0
  }

  /** Stamped batches not settled yet, over all partitions. */
  get inFlightTotal(): number {
    let total = 0
    for (const partitions of this.#partitions.values()) {
      for (const sequences of partitions) total += sequences?.inFlight.length ?? 0
    }
    return total
  }

  /**
   * Gives a drained batch its producer id, epoch and base sequence. A retry already stamped under the
   * current id and epoch keeps its sequence (that is what lets the broker drop a duplicate); one stamped
   * under an older epoch gets the next sequence of the new one.
   */
  stamp(batch: SequencedBatch): void {
    const sequences = this.#ensure(batch.topic, batch.partition)
    if (
      batch.baseSequence !== NO_SEQUENCE &&
      batch.producerId === this.#producerId &&
      batch.producerEpoch === this.#epoch
    ) {
      if (!sequences.inFlight.includes(batch.baseSequence))
        insertInOrder(sequences.inFlight, batch.baseSequence)
      return
    }
    const base = sequences.next
    sequences.next = incrementSequence(base, batch.recordCount)
    sequences.inFlight.push(base)
    batch.setProducerState(this.#producerId, this.#epoch, base, this.isTransactional)
  }

  /** The broker wrote the batch at `baseOffset`. */
  onAcked(batch: SequencedBatch, baseOffset: bigint): void {
    const sequences = this.#current(batch)
    if (sequences === undefined) return
    remove(sequences.inFlight, batch.baseSequence)
    const last = incrementSequence(batch.baseSequence, batch.recordCount - 1)
    if (sequences.lastAcked === NO_SEQUENCE || isAfter(last, sequences.lastAcked)) sequences.lastAcked = last
    const lastOffset = baseOffset + BigInt(batch.recordCount - 1)
    if (lastOffset > sequences.lastAckedOffset) sequences.lastAckedOffset = lastOffset
  }

  /**
   * The batch failed for good (a non-retriable error, or it expired). Its sequence may or may not have
   * reached the log, and the batches after it were stamped past it, so the partition's sequences are
   * unresolved: an epoch bump restarts them. (Java adjusts later sequences down when the error proves the
   * batch was not written; bumping is simpler and always safe, for one extra InitProducerId.)
   */
  onFailed(batch: SequencedBatch): void {
    const sequences = this.#current(batch)
    if (sequences === undefined) return
    remove(sequences.inFlight, batch.baseSequence)
    if (!this.isTransactional) this.#epochBumpRequired = true
  }

  /** Batch put back for a retry: no longer in flight, keeps its sequence. */
  onRequeued(batch: SequencedBatch): void {
    const sequences = this.#current(batch)
    if (sequences !== undefined) remove(sequences.inFlight, batch.baseSequence)
  }

  /**
   * What a producer-state error code on a stamped batch means; null for other codes, which the sender
   * handles as any produce error.
   */
  classify(batch: SequencedBatch, errorCode: number): SequenceErrorAction | null {
    switch (errorCode) {
      case ErrorCode.DUPLICATE_SEQUENCE_NUMBER:
        return 'complete'
      case ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER:
      case ErrorCode.UNKNOWN_PRODUCER_ID:
        // An earlier stamp (old epoch, or a batch ahead of it failed): not this batch's gap.
        if (!this.#isCurrent(batch) || !this.#isNextInLine(batch)) return 'retry'
        if (this.isTransactional) return 'fatal'
        // UNKNOWN_PRODUCER_ID after retention removed our last records (the response's log start offset
        // past `lastAckedOffset`) is not loss; either way the sequence space restarts under a new epoch.
        this.#epochBumpRequired = true
        return 'bump-epoch'
      case ErrorCode.INVALID_PRODUCER_EPOCH:
        // Sent under an epoch that has since been bumped: it goes again re-stamped. Otherwise fenced.
        return batch.producerEpoch < this.#epoch ? 'retry' : 'fatal'
      case ErrorCode.PRODUCER_FENCED:
      case ErrorCode.INVALID_PRODUCER_ID_MAPPING:
      case ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED:
        return 'fatal'
      default:
        return null
    }
  }

  /** Offset of the last acknowledged record of the partition, -1 for none. */
  lastAckedOffset(topic: string, partition: number): bigint {
    return this.#get(topic, partition)?.lastAckedOffset ?? -1n
  }

  #isCurrent(batch: SequencedBatch): boolean {
    return batch.producerId === this.#producerId && batch.producerEpoch === this.#epoch
  }

  #isNextInLine(batch: SequencedBatch): boolean {
    const lastAcked = this.lastAckedSequence(batch.topic, batch.partition)
    return batch.baseSequence === (lastAcked === NO_SEQUENCE ? 0 : incrementSequence(lastAcked, 1))
  }

  /** The partition's state if the batch belongs to the current id and epoch; answers for older ones are ignored. */
  #current(batch: SequencedBatch): PartitionSequences | undefined {
    return this.#isCurrent(batch) ? this.#get(batch.topic, batch.partition) : undefined
  }

  #get(topic: string, partition: number): PartitionSequences | undefined {
    return this.#partitions.get(topic)?.[partition]
  }

  #ensure(topic: string, partition: number): PartitionSequences {
    let partitions = this.#partitions.get(topic)
    if (partitions === undefined) {
      partitions = []
      this.#partitions.set(topic, partitions)
    }
    let sequences = partitions[partition]
    if (sequences === undefined) {
      sequences = new PartitionSequences()
      partitions[partition] = sequences
    }
    return sequences
  }
}

/** Whether sequence `a` comes after `b`, allowing for the wrap at INT32_MAX (sequences in flight are close). */
function isAfter(a: number, b: number): boolean {
  const distance = a - b
  return (distance > 0 && distance < 0x40000000) || distance < -0x40000000
}

function remove(list: number[], value: number): void {
  const index = list.indexOf(value)
  if (index >= 0) list.splice(index, 1)
}

function insertInOrder(list: number[], value: number): void {
  let index = 0
  while (index < list.length && isAfter(value, list[index]!)) index++
  list.splice(index, 0, value)
}
