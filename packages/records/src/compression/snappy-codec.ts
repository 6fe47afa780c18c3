import { CompressionType } from '../batch/attributes.js'
import { corrupt } from '../errors/corrupt.js'
import { DecompressionLimitError } from '../errors/decompression-limit-error.js'
import type { CompressionCodec } from './compression-codec.js'
import { lazyModule } from './load-optional.js'

/**
 * The part of `snappy-wasm` this codec uses: raw snappy blocks in and out. Chosen over the napi-rs `snappy`
 * binding by measurement (docs/decisions/0003): 3-4x faster to compress and about 2x to decompress a
 * producer-sized batch, with no native build. Its CommonJS build loads the WebAssembly module itself.
 */
interface SnappyBinding {
  compress_raw(input: Uint8Array): Uint8Array
  decompress_raw(input: Uint8Array): Uint8Array
}

const snappy = lazyModule<SnappyBinding>('snappy-wasm', 'snappy')

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

// Java producers write snappy-java's "xerial" framing: an 8-byte magic, two int32 versions, then chunks of
// [int32 length][raw snappy block]. We write it too (Java's SnappyInputStream reads both framed and raw,
// but older readers only the framed form) and read both.
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00])
const XERIAL_HEADER_SIZE = 16
/** snappy-java's default block size, so our chunks look like a Java producer's. */
const XERIAL_BLOCK_SIZE = 32 * 1024

export const snappyCodec: CompressionCodec = {
  type: CompressionType.snappy,
  name: 'snappy',
  compress(data: Buffer): Buffer {
    const binding = snappy()
    const chunks: Buffer[] = [xerialHeader()]
    let total = XERIAL_HEADER_SIZE
    for (let start = 0; start < data.length; start += XERIAL_BLOCK_SIZE) {
      const block = binding.compress_raw(data.subarray(start, start + XERIAL_BLOCK_SIZE))
      const length = Buffer.allocUnsafe(4)
      length.writeInt32BE(block.length, 0)
      chunks.push(length, asBuffer(block))
      total += 4 + block.length
    }
    return Buffer.concat(chunks, total)
  },
  decompress(data: Buffer, maxBytes: number): Buffer {
    if (isXerial(data)) return decompressXerial(data, maxBytes)
    checkDeclaredLength(data, maxBytes)
    return uncompress(data)
  },
}

function xerialHeader(): Buffer {
  const header = Buffer.allocUnsafe(XERIAL_HEADER_SIZE)
  XERIAL_MAGIC.copy(header, 0)
  header.writeInt32BE(1, 8) // version
  header.writeInt32BE(1, 12) // minimum compatible version
  return header
}

function isXerial(data: Buffer): boolean {
  return data.length >= XERIAL_HEADER_SIZE && data.compare(XERIAL_MAGIC, 0, 8, 0, 8) === 0
}

/** Two passes: sum every chunk's declared length (checked against the cap), then inflate into one buffer. */
function decompressXerial(data: Buffer, maxBytes: number): Buffer {
  let total = 0
  let chunkCount = 0
  let offset = XERIAL_HEADER_SIZE
  while (offset < data.length) {
    const block = chunkAt(data, offset)
    total += declaredLength(block)
    if (total > maxBytes) throw new DecompressionLimitError({ limit: maxBytes, codec: 'snappy' })
    offset += 4 + block.length
    chunkCount++
  }
  // Batches up to 32 KiB are one chunk: its output is the answer, with no second buffer and copy.
  if (chunkCount === 1) return uncompress(chunkAt(data, XERIAL_HEADER_SIZE))
  const output = Buffer.allocUnsafe(total)
  let written = 0
  offset = XERIAL_HEADER_SIZE
  while (offset < data.length) {
    const block = chunkAt(data, offset)
    written += uncompress(block).copy(output, written)
    offset += 4 + block.length
  }
  return output
}

function chunkAt(data: Buffer, offset: number): Buffer {
  if (offset + 4 > data.length) throw corrupt('Truncated xerial snappy chunk header')
  const length = data.readInt32BE(offset)
  if (length < 0 || offset + 4 + length > data.length) throw corrupt('Truncated xerial snappy chunk')
  return data.subarray(offset + 4, offset + 4 + length)
}

function checkDeclaredLength(block: Buffer, maxBytes: number): void {
  if (declaredLength(block) > maxBytes)
    throw new DecompressionLimitError({ limit: maxBytes, codec: 'snappy' })
}

/** A raw snappy block starts with its uncompressed length as a uvarint; the binding allocates that much. */
function declaredLength(block: Buffer): number {
  let value = 0
  let multiplier = 1
  for (let index = 0; index < 5; index++) {
    const byte = block[index]
    if (byte === undefined) break
    value += (byte & 0x7f) * multiplier
    if (byte < 0x80) return value
    multiplier *= 128
  }
  throw corrupt('Malformed snappy length preamble')
}

function uncompress(block: Buffer): Buffer {
  const binding = snappy()
  try {
    return asBuffer(binding.decompress_raw(block))
  } catch (error) {
    throw corrupt('Malformed snappy data in record batch', error)
  }
}
