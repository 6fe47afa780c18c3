import { IllegalArgumentError } from '@kafkite/protocol'
import { describe, expect, it } from 'vitest'
import {
  compareTopicPartitions,
  formatTopicPartition,
  groupByTopic,
  sameTopicPartition,
  type TopicPartition,
  TopicPartitionMap,
  TopicPartitionSet,
  topicPartition,
  toTopicPartition,
  uniqueTopicPartitions,
} from './topic-partition.js'

describe('TopicPartitionMap', () => {
  it('finds a value by an equal partition, not only by the same object', () => {
    const map = new TopicPartitionMap<number>()
    map.set({ topic: 'a', partition: 0 }, 1)
    expect(map.get({ topic: 'a', partition: 0 })).toBe(1)
    expect(map.has(topicPartition('a', 0))).toBe(true)
    expect(map.get({ topic: 'a', partition: 1 })).toBeUndefined()
    expect(map.size).toBe(1)
  })

  it('keeps insertion order; overwriting keeps the first position', () => {
    const map = new TopicPartitionMap<string>([
      [{ topic: 'b', partition: 1 }, 'x'],
      [{ topic: 'a', partition: 0 }, 'y'],
    ])
    map.set({ topic: 'b', partition: 1 }, 'z')
    expect(Array.from(map, ([tp, value]) => `${formatTopicPartition(tp)}=${value}`)).toEqual([
      'b-1=z',
      'a-0=y',
    ])
    expect(Array.from(map.values())).toEqual(['z', 'y'])
    map.moveToEnd({ topic: 'b', partition: 1 })
    map.moveToEnd({ topic: 'c', partition: 9 })
    expect(map.keyArray()).toEqual([
      { topic: 'a', partition: 0 },
      { topic: 'b', partition: 1 },
    ])
  })

  it('does not confuse topics whose names would collide when joined naively', () => {
    const map = new TopicPartitionMap<number>()
    map.set({ topic: 'a:1', partition: 2 }, 1)
    map.set({ topic: 'a', partition: 12 }, 2)
    map.set({ topic: '1:a', partition: 2 }, 3)
    expect(map.size).toBe(3)
    expect(map.get({ topic: 'a:1', partition: 2 })).toBe(1)
  })

  it('stores a frozen copy of the key, so mutating the caller object changes nothing', () => {
    const key = { topic: 'a', partition: 0 }
    const map = new TopicPartitionMap<number>().set(key, 1)
    key.partition = 5
    const stored = map.keyFor({ topic: 'a', partition: 0 })!
    expect(stored).toEqual({ topic: 'a', partition: 0 })
    expect(Object.isFrozen(stored)).toBe(true)
    expect(map.keyFor({ topic: 'z', partition: 0 })).toBeUndefined()
  })

  it('deletes, clears and visits with forEach', () => {
    const map = new TopicPartitionMap<number>([
      [topicPartition('a', 0), 1],
      [topicPartition('a', 1), 2],
    ])
    const seen: string[] = []
    map.forEach((value, tp, self) => {
      expect(self).toBe(map)
      seen.push(`${formatTopicPartition(tp)}:${value}`)
    })
    expect(seen).toEqual(['a-0:1', 'a-1:2'])
    expect(map.delete({ topic: 'a', partition: 0 })).toBe(true)
    expect(map.delete({ topic: 'a', partition: 0 })).toBe(false)
    expect(Array.from(map.entries())).toEqual([[{ topic: 'a', partition: 1 }, 2]])
    map.clear()
    expect(map.size).toBe(0)
  })

  it('refuses malformed keys with IllegalArgumentError', () => {
    const map = new TopicPartitionMap<number>()
    expect(() => map.set({ topic: '', partition: 0 }, 1)).toThrow(IllegalArgumentError)
    expect(() => map.set({ topic: 'a', partition: -1 }, 1)).toThrow(IllegalArgumentError)
    expect(() => map.set({ topic: 'a', partition: 1.5 }, 1)).toThrow(IllegalArgumentError)
  })
})

describe('TopicPartitionSet', () => {
  it('holds each partition once by value, in insertion order', () => {
    const set = new TopicPartitionSet([
      topicPartition('a', 1),
      { topic: 'a', partition: 1 },
      topicPartition('b', 0),
    ])
    expect(set.size).toBe(2)
    expect(set.has({ topic: 'a', partition: 1 })).toBe(true)
    set.add({ topic: 'c', partition: 0 })
    expect(set.delete({ topic: 'b', partition: 0 })).toBe(true)
    expect([...set]).toEqual([
      { topic: 'a', partition: 1 },
      { topic: 'c', partition: 0 },
    ])
    set.clear()
    expect(set.toArray()).toEqual([])
  })
})

describe('helpers', () => {
  it('topicPartition validates and freezes', () => {
    const tp = topicPartition('t', 3)
    expect(Object.isFrozen(tp)).toBe(true)
    expect(() => topicPartition('t', 2 ** 31)).toThrow(IllegalArgumentError)
    expect(() => topicPartition(1 as unknown as string, 0)).toThrow(IllegalArgumentError)
  })

  it('toTopicPartition checks what JavaScript callers pass', () => {
    const frozen = topicPartition('t', 0)
    expect(toTopicPartition(frozen)).toBe(frozen)
    expect(toTopicPartition({ topic: 't', partition: 1 })).toEqual({ topic: 't', partition: 1 })
    expect(() => toTopicPartition(null as unknown as TopicPartition)).toThrow(IllegalArgumentError)
    expect(() => toTopicPartition(Object.freeze({ topic: 't', partition: -2 }))).toThrow(IllegalArgumentError)
  })

  it('compares, formats, dedupes and groups by value', () => {
    expect(sameTopicPartition({ topic: 'a', partition: 1 }, topicPartition('a', 1))).toBe(true)
    expect(sameTopicPartition({ topic: 'a', partition: 1 }, topicPartition('a', 2))).toBe(false)
    const list = [
      topicPartition('b', 1),
      topicPartition('a', 2),
      topicPartition('a', 1),
      topicPartition('b', 1),
    ]
    expect([...list].sort(compareTopicPartitions).map(formatTopicPartition)).toEqual([
      'a-1',
      'a-2',
      'b-1',
      'b-1',
    ])
    expect(uniqueTopicPartitions(list).map(formatTopicPartition)).toEqual(['b-1', 'a-2', 'a-1'])
    expect(groupByTopic(list)).toEqual(
      new Map([
        ['b', [1, 1]],
        ['a', [2, 1]],
      ]),
    )
  })
})
