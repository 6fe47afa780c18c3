import { describe, expect, it } from 'vitest'
import { Fifo } from './fifo.js'

describe('Fifo', () => {
  it('keeps order through pushes, shifts and compaction', () => {
    const fifo = new Fifo<number>()
    expect(fifo.shift()).toBeUndefined()
    const expected: number[] = []
    for (let index = 0; index < 200; index++) {
      fifo.push(index)
      expected.push(index)
      if (index % 3 === 0) expect(fifo.shift()).toBe(expected.shift())
    }
    expect(fifo.length).toBe(expected.length)
    expect(fifo.peek()).toBe(expected[0])
    expect([...fifo]).toEqual(expected)
    expect(fifo.drain()).toEqual(expected)
    expect(fifo.length).toBe(0)
    fifo.push(1)
    expect(fifo.shift()).toBe(1)
    expect(fifo.length).toBe(0)
  })
})
