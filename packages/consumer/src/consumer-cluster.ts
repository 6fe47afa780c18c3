import type {
  AttemptContext,
  ClientRetryOptions,
  ClusterClientOptions,
  ClusterMetadata,
  Lane,
  PartitionLeader,
  PartitionMetadata,
  SendOptions,
} from '@kafkite/cluster'
import type { ApiSchema } from '@kafkite/protocol'
import { KafkaConfigurationError } from '@kafkite/protocol'
import type { SaslOptions, TlsOptions } from '@kafkite/transport'
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
 * The cluster client's options for a consumer: aiokafka's flat connection options (`securityProtocol`,
 * `sslContext`, `saslMechanism`, `saslPlainUsername`, …) turned into the cluster layer's `ssl` and `sasl`.
 * A consumer never creates topics by asking for their metadata.
 */
export function clusterOptionsFor(options: ResolvedConsumerOptions<unknown, unknown>): ClusterClientOptions {
  const usesSasl = options.securityProtocol === 'SASL_PLAINTEXT' || options.securityProtocol === 'SASL_SSL'
  const usesTls = options.securityProtocol === 'SSL' || options.securityProtocol === 'SASL_SSL'
  return {
    bootstrapServers: options.bootstrapServers,
    clientId: options.clientId,
    requestTimeoutMs: options.requestTimeoutMs,
    retryBackoffMs: options.retryBackoffMs,
    metadataMaxAgeMs: Math.max(1, options.metadataMaxAgeMs),
    connectionsMaxIdleMs:
      options.connectionsMaxIdleMs === null ? NEVER_MS : Math.max(1, options.connectionsMaxIdleMs),
    securityProtocol: options.securityProtocol,
    allowAutoTopicCreation: false,
    // Node's TLS options are a superset of the transport's: the fields it knows are passed as given.
    ...(usesTls && options.sslContext !== null ? { ssl: options.sslContext as TlsOptions } : {}),
    ...(usesSasl ? { sasl: saslOptionsFor(options) } : {}),
  }
}

function saslOptionsFor(options: ResolvedConsumerOptions<unknown, unknown>): SaslOptions {
  const mechanism = options.saslMechanism
  switch (mechanism) {
    case 'PLAIN':
    case 'SCRAM-SHA-256':
    case 'SCRAM-SHA-512':
      // resolveConsumerOptions already required both for these mechanisms.
      return {
        mechanism,
        username: options.saslPlainUsername ?? '',
        password: options.saslPlainPassword ?? '',
      }
    case 'OAUTHBEARER': {
      const provider = options.saslOauthTokenProvider
      if (provider === null) {
        throw new KafkaConfigurationError({ message: 'OAUTHBEARER needs saslOauthTokenProvider' })
      }
      return {
        mechanism,
        tokenProvider: async () => {
          const token = await provider.token()
          const extensions = provider.extensions?.()
          return extensions === undefined ? { token } : { token, extensions }
        },
      }
    }
    default:
      throw new KafkaConfigurationError({
        message: `saslMechanism ${mechanism} is not supported by kafkite yet (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 and OAUTHBEARER are)`,
      })
  }
}
