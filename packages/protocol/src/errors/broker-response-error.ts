import { KafkaError, type KafkaErrorOptions } from './kafka-error.js'

export interface BrokerResponseErrorOptions extends KafkaErrorOptions {
  /** Where the code was found in the response, e.g. `/responses/0/partitionResponses/3`. */
  path?: string
}

/**
 * A non-zero error code returned by a broker. One subclass exists per code (generated from errors.json,
 * named as aiokafka names them); callers may also narrow on `code` or `errorName`.
 */
export class BrokerResponseError extends KafkaError {
  /** Kafka's numeric error code. */
  readonly code: number
  /** Kafka's name for the code, e.g. `NOT_LEADER_OR_FOLLOWER`. */
  readonly errorName: string
  /** Where the code was found in the response. */
  readonly path: string | undefined

  constructor(
    code: number,
    errorName: string,
    options: BrokerResponseErrorOptions = {},
    description?: string,
  ) {
    super(options)
    this.code = code
    this.errorName = errorName
    this.path = options.path
    if (this.message === '') {
      const where = options.path === undefined ? '' : ` at ${options.path}`
      this.message = `[Error ${code}] ${errorName}${where}${description === undefined ? '' : `: ${description}`}`
    }
  }
}
