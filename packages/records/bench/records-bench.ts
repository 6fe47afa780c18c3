// Record batch encode/decode throughput per codec, and the lz4 codec choice (lz4-wasm frame vs lz4-napi).
// Run from the repository root: npx tsx --conditions=source packages/records/bench/records-bench.ts
// MB/s counts the records' key and value bytes (uncompressed), the same measure for every codec.

import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'
import {
  type CompressionName,
  crc32cImplementation,
  lz4Codec,
  RecordBatchBuilder,
  readBatches,
} from '../src/index.js'

const require = createRequire(import.meta.url)
const lz4Napi = require('lz4-napi') as {
  compressFrameSync(data: Buffer): Buffer
  decompressFrameSync(data: Buffer): Buffer
}

const TOTAL_BYTES = 32 * 1024 * 1024
const BATCH_BYTES = 16 * 1024

/** JSON-like values: compressible like real payloads, different per record. */
function values(size: number, count: number): Buffer[] {
  const out: Buffer[] = []
  for (let index = 0; index < count; index++) {
    let text = `{"id":${index},"user":"user-${index % 977}","event":"page_view","ts":${1_700_000_000_000 + index},"data":"`
    while (text.length < size - 2) text += Math.random().toString(36).slice(2, 10)
    out.push(Buffer.from(`${text.slice(0, size - 2)}"}`))
  }
  return out
}

function time(run: () => void, minimumMs = 1500): number {
  run()
  let iterations = 0
  const start = performance.now()
  let elapsed = 0
  while (elapsed < minimumMs) {
    run()
    iterations++
    elapsed = performance.now() - start
  }
  return elapsed / iterations
}

function encodeAll(records: Buffer[], compression: CompressionName): Buffer[] {
  const batches: Buffer[] = []
  let builder = new RecordBatchBuilder({ compression, maxBytes: BATCH_BYTES })
  for (const value of records) {
    if (builder.append({ key: null, value, timestamp: 1_700_000_000_000 }) === null) {
      batches.push(builder.build())
      builder = new RecordBatchBuilder({ compression, maxBytes: BATCH_BYTES })
      builder.append({ key: null, value, timestamp: 1_700_000_000_000 })
    }
  }
  batches.push(builder.build())
  return batches
}

function decodeAll(fetched: Buffer): number {
  let bytes = 0
  for (const batch of readBatches(fetched)) for (const record of batch) bytes += record.value?.length ?? 0
  return bytes
}

console.log(`node ${process.version}, CRC-32C: ${crc32cImplementation}, ${BATCH_BYTES}-byte batches\n`)
console.log('| record | codec | encode MB/s | decode MB/s | ratio |')
console.log('| --- | --- | ---: | ---: | ---: |')
for (const size of [100, 1024]) {
  const records = values(size, Math.floor(TOTAL_BYTES / size))
  const payload = records.length * size
  for (const compression of ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const) {
    const batches = encodeAll(records, compression)
    const fetched = Buffer.concat(batches)
    const encodeMs = time(() => encodeAll(records, compression))
    const decodeMs = time(() => decodeAll(fetched))
    const mbps = (ms: number) => (payload / 1e6 / (ms / 1000)).toFixed(0)
    console.log(
      `| ${size} B | ${compression} | ${mbps(encodeMs)} | ${mbps(decodeMs)} | ${(payload / fetched.length).toFixed(2)} |`,
    )
  }
}

console.log('\nlz4 frame codecs, MB/s of uncompressed data\n')
console.log('| input | lz4-wasm + our frame: compress | decompress | lz4-napi frame: compress | decompress |')
console.log('| --- | ---: | ---: | ---: | ---: |')
for (const size of [16 * 1024, 1024 * 1024]) {
  const data = Buffer.concat(values(1024, Math.ceil(size / 1024))).subarray(0, size)
  const ours = lz4Codec.compress(data)
  const theirs = lz4Napi.compressFrameSync(data)
  const mbps = (ms: number) => (size / 1e6 / (ms / 1000)).toFixed(0)
  console.log(
    `| ${size / 1024} KiB | ${mbps(time(() => lz4Codec.compress(data)))} | ${mbps(time(() => lz4Codec.decompress(ours, size)))} | ${mbps(time(() => lz4Napi.compressFrameSync(data)))} | ${mbps(time(() => lz4Napi.decompressFrameSync(theirs)))} |`,
  )
}
