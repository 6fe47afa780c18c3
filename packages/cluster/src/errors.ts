import { KafkaError } from '@kafkite/protocol'

/**
 * A request was addressed to a broker id that the current metadata does not list: the broker left the
 * cluster, or the id came from an older metadata snapshot. Retriable, and metadata should be refreshed
 * first — the next snapshot will name the broker that took over.
 */
export class BrokerNotFoundError extends KafkaError {
  static override readonly defaultRetriable: boolean = true
  static override readonly defaultInvalidMetadata: boolean = true
}
