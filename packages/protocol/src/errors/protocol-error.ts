import { KafkaError, type KafkaErrorOptions } from './kafka-error.js'

export interface ProtocolErrorOptions extends KafkaErrorOptions {
  /** Where in the message the problem was found, e.g. `MetadataResponse.topics[3].name`. */
  path?: string
  /** Byte offset in the buffer being decoded. */
  offset?: number
}

/**
 * Bytes that do not follow the Kafka protocol, or a value that cannot be encoded. Decoding hostile or
 * truncated input throws this and nothing else. aiokafka calls it `KafkaProtocolError`.
 */
export class ProtocolError extends KafkaError {
  readonly path: string | undefined
  readonly offset: number | undefined

  constructor(options: ProtocolErrorOptions = {}) {
    super(options)
    this.path = options.path
    this.offset = options.offset
  }
}

/** The broker answered with a correlation id that matches no pending request. */
export class CorrelationIdError extends ProtocolError {
  static override readonly defaultRetriable: boolean = true
}
