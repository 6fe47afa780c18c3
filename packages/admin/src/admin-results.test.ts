import { IllegalArgumentError, TopicAlreadyExistsError } from '@kafkite/protocol'
import { describe, expect, it } from 'vitest'
import { AdminBatchError, AdminResults } from './admin-results.js'
import { formatTopicPartition, type TopicPartition } from './topic-partition.js'

describe('AdminResults', () => {
  it('keeps one outcome per item, in input order, looked up by value', () => {
    const results = new AdminResults<TopicPartition, bigint>('deleteRecords', formatTopicPartition)
    const exists = new TopicAlreadyExistsError({ path: '/x' })
    results.set({ topic: 't', partition: 1 }, { ok: true, value: 5n })
    results.set({ topic: 't', partition: 0 }, { ok: false, error: exists })
    expect(results.operation).toBe('deleteRecords')
    expect(results.size).toBe(2)
    expect(results.ok).toBe(false)
    expect(results.value({ topic: 't', partition: 1 })).toBe(5n)
    expect(results.error({ topic: 't', partition: 1 })).toBeUndefined()
    expect(results.error({ topic: 't', partition: 0 })).toBe(exists)
    expect(results.value({ topic: 't', partition: 0 })).toBeUndefined()
    expect(results.has({ topic: 't', partition: 2 })).toBe(false)
    expect(results.outcome({ topic: 't', partition: 2 })).toBeUndefined()
    expect(results.keys()).toEqual([
      { topic: 't', partition: 1 },
      { topic: 't', partition: 0 },
    ])
    expect(results.values).toEqual([[{ topic: 't', partition: 1 }, 5n]])
    expect(results.errors).toEqual([[{ topic: 't', partition: 0 }, exists]])
    expect([...results].map(([key]) => key.partition)).toEqual([1, 0])
  })

  it('orThrow returns the results when all succeeded and throws one typed aggregate otherwise', () => {
    const fine = new AdminResults<string, number>('createTopics', String)
    fine.set('a', { ok: true, value: 1 })
    expect(fine.orThrow()).toBe(fine)
    expect(fine.ok).toBe(true)

    const mixed = new AdminResults<string, number>('createTopics', String)
    mixed.set('a', { ok: true, value: 1 })
    for (let index = 0; index < 7; index += 1) {
      mixed.set(`bad${index}`, { ok: false, error: new IllegalArgumentError({ message: `no ${index}` }) })
    }
    let thrown: unknown
    try {
      mixed.orThrow()
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(AdminBatchError)
    const batch = thrown as AdminBatchError
    expect(batch.total).toBe(8)
    expect(batch.failures.map((failure) => failure.item)).toEqual([0, 1, 2, 3, 4, 5, 6].map((n) => `bad${n}`))
    expect(batch.message).toMatch(
      /^createTopics: 7 of 8 item\(s\) failed \(bad0: no 0; .*bad4: no 4; and 2 more\)$/,
    )
    expect(batch.retriable).toBe(false)
    expect(batch.cause).toBeInstanceOf(AggregateError)
  })
})
