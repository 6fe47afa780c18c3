import { defineConfig } from 'vitest/config'

// The examples run against the broker the integration suite uses: its global setup starts one (or attaches
// to KAFKA_BOOTSTRAP) for the run and provides its addresses to the test through inject('kafka').
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['../integration/src/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
    teardownTimeout: 60_000,
  },
})
