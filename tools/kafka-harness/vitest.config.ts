import { defineConfig } from 'vitest/config'

// Unit tests of the pure parts (frames, config rendering); no broker. Sources only, never the compiled dist/.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
  },
})
