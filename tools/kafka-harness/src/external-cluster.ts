// A cluster the harness did not start, named by KAFKA_BOOTSTRAP (PLAINTEXT). The harness cannot signal its
// brokers, so node control is refused loudly rather than silently doing nothing.
import { type Cluster, UnsupportedOperation } from './cluster.js'
import type { ClusterInfo, ListenerName } from './cluster-types.js'

export class ExternalCluster implements Cluster {
  constructor(
    private readonly plaintextBootstrap: string,
    private readonly kind: 'external' | 'docker' = 'external',
    private readonly onStop: () => Promise<void> = async () => {},
    private readonly kafkaVersion = 'unknown',
  ) {}

  get info(): ClusterInfo {
    return {
      kind: this.kind,
      kafkaVersion: this.kafkaVersion,
      nodeCount: this.plaintextBootstrap.split(',').length,
      bootstrap: { PLAINTEXT: this.plaintextBootstrap },
      tls: undefined,
      saslUsers: [],
      stateFile: undefined,
    }
  }

  bootstrap(listener: ListenerName = 'PLAINTEXT'): string {
    if (listener !== 'PLAINTEXT') throw new UnsupportedOperation(this.kind, `listener ${listener}`)
    return this.plaintextBootstrap
  }

  stopNode(): Promise<void> {
    return this.refuse('stopNode')
  }
  killNode(): Promise<void> {
    return this.refuse('killNode')
  }
  pauseNode(): Promise<void> {
    return this.refuse('pauseNode')
  }
  resumeNode(): Promise<void> {
    return this.refuse('resumeNode')
  }
  startNode(): Promise<void> {
    return this.refuse('startNode')
  }
  restartNode(): Promise<void> {
    return this.refuse('restartNode')
  }

  stop(): Promise<void> {
    return this.onStop()
  }

  private refuse(operation: string): Promise<void> {
    return Promise.reject(new UnsupportedOperation(this.kind, operation))
  }
}
