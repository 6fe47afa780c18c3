// lz4 suite: the frame codec of @kafkite/records (lz4-wasm blocks in its own Kafka LZ4 frame code) next to
// lz4-napi's frame API (lz4_flex) and @platformatic/kafka's (@platformatic/wasm-utils). These numbers back
// the lz4 choice in docs/decisions/0003-records-compression-codecs.md.

import { createRequire } from 'node:module'
import { DEFAULT_MAX_UNCOMPRESSED_BYTES, lz4Codec } from '@kafkite/records'
import { compressionsAlgorithms } from '@platformatic/kafka'
import type { BenchCase, BenchSuite } from '../harness/suite.js'
import { makeRecords } from './fixtures.js'

const require = createRequire(import.meta.url)
const lz4Napi = require('lz4-napi') as {
  compressFrameSync(data: Buffer): Buffer
  decompressFrameSync(data: Buffer): Buffer
}
const LZ4_NAPI = `lz4-napi ${(require('../../package.json') as { devDependencies: Record<string, string> }).devDependencies['lz4-napi']}`
const PLATFORMATIC = '@platformatic/kafka (@platformatic/wasm-utils)'
const platformaticLz4 = compressionsAlgorithms.lz4

function check(what: string, actual: Buffer, expected: Buffer): void {
  if (!actual.equals(expected)) throw new Error(`Cross-check failed: ${what} does not restore the input`)
}

function lz4Case(size: number): BenchCase {
  const data = Buffer.concat(
    makeRecords(1024, Math.ceil(size / 1024)).map((record) => record.value),
  ).subarray(0, size)
  const ours = lz4Codec.compress(data)
  const napi = lz4Napi.compressFrameSync(data)
  const platformatic = platformaticLz4.compressSync(data)
  // Every decoder reads every encoder's frame.
  for (const [name, frame] of [
    ['kafkite', ours],
    [LZ4_NAPI, napi],
    [PLATFORMATIC, platformatic],
  ] as const) {
    check(`kafkite reading ${name}`, lz4Codec.decompress(frame, DEFAULT_MAX_UNCOMPRESSED_BYTES), data)
    check(`${LZ4_NAPI} reading ${name}`, lz4Napi.decompressFrameSync(frame), data)
    check(`${PLATFORMATIC} reading ${name}`, platformaticLz4.decompressSync(frame), data)
  }
  return {
    title: `LZ4 frame of ${size / 1024} KiB of JSON-like values (kafkite's frame: ${ours.length} bytes); MB/s of uncompressed bytes`,
    bytes: size,
    contenders: [
      { library: 'kafkite', operation: 'compress', run: () => lz4Codec.compress(data) },
      { library: LZ4_NAPI, operation: 'compress', run: () => lz4Napi.compressFrameSync(data) },
      { library: PLATFORMATIC, operation: 'compress', run: () => platformaticLz4.compressSync(data) },
      {
        library: 'kafkite',
        operation: 'decompress',
        run: () => lz4Codec.decompress(ours, DEFAULT_MAX_UNCOMPRESSED_BYTES),
      },
      { library: LZ4_NAPI, operation: 'decompress', run: () => lz4Napi.decompressFrameSync(napi) },
      {
        library: PLATFORMATIC,
        operation: 'decompress',
        run: () => platformaticLz4.decompressSync(platformatic),
      },
    ],
    notes: ['Each decompressor reads its own frame; every decompressor was checked on every frame first.'],
  }
}

export const suite: BenchSuite = {
  name: 'lz4',
  description: 'LZ4 frame codecs: compress and decompress of one batch-sized and one large input',
  async cases() {
    return [lz4Case(16 * 1024), lz4Case(1024 * 1024)]
  },
}
