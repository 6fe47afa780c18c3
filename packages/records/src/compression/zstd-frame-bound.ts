import { corrupt } from '../errors/corrupt.js'

// An upper bound on what zstd data inflates to, read from frame and block headers alone (RFC 8878).
// Bindings inflate in one call with no output cap, so this walk is what keeps a bomb from allocating:
// a block yields at most 128 KiB (Block_Maximum_Size), raw and RLE blocks exactly their stated size,
// and a frame that states its content size yields exactly that.

const FRAME_MAGIC = 0xfd2fb528
const SKIPPABLE_MAGIC_MASK = 0xfffffff0
const SKIPPABLE_MAGIC = 0x184d2a50
const MAX_BLOCK_SIZE = 128 * 1024
const BLOCK_TYPE_RAW = 0
const BLOCK_TYPE_RLE = 1
const BLOCK_TYPE_RESERVED = 3
const TWO_POW_32 = 4294967296

/** Returns the bound, or -1 as soon as it passes `limit`. Throws `CorruptRecordError` on malformed headers. */
export function zstdDecompressedBound(data: Buffer, limit: number): number {
  let offset = 0
  let bound = 0
  while (offset < data.length) {
    if (offset + 4 > data.length) throw corrupt('Truncated zstd frame magic')
    const magic = data.readUInt32LE(offset)
    if ((magic & SKIPPABLE_MAGIC_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      if (offset + 8 > data.length) throw corrupt('Truncated zstd skippable frame')
      offset += 8 + data.readUInt32LE(offset + 4)
      continue
    }
    if (magic !== FRAME_MAGIC) throw corrupt('Not a zstd frame (bad magic)')
    const frame = frameBound(data, offset + 4)
    bound += frame.bound
    if (bound > limit) return -1
    offset = frame.end
  }
  if (offset > data.length) throw corrupt('Truncated zstd skippable frame')
  return bound
}

function frameBound(data: Buffer, offset: number): { bound: number; end: number } {
  if (offset >= data.length) throw corrupt('Truncated zstd frame header')
  const descriptor = data[offset++]!
  const contentSizeFlag = descriptor >> 6
  const singleSegment = (descriptor >> 5) & 1
  const hasChecksum = (descriptor >> 2) & 1
  const dictionaryIdSize = [0, 1, 2, 4][descriptor & 3]!
  const contentSizeSize = [singleSegment, 2, 4, 8][contentSizeFlag]!
  if (!singleSegment) offset += 1 // Window_Descriptor
  offset += dictionaryIdSize
  if (offset + contentSizeSize > data.length) throw corrupt('Truncated zstd frame header')
  let contentSize = -1
  if (contentSizeSize === 1) contentSize = data[offset]!
  else if (contentSizeSize === 2) contentSize = data.readUInt16LE(offset) + 256
  else if (contentSizeSize === 4) contentSize = data.readUInt32LE(offset)
  else if (contentSizeSize === 8)
    contentSize = data.readUInt32LE(offset + 4) * TWO_POW_32 + data.readUInt32LE(offset)
  offset += contentSizeSize

  let bound = 0
  for (;;) {
    if (offset + 3 > data.length) throw corrupt('Truncated zstd block header')
    const header = data[offset]! | (data[offset + 1]! << 8) | (data[offset + 2]! << 16)
    offset += 3
    const last = header & 1
    const type = (header >> 1) & 3
    const size = header >>> 3
    if (type === BLOCK_TYPE_RESERVED) throw corrupt('Reserved zstd block type')
    if (type === BLOCK_TYPE_RAW) {
      bound += size
      offset += size
    } else if (type === BLOCK_TYPE_RLE) {
      bound += size
      offset += 1
    } else {
      bound += MAX_BLOCK_SIZE
      offset += size
    }
    if (offset > data.length) throw corrupt('Truncated zstd block')
    if (last) break
  }
  if (hasChecksum) offset += 4
  return { bound: contentSize >= 0 ? Math.min(contentSize, bound) : bound, end: offset }
}
