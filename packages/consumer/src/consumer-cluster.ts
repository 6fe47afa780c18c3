import {
  type AttemptContext,
  type ClientRetryOptions,
  type ClusterClientOptions,
  type ClusterMetadata,
  clusterOptionsFromAiokafka,
  type Lane,
  type PartitionLeader,
  type PartitionMetadata,
  type SendOptions,
} from '@kafkite/cluster'
import type { ApiSchema } from '@kafkite/protocol'
import type { ResolvedConsumerOptions } from './consumer-options.js'

/**
 * What the consumer uses of `@kafkite/cluster`'s `ClusterClient`. A `ClusterClient` is one; the unit tests
 * pass an in-memory cluster instead, so the fetcher's logic is tested without sockets.
 */
export interface ConsumerCluster {
  readonly metadata: ClusterMetadata
  readonly closed: boolean
  bootstrap(): Promise<void>
  refreshMetadata(): Promise<ClusterMetadata>
  leaderFor(topic: string, partition: number): Promise<PartitionLeader>
  partitionsFor(topic: string): Promise<readonly PartitionMetadata[]>
  brokerConnection(nodeId: number, lane?: Lane): Promise<{ versionFor(api: ApiSchema): number }>
  coordinatorFor(kind: 'group', key: string): Promise<{ readonly nodeId: number }>
  send<Request, Response>(
    api: ApiSchema<Request, Response>,
    body: Request,
    options?: SendOptions,
  ): Promise<Response>
  sendToBroker<Request, Response>(
    nodeId: number,
    api: ApiSchema<Request, Response>,
    body: Request,
    options?: SendOptions,
  ): Promise<Response>
  sendToCoordinator<Request, Response>(
    kind: 'group',
    key: string,
    api: ApiSchema<Request, Response>,
    body: Request,
    options?: SendOptions,
  ): Promise<Response>
  invalidateCoordinator(kind: 'group', key: string): void
  withRetries<Result>(
    operation: (context: AttemptContext) => Promise<Result>,
    options?: ClientRetryOptions,
  ): Promise<Result>
  close(): Promise<void>
}

/** setTimeout's longest delay: what "never close idle connections" (`connectionsMaxIdleMs: null`) becomes. */
const NEVER_MS = 2_147_483_647

/**
 * The cluster client's options for a consumer. aiokafka's flat connection options (`securityProtocol`,
 * `sslContext`, `saslMechanism`, `saslPlainUsername`, …) go through the cluster layer's shared mapping,
 * the same as the producer's and the admin client's. A consumer never creates topics by asking for their
 * metadata.
 */
export function clusterOptionsFor(options: ResolvedConsumerOptions<unknown, unknown>): ClusterClientOptions {
  return {
    bootstrapServers: options.bootstrapServers,
    clientId: options.clientId,
    requestTimeoutMs: options.requestTimeoutMs,
    retryBackoffMs: options.retryBackoffMs,
    metadataMaxAgeMs: Math.max(1, options.metadataMaxAgeMs),
    connectionsMaxIdleMs:
      options.connectionsMaxIdleMs === null ? NEVER_MS : Math.max(1, options.connectionsMaxIdleMs),
    allowAutoTopicCreation: false,
    ...clusterOptionsFromAiokafka(options),
  }
}
