import {
  type BrokerResponseError,
  ErrorCode,
  errorFromCode,
  type KafkaError,
  type OffsetOutOfRangeError,
  RecordTooLargeError,
} from '@kafkite/protocol'
import { type DecodeOptions, resolveDecodeOptions } from '@kafkite/records'
import { type AbortedTransaction, CompletedFetch, type CompletedFetchConfig } from './completed-fetch.js'
import { FetchOffsetOutOfRangeError } from './consumer-errors.js'
import type { AutoOffsetReset, IsolationLevel } from './consumer-options.js'
import type { DefaultDeserialized, Deserializer } from './consumer-record.js'
import type { FetchedPartitionMetadata, ResetStrategy } from './subscription-state.js'
import { formatTopicPartition, type TopicPartition } from './topic-partition.js'

/**
 * The part of a Fetch response's `PartitionData` the consumer reads. The generated
 * `Fetch.PartitionData` satisfies it, and tests can build one by hand.
 */
export interface FetchedPartitionData {
  readonly errorCode: number
  readonly highWatermark: bigint
  readonly lastStableOffset: bigint
  readonly logStartOffset: bigint
  readonly abortedTransactions: readonly AbortedTransaction[] | null
  readonly records: Uint8Array | null
}

/**
 * What the fetcher does with one partition of a fetch response:
 * - `records`: buffer `fetch` (which may deliver nothing yet still move the position);
 * - `resetOffset`: the position is out of range; reset it by `strategy` (ListOffsets);
 * - `refreshMetadata`: leadership or the topic changed; refresh metadata, then fetch again;
 * - `retry`: a transient broker condition; fetch again after the retry backoff;
 * - `error`: surface `error` to the application on its next read of the partition.
 */
export type FetchOutcome<K, V> =
  | {
      readonly kind: 'records'
      readonly fetch: CompletedFetch<K, V>
      readonly metadata: FetchedPartitionMetadata
    }
  | { readonly kind: 'resetOffset'; readonly strategy: ResetStrategy; readonly error: OffsetOutOfRangeError }
  | { readonly kind: 'refreshMetadata'; readonly error: BrokerResponseError }
  | { readonly kind: 'retry'; readonly error: BrokerResponseError }
  | { readonly kind: 'error'; readonly error: KafkaError }

export interface FetchResponseHandlerOptions<K, V> {
  readonly isolationLevel: IsolationLevel
  readonly autoOffsetReset: AutoOffsetReset
  /** Default true. */
  readonly checkCrcs?: boolean
  /** Codecs and the decompression bound; `checkCrcs` above wins over theirs. */
  readonly decodeOptions?: DecodeOptions
  readonly keyDeserializer?: Deserializer<K> | null
  readonly valueDeserializer?: Deserializer<V> | null
}

// Java's FetchCollector: these mean the client's view of leadership or of the topic is stale.
const REFRESH_METADATA: ReadonlySet<number> = new Set([
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.REPLICA_NOT_AVAILABLE,
  ErrorCode.KAFKA_STORAGE_ERROR,
  ErrorCode.FENCED_LEADER_EPOCH,
  ErrorCode.OFFSET_NOT_AVAILABLE,
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.UNKNOWN_TOPIC_ID,
  ErrorCode.INCONSISTENT_TOPIC_ID,
  ErrorCode.LEADER_NOT_AVAILABLE,
])

// Java retries these without a metadata refresh: the broker is behind the client, or hit a transient fault.
const RETRY: ReadonlySet<number> = new Set([ErrorCode.UNKNOWN_LEADER_EPOCH, ErrorCode.UNKNOWN_SERVER_ERROR])

/**
 * Turns one partition of a Fetch response into an outcome, without side effects: the caller applies it
 * to the subscription state and the record buffer. Resolves its configuration once, so handling a
 * partition allocates only the outcome and the lazily read `CompletedFetch`.
 */
export class FetchResponseHandler<K = DefaultDeserialized, V = DefaultDeserialized> {
  readonly #config: CompletedFetchConfig<K, V>
  readonly #autoOffsetReset: AutoOffsetReset

  constructor(options: FetchResponseHandlerOptions<K, V>) {
    this.#autoOffsetReset = options.autoOffsetReset
    this.#config = {
      isolationLevel: options.isolationLevel,
      decodeOptions: resolveDecodeOptions({ ...options.decodeOptions, checkCrcs: options.checkCrcs ?? true }),
      keyDeserializer: options.keyDeserializer ?? null,
      valueDeserializer: options.valueDeserializer ?? null,
    }
  }

  /**
   * `fetchOffset` is the position the request asked for. The caller must discard the outcome when the
   * partition's position changed since the request (a seek), as Java and aiokafka do; the record buffer
   * also refuses fetches that no longer start at the position.
   */
  handle(tp: TopicPartition, fetchOffset: bigint, data: FetchedPartitionData): FetchOutcome<K, V> {
    const code = data.errorCode
    if (code === ErrorCode.NONE) return this.#records(tp, fetchOffset, data)
    const path = formatTopicPartition(tp)
    if (code === ErrorCode.OFFSET_OUT_OF_RANGE) {
      if (this.#autoOffsetReset === 'none') {
        return { kind: 'error', error: new FetchOffsetOutOfRangeError([[tp, fetchOffset]]) }
      }
      const error = errorFromCode(code, { path }) as OffsetOutOfRangeError
      return { kind: 'resetOffset', strategy: this.#autoOffsetReset, error }
    }
    const error = errorFromCode(code, { path })!
    if (REFRESH_METADATA.has(code)) return { kind: 'refreshMetadata', error }
    if (RETRY.has(code)) return { kind: 'retry', error }
    // Anything else (authorization, corrupt message, unknown codes) is the application's to see, as in
    // Java; a retriable code Kafka adds later is retried rather than surfaced.
    if (error.retriable) return { kind: error.invalidMetadata ? 'refreshMetadata' : 'retry', error }
    return { kind: 'error', error }
  }

  #records(tp: TopicPartition, fetchOffset: bigint, data: FetchedPartitionData): FetchOutcome<K, V> {
    const records = data.records ?? EMPTY
    if (records.byteLength > 0 && !holdsCompleteBatch(records)) {
      // Brokers since fetch v3 (KIP-74) return at least one whole batch, even one larger than the limits;
      // bytes with no complete batch mean the batch can never be read with these settings.
      return {
        kind: 'error',
        error: new RecordTooLargeError({
          message: `The batch at offset ${fetchOffset} of ${formatTopicPartition(tp)} is larger than the ${records.byteLength} bytes fetched; raise maxPartitionFetchBytes`,
        }),
      }
    }
    const fetch = new CompletedFetch(
      tp,
      fetchOffset,
      records,
      this.#config,
      data.lastStableOffset,
      data.abortedTransactions,
    )
    return {
      kind: 'records',
      fetch,
      metadata: {
        highWatermark: data.highWatermark,
        lastStableOffset: data.lastStableOffset,
        logStartOffset: data.logStartOffset,
      },
    }
  }
}

const EMPTY = new Uint8Array(0)

/** Whether the bytes start with a whole batch (the size prefix is the int32 at byte 8). */
function holdsCompleteBatch(records: Uint8Array): boolean {
  if (records.byteLength < 12) return false
  const size = new DataView(records.buffer, records.byteOffset, 12).getInt32(8)
  // A negative size is not "too large" but corrupt: let the reader report it as such.
  return size < 0 || 12 + size <= records.byteLength
}
