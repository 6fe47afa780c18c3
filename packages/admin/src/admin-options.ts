import type { ClusterClientOptions } from '@kafkite/cluster'
import { KafkaConfigurationError } from '@kafkite/protocol'
import type { OAuthBearerTokenProvider, SaslOptions, TlsOptions } from '@kafkite/transport'

/** The package version in the default client id. */
export const ADMIN_VERSION = '0.1.0'

/**
 * The admin client's options: aiokafka's `AIOKafkaAdminClient` options in camelCase (see
 * docs/api-mapping.md), passed to the cluster client. Connection security takes either the cluster
 * client's `ssl`/`sasl` objects or aiokafka's flat names (`sslContext`, `saslMechanism`,
 * `saslPlainUsername`, `saslPlainPassword`, `saslOauthTokenProvider`), not both.
 *
 * Defaults (aiokafka's): `bootstrapServers` `'localhost'`, `clientId` `'kafkite-<version>'`,
 * `requestTimeoutMs` 40000 (also the default `timeoutMs` of every call and the retry budget),
 * `retryBackoffMs` 100, `metadataMaxAgeMs` 300000, `connectionsMaxIdleMs` 540000,
 * `securityProtocol` `'PLAINTEXT'`.
 */
export interface AdminClientOptions extends ClusterClientOptions {
  /** aiokafka's `ssl_context`: the TLS options, as `ssl`. */
  readonly sslContext?: TlsOptions
  /** aiokafka's `sasl_mechanism`. Default `'PLAIN'` when a SASL protocol is used with the flat options. */
  readonly saslMechanism?: SaslOptions['mechanism']
  /** Used by PLAIN and the SCRAMs, as in aiokafka. */
  readonly saslPlainUsername?: string
  readonly saslPlainPassword?: string
  /** For OAUTHBEARER. */
  readonly saslOauthTokenProvider?: OAuthBearerTokenProvider
}

/** Turns aiokafka's flat names into the cluster client's options; the cluster client checks the rest. */
export function toClusterOptions(options: AdminClientOptions): ClusterClientOptions {
  const {
    sslContext,
    saslMechanism,
    saslPlainUsername,
    saslPlainPassword,
    saslOauthTokenProvider,
    ...cluster
  } = options
  const flatSasl =
    saslMechanism !== undefined ||
    saslPlainUsername !== undefined ||
    saslPlainPassword !== undefined ||
    saslOauthTokenProvider !== undefined
  if (sslContext !== undefined && cluster.ssl !== undefined) {
    throw new KafkaConfigurationError({ message: 'give ssl or sslContext, not both' })
  }
  if (flatSasl && cluster.sasl !== undefined) {
    throw new KafkaConfigurationError({
      message: 'give sasl or the saslMechanism/saslPlain* options, not both',
    })
  }
  return {
    clientId: `kafkite-${ADMIN_VERSION}`,
    ...cluster,
    ...(sslContext === undefined ? {} : { ssl: sslContext }),
    ...(flatSasl ? { sasl: flatSaslOptions(options) } : {}),
  }
}

function flatSaslOptions(options: AdminClientOptions): SaslOptions {
  const mechanism = options.saslMechanism ?? 'PLAIN'
  if (mechanism === 'OAUTHBEARER') {
    if (options.saslOauthTokenProvider === undefined) {
      throw new KafkaConfigurationError({ message: 'saslMechanism OAUTHBEARER needs saslOauthTokenProvider' })
    }
    return { mechanism, tokenProvider: options.saslOauthTokenProvider }
  }
  if (options.saslPlainUsername === undefined || options.saslPlainPassword === undefined) {
    throw new KafkaConfigurationError({
      message: `saslMechanism ${mechanism} needs saslPlainUsername and saslPlainPassword`,
    })
  }
  return {
    mechanism,
    username: options.saslPlainUsername,
    password: options.saslPlainPassword,
  } as SaslOptions
}
