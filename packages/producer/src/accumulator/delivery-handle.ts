import type { RecordMetadata, TopicPartition } from '../record-metadata.js'
import type { ProducerBatch } from './producer-batch.js'

function ignore(): void {}

/**
 * What an append returns: where the record is queued, and `delivery`, the promise of its metadata. It is
 * deliberately not thenable, so a `send()` that resolves to it does not also wait for delivery (a promise
 * resolving to a promise would adopt it).
 *
 * The handle holds only its batch, offset delta and timestamp; the delivery promise is made the first time
 * it is asked for, from the batch's one outcome promise, so records whose delivery nobody reads cost no
 * promise at all. A delivery promise that is read but not awaited does not reject unhandled: the outcome is
 * the caller's to read, as an aiokafka future's exception is (aiokafka only logs it).
 */
export class DeliveryHandle {
  readonly #batch: ProducerBatch
  readonly #offsetDelta: number
  readonly #timestamp: number | null
  #delivery: Promise<RecordMetadata | null> | undefined

  /** @internal Made by the accumulator. */
  constructor(batch: ProducerBatch, offsetDelta: number, timestamp: number | null) {
    this.#batch = batch
    this.#offsetDelta = offsetDelta
    this.#timestamp = timestamp
  }

  get topic(): string {
    return this.#batch.topic
  }

  get partition(): number {
    return this.#batch.partition
  }

  get topicPartition(): TopicPartition {
    return this.#batch.topicPartition
  }

  /**
   * Settles when the record's batch has an outcome: its metadata, null when sent with `acks: 0` (the broker
   * answers nothing, as aiokafka resolves `None`), or the batch's error.
   */
  get delivery(): Promise<RecordMetadata | null> {
    if (this.#delivery === undefined) {
      this.#delivery = this.#batch.outcome.then(() =>
        this.#batch.metadataFor(this.#offsetDelta, this.#timestamp),
      )
      this.#delivery.catch(ignore)
    }
    return this.#delivery
  }
}
