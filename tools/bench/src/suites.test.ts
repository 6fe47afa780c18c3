import { readdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { isEndToEnd } from './harness/suite.js'

// The runner discovers suites by file name; the produce and consume suites must be found as end-to-end
// suites (no broker is started by importing them).
describe('suite discovery', () => {
  it('finds produce and consume under src/clients as end-to-end suites with a teardown', async () => {
    const folder = join(dirname(fileURLToPath(import.meta.url)), 'clients')
    const files = (await readdir(folder)).filter((file) => /-bench\.ts$/.test(file)).sort()
    expect(files).toEqual(['consume-bench.ts', 'produce-bench.ts'])
    for (const file of files) {
      const { suite } = (await import(join(folder, file))) as { suite: Parameters<typeof isEndToEnd>[0] }
      expect(isEndToEnd(suite)).toBe(true)
      expect(suite.name).toBe(file.replace('-bench.ts', ''))
      expect('teardown' in suite && typeof suite.teardown).toBe('function')
    }
  })
})
