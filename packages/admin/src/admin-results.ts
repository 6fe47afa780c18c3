import { KafkaError } from '@kafkite/protocol'

/** How one item of a batch call ended: its value, or the typed error that stopped it. */
export type Outcome<V> =
  | { readonly ok: true; readonly value: V }
  | { readonly ok: false; readonly error: KafkaError }

/** One failed item of a batch, as `AdminBatchError` lists it. */
export interface ItemFailure {
  /** The item in text form: a topic, `topic-partition`, `TOPIC:name`, a group id, a broker id, … */
  readonly item: string
  readonly error: KafkaError
}

/**
 * Thrown by `AdminResults.orThrow()` when at least one item failed. The items that succeeded did take
 * effect: Kafka has no all-or-nothing batch, so this reports, it does not roll back.
 */
export class AdminBatchError extends KafkaError {
  /** Every failed item with its typed error, in the order of the call's input. */
  readonly failures: readonly ItemFailure[]
  /** How many items the call had. */
  readonly total: number

  constructor(operation: string, failures: readonly ItemFailure[], total: number) {
    const shown = failures
      .slice(0, 5)
      .map((failure) => `${failure.item}: ${failure.error.message}`)
      .join('; ')
    const more = failures.length > 5 ? `; and ${failures.length - 5} more` : ''
    super({
      message: `${operation}: ${failures.length} of ${total} item(s) failed (${shown}${more})`,
      cause: new AggregateError(
        failures.map((failure) => failure.error),
        `${operation} failures`,
      ),
      // Retriable item errors were retried until the deadline already; repeating the batch blindly would
      // also repeat the items that succeeded.
      retriable: false,
    })
    this.failures = failures
    this.total = total
  }
}

/**
 * The per-item results of a batch admin call: one `Outcome` per item, in the order the items were given,
 * looked up by value (two equal `{ topic, partition }` objects find the same entry, unlike a `Map`).
 *
 * A failed item does not hide the others: `createTopics` of three topics where one exists already gives two
 * successes and one `TopicAlreadyExistsError`. Callers that want all-or-nothing reporting call
 * `orThrow()`, which throws one `AdminBatchError` listing every failure.
 */
export class AdminResults<K, V> implements Iterable<readonly [K, Outcome<V>]> {
  readonly #operation: string
  readonly #keyOf: (key: K) => string
  readonly #entries = new Map<string, readonly [K, Outcome<V>]>()

  /** @internal Built by the admin client; `keyOf` turns an item into its lookup key and display text. */
  constructor(operation: string, keyOf: (key: K) => string) {
    this.#operation = operation
    this.#keyOf = keyOf
  }

  /** @internal Records (or replaces) the outcome of `key`. */
  set(key: K, outcome: Outcome<V>): void {
    this.#entries.set(this.#keyOf(key), [key, outcome])
  }

  /** The admin call these results belong to, e.g. `'createTopics'`. */
  get operation(): string {
    return this.#operation
  }

  get size(): number {
    return this.#entries.size
  }

  /** True when every item succeeded. */
  get ok(): boolean {
    for (const [, outcome] of this.#entries.values()) if (!outcome.ok) return false
    return true
  }

  has(key: K): boolean {
    return this.#entries.has(this.#keyOf(key))
  }

  /** The outcome of one item, or undefined when the call had no such item. */
  outcome(key: K): Outcome<V> | undefined {
    return this.#entries.get(this.#keyOf(key))?.[1]
  }

  /** The value of an item that succeeded; undefined when it failed or was not part of the call. */
  value(key: K): V | undefined {
    const outcome = this.outcome(key)
    return outcome?.ok === true ? outcome.value : undefined
  }

  /** The typed error of an item that failed; undefined when it succeeded or was not part of the call. */
  error(key: K): KafkaError | undefined {
    const outcome = this.outcome(key)
    return outcome?.ok === false ? outcome.error : undefined
  }

  /** The items that succeeded with their values. */
  get values(): Array<readonly [K, V]> {
    const values: Array<readonly [K, V]> = []
    for (const [key, outcome] of this.#entries.values()) if (outcome.ok) values.push([key, outcome.value])
    return values
  }

  /** The items that failed with their errors. */
  get errors(): Array<readonly [K, KafkaError]> {
    const errors: Array<readonly [K, KafkaError]> = []
    for (const [key, outcome] of this.#entries.values()) if (!outcome.ok) errors.push([key, outcome.error])
    return errors
  }

  /** The items, in the order of the call's input. */
  keys(): K[] {
    return [...this.#entries.values()].map(([key]) => key)
  }

  /**
   * Returns these results when every item succeeded; otherwise throws an `AdminBatchError` listing each
   * failed item and its typed error (the successful items still took effect).
   */
  orThrow(): this {
    const failures: ItemFailure[] = []
    for (const [textKey, [, outcome]] of this.#entries) {
      if (!outcome.ok) failures.push({ item: textKey, error: outcome.error })
    }
    if (failures.length > 0) throw new AdminBatchError(this.#operation, failures, this.#entries.size)
    return this
  }

  [Symbol.iterator](): Iterator<readonly [K, Outcome<V>]> {
    return this.#entries.values()
  }
}
