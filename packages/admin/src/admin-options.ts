import {
  type AiokafkaConnectionOptions,
  type ClusterClientOptions,
  clusterOptionsFromAiokafka,
} from '@kafkite/cluster'

/** `saslOauthTokenProvider`'s type, shared by every client (defined next to OAUTHBEARER in the transport). */
export type { AbstractTokenProvider, SaslOauthTokenProvider } from '@kafkite/transport'

/** The package version in the default client id. */
export const ADMIN_VERSION = '0.1.0'

/**
 * The admin client's options: aiokafka's `AIOKafkaAdminClient` options in camelCase (see
 * docs/api-mapping.md), passed to the cluster client. Connection security takes either the cluster
 * client's `ssl`/`sasl` objects or aiokafka's flat names (`sslContext`, `saslMechanism`,
 * `saslPlainUsername`, `saslPlainPassword`, `saslOauthTokenProvider`), not both; the flat names are
 * checked and mapped by `@kafkite/cluster`'s shared resolver, as for the producer and consumer.
 *
 * Defaults (aiokafka's): `bootstrapServers` `'localhost'`, `clientId` `'kafkite-<version>'`,
 * `requestTimeoutMs` 40000 (also the default `timeoutMs` of every call and the retry budget),
 * `retryBackoffMs` 100, `metadataMaxAgeMs` 300000, `connectionsMaxIdleMs` 540000,
 * `securityProtocol` `'PLAINTEXT'`.
 */
export interface AdminClientOptions extends ClusterClientOptions, AiokafkaConnectionOptions {}

/** The cluster client's options for an admin client: aiokafka's flat names mapped by the shared resolver. */
export function toClusterOptions(options: AdminClientOptions): ClusterClientOptions {
  const {
    sslContext: _sslContext,
    saslMechanism: _saslMechanism,
    saslPlainUsername: _saslPlainUsername,
    saslPlainPassword: _saslPlainPassword,
    saslOauthTokenProvider: _saslOauthTokenProvider,
    saslKerberosServiceName: _saslKerberosServiceName,
    saslKerberosDomainName: _saslKerberosDomainName,
    ssl: _ssl,
    sasl: _sasl,
    ...cluster
  } = options
  return {
    clientId: `kafkite-${ADMIN_VERSION}`,
    ...cluster,
    ...clusterOptionsFromAiokafka(options),
  }
}
