import { describe, expect, it } from 'vitest'
import { xxhash32 } from './xxhash32.js'

// Vectors from the reference implementation (python-xxhash).
describe('xxhash32', () => {
  it.each([
    ['', 0x02cc5d05, 0xa9458298],
    ['a', 0x550d7456, 0x82c322b6],
    ['abc', 0x32d153ff, 0x6e79e829],
    ['Nobody inspects the spammish repetition', 0xe2293b2f, 0x71145869],
  ])('hashes %j', (text, seed0, seed12345) => {
    const bytes = Buffer.from(text)
    expect(xxhash32(bytes)).toBe(seed0)
    expect(xxhash32(bytes, 0, bytes.length, 12345)).toBe(seed12345)
  })

  it('hashes a range of a larger buffer', () => {
    const bytes = Buffer.from(Array.from({ length: 100 }, (_, index) => index))
    expect(xxhash32(bytes)).toBe(0x7f89ba44)
    const padded = Buffer.concat([Buffer.from([9, 9]), bytes, Buffer.from([9])])
    expect(xxhash32(padded.subarray(2), 0, 100, 12345)).toBe(0xa3f2153d)
  })
})
