/** Bytes taken by `value` as a zigzag varint (32-bit). */
export function sizeOfVarint(value: number): number {
  let raw = ((value << 1) ^ (value >> 31)) >>> 0
  let size = 1
  while (raw >= 0x80) {
    raw >>>= 7
    size++
  }
  return size
}

/** Bytes taken by `value` (an integer within ±2^52) as a zigzag varlong. */
export function sizeOfVarlong(value: number): number {
  let raw = value >= 0 ? value * 2 : -value * 2 - 1
  let size = 1
  while (raw >= 0x80) {
    raw = Math.floor(raw / 128)
    size++
  }
  return size
}
