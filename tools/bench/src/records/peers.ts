// Record batch encoders and decoders of other Kafka clients for Node.js, and the compression codecs each
// of them runs with in this suite.
//
// KafkaJS ships gzip only; users register the other codecs through `CompressionCodecs`. Here they are
// registered with the libraries its users register: the napi-rs `snappy` binding (what kafkajs-snappy
// wraps) and, for zstd, the same binding kafkite uses. kafkite's snappy is snappy-wasm and its lz4 is its own
// frame code around lz4-wasm blocks, so KafkaJS gets an independent native lz4 frame implementation (lz4-napi).
//
// @platformatic/kafka brings its own codecs and has no registry: gzip via node:zlib, snappy and lz4 via
// @platformatic/wasm-utils (Rust compiled to WebAssembly), zstd via node:zlib, which Node 20 lacks.

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { CompressionName } from '@kafkite/records'
import {
  type CompressionAlgorithmValue,
  compressionsAlgorithms,
  createRecordsBatch,
  type MessageRecord,
  Reader,
  type RecordsBatch,
  readRecordsBatch,
} from '@platformatic/kafka'

const require = createRequire(import.meta.url)

/** The exact version pinned in this package's devDependencies. */
function pinned(name: string): string {
  const manifest = require('../../package.json') as { devDependencies: Record<string, string> }
  return manifest.devDependencies[name] ?? 'unknown'
}

/** The version of a package installed as a dependency of another (for codecs bundled by a peer). */
function installedVersion(name: string, from: string): string {
  try {
    const entry = createRequire(require.resolve(from)).resolve(name)
    let directory = dirname(entry)
    for (let depth = 0; depth < 4; depth++, directory = dirname(directory)) {
      try {
        const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as {
          name?: string
          version?: string
        }
        if (manifest.name === name) return manifest.version ?? 'unknown'
      } catch {
        // no package.json at this level
      }
    }
  } catch {
    // not resolvable from `from`
  }
  return 'unknown'
}

// ---- codec bindings (the same packages @kafkite/records loads) ---------------------------------------

const snappy = require('snappy') as {
  compressSync(data: Buffer): Buffer
  uncompressSync(data: Buffer, options: { asBuffer: true }): Buffer
}
const lz4Napi = require('lz4-napi') as {
  compressFrameSync(data: Buffer): Buffer
  decompressFrameSync(data: Buffer): Buffer
}
const zstd = require('@toondepauw/node-zstd') as {
  Encoder: new (level: number) => { encodeSync(data: Buffer): Buffer }
  Decoder: new () => { decodeSync(data: Buffer): Buffer }
}

// ---- KafkaJS ---------------------------------------------------------------------------------------------

interface KafkaJsCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>
  decompress(buffer: Buffer): Promise<Buffer>
}

const kafkajsRoot = require('kafkajs') as {
  CompressionTypes: { None: number; GZIP: number; Snappy: number; LZ4: number; ZSTD: number }
  CompressionCodecs: Record<number, () => KafkaJsCodec>
}

// snappy-java's "xerial" framing, which Java producers (and kafkite) write. KafkaJS's community codec
// (kafkajs-snappy) reads it the same way: a 16-byte header, then [int32 length][raw snappy block] chunks.
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00])
const XERIAL_HEADER_SIZE = 16

function snappyUncompressMaybeXerial(buffer: Buffer): Buffer {
  if (buffer.length < XERIAL_HEADER_SIZE || buffer.compare(XERIAL_MAGIC, 0, 8, 0, 8) !== 0) {
    return snappy.uncompressSync(buffer, { asBuffer: true })
  }
  const chunks: Buffer[] = []
  let offset = XERIAL_HEADER_SIZE
  while (offset < buffer.length) {
    const size = buffer.readUInt32BE(offset)
    offset += 4
    chunks.push(snappy.uncompressSync(buffer.subarray(offset, offset + size), { asBuffer: true }))
    offset += size
  }
  return Buffer.concat(chunks)
}

const zstdEncoder = new zstd.Encoder(3)
const zstdDecoder = new zstd.Decoder()

/** The codecs registered with KafkaJS: synchronous calls of the native bindings, awaited by KafkaJS. */
const kafkajsCodecs: Record<'snappy' | 'lz4' | 'zstd', KafkaJsCodec> = {
  snappy: {
    compress: async (encoder) => snappy.compressSync(encoder.buffer),
    decompress: async (buffer) => snappyUncompressMaybeXerial(buffer),
  },
  lz4: {
    compress: async (encoder) => lz4Napi.compressFrameSync(encoder.buffer),
    decompress: async (buffer) => lz4Napi.decompressFrameSync(buffer),
  },
  zstd: {
    compress: async (encoder) => zstdEncoder.encodeSync(encoder.buffer),
    decompress: async (buffer) => zstdDecoder.decodeSync(buffer),
  },
}

const { CompressionTypes, CompressionCodecs } = kafkajsRoot
CompressionCodecs[CompressionTypes.Snappy] = () => kafkajsCodecs.snappy
CompressionCodecs[CompressionTypes.LZ4] = () => kafkajsCodecs.lz4
CompressionCodecs[CompressionTypes.ZSTD] = () => kafkajsCodecs.zstd

const KAFKAJS_COMPRESSION: Record<CompressionName, number> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
}

interface KafkaJsLong {
  toString(): string
}

/** A KafkaJS record, as its producer builds one per message (an `Encoder` holding the record's bytes). */
type KafkaJsRecord = unknown

const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (init: {
  offsetDelta: number
  timestampDelta: number
  key: Buffer | null
  value: Buffer | null
  headers?: Record<string, Buffer>
}) => KafkaJsRecord
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch(init: {
    compression: number
    firstOffset?: KafkaJsLong
    firstTimestamp: number
    maxTimestamp: number
    lastOffsetDelta: number
    records: KafkaJsRecord[]
  }): Promise<{ buffer: Buffer }>
}
const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => unknown

/** What KafkaJS's record batch decoder returns (the fields compared here). */
export interface KafkaJsDecodedBatch {
  records: {
    offset: string
    timestamp: string
    key: Buffer | null
    value: Buffer | null
    headers: Record<string, Buffer>
  }[]
}

const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (
  decoder: unknown,
) => Promise<KafkaJsDecodedBatch>

/** One message as KafkaJS's producer holds it. */
export interface KafkaJsMessage {
  key: Buffer | null
  value: Buffer | null
  timestamp: number
}

export const kafkajs = {
  version: pinned('kafkajs'),
  codecs: {
    none: 'none',
    gzip: "KafkaJS's built-in gzip (node:zlib, async)",
    snappy: `snappy ${pinned('snappy')} registered through CompressionCodecs (raw snappy; reads xerial too)`,
    lz4: `lz4-napi ${pinned('lz4-napi')} frame API registered through CompressionCodecs`,
    zstd: `@toondepauw/node-zstd ${pinned('@toondepauw/node-zstd')} (level 3) registered through CompressionCodecs`,
  } satisfies Record<CompressionName, string>,
  /** What KafkaJS's producer does per partition (produce v3+): one `Record` per message, then the batch. */
  async encode(messages: readonly KafkaJsMessage[], compression: CompressionName): Promise<Buffer> {
    const firstTimestamp = messages[0]!.timestamp
    let maxTimestamp = firstTimestamp
    const records = messages.map((message, index) => {
      if (message.timestamp > maxTimestamp) maxTimestamp = message.timestamp
      return Record({
        offsetDelta: index,
        timestampDelta: message.timestamp - firstTimestamp,
        key: message.key,
        value: message.value,
      })
    })
    const batch = await RecordBatch({
      compression: KAFKAJS_COMPRESSION[compression],
      firstTimestamp,
      maxTimestamp,
      lastOffsetDelta: records.length - 1,
      records,
    })
    return batch.buffer
  },
  /** What KafkaJS's Fetch decoder does for each v2 batch of a partition. */
  decode(batch: Buffer): Promise<KafkaJsDecodedBatch> {
    return decodeRecordBatch(new Decoder(batch))
  },
}

// ---- @platformatic/kafka ---------------------------------------------------------------------------------

const WASM_UTILS = `@platformatic/wasm-utils ${installedVersion('@platformatic/wasm-utils', '@platformatic/kafka')}`

export const platformatic = {
  version: pinned('@platformatic/kafka'),
  codecs: {
    none: 'none',
    gzip: 'its built-in gzip (node:zlib gzipSync/gunzipSync)',
    snappy: `its built-in snappy (${WASM_UTILS}, Rust compiled to WebAssembly; raw snappy)`,
    lz4: `its built-in lz4 frame (${WASM_UTILS}, Rust compiled to WebAssembly)`,
    zstd: 'its built-in zstd (node:zlib zstdCompressSync)',
  } satisfies Record<CompressionName, string>,
  /** Whether the library can use this codec on the running Node. */
  supports(compression: CompressionName): boolean {
    return compression === 'none' || compressionsAlgorithms[compression].available
  },
  encode(messages: MessageRecord[], compression: CompressionName): Buffer {
    return createRecordsBatch(messages, { compression: compression as CompressionAlgorithmValue }).buffer
  },
  decode(batch: Buffer): RecordsBatch {
    return readRecordsBatch(Reader.from(batch))
  },
}
