// @kafkite/cluster: a Kafka cluster as one client — bootstrap, metadata, leader and coordinator lookup,
// routing by API kind, connection lanes, reconnect backoff and retries. Sockets, TLS and SASL are one layer
// down, in @kafkite/transport.

export {
  AIOKAFKA_SASL_MECHANISMS,
  type AiokafkaConnectionOptions,
  type AiokafkaSaslMechanism,
  type ClusterSecurityOptions,
  clusterOptionsFromAiokafka,
  type ResolvedAiokafkaConnectionOptions,
  resolveAiokafkaConnectionOptions,
} from './aiokafka-options.js'
export { type BackoffPolicy, backoffDelay } from './backoff.js'
export {
  type BrokerAddress,
  DEFAULT_KAFKA_PORT,
  formatAddress,
  parseBootstrapServers,
} from './broker-address.js'
export type { Lane } from './broker-pool.js'
export {
  type ClientRetryOptions,
  ClusterClient,
  type PartitionLeader,
  type SendOptions,
} from './cluster-client.js'
export type {
  BrokerMetadata,
  ClusterMetadata,
  PartitionMetadata,
  TopicMetadata,
} from './cluster-metadata.js'
export {
  type ClusterClientOptions,
  type ResolvedClusterOptions,
  resolveClusterOptions,
  SECURITY_PROTOCOLS,
  type SecurityProtocol,
} from './cluster-options.js'
export { COORDINATOR_KEY_TYPES, type CoordinatorKind, type CoordinatorNode } from './coordinator-cache.js'
export {
  type BrokerConnectMessage,
  type CoordinatorLookupMessage,
  clusterChannelNames,
  type MetadataRefreshMessage,
  type RetryMessage,
} from './diagnostics.js'
export { BrokerNotFoundError } from './errors.js'
export { isRetriable, needsMetadataRefresh } from './is-retriable.js'
export type { RefreshReason } from './metadata-refresher.js'
export {
  bootstrapServerList,
  conflictingOptions,
  invalidOption,
  nonNegativeIntegerOption,
  positiveIntegerOption,
} from './option-checks.js'
export { type AttemptContext, type RetryOptions, sleep, withRetries } from './with-retries.js'
