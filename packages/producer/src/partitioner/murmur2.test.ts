import { describe, expect, it } from 'vitest'
import { murmur2, partitionForKey, toPositive } from './murmur2.js'

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

describe('murmur2', () => {
  // Kafka's own vectors: clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java (testMurmur2).
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('matches Kafka UtilsTest for %j', (key, hash) => {
    expect(murmur2(utf8(key))).toBe(hash)
  })

  // Computed with kafka-clients 4.4.0 (Utils.murmur2 over bytes 0, 1, 2, …): every tail length, and
  // bytes >= 0x80, which Java holds as negative `byte`s and must mask.
  it.each([
    [0, 275646681],
    [1, 375494588],
    [2, -2112343979],
    [3, 51419311],
    [4, 1916244640],
    [5, -1916494074],
    [7, -1488168820],
    [8, 970650281],
    [255, 1542706800],
    [256, -1948347274],
  ])('matches Java for the first %i byte values', (length, hash) => {
    const bytes = new Uint8Array(length)
    for (let i = 0; i < length; i++) bytes[i] = i
    expect(murmur2(bytes)).toBe(hash)
  })

  it('reads only the view it is given, not the whole underlying buffer', () => {
    const backing = Buffer.from('xxfoobaryy')
    expect(murmur2(backing.subarray(2, 8))).toBe(-790332482)
  })
})

describe('toPositive', () => {
  it('clears the sign bit as Java does, unlike Math.abs', () => {
    expect(toPositive(-790332482)).toBe(1357151166)
    expect(toPositive(-2147483648)).toBe(0)
    expect(toPositive(2147483647)).toBe(2147483647)
    expect(toPositive(0)).toBe(0)
  })
})

describe('partitionForKey', () => {
  // Partitions chosen by kafka-clients 4.4.0 BuiltInPartitioner.partitionForKey(key, n) for
  // n = 1, 3, 6, 12, 100: what Java's producer picks for a keyed record.
  it.each([
    ['', [0, 0, 3, 9, 81]],
    ['a', [0, 1, 4, 4, 24]],
    ['ab', [0, 2, 2, 2, 34]],
    ['abc', [0, 0, 3, 3, 7]],
    ['abcd', [0, 2, 2, 8, 0]],
    ['abcde', [0, 1, 1, 1, 41]],
    ['21', [0, 0, 0, 0, 40]],
    ['foobar', [0, 0, 0, 6, 66]],
    ['key', [0, 1, 1, 1, 81]],
    ['user-1', [0, 2, 2, 8, 28]],
    ['user-42', [0, 1, 4, 4, 60]],
    ['order:123456', [0, 0, 3, 9, 33]],
    ['ünïcødé-€', [0, 0, 3, 3, 59]],
    ['🦀crab', [0, 0, 3, 9, 85]],
    ['a-little-bit-long-string', [0, 2, 2, 8, 12]],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', [0, 2, 5, 5, 77]],
  ])('matches Java for key %j', (key, partitions) => {
    const bytes = utf8(key)
    expect([1, 3, 6, 12, 100].map((n) => partitionForKey(bytes, n))).toEqual(partitions)
  })
})
