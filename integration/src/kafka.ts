// Access to the run's broker from a test file.
import './provided.js'
import { readFileSync } from 'node:fs'
import { attachCluster, type ClusterInfo, type ListenerName, type LocalCluster } from '@kafkite/kafka-harness'
import { inject } from 'vitest'

export function kafka(): ClusterInfo {
  return inject('kafka')
}

/** True when the harness started the brokers itself, so tests may stop, kill and pause nodes. */
export function canControlNodes(): boolean {
  const info = kafka()
  return info.kind === 'local' && info.stateFile !== undefined
}

/** The node-control handle of the run's cluster (only when `canControlNodes()`). */
export function controlCluster(): Promise<LocalCluster> {
  const { stateFile } = kafka()
  if (stateFile === undefined) throw new Error('the cluster was not started by the harness')
  return attachCluster(stateFile)
}

/** First `host:port` of a listener's bootstrap list. */
export function firstBroker(
  info: ClusterInfo,
  listener: ListenerName = 'PLAINTEXT',
): { host: string; port: number } {
  const first = info.bootstrap[listener]?.split(',')[0]
  if (first === undefined) throw new Error(`listener ${listener} is not offered`)
  const at = first.lastIndexOf(':')
  return { host: first.slice(0, at), port: Number(first.slice(at + 1)) }
}

/** The CA, client certificate and key as PEM text, for `tls.connect`. */
export function tlsPem(info: ClusterInfo): { ca: string; cert: string; key: string } {
  if (info.tls === undefined) throw new Error('the cluster has no TLS listeners')
  return {
    ca: readFileSync(info.tls.caPem, 'utf8'),
    cert: readFileSync(info.tls.clientCertPem, 'utf8'),
    key: readFileSync(info.tls.clientKeyPem, 'utf8'),
  }
}
