import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { crc32c, crc32cImplementation } from './crc32c.js'

/** Bitwise reference CRC-32C (reflected, polynomial 0x82F63B78). */
function referenceCrc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of bytes) {
    crc ^= byte
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1
  }
  return (crc ^ 0xffffffff) >>> 0
}

describe('crc32c', () => {
  it('matches the standard check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283)
    expect(crc32c(Buffer.alloc(0))).toBe(0)
  })

  it('matches a bitwise reference on any input, and continues a running checksum', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.nat(2000), (bytes, cut) => {
        const buffer = Buffer.from(bytes)
        const expected = referenceCrc32c(buffer)
        expect(crc32c(buffer)).toBe(expected)
        const at = Math.min(cut, buffer.length)
        expect(crc32c(buffer.subarray(at), crc32c(buffer.subarray(0, at)))).toBe(expected)
      }),
    )
  })

  it('reports the implementation in use, and is native where the SSE 4.2 addon is expected to build', () => {
    console.info(`CRC-32C implementation: ${crc32cImplementation}`)
    expect(['native', 'javascript']).toContain(crc32cImplementation)
    // CI installs with sse4_crc32 allowed to build (pnpm-workspace.yaml onlyBuiltDependencies); on x64 Linux a
    // JavaScript fallback there means the addon failed to build or load, which would silently cost speed.
    if (process.env.CI === 'true' && process.arch === 'x64' && process.platform === 'linux') {
      expect(crc32cImplementation).toBe('native')
    }
  })
})
