import { defineConfig } from 'vitest/config'

// One broker (or cluster) is started for the whole run by the global setup; test files share it, so they run
// one after another: on CI's 2 cores a parallel file would only compete with the JVMs for CPU.
export default defineConfig({
  // Workspace packages resolve to their TypeScript sources: no build step before the tests.
  resolve: { conditions: ['source'] },
  // Test files run in Vite's SSR environment, whose resolve conditions are set apart from the client's.
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['./src/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
    teardownTimeout: 60_000,
  },
})
