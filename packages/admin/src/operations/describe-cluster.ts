import { type ApiSchema, DescribeCluster, Metadata } from '@kafkite/protocol'
import type { BrokerConnection } from '@kafkite/transport'
import { brokerError } from '../broker-error.js'
import type { AdminContext } from '../run-batch.js'

/** A broker as DescribeCluster lists it. */
export interface ClusterBroker {
  readonly nodeId: number
  readonly host: string
  readonly port: number
  readonly rack: string | null
}

/** aiokafka's `describe_cluster()` dict, typed. */
export interface ClusterDescription {
  readonly clusterId: string | null
  /** The controller the brokers name; in KRaft a broker that forwards to the active controller. -1 if none. */
  readonly controllerId: number
  /** Sorted by node id. */
  readonly brokers: readonly ClusterBroker[]
  /** Kafka's bit field of allowed cluster operations; null unless asked for. */
  readonly authorizedOperations: number | null
}

export interface DescribeClusterOptions {
  readonly includeAuthorizedOperations?: boolean
}

/**
 * DescribeCluster (Kafka 2.8+) from any broker, or Metadata from brokers too old for it. A top-level
 * error is thrown typed.
 */
export async function describeCluster(
  context: AdminContext,
  options: DescribeClusterOptions = {},
): Promise<ClusterDescription> {
  const authorized = options.includeAuthorizedOperations === true
  const { cluster } = context
  return cluster.withRetries(async () => {
    await cluster.bootstrap()
    const anyNode = [...cluster.metadata.brokers.keys()][0] ?? -1
    const connection = await cluster.brokerConnection(anyNode)
    if (!speaks(connection, DescribeCluster.api)) return fromMetadata(context)
    const response = await cluster.sendToBroker(
      anyNode,
      DescribeCluster.api,
      DescribeCluster.createRequest({ includeClusterAuthorizedOperations: authorized }),
    )
    const error = brokerError(response.errorCode, response.errorMessage, '/errorCode', 'describeCluster')
    if (error !== undefined) throw error
    return {
      clusterId: response.clusterId,
      controllerId: response.controllerId,
      brokers: response.brokers
        .map((broker) => ({
          nodeId: broker.brokerId,
          host: broker.host,
          port: broker.port,
          rack: broker.rack,
        }))
        .sort((left, right) => left.nodeId - right.nodeId),
      authorizedOperations:
        authorized && response.clusterAuthorizedOperations !== -2147483648
          ? response.clusterAuthorizedOperations
          : null,
    }
  })
}

async function fromMetadata(context: AdminContext): Promise<ClusterDescription> {
  const response = await context.cluster.send(Metadata.api, Metadata.createRequest({ topics: [] }))
  return {
    clusterId: response.clusterId,
    controllerId: response.controllerId,
    brokers: response.brokers
      .map((broker) => ({ nodeId: broker.nodeId, host: broker.host, port: broker.port, rack: broker.rack }))
      .sort((left, right) => left.nodeId - right.nodeId),
    authorizedOperations: null,
  }
}

/** Whether the broker speaks `api` at a version we share (brokers before 2.8 have no DescribeCluster). */
function speaks(connection: BrokerConnection, api: ApiSchema): boolean {
  try {
    connection.versionFor(api)
    return true
  } catch {
    return false
  }
}
