/**
 * The brand that marks every kafkite error. `Symbol.for` makes it the same symbol in every copy of this
 * package, so `KafkaError.isInstance()` works when two copies sit in node_modules and `instanceof` would not.
 */
const kafkaErrorBrand = Symbol.for('kafkite.error')

export interface KafkaErrorOptions {
  /** Human readable detail. */
  message?: string
  /** The error that led to this one. */
  cause?: unknown
  /** Whether repeating the same operation may succeed. Overrides the class default. */
  retriable?: boolean
}

/** Base class of every error kafkite throws. Mirrors aiokafka's `KafkaError`. */
export class KafkaError extends Error {
  readonly [kafkaErrorBrand] = true
  /** Whether repeating the same operation may succeed. */
  readonly retriable: boolean
  /** Whether the client should refresh its metadata before retrying. */
  readonly invalidMetadata: boolean

  constructor(options: KafkaErrorOptions = {}) {
    super(options.message ?? '', options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.retriable = options.retriable ?? new.target.defaultRetriable
    this.invalidMetadata = new.target.defaultInvalidMetadata
  }

  /** Class default for `retriable`; subclasses override it. */
  static readonly defaultRetriable: boolean = false
  /** Class default for `invalidMetadata`; subclasses override it. */
  static readonly defaultInvalidMetadata: boolean = false

  /** True for any kafkite error, also one thrown by another copy of the package. */
  static isInstance(value: unknown): value is KafkaError {
    return typeof value === 'object' && value !== null && kafkaErrorBrand in value
  }
}
