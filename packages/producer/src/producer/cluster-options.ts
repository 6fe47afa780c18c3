import type { ClusterClientOptions } from '@kafkite/cluster'
import { KafkaConfigurationError } from '@kafkite/protocol'
import type { SaslOptions, TlsOptions } from '@kafkite/transport'
import type { ResolvedProducerOptions } from '../producer-options.js'

/** setTimeout's longest delay: what "never close idle connections" (`connectionsMaxIdleMs: null`) becomes. */
const NEVER_MS = 2_147_483_647

/**
 * The cluster client's options for a producer: aiokafka's flat connection options (`securityProtocol`,
 * `sslContext`, `saslMechanism`, `saslPlainUsername`, …) turned into the cluster layer's `ssl` and `sasl`.
 * Topics the producer sends to may be created by the broker on first use, as with Java's and aiokafka's
 * producers (when the broker allows it: `auto.create.topics.enable`).
 */
export function clusterOptionsFor(options: ResolvedProducerOptions<unknown, unknown>): ClusterClientOptions {
  const usesSasl = options.securityProtocol === 'SASL_PLAINTEXT' || options.securityProtocol === 'SASL_SSL'
  return {
    bootstrapServers: options.bootstrapServers,
    clientId: options.clientId,
    requestTimeoutMs: options.requestTimeoutMs,
    retryBackoffMs: options.retryBackoffMs,
    metadataMaxAgeMs: Math.max(1, options.metadataMaxAgeMs),
    connectionsMaxIdleMs:
      options.connectionsMaxIdleMs === null ? NEVER_MS : Math.max(1, options.connectionsMaxIdleMs),
    securityProtocol: options.securityProtocol,
    allowAutoTopicCreation: true,
    // Given with a plaintext protocol, the cluster layer refuses it: TLS settings that would be ignored are a mistake.
    ...(options.sslContext !== null ? { ssl: options.sslContext as TlsOptions } : {}),
    ...(usesSasl ? { sasl: saslOptionsFor(options) } : {}),
  }
}

function saslOptionsFor(options: ResolvedProducerOptions<unknown, unknown>): SaslOptions {
  const mechanism = options.saslMechanism
  switch (mechanism) {
    case 'PLAIN':
    case 'SCRAM-SHA-256':
    case 'SCRAM-SHA-512':
      // resolveProducerOptions already required both for these mechanisms.
      return {
        mechanism,
        username: options.saslPlainUsername ?? '',
        password: options.saslPlainPassword ?? '',
      }
    case 'OAUTHBEARER': {
      const provider = options.saslOauthTokenProvider
      if (provider === null)
        throw new KafkaConfigurationError({ message: 'OAUTHBEARER needs saslOauthTokenProvider' })
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
