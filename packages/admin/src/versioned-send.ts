import type { ApiSchema } from '@kafkite/protocol'
import type { AdminContext } from './run-batch.js'

/**
 * Sends a request whose shape depends on the version the broker speaks (DeleteTopics names topics in
 * different fields before and after v6; OffsetFetch moved to per-group entries in v8): picks the broker the
 * way `ClusterClient.send()` would for a controller-routed API (the controller, else any broker), asks that
 * connection which version it will use, builds the body for that version and sends it there.
 */
export async function sendVersioned<Request, Response>(
  context: AdminContext,
  api: ApiSchema<Request, Response>,
  build: (version: number) => Request,
  timeoutMs: number,
): Promise<Response> {
  const { cluster } = context
  await cluster.bootstrap()
  const { controllerId, brokers } = cluster.metadata
  const nodeId = brokers.has(controllerId) ? controllerId : pickBroker([...brokers.keys()])
  const connection = await cluster.brokerConnection(nodeId)
  const version = connection.versionFor(api)
  return cluster.sendToBroker(nodeId, api, build(version), { version, timeoutMs })
}

/** Any broker: spreading requests when the metadata names no controller (KRaft brokers all forward). */
function pickBroker(nodeIds: readonly number[]): number {
  return nodeIds[Math.floor(Math.random() * nodeIds.length)] ?? -1
}
