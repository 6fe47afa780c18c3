// What the global setup hands to every test file through vitest's provide/inject.
import type { ClusterInfo } from '@kafkite/kafka-harness'

declare module 'vitest' {
  export interface ProvidedContext {
    kafka: ClusterInfo
  }
}
