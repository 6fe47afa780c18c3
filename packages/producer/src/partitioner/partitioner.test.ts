import { describe, expect, it } from 'vitest'
import { murmur2Partitioner, pickRandom } from './partitioner.js'
import { StickyPartitioner } from './sticky-partitioner.js'

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)
const six = [0, 1, 2, 3, 4, 5]

/** A random source returning the given values in turn. */
function sequence(...values: number[]): () => number {
  let i = 0
  return () => values[i++ % values.length]!
}

describe('murmur2Partitioner (aiokafka DefaultPartitioner)', () => {
  it('puts keyed records where Java does, available or not', () => {
    // Java (kafka-clients 4.4.0) picks 6 for "foobar" and 8 for "user-1" among 12 partitions.
    const all = Array.from({ length: 12 }, (_, i) => i)
    expect(murmur2Partitioner(utf8('foobar'), all, [])).toBe(6)
    expect(murmur2Partitioner(utf8('user-1'), all, [0])).toBe(8)
  })

  it('spreads keyless records over available partitions, or all when none is available', () => {
    const seen = new Set<number>()
    for (let i = 0; i < 200; i++) seen.add(murmur2Partitioner(null, six, [1, 4]))
    expect([...seen].sort()).toEqual([1, 4])
    for (let i = 0; i < 200; i++) seen.add(murmur2Partitioner(null, six, []))
    expect(seen.size).toBe(6)
  })

  it('pickRandom maps [0, 1) onto the list', () => {
    expect(pickRandom([7, 8, 9], () => 0)).toBe(7)
    expect(pickRandom([7, 8, 9], () => 0.999)).toBe(9)
  })
})

describe('StickyPartitioner', () => {
  it('uses murmur2 for keys', () => {
    const partitioner = new StickyPartitioner()
    expect(partitioner.partition('t', utf8('key'), [0, 1, 2], [])).toBe(1)
  })

  it('sticks to one partition per topic until a new batch is needed there', () => {
    const partitioner = new StickyPartitioner(sequence(0.5, 0.1))
    const first = partitioner.partition('t', null, six, six)
    expect(first).toBe(3)
    expect(partitioner.partition('t', null, six, six)).toBe(3)
    // A new batch on another partition (stale caller) does not move the topic off 3.
    expect(partitioner.onNewBatch('t', 5, six, six)).toBe(3)
    const next = partitioner.onNewBatch('t', 3, six, six)
    expect(next).not.toBe(3)
    expect(partitioner.partition('t', null, six, six)).toBe(next)
    // Topics are independent.
    expect(partitioner.partition('other', null, six, six)).toBeGreaterThanOrEqual(0)
  })

  it('never picks the same partition again when another is available', () => {
    // The draw lands on the current partition's slot: the last partition stands in for it.
    const partitioner = new StickyPartitioner(sequence(0, 0))
    expect(partitioner.partition('t', null, six, six)).toBe(0)
    expect(partitioner.onNewBatch('t', 0, six, six)).toBe(5)
    for (let i = 0; i < 50; i++) {
      const sticky = new StickyPartitioner()
      const before = sticky.partition('t', null, six, six)
      expect(sticky.onNewBatch('t', before, six, six)).not.toBe(before)
    }
  })

  it('keeps the only available partition, and falls back to all partitions when none is available', () => {
    const partitioner = new StickyPartitioner(sequence(0.99))
    expect(partitioner.partition('t', null, six, [2])).toBe(2)
    expect(partitioner.onNewBatch('t', 2, six, [2])).toBe(2)
    expect(partitioner.onNewBatch('t', 2, six, [])).toBe(5)
    // The current partition became unavailable: any available one will do.
    expect(partitioner.onNewBatch('t', 5, six, [1, 2])).toBe(2)
  })
})
