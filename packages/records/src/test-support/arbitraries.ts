import fc from 'fast-check'
import type { RecordInput } from '../batch/record-batch-builder.js'

export const compressionNames = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const

/** Bytes that compress (repeated text) as well as bytes that do not (random). */
const payload = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ maxLength: 200 }),
  fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.nat(400)).map(([text, times]) => text.repeat(times)),
)

export const recordInput: fc.Arbitrary<RecordInput> = fc.record({
  key: fc.option(payload, { nil: null }),
  value: fc.option(payload, { nil: null }),
  headers: fc.array(
    fc.record({ key: fc.string({ maxLength: 20 }), value: fc.option(payload, { nil: null }) }),
    { maxLength: 4 },
  ),
  timestamp: fc.integer({ min: 0, max: 2 ** 45 }),
})

export function asBytes(value: Uint8Array | string | null | undefined): Buffer | null {
  if (value === null || value === undefined) return null
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value)
}
