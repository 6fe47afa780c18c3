import { createRequire } from 'node:module'
import { CorruptRecordError, UnsupportedCodecError } from '@kafkite/protocol'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CodecRegistry, defaultCodecs } from './codec-registry.js'
import type { CompressionCodec } from './compression-codec.js'
import { gzipCodec } from './gzip-codec.js'
import { lazyModule } from './load-optional.js'
import { lz4BlockDecompressedSize } from './lz4-block-size.js'
import { lz4Codec } from './lz4-codec.js'
import { snappyCodec } from './snappy-codec.js'
import { xxhash32 } from './xxhash32.js'
import { zstdCodec } from './zstd-codec.js'
import { zstdDecompressedBound } from './zstd-frame-bound.js'

const require = createRequire(import.meta.url)
const lz4Napi = require('lz4-napi') as {
  compressFrameSync(data: Buffer): Buffer
  decompressFrameSync(data: Buffer): Buffer
  compressSync(data: Buffer): Buffer
}
const snappyBinding = require('snappy') as { compressSync(data: Buffer): Buffer }

const compressible = fc
  .tuple(fc.uint8Array({ maxLength: 64 }), fc.nat(5000))
  .map(([unit, times]) => Buffer.from(Array.from({ length: times }, () => [...unit]).flat()))
const anyBytes = fc.oneof(
  fc.uint8Array({ maxLength: 200_000 }).map((bytes) => Buffer.from(bytes)),
  compressible,
)

describe.each([gzipCodec, snappyCodec, lz4Codec, zstdCodec] as CompressionCodec[])('$name codec', (codec) => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(anyBytes, (data) => {
        expect(codec.decompress(codec.compress(data), data.length)).toEqual(data)
      }),
      { numRuns: 40 },
    )
  })

  it('throws CorruptRecordError on garbage', () => {
    expect(() => codec.decompress(Buffer.from('definitely not compressed data'), 1 << 20)).toThrow(
      CorruptRecordError,
    )
  })

  it('is found in the default registry by id and by name', () => {
    expect(defaultCodecs.get(codec.type)).toBe(codec)
    expect(defaultCodecs.get(codec.name as 'gzip')).toBe(codec)
  })
})

describe('codec registry', () => {
  it('throws UnsupportedCodecError for an unknown or unregistered type', () => {
    expect(() => defaultCodecs.get(6)).toThrow(UnsupportedCodecError)
    expect(() => new CodecRegistry().get('zstd')).toThrow(/zstd/)
    expect(new CodecRegistry().has(1)).toBe(false)
  })

  it('lets a codec be replaced', () => {
    const custom: CompressionCodec = { ...gzipCodec, name: 'custom-gzip' }
    const registry = new CodecRegistry([gzipCodec]).register(custom)
    expect(registry.get(1).name).toBe('custom-gzip')
  })

  it('turns a binding that does not load into UnsupportedCodecError on first use', () => {
    const missing = lazyModule('kafkite-no-such-package', 'imaginary')
    expect(() => missing()).toThrow(UnsupportedCodecError)
    expect(() => missing()).toThrow(/kafkite-no-such-package/)
  })
})

describe('snappy framing', () => {
  it('writes xerial framing like Java, in 32 KiB chunks', () => {
    const data = Buffer.alloc(100_000, 7)
    const framed = snappyCodec.compress(data)
    expect(framed.subarray(0, 8)).toEqual(Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]))
    expect(framed.readInt32BE(8)).toBe(1)
    expect(framed.readInt32BE(12)).toBe(1)
    expect(snappyCodec.decompress(framed, data.length)).toEqual(data)
  })

  it('reads raw (unframed) snappy as librdkafka and KafkaJS write it', () => {
    const data = Buffer.from('raw snappy block '.repeat(100))
    expect(snappyCodec.decompress(snappyBinding.compressSync(data), data.length)).toEqual(data)
  })

  it('rejects truncated xerial chunks and a bad length preamble', () => {
    const framed = snappyCodec.compress(Buffer.from('hello hello hello'))
    expect(() => snappyCodec.decompress(framed.subarray(0, framed.length - 1), 100)).toThrow(
      CorruptRecordError,
    )
    expect(() => snappyCodec.decompress(framed.subarray(0, 18), 100)).toThrow(CorruptRecordError)
    expect(() => snappyCodec.decompress(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 100)).toThrow(
      CorruptRecordError,
    )
    const empty = Buffer.from(framed)
    expect(() =>
      snappyCodec.decompress(Buffer.concat([empty.subarray(0, 16), Buffer.from([0, 0, 0, 1, 0x80])]), 100),
    ).toThrow(CorruptRecordError)
  })
})

describe('lz4 frames', () => {
  it('reads frames written by lz4-napi (lz4_flex) and writes frames it reads', () => {
    fc.assert(
      fc.property(anyBytes, (data) => {
        expect(lz4Codec.decompress(lz4Napi.compressFrameSync(data), data.length)).toEqual(data)
        expect(lz4Napi.decompressFrameSync(lz4Codec.compress(data))).toEqual(data)
      }),
      { numRuns: 30 },
    )
  })

  it('writes the frame Java writes: FLG 0x60, BD 0x40, correct header checksum', () => {
    const frame = lz4Codec.compress(Buffer.from('x'))
    expect([...frame.subarray(0, 6)]).toEqual([0x04, 0x22, 0x4d, 0x18, 0x60, 0x40])
    expect(frame[6]).toBe((xxhash32(frame, 4, 6) >>> 8) & 0xff)
    // One byte cannot shrink: stored as an uncompressed block (high bit set), then the end mark.
    expect(frame.readUInt32LE(7)).toBe(0x80000001)
    expect(frame.readUInt32LE(12)).toBe(0)
  })

  /** Builds a frame by hand from raw blocks, with the given optional fields. */
  function frame(options: {
    flags?: number
    descriptor?: number
    extra?: number[]
    blocks: Buffer[]
    blockChecksum?: boolean
    brokenChecksum?: boolean
  }): Buffer {
    const header = Buffer.from([
      0x04,
      0x22,
      0x4d,
      0x18,
      options.flags ?? 0x60,
      options.descriptor ?? 0x40,
      ...(options.extra ?? []),
    ])
    const checksum = options.brokenChecksum
      ? xxhash32(header, 0, header.length)
      : xxhash32(header, 4, header.length)
    const parts: Buffer[] = [header, Buffer.from([(checksum >>> 8) & 0xff])]
    for (const block of options.blocks) {
      parts.push(block)
      if (options.blockChecksum) parts.push(Buffer.alloc(4))
    }
    parts.push(Buffer.alloc(4))
    return Buffer.concat(parts)
  }

  function compressedBlock(data: Buffer): Buffer {
    const block = lz4Napi.compressSync(data).subarray(4) // lz4-napi prefixes the size
    const size = Buffer.alloc(4)
    size.writeUInt32LE(block.length)
    return Buffer.concat([size, block])
  }

  function storedBlock(data: Buffer): Buffer {
    const size = Buffer.alloc(4)
    size.writeUInt32LE((data.length | 0x80000000) >>> 0)
    return Buffer.concat([size, data])
  }

  it('skips content size, dictionary id and block checksums, and reads stored blocks', () => {
    const data = Buffer.from('lz4 lz4 lz4 lz4 lz4 lz4 lz4 lz4 lz4 lz4 lz4 lz4 lz4')
    const bytes = frame({
      flags: 0x60 | 0x10 | 0x08 | 0x04 | 0x01,
      extra: [...Buffer.alloc(8), 1, 2, 3, 4],
      blocks: [compressedBlock(data), storedBlock(Buffer.from('tail'))],
      blockChecksum: true,
    })
    expect(lz4Codec.decompress(bytes, 1000)).toEqual(Buffer.concat([data, Buffer.from('tail')]))
  })

  it('accepts the header checksum of Kafka 0.8 (over the magic too), as magic-0 messages carry it', () => {
    const bytes = frame({ blocks: [storedBlock(Buffer.from('old'))], brokenChecksum: true })
    expect(lz4Codec.decompress(bytes, 100).toString()).toBe('old')
  })

  it('rejects bad magic, version, linked blocks, block size id, header checksum, truncation', () => {
    const good = frame({ blocks: [storedBlock(Buffer.from('abc'))] })
    expect(lz4Codec.decompress(good, 10).toString()).toBe('abc')
    const cases: Buffer[] = [
      Buffer.from('nope'),
      frame({ flags: 0x20, blocks: [] }),
      frame({ flags: 0x40, blocks: [] }),
      frame({ descriptor: 0x30, blocks: [] }),
      Buffer.concat([good.subarray(0, 6), Buffer.from([good[6]! ^ 1]), good.subarray(7)]),
      good.subarray(0, good.length - 2),
      good.subarray(0, 14),
      good.subarray(0, 6),
    ]
    for (const bytes of cases) expect(() => lz4Codec.decompress(bytes, 100)).toThrow(CorruptRecordError)
  })

  it('rejects a block larger than the frame allows', () => {
    const big = Buffer.alloc(70_000, 1)
    expect(() => lz4Codec.decompress(frame({ blocks: [storedBlock(big)] }), 1 << 20)).toThrow(/larger than/)
    expect(() => lz4Codec.decompress(frame({ blocks: [compressedBlock(big)] }), 1 << 20)).toThrow(
      /larger than/,
    )
  })

  it('walks block sizes exactly and rejects malformed blocks', () => {
    fc.assert(
      fc.property(anyBytes, (data) => {
        const block = lz4Napi.compressSync(data).subarray(4)
        expect(lz4BlockDecompressedSize(block, 0, block.length, 1 << 30)).toBe(data.length)
      }),
      { numRuns: 30 },
    )
    const malformed = [
      [0xf0], // literal length continues past the end
      [0x30, 1, 2], // literals past the end
      [0x10, 1, 0], // offset truncated
      [0x10, 1, 0, 0], // zero offset
      [0x10, 1, 5, 0], // offset before the start
      [0x1f, 1, 1, 0], // match length continues past the end
    ]
    for (const bytes of malformed) {
      expect(() => lz4BlockDecompressedSize(Buffer.from(bytes), 0, bytes.length, 1000)).toThrow(
        CorruptRecordError,
      )
    }
    expect(lz4BlockDecompressedSize(Buffer.from([0x1f, 1, 1, 0, 255, 10]), 0, 6, 100)).toBe(-1)
  })

  it('reports a block the wasm decoder rejects as CorruptRecordError', () => {
    // The size walk accepts a block that ends in a match; the LZ4 spec (and lz4_flex) wants literals last.
    const block = Buffer.from([0x10, 0x61, 0x01, 0x00])
    const size = Buffer.alloc(4)
    size.writeUInt32LE(block.length)
    expect(() => lz4Codec.decompress(frame({ blocks: [Buffer.concat([size, block])] }), 100)).toThrow(
      /Malformed LZ4 block/,
    )
  })
})

describe('zstd frame bound', () => {
  it('is at least the real size of what zstd writes', () => {
    fc.assert(
      fc.property(anyBytes, (data) => {
        const compressed = zstdCodec.compress(data)
        expect(zstdDecompressedBound(compressed, 1 << 30)).toBeGreaterThanOrEqual(data.length)
      }),
      { numRuns: 30 },
    )
  })

  function rawBlockFrame(content: Buffer, descriptor: number, fields: number[], checksum = false): Buffer {
    const header = ((content.length << 3) | 1) >>> 0
    const block = Buffer.alloc(3)
    block.writeUIntLE(header, 0, 3)
    return Buffer.concat([
      Buffer.from([0x28, 0xb5, 0x2f, 0xfd, descriptor, ...fields]),
      block,
      content,
      checksum ? Buffer.alloc(4) : Buffer.alloc(0),
    ])
  }

  it('reads content sizes of every width, dictionary ids, checksums and skippable frames', () => {
    const content = Buffer.from('raw zstd block')
    const skippable = Buffer.from([0x50, 0x2a, 0x4d, 0x18, 2, 0, 0, 0, 9, 9])
    // single segment + 1-byte content size
    expect(zstdDecompressedBound(rawBlockFrame(content, 0x20, [content.length]), 100)).toBe(content.length)
    // 2-byte content size (value + 256) with window descriptor, and a 1-byte dictionary id
    expect(zstdDecompressedBound(rawBlockFrame(content, 0x41, [0x58, 7, 0, 0]), 1000)).toBe(content.length)
    // 4-byte and 8-byte content sizes, checksum
    expect(zstdDecompressedBound(rawBlockFrame(content, 0x84, [0x58, 14, 0, 0, 0], true), 100)).toBe(14)
    expect(zstdDecompressedBound(rawBlockFrame(content, 0xc0, [0x58, 14, 0, 0, 0, 0, 0, 0, 0]), 100)).toBe(14)
    expect(zstdDecompressedBound(Buffer.concat([skippable, rawBlockFrame(content, 0x20, [14])]), 100)).toBe(
      14,
    )
    expect(zstdDecompressedBound(rawBlockFrame(content, 0x20, [14]), 10)).toBe(-1)
  })

  it('rejects malformed frames', () => {
    const content = Buffer.from('abc')
    const good = rawBlockFrame(content, 0x20, [3])
    const reserved = Buffer.from(good)
    reserved.writeUIntLE((3 << 3) | (3 << 1) | 1, 6, 3)
    const cases = [
      Buffer.from([0x28, 0xb5]),
      Buffer.from('not zstd'),
      Buffer.from([0x50, 0x2a, 0x4d, 0x18, 1]),
      Buffer.from([0x50, 0x2a, 0x4d, 0x18, 9, 0, 0, 0]),
      good.subarray(0, 4),
      good.subarray(0, 7),
      good.subarray(0, good.length - 1),
      reserved,
    ]
    for (const bytes of cases) expect(() => zstdDecompressedBound(bytes, 100)).toThrow(CorruptRecordError)
  })
})
