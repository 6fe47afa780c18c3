// The shapes a started cluster is described by. Everything here is plain JSON: the description is written to a
// state file and handed from vitest's global setup to test workers, so any process can control the nodes.
import type { SaslMechanism, SaslUser } from './sasl-users.js'

/** Client-facing listeners. The controller and inter-broker listeners are internal and never offered. */
export type ListenerName = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL'

export const ALL_LISTENERS: readonly ListenerName[] = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL']

export type NodeStatus = 'running' | 'stopped' | 'paused'

export interface NodePorts {
  readonly CONTROLLER: number
  readonly INTERNAL: number
  readonly PLAINTEXT: number
  readonly SSL: number
  readonly SASL_PLAINTEXT: number
  readonly SASL_SSL: number
}

export interface NodeState {
  /** Kafka `node.id`; node index i has id i + 1. */
  readonly id: number
  readonly dir: string
  readonly configFile: string
  /** The JVM's stdout and stderr, appended across restarts. */
  readonly logFile: string
  readonly ports: NodePorts
  /** The full command that starts this node's JVM; a restart reuses it, so ports and data stay the same. */
  readonly command: readonly string[]
  pid: number | undefined
  status: NodeStatus
}

/** Paths of the per-cluster PKI; see tls-material.ts. */
export interface ClusterTls {
  readonly caPem: string
  readonly clientCertPem: string
  readonly clientKeyPem: string
  readonly brokerKeystore: string
  readonly clientKeystore: string
  readonly truststore: string
  readonly storePassword: string
  readonly clientSubject: string
}

export interface LocalClusterState {
  readonly format: 1
  readonly kind: 'local'
  readonly kafkaVersion: string
  readonly clusterId: string
  /** Temp folder holding every node folder, the TLS material and this state file. */
  readonly root: string
  readonly listeners: readonly ListenerName[]
  readonly tls: ClusterTls
  readonly saslUsers: readonly SaslUser[]
  readonly saslMechanisms: readonly SaslMechanism[]
  readonly nodes: NodeState[]
}

/** What tests get: enough to connect on every listener, with no way to reach into the JVMs. */
export interface ClusterInfo {
  readonly kind: 'local' | 'external' | 'docker'
  readonly kafkaVersion: string
  readonly nodeCount: number
  /** Comma-separated `host:port` list per listener the cluster offers. */
  readonly bootstrap: Partial<Record<ListenerName, string>>
  readonly tls: ClusterTls | undefined
  readonly saslUsers: readonly SaslUser[]
  /** Path of the state file; `attachCluster(stateFile)` controls the nodes from another process. */
  readonly stateFile: string | undefined
}
