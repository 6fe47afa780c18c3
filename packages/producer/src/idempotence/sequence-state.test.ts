import { ErrorCode } from '@kafkite/protocol'
import { describe, expect, it } from 'vitest'
import { incrementSequence, type SequencedBatch, SequenceState } from './sequence-state.js'

/** A batch as the bookkeeping sees it. */
class FakeBatch implements SequencedBatch {
  producerId = -1n
  producerEpoch = -1
  baseSequence = -1
  isTransactional = false
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly recordCount: number,
  ) {}
  setProducerState(
    producerId: bigint,
    producerEpoch: number,
    baseSequence: number,
    isTransactional = false,
  ): void {
    Object.assign(this, { producerId, producerEpoch, baseSequence, isTransactional })
  }
}

function started(isTransactional = false): SequenceState {
  const state = new SequenceState(isTransactional)
  state.setProducerIdAndEpoch(1000n, 0)
  return state
}

describe('incrementSequence', () => {
  it("wraps at INT32_MAX to 0 as Kafka's DefaultRecordBatch does", () => {
    expect(incrementSequence(5, 3)).toBe(8)
    expect(incrementSequence(2147483647, 1)).toBe(0)
    expect(incrementSequence(2147483646, 3)).toBe(1)
    expect(incrementSequence(2147483647 - 10, 10)).toBe(2147483647)
  })
})

describe('SequenceState', () => {
  it('starts without a producer id', () => {
    const state = new SequenceState()
    expect(state.hasProducerId).toBe(false)
    expect(state.producerIdAndEpoch).toEqual({ producerId: -1n, epoch: -1 })
    state.setProducerIdAndEpoch(7n, 2)
    expect(state.hasProducerId).toBe(true)
    expect(state.producerIdAndEpoch).toEqual({ producerId: 7n, epoch: 2 })
  })

  it('stamps batches with consecutive sequences per partition', () => {
    const state = started(true)
    const a = new FakeBatch('t', 0, 3)
    const b = new FakeBatch('t', 0, 2)
    const c = new FakeBatch('t', 1, 4)
    for (const batch of [a, b, c]) state.stamp(batch)
    expect([a.baseSequence, b.baseSequence, c.baseSequence]).toEqual([0, 3, 0])
    expect(a).toMatchObject({ producerId: 1000n, producerEpoch: 0, isTransactional: true })
    expect(state.nextSequence('t', 0)).toBe(5)
    expect(state.nextSequence('u', 0)).toBe(0)
    expect(state.inFlightCount('t', 0)).toBe(2)
    expect(state.inFlightTotal).toBe(3)
  })

  it('keeps a retried batch its sequence and tracks acknowledgements', () => {
    const state = started()
    const a = new FakeBatch('t', 0, 3)
    const b = new FakeBatch('t', 0, 2)
    state.stamp(a)
    state.stamp(b)
    state.onRequeued(a)
    expect(state.inFlightCount('t', 0)).toBe(1)
    state.stamp(a)
    expect(a.baseSequence).toBe(0)
    expect(state.nextSequence('t', 0)).toBe(5)
    state.stamp(a) // stamping twice does not count it twice
    expect(state.inFlightCount('t', 0)).toBe(2)
    state.onAcked(a, 100n)
    expect(state.lastAckedSequence('t', 0)).toBe(2)
    expect(state.lastAckedOffset('t', 0)).toBe(102n)
    state.onAcked(b, 103n)
    expect(state.lastAckedSequence('t', 0)).toBe(4)
    expect(state.lastAckedOffset('t', 0)).toBe(104n)
    // A late, older acknowledgement does not move it back.
    state.onAcked(a, 100n)
    expect(state.lastAckedSequence('t', 0)).toBe(4)
    expect(state.inFlightTotal).toBe(0)
    expect(state.lastAckedSequence('nope', 3)).toBe(-1)
    expect(state.lastAckedOffset('nope', 3)).toBe(-1n)
  })

  it('treats DUPLICATE_SEQUENCE_NUMBER as delivered', () => {
    const state = started()
    const a = new FakeBatch('t', 0, 1)
    state.stamp(a)
    expect(state.classify(a, ErrorCode.DUPLICATE_SEQUENCE_NUMBER)).toBe('complete')
    expect(state.classify(a, ErrorCode.NOT_LEADER_OR_FOLLOWER)).toBeNull()
  })

  it('OUT_OF_ORDER_SEQUENCE on a batch behind a failed one is retried; on the next in line it bumps the epoch', () => {
    const state = started()
    const a = new FakeBatch('t', 0, 2)
    const b = new FakeBatch('t', 0, 2)
    state.stamp(a)
    state.stamp(b)
    // b is refused because a has not landed: retry b, nothing to bump.
    expect(state.classify(b, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER)).toBe('retry')
    expect(state.epochBumpRequired).toBe(false)
    // a itself is out of order: the broker has a gap, the epoch must be bumped.
    expect(state.classify(a, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER)).toBe('bump-epoch')
    expect(state.epochBumpRequired).toBe(true)
  })

  it('UNKNOWN_PRODUCER_ID on the next batch in line bumps the epoch (KIP-360)', () => {
    const state = started()
    const a = new FakeBatch('t', 0, 2)
    state.stamp(a)
    state.onAcked(a, 10n)
    const b = new FakeBatch('t', 0, 1)
    state.stamp(b)
    expect(b.baseSequence).toBe(2)
    expect(state.classify(b, ErrorCode.UNKNOWN_PRODUCER_ID)).toBe('bump-epoch')
  })

  it('a bumped epoch restarts sequences at 0 and re-stamps old batches in drain order', () => {
    const state = started()
    const a = new FakeBatch('t', 0, 2)
    const b = new FakeBatch('t', 0, 3)
    const other = new FakeBatch('u', 0, 1)
    for (const batch of [a, b, other]) state.stamp(batch)
    expect(state.classify(a, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER)).toBe('bump-epoch')
    state.onRequeued(a)
    state.onRequeued(b)
    state.onAcked(other, 0n)
    expect(state.inFlightTotal).toBe(0)
    state.setProducerIdAndEpoch(1000n, 1)
    expect(state.epochBumpRequired).toBe(false)
    expect(state.nextSequence('t', 0)).toBe(0)
    // Answers about batches of the old epoch no longer count.
    state.onAcked(other, 5n)
    expect(state.lastAckedSequence('u', 0)).toBe(-1)
    state.stamp(a)
    state.stamp(b)
    expect([a.producerEpoch, a.baseSequence, b.baseSequence]).toEqual([1, 0, 2])
    // A batch that was in flight under the old epoch is refused for it and goes again re-stamped.
    const stale = new FakeBatch('t', 0, 1)
    stale.setProducerState(1000n, 0, 9)
    expect(state.classify(stale, ErrorCode.INVALID_PRODUCER_EPOCH)).toBe('retry')
    expect(state.classify(stale, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER)).toBe('retry')
    expect(state.classify(a, ErrorCode.INVALID_PRODUCER_EPOCH)).toBe('fatal')
  })

  it('a batch failing for good leaves its partition unresolved: bump the epoch', () => {
    const state = started()
    const a = new FakeBatch('t', 0, 1)
    state.stamp(a)
    state.onFailed(a)
    expect(state.epochBumpRequired).toBe(true)
    expect(state.inFlightCount('t', 0)).toBe(0)
    state.requestEpochBump()
    expect(state.epochBumpRequired).toBe(true)
    // A failure reported for an old epoch changes nothing.
    state.setProducerIdAndEpoch(1000n, 1)
    state.onFailed(a)
    expect(state.epochBumpRequired).toBe(false)
  })

  it('a transactional producer does not bump on its own: sequence gaps are fatal', () => {
    const state = started(true)
    const a = new FakeBatch('t', 0, 1)
    state.stamp(a)
    expect(state.classify(a, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER)).toBe('fatal')
    state.onFailed(a)
    expect(state.epochBumpRequired).toBe(false)
    expect(state.classify(a, ErrorCode.PRODUCER_FENCED)).toBe('fatal')
    expect(state.classify(a, ErrorCode.INVALID_PRODUCER_ID_MAPPING)).toBe('fatal')
    expect(state.classify(a, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED)).toBe('fatal')
  })

  it('orders retried sequences across the INT32 wrap', () => {
    const state = started()
    state.setProducerIdAndEpoch(1n, 0)
    const first = new FakeBatch('t', 0, 1)
    first.setProducerState(1n, 0, 2147483647)
    const second = new FakeBatch('t', 0, 1)
    second.setProducerState(1n, 0, 0)
    state.stamp(second)
    state.stamp(first)
    expect(state.inFlightCount('t', 0)).toBe(2)
    state.onAcked(first, 0n)
    state.onAcked(second, 1n)
    expect(state.lastAckedSequence('t', 0)).toBe(0)
  })
})
