import { RecordBatch, readBatches } from '@kafkite/records'
import { describe, expect, it } from 'vitest'
import { BatchBuilder } from './batch-builder.js'

describe('BatchBuilder (createBatch)', () => {
  it('appends until full, then returns null; closed batches take nothing', () => {
    const batch = new BatchBuilder<string, object>({
      maxBytes: 200,
      compression: 'gzip',
      serializeKey: (key) => Buffer.from(key.toUpperCase()),
      serializeValue: (value) => Buffer.from(JSON.stringify(value)),
      now: () => 42,
    })
    const first = batch.append({ key: 'k', value: { a: 1 }, headers: [{ key: 'h', value: 'v' }] })
    expect(first).toEqual({ offset: 0, size: expect.any(Number), timestamp: 42 })
    expect(batch.append({ value: { b: 2 }, timestampMs: 7 })).toMatchObject({ offset: 1, timestamp: 7 })
    expect(batch.append({ key: null, value: null })).toMatchObject({ offset: 2 })
    expect(batch.append({ value: { big: 'x'.repeat(300) } })).toBeNull()
    expect(batch.recordCount()).toBe(3)
    expect(batch.size()).toBeGreaterThan(61)
    batch.close()
    expect(batch.append({ value: {} })).toBeNull()

    const { builder } = batch.take()
    expect(() => batch.take()).toThrow('already sent')
    const [decoded] = [...readBatches(builder.build())]
    expect(decoded).toBeInstanceOf(RecordBatch)
    const records = [...(decoded as RecordBatch)]
    expect(records[0]!.key?.toString()).toBe('K')
    expect(records[0]!.value?.toString()).toBe('{"a":1}')
    expect(records[2]!.value).toBeNull()
    expect((decoded as RecordBatch).compression).toBe(1)
  })

  it('uses the default serializers without options', () => {
    const batch = new BatchBuilder({ maxBytes: 1000 })
    expect(batch.append({ key: 'k', value: 'v' })).toMatchObject({ offset: 0 })
    expect(() => batch.append({ value: 12 })).toThrow('without a valueSerializer')
  })
})
