import { CorruptRecordError } from '@kafkite/protocol'
import { describe, expect, it } from 'vitest'
import { readBatches } from '../batch/read-batches.js'
import { RecordBatchBuilder } from '../batch/record-batch-builder.js'
import { DecompressionLimitError } from '../errors/decompression-limit-error.js'
import { compressionNames } from '../test-support/arbitraries.js'
import { gzipCodec } from './gzip-codec.js'
import { lz4Codec } from './lz4-codec.js'
import { snappyCodec } from './snappy-codec.js'
import { zstdCodec } from './zstd-codec.js'

const MiB = 1024 * 1024

describe('decompression bombs', () => {
  for (const compression of compressionNames.filter((name) => name !== 'none')) {
    it(`a ${compression} batch that inflates past maxUncompressedBytes fails with DecompressionLimitError`, () => {
      const builder = new RecordBatchBuilder({ compression, maxBytes: 64 * MiB })
      builder.append({ value: Buffer.alloc(16 * MiB) })
      const bytes = builder.build()
      expect(bytes.length).toBeLessThan(2 * MiB)
      const [batch] = readBatches(bytes, { maxUncompressedBytes: MiB })
      let thrown: unknown
      try {
        batch!.toArray()
      } catch (error) {
        thrown = error
      }
      expect(thrown).toBeInstanceOf(DecompressionLimitError)
      expect(thrown).toBeInstanceOf(CorruptRecordError)
      expect((thrown as DecompressionLimitError).retriable).toBe(false)
      expect((thrown as DecompressionLimitError).limit).toBe(MiB)
      // The same batch reads under the default cap.
      expect([...readBatches(bytes)][0]!.toArray()[0]!.value!.length).toBe(16 * MiB)
    })
  }

  it('are refused before inflating, so memory stays bounded', () => {
    const zeros = Buffer.alloc(64 * MiB)
    for (const codec of [gzipCodec, snappyCodec, lz4Codec, zstdCodec]) {
      const compressed = codec.compress(zeros)
      const before = process.memoryUsage().arrayBuffers
      expect(() => codec.decompress(compressed, 4 * MiB)).toThrow(DecompressionLimitError)
      // Nothing near 64 MiB was allocated to find out (generous margin for the allocator).
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * MiB)
    }
  })

  it('hand-made bombs with lying sizes are refused', () => {
    // Snappy: a raw block that claims to inflate to 2^32 - 1 bytes.
    expect(() => snappyCodec.decompress(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x00]), MiB)).toThrow(
      DecompressionLimitError,
    )
    // zstd: many RLE blocks of 128 KiB - 1 bytes each, 4 bytes apiece.
    const blocks = 100
    const frame = Buffer.alloc(4 + 2 + blocks * 4)
    frame.writeUInt32LE(0xfd2fb528, 0)
    frame[4] = 0x00 // no content size, not single segment, no checksum
    frame[5] = 0x58 // window descriptor
    for (let index = 0; index < blocks; index++) {
      const last = index === blocks - 1 ? 1 : 0
      const header = ((128 * 1024 - 1) << 3) | (1 << 1) | last
      frame.writeUIntLE(header, 6 + index * 4, 3)
      frame[6 + index * 4 + 3] = 0x61
    }
    expect(() => zstdCodec.decompress(frame, MiB)).toThrow(DecompressionLimitError)
    expect(zstdCodec.decompress(frame, 16 * MiB).length).toBe(blocks * (128 * 1024 - 1))
  })

  it('a cap of zero refuses any output', () => {
    expect(() => gzipCodec.decompress(gzipCodec.compress(Buffer.from('a')), 0)).toThrow(
      DecompressionLimitError,
    )
    expect(gzipCodec.decompress(gzipCodec.compress(Buffer.alloc(0)), 0).length).toBe(0)
  })
})
