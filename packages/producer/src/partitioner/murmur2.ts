// Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), bit for bit, so that a key lands on the
// partition Java's producer would pick for it. Java's `int` arithmetic wraps at 32 bits: `Math.imul` gives
// the low 32 bits of the product, `| 0` keeps sums and xors signed 32-bit, `>>>` is Java's `>>>`.

const SEED = 0x9747b28c
const M = 0x5bd1e995
const R = 24

/** Java's `Utils.murmur2`: a signed 32-bit hash of the bytes (seed 0x9747b28c). */
export function murmur2(data: Uint8Array): number {
  const length = data.length
  let h = (SEED ^ length) | 0
  const length4 = length & ~3
  let i = 0
  for (; i < length4; i += 4) {
    // Little-endian 4-byte block; the bytes are unsigned here as Java's `& 0xff` makes them.
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)
    k = Math.imul(k, M)
    k ^= k >>> R
    k = Math.imul(k, M)
    h = Math.imul(h, M)
    h ^= k
  }
  // The tail, as Java's switch that falls through from 3 to 1.
  const rest = length & 3
  if (rest === 3) h ^= data[i + 2]! << 16
  if (rest >= 2) h ^= data[i + 1]! << 8
  if (rest >= 1) {
    h ^= data[i]!
    h = Math.imul(h, M)
  }
  h ^= h >>> 13
  h = Math.imul(h, M)
  h ^= h >>> 15
  return h | 0
}

/**
 * Java's `Utils.toPositive`: clears the sign bit. Not `Math.abs`, which differs for negative numbers and
 * overflows for the minimum int; Java's partitioner uses this, so it must be this.
 */
export function toPositive(value: number): number {
  return value & 0x7fffffff
}

/** The partition Java's built-in partitioner picks for a key: `toPositive(murmur2(key)) % numPartitions`. */
export function partitionForKey(key: Uint8Array, numPartitions: number): number {
  return toPositive(murmur2(key)) % numPartitions
}
