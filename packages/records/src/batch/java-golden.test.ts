import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { compressionNames } from '../test-support/arbitraries.js'
import { CompressionType } from './attributes.js'
import { readBatches } from './read-batches.js'
import type { RecordBatch } from './record-batch.js'
import { RecordBatchBuilder } from './record-batch-builder.js'

// Batches written by Kafka 4.4's Java producer (console producer, idempotent by default) and fetched back
// raw from a broker: see scripts/capture-java-batches.ts. Each holds the same five records.

function fixture(compression: string): Buffer {
  const url = new URL(`../__fixtures__/java-${compression}.hex`, import.meta.url)
  return Buffer.from(readFileSync(url, 'utf8').trim(), 'hex')
}

const expected = [
  {
    key: 'key-1',
    value: 'value one',
    headers: [
      ['trace', 'abc'],
      ['source', 'java'],
    ],
  },
  { key: null, value: 'value with a null key', headers: [] },
  { key: 'key-3', value: null, headers: [['h', null]] },
  { key: 'key-4', value: '', headers: [['x', '1']] },
  { key: 'ключ', value: '値 ✓', headers: [['émoji', '✓']] },
]

describe('batches written by the Java producer', () => {
  for (const compression of compressionNames) {
    it(`decode to the records that were sent (${compression})`, () => {
      const batches = [...readBatches(fixture(compression))]
      expect(batches).toHaveLength(1)
      const batch = batches[0] as RecordBatch
      expect(batch.magic).toBe(2)
      expect(batch.compression).toBe(CompressionType[compression])
      expect(batch.isValid()).toBe(true)
      expect(batch.producerId).toBeGreaterThanOrEqual(0n)
      expect(batch.baseSequence).toBe(0)
      expect(batch.timestampType).toBe('CreateTime')
      const records = batch.toArray()
      expect(
        records.map((record) => ({
          key: record.key?.toString() ?? null,
          value: record.value?.toString() ?? null,
          headers: record.headers.map((header) => [header.key, header.value?.toString() ?? null]),
        })),
      ).toEqual(expected)
      expect(records.map((record) => record.offset)).toEqual([0n, 1n, 2n, 3n, 4n])
      for (const record of records) {
        expect(record.timestamp).toBeGreaterThanOrEqual(batch.baseTimestamp)
        expect(record.timestamp).toBeLessThanOrEqual(batch.maxTimestamp)
      }
    })
  }

  it('are byte for byte what our builder writes for the same records (uncompressed)', () => {
    const java = [...readBatches(fixture('none'))][0] as RecordBatch
    const builder = new RecordBatchBuilder({
      baseOffset: java.baseOffset,
      partitionLeaderEpoch: java.partitionLeaderEpoch,
      producerId: java.producerId,
      producerEpoch: java.producerEpoch,
      baseSequence: java.baseSequence,
      maxBytes: 1 << 20,
    })
    for (const record of java) {
      builder.append({
        key: record.key,
        value: record.value,
        headers: record.headers,
        timestamp: record.timestamp,
      })
    }
    expect(builder.build().toString('hex')).toBe(java.bytes.toString('hex'))
  })

  it('use the LZ4 frame header our codec writes, and xerial snappy framing', () => {
    const lz4 = ([...readBatches(fixture('lz4'))][0] as RecordBatch).bytes.subarray(61, 68)
    const ours = new RecordBatchBuilder({ compression: 'lz4' })
    ours.append({ value: 'x' })
    expect(ours.build().subarray(61, 68)).toEqual(lz4)
    const snappy = ([...readBatches(fixture('snappy'))][0] as RecordBatch).bytes
    expect(snappy.subarray(61, 69).toString('latin1')).toBe('\x82SNAPPY\x00')
  })
})
