import { CorruptRecordError } from '@kafkite/protocol'

export interface DecompressionLimitErrorOptions {
  /** The configured cap, in bytes. */
  limit: number
  /** The compression codec's name. */
  codec: string
}

/**
 * A compressed batch would inflate past `maxUncompressedBytes`. It extends `CorruptRecordError` because a
 * real producer cannot write such a batch without going over the broker's own size limits; it is not
 * retriable, since fetching the same bytes again gives the same bomb.
 */
export class DecompressionLimitError extends CorruptRecordError {
  readonly limit: number
  readonly codec: string

  constructor(options: DecompressionLimitErrorOptions) {
    super({
      message: `${options.codec} data inflates past the ${options.limit}-byte limit (maxUncompressedBytes)`,
      retriable: false,
    })
    this.limit = options.limit
    this.codec = options.codec
  }
}
