import { CompressionType } from '../batch/attributes.js'
import { corrupt } from '../errors/corrupt.js'
import { DecompressionLimitError } from '../errors/decompression-limit-error.js'
import type { CompressionCodec } from './compression-codec.js'
import { lz4BlockDecompressedSize } from './lz4-block-size.js'
import { compressBlockInto, decompressBlockInto } from './lz4-wasm.js'
import { xxhash32 } from './xxhash32.js'

// Kafka wraps LZ4 blocks in the standard LZ4 *frame* format (KafkaLZ4BlockOutputStream.java):
//
//   magic 04 22 4D 18 | FLG | BD | [content size u64] | [dict id u32] | HC |
//   blocks: [u32 LE size, high bit = stored uncompressed][data][block checksum u32 if flagged] ... |
//   end mark 00 00 00 00 | [content checksum u32 if flagged]
//
// A content checksum, if flagged, follows the end mark and is not read: the batch CRC already covers it.
// We write what Java writes: version 1, independent blocks, no checksums, 64 KiB blocks.

const MAGIC = 0x184d2204
const FLG_VERSION_MASK = 0xc0
const FLG_VERSION_1 = 0x40
const FLG_BLOCK_INDEPENDENCE = 0x20
const FLG_BLOCK_CHECKSUM = 0x10
const FLG_CONTENT_SIZE = 0x08
const FLG_DICTIONARY_ID = 0x01
const UNCOMPRESSED_BIT = 0x80000000
const BLOCK_SIZE = 64 * 1024
const FLG_WRITTEN = FLG_VERSION_1 | FLG_BLOCK_INDEPENDENCE
/** Block maximum size id 4 = 64 KiB, in bits 4-6 of BD. */
const BD_WRITTEN = 4 << 4
const HEADER_WRITTEN = Buffer.from([0x04, 0x22, 0x4d, 0x18, FLG_WRITTEN, BD_WRITTEN, 0])
HEADER_WRITTEN[6] = (xxhash32(HEADER_WRITTEN, 4, 6) >>> 8) & 0xff

/** Decompressed sizes found by the first pass, reused so decoding does not allocate per block. */
let blockSizes: number[] = []

export const lz4Codec: CompressionCodec = {
  type: CompressionType.lz4,
  name: 'lz4',
  compress(data: Buffer): Buffer {
    const blocks = Math.ceil(data.length / BLOCK_SIZE)
    // Worst case: every block stored as is. Compressed blocks are only kept when smaller.
    const output = Buffer.allocUnsafe(HEADER_WRITTEN.length + blocks * 4 + data.length + 4)
    HEADER_WRITTEN.copy(output, 0)
    let offset = HEADER_WRITTEN.length
    for (let start = 0; start < data.length; start += BLOCK_SIZE) {
      const block = data.subarray(start, start + BLOCK_SIZE)
      const written = compressBlockInto(block, output, offset + 4)
      if (written > 0) {
        output.writeUInt32LE(written, offset)
        offset += 4 + written
      } else {
        output.writeUInt32LE((block.length | UNCOMPRESSED_BIT) >>> 0, offset)
        offset += 4 + block.copy(output, offset + 4)
      }
    }
    output.writeUInt32LE(0, offset)
    return output.subarray(0, offset + 4)
  },
  decompress(data: Buffer, maxBytes: number): Buffer {
    const frame = readFrameHeader(data)
    // Pass one: walk every block, add up the exact decompressed size, refuse a bomb before allocating.
    let total = 0
    let blocks = 0
    let offset = frame.dataStart
    for (;;) {
      if (offset + 4 > data.length) throw corrupt('Truncated LZ4 frame: missing end mark')
      const header = data.readUInt32LE(offset)
      offset += 4
      if (header === 0) break
      const length = header & ~UNCOMPRESSED_BIT
      const end = offset + length
      if (end > data.length) throw corrupt('Truncated LZ4 block')
      const size =
        header & UNCOMPRESSED_BIT ? length : lz4BlockDecompressedSize(data, offset, end, frame.blockMaxSize)
      if (size < 0 || size > frame.blockMaxSize) throw corrupt('LZ4 block larger than the frame allows')
      if (total + size > maxBytes) throw new DecompressionLimitError({ limit: maxBytes, codec: 'lz4' })
      blockSizes[blocks++] = size
      total += size
      offset = end + frame.blockChecksumSize
    }
    // Pass two: inflate each block straight into the output.
    const output = Buffer.allocUnsafe(total)
    let written = 0
    offset = frame.dataStart
    for (let index = 0; index < blocks; index++) {
      const header = data.readUInt32LE(offset)
      offset += 4
      const length = header & ~UNCOMPRESSED_BIT
      const size = blockSizes[index]!
      if (header & UNCOMPRESSED_BIT) data.copy(output, written, offset, offset + length)
      else if (size > 0) decompressBlockInto(data, offset, offset + length, size, output, written)
      written += size
      offset += length + frame.blockChecksumSize
    }
    if (blockSizes.length > 1024) blockSizes = []
    return output
  },
}

interface FrameHeader {
  dataStart: number
  blockMaxSize: number
  blockChecksumSize: number
}

function readFrameHeader(data: Buffer): FrameHeader {
  if (data.length < 7 || data.readUInt32LE(0) !== MAGIC) throw corrupt('Not an LZ4 frame (bad magic)')
  const flags = data[4]!
  const descriptor = data[5]!
  if ((flags & FLG_VERSION_MASK) !== FLG_VERSION_1) throw corrupt('Unsupported LZ4 frame version')
  // Kafka never writes linked blocks (Java cannot read them either); a block would refer to the previous one.
  if ((flags & FLG_BLOCK_INDEPENDENCE) === 0) throw corrupt('LZ4 frames with linked blocks are not supported')
  const blockSizeId = (descriptor >> 4) & 0x07
  if (blockSizeId < 4) throw corrupt('Invalid LZ4 block maximum size')
  let headerEnd = 6
  if (flags & FLG_CONTENT_SIZE) headerEnd += 8
  if (flags & FLG_DICTIONARY_ID) headerEnd += 4
  if (data.length < headerEnd + 1) throw corrupt('Truncated LZ4 frame header')
  const checksum = data[headerEnd]!
  // Kafka before 0.10 (message format v0) hashed the magic too; accept that form so old batches still read.
  if (
    checksum !== ((xxhash32(data, 4, headerEnd) >>> 8) & 0xff) &&
    checksum !== ((xxhash32(data, 0, headerEnd) >>> 8) & 0xff)
  ) {
    throw corrupt('LZ4 frame header checksum mismatch')
  }
  return {
    dataStart: headerEnd + 1,
    blockMaxSize: 1 << (8 + 2 * blockSizeId),
    blockChecksumSize: flags & FLG_BLOCK_CHECKSUM ? 4 : 0,
  }
}
