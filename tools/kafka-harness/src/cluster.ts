// The handle tests and the CLI use, whichever way the brokers were obtained (local JVMs, containers, or an
// existing cluster named by KAFKA_BOOTSTRAP). Node indexes are 0-based; node i has Kafka node.id i + 1.
import type { ClusterInfo, ListenerName } from './cluster-types.js'

export interface Cluster {
  readonly info: ClusterInfo
  /** `host:port,…` of every node on one listener (PLAINTEXT by default). */
  bootstrap(listener?: ListenerName): string
  /** SIGTERM, then wait for the JVM to exit (SIGKILL after the grace period). */
  stopNode(index: number): Promise<void>
  /** SIGKILL: the broker gets no chance to shut down cleanly. */
  killNode(index: number): Promise<void>
  /** SIGSTOP: the JVM keeps its sockets open but answers nothing, like a long GC pause or a hung host. */
  pauseNode(index: number): Promise<void>
  /** SIGCONT after `pauseNode`. */
  resumeNode(index: number): Promise<void>
  /** Start a stopped or killed node again with the same ports and data, and wait until it answers. */
  startNode(index: number): Promise<void>
  /** `stopNode` then `startNode`. */
  restartNode(index: number): Promise<void>
  /** Kill every node and delete the cluster's folders. Safe to call twice. */
  stop(): Promise<void>
}

export class UnsupportedOperation extends Error {
  constructor(kind: string, operation: string) {
    super(`${operation} is not available on a ${kind} cluster`)
    this.name = 'UnsupportedOperation'
  }
}
