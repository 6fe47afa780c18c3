// What the integration suite's global setup hands to test files (see integration/src/provided.ts).
import type { ClusterInfo } from '@kafkite/kafka-harness'

declare module 'vitest' {
  export interface ProvidedContext {
    kafka: ClusterInfo
  }
}
