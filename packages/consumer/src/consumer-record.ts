import type { DecodedRecord, RecordHeader } from '@kafkite/records'

/** 0: the producer set the timestamp (CreateTime); 1: the broker did when it appended (LogAppendTime). */
export type TimestampType = 0 | 1

/**
 * Turns a record's raw key or value into what the application reads, as aiokafka's `key_deserializer`:
 * synchronous, called for null too (aiokafka passes `None`). A throw becomes a
 * `RecordDeserializationError` for that record.
 */
export type Deserializer<T> = (raw: Buffer | null) => T

/** The default: bytes pass through as `Buffer` views over the fetched response, null stays null. */
export type DefaultDeserialized = Buffer | null

/** aiokafka's `ConsumerRecord`. */
export interface ConsumerRecord<K = DefaultDeserialized, V = DefaultDeserialized> {
  readonly topic: string
  readonly partition: number
  readonly offset: bigint
  /** Milliseconds since the epoch; -1 when the record has none. */
  readonly timestamp: number
  readonly timestampType: TimestampType
  readonly key: K
  readonly value: V
  /** Ordered, duplicates allowed. Values are views over the fetched bytes (null when the header has none). */
  readonly headers: ReadonlyArray<readonly [string, Buffer | null]>
  /** Size of the raw key, -1 for a null key. */
  readonly serializedKeySize: number
  /** Size of the raw value, -1 for a null value. */
  readonly serializedValueSize: number
  /** The leader epoch of the batch the record came in; null when the broker did not set one. */
  readonly leaderEpoch: number | null
}

type HeaderTuple = readonly [string, Buffer | null]
const NO_HEADER_TUPLES: readonly HeaderTuple[] = Object.freeze([])

/**
 * The one object allocated per delivered record. Headers are kept as decoded and turned into aiokafka's
 * `[key, value]` pairs only when read, so records whose headers nobody looks at cost no extra arrays.
 * Every field is set in the constructor, in one order, so all records share one hidden class.
 */
export class FetchedRecord<K, V> implements ConsumerRecord<K, V> {
  readonly topic: string
  readonly partition: number
  readonly offset: bigint
  readonly timestamp: number
  readonly timestampType: TimestampType
  readonly key: K
  readonly value: V
  readonly serializedKeySize: number
  readonly serializedValueSize: number
  readonly leaderEpoch: number | null
  #headers: readonly RecordHeader[] | readonly HeaderTuple[]
  #converted: boolean

  constructor(
    topic: string,
    partition: number,
    record: DecodedRecord,
    offset: bigint,
    timestampType: TimestampType,
    key: K,
    value: V,
    leaderEpoch: number | null,
  ) {
    this.topic = topic
    this.partition = partition
    this.offset = offset
    this.timestamp = record.timestamp
    this.timestampType = timestampType
    this.key = key
    this.value = value
    this.serializedKeySize = record.key === null ? -1 : record.key.length
    this.serializedValueSize = record.value === null ? -1 : record.value.length
    this.leaderEpoch = leaderEpoch
    this.#headers = record.headers
    this.#converted = record.headers.length === 0
    if (this.#converted) this.#headers = NO_HEADER_TUPLES
  }

  get headers(): readonly HeaderTuple[] {
    if (!this.#converted) {
      this.#headers = (this.#headers as readonly RecordHeader[]).map(
        (header): HeaderTuple => [header.key, header.value],
      )
      this.#converted = true
    }
    return this.#headers as readonly HeaderTuple[]
  }

  /** Plain-object form for logs and `JSON.stringify` (which skips getters). */
  toJSON(): Record<string, unknown> {
    return {
      topic: this.topic,
      partition: this.partition,
      offset: this.offset.toString(),
      timestamp: this.timestamp,
      timestampType: this.timestampType,
      key: this.key,
      value: this.value,
      headers: this.headers,
      serializedKeySize: this.serializedKeySize,
      serializedValueSize: this.serializedValueSize,
      leaderEpoch: this.leaderEpoch,
    }
  }
}
