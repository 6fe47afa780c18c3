// xxHash32, only for the one-byte header checksum of an LZ4 frame descriptor (2 to 14 bytes), so this
// short, plain version is enough; block and content checksums are not verified (the batch CRC covers them).

const PRIME1 = 2654435761
const PRIME2 = 2246822519
const PRIME3 = 3266489917
const PRIME4 = 668265263
const PRIME5 = 374761393

function rotl(value: number, bits: number): number {
  return ((value << bits) | (value >>> (32 - bits))) >>> 0
}

function round(accumulator: number, lane: number): number {
  accumulator = (accumulator + Math.imul(lane, PRIME2)) >>> 0
  return Math.imul(rotl(accumulator, 13), PRIME1) >>> 0
}

/** xxHash32 of `bytes[start, end)` with `seed`. */
export function xxhash32(bytes: Uint8Array, start = 0, end = bytes.length, seed = 0): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let offset = start
  let hash: number
  if (end - start >= 16) {
    let v1 = (seed + PRIME1 + PRIME2) >>> 0
    let v2 = (seed + PRIME2) >>> 0
    let v3 = seed >>> 0
    let v4 = (seed - PRIME1) >>> 0
    while (offset + 16 <= end) {
      v1 = round(v1, view.getUint32(offset, true))
      v2 = round(v2, view.getUint32(offset + 4, true))
      v3 = round(v3, view.getUint32(offset + 8, true))
      v4 = round(v4, view.getUint32(offset + 12, true))
      offset += 16
    }
    hash = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) >>> 0
  } else {
    hash = (seed + PRIME5) >>> 0
  }
  hash = (hash + (end - start)) >>> 0
  while (offset + 4 <= end) {
    hash = (hash + Math.imul(view.getUint32(offset, true), PRIME3)) >>> 0
    hash = Math.imul(rotl(hash, 17), PRIME4) >>> 0
    offset += 4
  }
  while (offset < end) {
    hash = (hash + Math.imul(bytes[offset]!, PRIME5)) >>> 0
    hash = Math.imul(rotl(hash, 11), PRIME1) >>> 0
    offset++
  }
  hash = Math.imul(hash ^ (hash >>> 15), PRIME2) >>> 0
  hash = Math.imul(hash ^ (hash >>> 13), PRIME3) >>> 0
  return (hash ^ (hash >>> 16)) >>> 0
}
