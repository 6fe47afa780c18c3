// The records every library encodes in the records suite. Built deterministically (a seeded generator, no
// Math.random), so every run and every library sees the same bytes.

import { RecordBatchBuilder } from '@kafkite/records'

/** Java's default `batch.size`: a producer batch holds as many records as fit in it. */
export const BATCH_BYTES = 16384
/** Record sizes measured: key + value bytes of each record. */
export const RECORD_SIZES = [100, 1024] as const
/** Timestamp of the first record; each next record is one millisecond later. */
export const BASE_TIMESTAMP = 1_760_000_000_000
const KEY_BYTES = 10

/** One record as every library is given it: key and value already serialized. */
export interface BenchRecord {
  readonly key: Buffer
  readonly value: Buffer
  readonly timestamp: number
}

/** mulberry32: small, fast, deterministic. */
function generator(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS = (
  'order item cart user session page view click search checkout payment shipped delivered returned ' +
  'price quantity currency country region device mobile desktop browser referrer campaign email ' +
  'product category brand size color stock warehouse status pending active cancelled'
).split(' ')

/**
 * A JSON-like value of exactly `size` bytes: repeated field names and words from a small vocabulary mixed
 * with random numbers, different for every record. Compresses about 2-4× depending on the codec, like
 * typical event payloads (random bytes would not compress, a repeated pattern would compress too well).
 */
function jsonValue(index: number, size: number, random: () => number): Buffer {
  let text = `{"id":${index},"user":"user-${index % 977}","event":"page_view","ts":${BASE_TIMESTAMP + index},"data":"`
  while (text.length < size - 2) {
    text +=
      random() < 0.25
        ? `${Math.floor(random() * 100_000)} `
        : `${WORDS[Math.floor(random() * WORDS.length)]} `
  }
  return Buffer.from(`${text.slice(0, size - 2)}"}`)
}

/** `count` records whose key and value together take `recordSize` bytes. */
export function makeRecords(recordSize: number, count: number): BenchRecord[] {
  const random = generator(recordSize)
  return Array.from({ length: count }, (_, index) => ({
    key: Buffer.from(`user-${String(index % 977).padStart(KEY_BYTES - 5, '0')}`),
    value: jsonValue(index, recordSize - KEY_BYTES, random),
    timestamp: BASE_TIMESTAMP + index,
  }))
}

/** How many records of `recordSize` bytes one producer batch of `BATCH_BYTES` takes. */
export function recordsPerBatch(recordSize: number): number {
  const records = makeRecords(recordSize, Math.ceil(BATCH_BYTES / recordSize) + 1)
  const builder = new RecordBatchBuilder({ maxBytes: BATCH_BYTES })
  let count = 0
  for (const record of records) {
    if (builder.append(record) === null) break
    count++
  }
  return count
}
