import { IllegalStateError } from '@kafkite/protocol'
import {
  type CodecRegistry,
  type CompressionName,
  RecordBatchBuilder,
  type RecordBatchBuilderOptions,
  type RecordHeaderInput,
} from '@kafkite/records'
import { defaultKeySerializer, defaultValueSerializer, type SerializedValue } from '../serializers.js'

/** A record for `BatchBuilder.append`, aiokafka's keyword arguments. */
export interface BatchRecord<K, V> {
  readonly key?: K | null
  readonly value?: V | null
  /** Epoch ms; omitted or null: now. */
  readonly timestampMs?: number | null
  readonly headers?: readonly RecordHeaderInput[]
}

/** What `BatchBuilder.append` returns (aiokafka's batch record metadata). */
export interface BatchRecordMetadata {
  /** The record's offset delta within the batch. */
  readonly offset: number
  /** Bytes the record added to the batch. */
  readonly size: number
  readonly timestamp: number
}

export interface BatchBuilderOptions<K, V> {
  /** The byte budget: the producer's `maxBatchSize`. */
  readonly maxBytes: number
  readonly compression?: CompressionName
  readonly codecs?: CodecRegistry
  /** How keys become bytes: the producer's key serializer, or the default one. */
  readonly serializeKey?: (key: K) => Uint8Array | null
  /** How values become bytes: the producer's value serializer, or the default one. */
  readonly serializeValue?: (value: V) => SerializedValue
  /** The clock, replaceable for tests. */
  readonly now?: () => number
}

/** @internal What `sendBatch` takes over from a closed builder. */
export interface TakenBatch {
  readonly builder: RecordBatchBuilder
  readonly builderOptions: RecordBatchBuilderOptions
}

/**
 * aiokafka's `BatchBuilder` (`producer.createBatch()`): a batch the caller fills, then hands to
 * `sendBatch(batch, topic, { partition })`. `append()` returns null when the record does not fit (the first
 * record always does) or the batch is closed.
 */
export class BatchBuilder<K = unknown, V = unknown> {
  readonly #builder: RecordBatchBuilder
  readonly #builderOptions: RecordBatchBuilderOptions
  readonly #serializeKey: (key: K) => Uint8Array | null
  readonly #serializeValue: (value: V) => SerializedValue
  readonly #now: () => number
  #closed = false
  #taken = false

  constructor(options: BatchBuilderOptions<K, V>) {
    // A fresh options object per batch: the producer state is written into it when the batch is sent.
    this.#builderOptions = { maxBytes: options.maxBytes }
    if (options.compression !== undefined) this.#builderOptions.compression = options.compression
    if (options.codecs !== undefined) this.#builderOptions.codecs = options.codecs
    this.#builder = new RecordBatchBuilder(this.#builderOptions)
    this.#serializeKey = options.serializeKey ?? defaultKeySerializer
    this.#serializeValue = options.serializeValue ?? defaultValueSerializer
    this.#now = options.now ?? Date.now
  }

  /** Adds a record; null when it does not fit or the batch is closed. */
  append(record: BatchRecord<K, V>): BatchRecordMetadata | null {
    if (this.#closed) return null
    const key = record.key === undefined || record.key === null ? null : this.#serializeKey(record.key)
    const value =
      record.value === undefined || record.value === null ? null : this.#serializeValue(record.value)
    const timestamp = record.timestampMs ?? this.#now()
    const before = this.#builder.sizeInBytes
    const offset = this.#builder.append({ key, value, headers: record.headers, timestamp })
    if (offset === null) return null
    return { offset, size: this.#builder.sizeInBytes - before, timestamp }
  }

  /** No more appends; does not send. */
  close(): void {
    this.#closed = true
  }

  /** Bytes so far (uncompressed, batch header included). */
  size(): number {
    return this.#builder.sizeInBytes
  }

  recordCount(): number {
    return this.#builder.recordCount
  }

  /** @internal Closes the batch and hands its builder to the accumulator; once only. */
  take(): TakenBatch {
    if (this.#taken) throw new IllegalStateError({ message: 'this batch was already sent' })
    this.#taken = true
    this.#closed = true
    return { builder: this.#builder, builderOptions: this.#builderOptions }
  }
}
