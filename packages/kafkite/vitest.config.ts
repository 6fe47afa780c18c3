import { defineConfig } from 'vitest/config'

export default defineConfig({
  // Workspace packages resolve to their TypeScript sources, so the tests need no build first.
  resolve: { conditions: ['source'] },
  // Test files run in Vite's SSR environment, whose resolve conditions are set apart from the client's.
  ssr: { resolve: { conditions: ['source'] } },
  test: { include: ['src/**/*.test.ts'] },
})
