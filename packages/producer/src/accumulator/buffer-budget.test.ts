import { KafkaTimeoutError, ProducerClosed } from '@kafkite/protocol'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { BufferBudget } from './buffer-budget.js'

afterEach(() => {
  vi.useRealTimers()
})

describe('BufferBudget', () => {
  it('grants while usage is below the limit, then queues first come first served', async () => {
    const budget = new BufferBudget(100, 1000)
    expect(budget.tryReserve(80)).toBe(true)
    expect(budget.tryReserve(50)).toBe(true) // soft by one reservation
    expect(budget.used).toBe(130)
    expect(budget.tryReserve(1)).toBe(false)
    const order: string[] = []
    const first = budget.reserve(60).then(() => order.push('first'))
    const second = budget.reserve(10).then(() => order.push('second'))
    expect(budget.waiting).toBe(2)
    // Room for one: the first goes in, and its bytes keep the second waiting.
    budget.release(80)
    await first
    expect(budget.used).toBe(110)
    expect(budget.waiting).toBe(1)
    budget.release(60)
    await second
    expect(order).toEqual(['first', 'second'])
    expect(budget.used).toBe(60)
    // Nobody may jump the line while others wait.
    budget.adjust(50)
    const third = budget.reserve(5)
    expect(budget.tryReserve(1)).toBe(false)
    budget.adjust(-100)
    await third
  })

  it('times out a wait with KafkaTimeoutError; those behind keep their place', async () => {
    vi.useFakeTimers()
    const budget = new BufferBudget(100, 50)
    budget.tryReserve(100)
    const first = budget.reserve(10)
    const assertion = expect(first).rejects.toThrow('no buffer space for 10 bytes within 50 ms')
    await vi.advanceTimersByTimeAsync(30)
    const second = budget.reserve(20)
    await vi.advanceTimersByTimeAsync(20)
    await assertion
    await expect(first).rejects.toThrow(KafkaTimeoutError)
    expect(budget.waiting).toBe(1)
    budget.release(10)
    await second
    expect(budget.used).toBe(110)
  })

  it('fails every waiter on close', async () => {
    const budget = new BufferBudget(10, 1000)
    budget.tryReserve(10)
    const waiting = budget.reserve(1)
    budget.failWaiters(new ProducerClosed())
    await expect(waiting).rejects.toThrow(ProducerClosed)
    expect(budget.waiting).toBe(0)
  })
})
