import { KafkaError } from './kafka-error.js'

// Client-side errors, named as aiokafka names them, so code ported from aiokafka reads the same.

/** An operation was called in a state that does not allow it (e.g. `send()` before `start()`). */
export class IllegalStateError extends KafkaError {}

/** An argument or option has a wrong value or type. */
export class IllegalArgumentError extends KafkaError {}

/** Options that cannot work together (e.g. idempotence with `acks: 1`). */
export class KafkaConfigurationError extends KafkaError {}

/** The connection to a broker failed or closed before the answer arrived. */
export class KafkaConnectionError extends KafkaError {
  static override readonly defaultRetriable: boolean = true
  static override readonly defaultInvalidMetadata: boolean = true
}

/** An operation did not complete in the time it was given. */
export class KafkaTimeoutError extends KafkaError {}

/** None of the bootstrap servers could be reached. */
export class NoBrokersAvailable extends KafkaError {
  static override readonly defaultRetriable: boolean = true
  static override readonly defaultInvalidMetadata: boolean = true
}

/** The broker is not connected yet. */
export class NodeNotReadyError extends KafkaError {
  static override readonly defaultRetriable: boolean = true
}

/** The broker and this client share no version of an API the client needs. */
export class IncompatibleBrokerVersion extends KafkaError {}

/** A compression codec is not available. */
export class UnsupportedCodecError extends KafkaError {}

/** The SASL mechanism is not offered by the broker or not known to the client. */
export class AuthenticationMethodNotSupported extends KafkaError {}

/** SASL authentication failed for a reason found on the client side (e.g. a bad server signature). */
export class AuthenticationFailedError extends KafkaError {}

/** The producer was stopped while records were waiting. */
export class ProducerClosed extends KafkaError {}

/** A consumer's `getone()`/`getmany()` was pending when it stopped. */
export class ConsumerStoppedError extends KafkaError {}

/** The consumer has no position and the reset policy is `none`. */
export class NoOffsetForPartitionError extends KafkaError {}

/** A record is larger than the batch or request size allows. */
export class RecordTooLargeError extends KafkaError {}

/** Offsets could not be committed because the group rebalanced. */
export class CommitFailedError extends KafkaError {}
