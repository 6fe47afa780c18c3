import { createRequire } from 'node:module'

/** The shape of `fast-crc32c` (it ships no types). */
interface Crc32cModule {
  calculate(input: Buffer, initial?: number): number
}

const require = createRequire(import.meta.url)
const implementation = require('fast-crc32c') as Crc32cModule
// fast-crc32c's loader returns the first implementation that passes its self test; the native one is the
// very module object of `impls/sse4_crc32c`, so identity tells which one won without timing anything.
const nativeModule = loadNative()

function loadNative(): Crc32cModule | undefined {
  try {
    const fastRequire = createRequire(require.resolve('fast-crc32c'))
    return fastRequire('./impls/sse4_crc32c') as Crc32cModule
  } catch {
    return undefined
  }
}

const calculate = implementation.calculate

/**
 * CRC-32C (Castagnoli) of `bytes`, the checksum of record batch v2. `initial` continues a running checksum.
 * Uses SSE 4.2 through the `sse4_crc32` addon when it built at install, table-driven JavaScript otherwise.
 */
export function crc32c(bytes: Buffer, initial = 0): number {
  return calculate(bytes, initial) >>> 0
}

/** Which CRC-32C implementation is in use: `'native'` (SSE 4.2 addon) or `'javascript'` (fallback). */
export const crc32cImplementation: 'native' | 'javascript' =
  nativeModule !== undefined && nativeModule === implementation ? 'native' : 'javascript'
