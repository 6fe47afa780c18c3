import { IllegalArgumentError, IllegalStateError, NoOffsetForPartitionError } from '@kafkite/protocol'
import { describe, expect, it } from 'vitest'
import { SubscriptionState } from './subscription-state.js'
import { type TopicPartition, TopicPartitionMap, topicPartition } from './topic-partition.js'

const A0 = topicPartition('a', 0)
const A1 = topicPartition('a', 1)
const B0 = topicPartition('b', 0)

function assigned(...partitions: TopicPartition[]): SubscriptionState {
  const state = new SubscriptionState({ autoOffsetReset: 'latest' })
  state.assign(partitions)
  return state
}

describe('SubscriptionState assignment', () => {
  it('replaces the assignment and reports the change; kept partitions keep their state', () => {
    const state = assigned(A0, A1)
    state.seek(A0, 5n)
    state.pause(A0)
    const change = state.assign([{ topic: 'a', partition: 0 }, B0, B0])
    expect(change).toEqual({ added: [B0], removed: [A1] })
    expect(state.assignment()).toEqual([A0, B0])
    expect(state.position(A0)).toBe(5n)
    expect(state.isPaused(A0)).toBe(true)
    expect(state.isAssigned(A1)).toBe(false)
    expect(state.unassign()).toEqual({ added: [], removed: [A0, B0] })
  })

  it('throws IllegalStateError for unassigned partitions, IllegalArgumentError for malformed ones', () => {
    const state = assigned(A0)
    for (const call of [
      () => state.position(A1),
      () => state.highwater(A1),
      () => state.lastStableOffset(A1),
      () => state.lastPollTimestamp(A1),
      () => state.logStartOffset(A1),
      () => state.seek(A1, 0n),
      () => state.pause(A1),
      () => state.resume(A1),
      () => state.committed(A1),
      () => state.requestReset('earliest', [A0, A1]),
    ]) {
      expect(call).toThrow(IllegalStateError)
    }
    // A bad partition in the list leaves the good ones untouched.
    expect(state.partitionState(A0).fetchState).toBe('initializing')
    expect(() => state.position({ topic: '', partition: 0 })).toThrow(IllegalArgumentError)
    expect(() => state.position(null as unknown as TopicPartition)).toThrow(IllegalArgumentError)
  })
})

describe('positions', () => {
  it('seek sets the position and refuses negative or non-bigint offsets', () => {
    const state = assigned(A0)
    expect(state.position(A0)).toBeNull()
    expect(state.hasValidPosition(A0)).toBe(false)
    state.seek(A0, 0n)
    expect(state.position(A0)).toBe(0n)
    expect(state.hasValidPosition(A0)).toBe(true)
    expect(() => state.seek(A0, -1n)).toThrow(IllegalArgumentError)
    expect(() => state.seek(A0, 3 as unknown as bigint)).toThrow(IllegalArgumentError)
  })

  it('moves forward only on consumed records, keeping the leader epoch', () => {
    const state = assigned(A0)
    expect(() => state.consumedTo(A0, 1n)).toThrow(IllegalStateError)
    state.seek(A0, 10n)
    expect(state.consumedTo(A0, 13n, 4)).toBe(true)
    expect(state.partitionState(A0)).toMatchObject({ position: 13n, positionLeaderEpoch: 4 })
    expect(state.consumedTo(A0, 12n)).toBe(false)
    expect(state.consumedTo(A0, 13n, -1)).toBe(true)
    expect(state.partitionState(A0)).toMatchObject({ position: 13n, positionLeaderEpoch: 4 })
  })

  it('seekToBeginning/seekToEnd requests forget the position until ListOffsets answers', () => {
    const state = assigned(A0, A1)
    state.seek(A0, 7n)
    expect(state.requestReset('earliest')).toEqual([A0, A1])
    expect(state.position(A0)).toBeNull()
    expect(state.partitionState(A0).fetchState).toBe('awaitingReset')
    expect(state.partitionsAwaitingReset()).toEqual([
      [A0, 'earliest'],
      [A1, 'earliest'],
    ])
    expect(state.requestReset('latest', [A1])).toEqual([A1])
    // An answer for a strategy no longer asked for is stale.
    expect(state.completeReset(A1, 'earliest', 0n)).toBe(false)
    expect(state.completeReset(A1, 'latest', 42n, 3)).toBe(true)
    expect(state.partitionState(A1)).toMatchObject({
      position: 42n,
      positionLeaderEpoch: 3,
      fetchState: 'fetching',
    })
    // A seek after the request wins over its answer.
    state.seek(A0, 9n)
    expect(state.completeReset(A0, 'earliest', 0n)).toBe(false)
    expect(state.position(A0)).toBe(9n)
    expect(state.completeReset(B0, 'earliest', 0n)).toBe(false)
  })

  it('initializes positions from committed offsets, else by the reset policy', () => {
    const state = assigned(A0, A1)
    state.seek(A1, 3n)
    state.requestReset('earliest', [A1])
    state.assign([A0, A1, B0])
    expect(state.partitionsNeedingPosition()).toEqual([A0, B0])
    state.initializePositions(new TopicPartitionMap([[A0, { offset: 8n, metadata: 'm' }]]))
    expect(state.position(A0)).toBe(8n)
    expect(state.committed(A0)).toEqual({ offset: 8n, metadata: 'm' })
    expect(state.partitionState(B0)).toMatchObject({ fetchState: 'awaitingReset', resetStrategy: 'latest' })
    expect(state.partitionState(A1).resetStrategy).toBe('earliest')
  })

  it("with 'none', a partition without a committed offset is a NoOffsetForPartitionError", () => {
    const state = new SubscriptionState({ autoOffsetReset: 'none' })
    state.assign([A0, A1])
    expect(() =>
      state.initializePositions(new TopicPartitionMap([[A1, { offset: 2n, metadata: '' }]])),
    ).toThrow(NoOffsetForPartitionError)
    expect(state.position(A1)).toBe(2n)
    expect(state.resetOutOfRange(A1)).toBe(false)
    expect(state.position(A1)).toBe(2n)
  })

  it('an out-of-range position is reset by the policy', () => {
    const state = assigned(A0)
    state.seek(A0, 100n)
    expect(state.resetOutOfRange(A0)).toBe(true)
    expect(state.partitionsAwaitingReset()).toEqual([[A0, 'latest']])
  })
})

describe('pause and fetchable partitions', () => {
  it('paused partitions keep their position and are not fetchable', () => {
    const state = assigned(A0, A1, B0)
    state.seek(A0, 1n)
    state.seek(A1, 2n)
    state.pause(A0, { topic: 'a', partition: 0 })
    expect(state.paused()).toEqual([A0])
    expect(state.isFetchable(A0)).toBe(false)
    expect(state.isFetchable(topicPartition('zz', 0))).toBe(false)
    expect(state.fetchablePartitions()).toEqual([[A1, 2n]])
    expect(state.fetchablePartitions((tp) => tp.partition !== 1)).toEqual([])
    state.resume(A0)
    expect(state.paused()).toEqual([])
    expect(state.position(A0)).toBe(1n)
    expect(state.fetchablePartitions()).toEqual([
      [A0, 1n],
      [A1, 2n],
    ])
  })
})

describe('fetch metadata and commits', () => {
  it('records watermarks and the poll time as responses arrive', () => {
    const state = assigned(A0)
    expect(state.highwater(A0)).toBeNull()
    state.updateFetchMetadata(A0, { highWatermark: 50n, lastStableOffset: 40n, logStartOffset: 5n }, 1234)
    state.updateFetchMetadata(A0, { highWatermark: 51n, lastStableOffset: -1n, logStartOffset: -1n }, 1235)
    state.updateFetchMetadata(A1, { highWatermark: 1n, lastStableOffset: 1n, logStartOffset: 1n }, 1)
    expect(state.highwater(A0)).toBe(51n)
    expect(state.lastStableOffset(A0)).toBe(-1n)
    expect(state.logStartOffset(A0)).toBe(5n)
    expect(state.lastPollTimestamp(A0)).toBe(1235)
  })

  it('allConsumed commits every known position as the next offset to read', () => {
    const state = assigned(A0, A1)
    state.seek(A0, 10n)
    state.consumedTo(A0, 13n)
    expect([...state.allConsumed()]).toEqual([[A0, { offset: 13n, metadata: '' }]])
  })

  it('commitOffsets normalizes offsets and refuses unassigned partitions and bad values', () => {
    const state = assigned(A0, A1)
    const offsets = state.commitOffsets([
      [A0, 5n],
      [
        { topic: 'a', partition: 1 },
        { offset: 6n, metadata: 'x' },
      ],
    ])
    expect([...offsets]).toEqual([
      [A0, { offset: 5n, metadata: '' }],
      [A1, { offset: 6n, metadata: 'x' }],
    ])
    expect(() => state.commitOffsets([[B0, 1n]])).toThrow(IllegalStateError)
    expect(() => state.commitOffsets([[A0, -1n]])).toThrow(IllegalArgumentError)
    expect(() => state.commitOffsets([[A0, 1 as unknown as bigint]])).toThrow(IllegalArgumentError)
    expect(() => state.commitOffsets([[A0, { offset: 1n, metadata: 2 as unknown as string }]])).toThrow(
      IllegalArgumentError,
    )
    state.updateCommitted(A0, { offset: 5n, metadata: '' })
    state.updateCommitted(B0, { offset: 5n, metadata: '' })
    expect(state.committed(A0)).toEqual({ offset: 5n, metadata: '' })
  })
})
