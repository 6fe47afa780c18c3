import {
  AuthenticationFailedError,
  AuthenticationMethodNotSupported,
  BrokerResponseError,
  ErrorCode,
  KafkaError,
} from '@kafkite/protocol'

/**
 * Broker error codes that say "your credentials or rights are wrong". Kafka marks them non-retriable
 * already; they are listed here as well so that no future change of errors.json can turn a wrong password
 * into an endless reconnect loop.
 */
const AUTHENTICATION_CODES: ReadonlySet<number> = new Set([
  ErrorCode.SASL_AUTHENTICATION_FAILED,
  ErrorCode.ILLEGAL_SASL_STATE,
  ErrorCode.UNSUPPORTED_SASL_MECHANISM,
  ErrorCode.TOPIC_AUTHORIZATION_FAILED,
  ErrorCode.GROUP_AUTHORIZATION_FAILED,
  ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
  ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
  ErrorCode.DELEGATION_TOKEN_AUTHORIZATION_FAILED,
])

/**
 * The one answer to "may trying the same thing again succeed?" for every error the cluster layer sees.
 * `withRetries` asks it; producer and consumer ask it too instead of keeping their own lists.
 *
 * - Not a kafkite error (a TypeError, a bug in a callback): never. Repeating code that threw for a reason
 *   of its own repeats the failure and hides it.
 * - Authentication and authorization (`AuthenticationFailedError`, `AuthenticationMethodNotSupported`,
 *   SASL and *_AUTHORIZATION_FAILED codes): never. The broker will refuse the same credentials again, and
 *   retrying a wrong password is how clients get accounts locked and logs flooded.
 * - TLS handshake failures (`TlsHandshakeError`: untrusted CA, wrong host name): never; the transport
 *   marks them non-retriable, and a new connection meets the same certificate.
 * - `KafkaConnectionError` (refused, reset, closed mid-request): yes. The broker may be restarting or a
 *   leader moving; the next attempt opens a new connection, after metadata is refreshed
 *   (`invalidMetadata`), since the broker may no longer be where we thought.
 * - `RequestTimedOutError` (no answer in time; the transport closed the connection): yes, on a fresh
 *   connection. The broker may have done the work: a retried Produce may duplicate unless the producer is
 *   idempotent, which is the producer's business, not this classifier's.
 * - `KafkaTimeoutError`: as the thrower marked it. A connect timeout or a request that waited for an
 *   in-flight slot is retriable; an operation's own deadline is not.
 * - `NoBrokersAvailable`, `NodeNotReadyError`, `BrokerNotFoundError`: yes; brokers come back and metadata
 *   catches up.
 * - Broker error codes: Kafka's own `retriable` flag from errors.json (what the Java client's
 *   RetriableException subclasses say). So NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION,
 *   LEADER_NOT_AVAILABLE, FENCED_LEADER_EPOCH, NOT_CONTROLLER, NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE
 *   and COORDINATOR_LOAD_IN_PROGRESS are retriable — the first four after a metadata refresh
 *   (`invalidMetadata`), the coordinator ones after a new FindCoordinator. REBALANCE_IN_PROGRESS,
 *   ILLEGAL_GENERATION and the sequence errors are not: they need the group or the producer to act, and a
 *   blind repeat cannot fix them.
 * - Protocol errors (`ProtocolError`, `FrameSizeError`, `CorrelationIdError`, `UnsupportedVersionError`)
 *   and option errors (`IllegalArgumentError`, `KafkaConfigurationError`, `IllegalStateError` such as a
 *   closed client): never. The same bytes or the same options fail the same way.
 */
export function isRetriable(error: unknown): boolean {
  if (!KafkaError.isInstance(error)) return false
  if (error instanceof AuthenticationFailedError || error instanceof AuthenticationMethodNotSupported) {
    return false
  }
  if (error instanceof BrokerResponseError && AUTHENTICATION_CODES.has(error.code)) return false
  // Every other class carries its own answer: the class default (KafkaConnectionError, NoBrokersAvailable,
  // the generated broker error classes) or the thrower's explicit choice (KafkaTimeoutError,
  // TlsHandshakeError).
  return error.retriable
}

/**
 * Whether metadata should be refreshed before retrying after `error`: the error class says so
 * (`invalidMetadata`: connection errors, NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION, FENCED_LEADER_EPOCH,
 * …), or it is NOT_CONTROLLER, which Kafka does not flag but which means our controller id is stale.
 */
export function needsMetadataRefresh(error: unknown): boolean {
  if (!KafkaError.isInstance(error)) return false
  if (error instanceof BrokerResponseError && error.code === ErrorCode.NOT_CONTROLLER) return true
  return error.invalidMetadata
}
