import { corrupt } from '../errors/corrupt.js'

/**
 * The decompressed size of one raw LZ4 block, found by walking its sequences without copying anything.
 *
 * Kafka's LZ4 frames do not record block sizes, but lz4-wasm's decoder needs the exact size up front (it
 * rejects a larger or smaller one). The walk also validates the block (offsets inside the output, no
 * truncated sequence) and stops as soon as the size passes `limit`, so a bomb is refused before anything is
 * allocated for it.
 *
 * Returns -1 when the size would exceed `limit`.
 */
export function lz4BlockDecompressedSize(
  bytes: Uint8Array,
  start: number,
  end: number,
  limit: number,
): number {
  let offset = start
  let size = 0
  while (offset < end) {
    const token = bytes[offset++]!
    let literalLength = token >>> 4
    if (literalLength === 15) {
      let byte: number
      do {
        if (offset >= end) throw corrupt('Truncated LZ4 literal length')
        byte = bytes[offset++]!
        literalLength += byte
      } while (byte === 255)
    }
    offset += literalLength
    size += literalLength
    if (offset > end) throw corrupt('LZ4 literals run past the block')
    // The last sequence has literals only.
    if (offset === end) break
    if (offset + 2 > end) throw corrupt('Truncated LZ4 match offset')
    const matchOffset = bytes[offset]! | (bytes[offset + 1]! << 8)
    offset += 2
    if (matchOffset === 0 || matchOffset > size) throw corrupt('LZ4 match offset outside the block')
    let matchLength = (token & 15) + 4
    if (matchLength === 19) {
      let byte: number
      do {
        if (offset >= end) throw corrupt('Truncated LZ4 match length')
        byte = bytes[offset++]!
        matchLength += byte
      } while (byte === 255)
    }
    size += matchLength
    if (size > limit) return -1
  }
  if (size > limit) return -1
  return size
}
