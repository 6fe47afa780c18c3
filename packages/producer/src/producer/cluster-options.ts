import { type ClusterClientOptions, clusterOptionsFromAiokafka } from '@kafkite/cluster'
import type { ResolvedProducerOptions } from '../producer-options.js'

/** setTimeout's longest delay: what "never close idle connections" (`connectionsMaxIdleMs: null`) becomes. */
const NEVER_MS = 2_147_483_647

/**
 * The cluster client's options for a producer. aiokafka's flat connection options (`securityProtocol`,
 * `sslContext`, `saslMechanism`, `saslPlainUsername`, …) go through the cluster layer's shared mapping,
 * the same as the consumer's and the admin client's. Topics the producer sends to may be created by the
 * broker on first use, as with Java's and aiokafka's producers (when the broker allows it:
 * `auto.create.topics.enable`).
 */
export function clusterOptionsFor(options: ResolvedProducerOptions<unknown, unknown>): ClusterClientOptions {
  return {
    bootstrapServers: options.bootstrapServers,
    clientId: options.clientId,
    requestTimeoutMs: options.requestTimeoutMs,
    retryBackoffMs: options.retryBackoffMs,
    metadataMaxAgeMs: Math.max(1, options.metadataMaxAgeMs),
    connectionsMaxIdleMs:
      options.connectionsMaxIdleMs === null ? NEVER_MS : Math.max(1, options.connectionsMaxIdleMs),
    allowAutoTopicCreation: true,
    ...clusterOptionsFromAiokafka(options),
  }
}
