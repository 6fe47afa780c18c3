import { CorruptRecordError, KafkaError } from '@kafkite/protocol'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compressionNames } from '../test-support/arbitraries.js'
import { CRC_OFFSET, MAGIC_OFFSET, PARTITION_LEADER_EPOCH_OFFSET } from './batch-layout.js'
import { readBatches } from './read-batches.js'
import { RecordBatchBuilder } from './record-batch-builder.js'

function sampleBatch(compression: (typeof compressionNames)[number]): Buffer {
  const builder = new RecordBatchBuilder({ compression, producerId: 7n, producerEpoch: 1, baseSequence: 0 })
  for (let index = 0; index < 20; index++) {
    builder.append({
      key: index % 4 === 0 ? null : `key-${index}`,
      value: `value ${index} `.repeat(index),
      headers: index % 2 ? [{ key: 'trace', value: `t${index}` }] : [],
      timestamp: 1_700_000_000_000 + index,
    })
  }
  return builder.build()
}

/** Reads every record of every batch, so lazy decoding runs to the end. */
function readAll(bytes: Buffer): number {
  let count = 0
  for (const batch of readBatches(bytes)) for (const _ of batch) count++
  return count
}

describe('one flipped bit', () => {
  for (const compression of compressionNames) {
    it(`is caught anywhere from the magic byte to the end (${compression})`, () => {
      const original = sampleBatch(compression)
      // Every bit the CRC protects (attributes to the end), the CRC itself and the magic byte. The base
      // offset, length and leader epoch sit outside Kafka's CRC on purpose (a leader rewrites the epoch);
      // see the next test for the length.
      for (let byte = MAGIC_OFFSET; byte < original.length; byte++) {
        for (let bit = 0; bit < 8; bit++) {
          const bytes = Buffer.from(original)
          bytes[byte]! ^= 1 << bit
          expect(() => readAll(bytes), `byte ${byte} bit ${bit}`).toThrow(CorruptRecordError)
        }
      }
    })
  }

  it('in the batch length is caught, or leaves a partial batch that yields no record', () => {
    const original = sampleBatch('none')
    for (let bit = 0; bit < 32; bit++) {
      const bytes = Buffer.from(original)
      bytes.writeUInt32BE((bytes.readUInt32BE(8) ^ (1 << bit)) >>> 0, 8)
      let count = 0
      try {
        count = readAll(bytes)
      } catch (error) {
        expect(error).toBeInstanceOf(CorruptRecordError)
      }
      expect(count).toBe(0)
    }
  })

  it('in the leader epoch does not invalidate the CRC (the broker may rewrite it)', () => {
    const bytes = sampleBatch('none')
    bytes[PARTITION_LEADER_EPOCH_OFFSET + 3]! ^= 1
    expect(readAll(bytes)).toBe(20)
    expect(CRC_OFFSET).toBeGreaterThan(PARTITION_LEADER_EPOCH_OFFSET)
  })
})

describe('hostile bytes with checkCrcs off', () => {
  for (const compression of compressionNames) {
    it(`fail only with CorruptRecordError (or a kafkite error), never a RangeError (${compression})`, () => {
      const original = sampleBatch(compression)
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat(original.length - 1), fc.integer({ min: 0, max: 255 })), {
            minLength: 1,
            maxLength: 6,
          }),
          (edits) => {
            const bytes = Buffer.from(original)
            for (const [at, value] of edits) bytes[at] = value
            try {
              for (const batch of readBatches(bytes, { checkCrcs: false, maxUncompressedBytes: 1 << 20 })) {
                for (const record of batch) void record.offset
              }
            } catch (error) {
              if (!KafkaError.isInstance(error)) throw error
            }
          },
        ),
        { numRuns: 400 },
      )
    })
  }

  it('reject a record whose length disagrees with its fields, trailing bytes, and a lying header count', () => {
    const builder = new RecordBatchBuilder()
    builder.append({ key: 'k', value: 'v', timestamp: 0 })
    const bytes = builder.build()
    // Record layout after the 61-byte header: length, attributes, timestampDelta, offsetDelta, key...
    const longer = Buffer.concat([bytes, Buffer.from([0])])
    longer.writeInt32BE(longer.readInt32BE(8) + 1, 8)
    expect(() => readAll(longer)).toThrow(CorruptRecordError)
    const badLength = Buffer.from(bytes)
    badLength[61] = 2 * 20 // zigzag 20: longer than the record
    expect(() => [...readBatches(badLength, { checkCrcs: false })].map((batch) => [...batch])).toThrow(
      CorruptRecordError,
    )
    const headerCount = Buffer.from(bytes)
    headerCount[headerCount.length - 1] = 2 * 50
    expect(() => [...readBatches(headerCount, { checkCrcs: false })].map((batch) => [...batch])).toThrow(
      /header count/,
    )
  })
})
