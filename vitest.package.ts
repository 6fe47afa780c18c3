import { defineConfig, type ViteUserConfig } from 'vitest/config'

/**
 * The test setup every library package shares: workspace packages resolve to their TypeScript sources (the
 * `source` export condition), so tests need no build first; vitest runs test files in Vite's SSR
 * environment, whose resolve conditions are set apart from the client's, so both get it. Coverage of `src`
 * must reach 90% of lines and functions and 85% of branches.
 */
export function packageTestConfig(): ViteUserConfig {
  return defineConfig({
    resolve: { conditions: ['source'] },
    ssr: { resolve: { conditions: ['source'] } },
    test: {
      include: ['src/**/*.test.ts'],
      coverage: {
        provider: 'v8',
        include: ['src/**/*.ts'],
        exclude: ['src/**/*.test.ts', 'src/**/__fixtures__/**', 'src/**/test-support/**'],
        reporter: ['text-summary', 'json-summary'],
        thresholds: { lines: 90, branches: 85, functions: 90 },
      },
    },
  })
}
