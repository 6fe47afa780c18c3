import {
  ClusterClient,
  type ClusterClientOptions,
  isRetriable,
  resolveClusterOptions,
} from '@kafkite/cluster'
import {
  errorFromCode,
  IllegalArgumentError,
  IllegalStateError,
  InitProducerId,
  KafkaConfigurationError,
  KafkaError,
  KafkaTimeoutError,
  NoBrokersAvailable,
  ProducerClosed,
} from '@kafkite/protocol'
import { type CodecRegistry, defaultCodecs, type RecordHeaderInput } from '@kafkite/records'
import { BatchBuilder } from '../accumulator/batch-builder.js'
import type { DeliveryHandle } from '../accumulator/delivery-handle.js'
import { RecordAccumulator } from '../accumulator/record-accumulator.js'
import { SequenceState } from '../idempotence/sequence-state.js'
import type { Partitioner } from '../partitioner/partitioner.js'
import { StickyPartitioner } from '../partitioner/sticky-partitioner.js'
import type { ProduceGate } from '../produce-gate.js'
import {
  type ProducerOptions,
  type ResolvedProducerOptions,
  resolveProducerOptions,
} from '../producer-options.js'
import type { RecordMetadata } from '../record-metadata.js'
import { Sender } from '../sender/sender.js'
import {
  applySerializer,
  type DefaultSerializable,
  defaultKeySerializer,
  defaultValueSerializer,
  type SerializedValue,
} from '../serializers.js'
import { clusterOptionsFor } from './cluster-options.js'
import { type HeadersInput, normalizeHeaders } from './headers.js'

/** `send()`'s optional arguments, aiokafka's keyword arguments. */
export interface SendOptions<K = DefaultSerializable> {
  /** Serialized with `keySerializer` (or the default one); chooses the partition unless `partition` is set. */
  readonly key?: K | null
  /** The partition to write to; by default the partitioner chooses. Must be one of the topic's. */
  readonly partition?: number | null
  /** The record's CreateTime, epoch ms; default now. */
  readonly timestampMs?: number | null
  /** `[key, value]` tuples as in aiokafka, or `{ key, value }` objects. */
  readonly headers?: HeadersInput | null
}

/** `sendBatch()`'s arguments: the partition is required, as in aiokafka. */
export interface SendBatchOptions {
  readonly partition: number
}

/**
 * Producer internals that other kafkite layers plug in; not for applications.
 * @internal
 */
export interface ProducerInternals {
  /** Transactions admit partitions before their batches go (`@kafkite/transactions`). */
  readonly gate?: ProduceGate
  /** Where `compressionType` is looked up; default the built-in codecs. */
  readonly codecs?: CodecRegistry
}

type State = 'new' | 'starting' | 'running' | 'stopping' | 'stopped'

/** A topic's partitions as one metadata snapshot has them, frozen: handed to partitioners as they are. */
interface TopicPartitions {
  readonly all: number[]
  /** Partitions whose leader is known. */
  readonly available: number[]
}

/** The record `send()` builds; reused on the synchronous path, where the accumulator does not keep it. */
interface PendingRecord {
  key: Uint8Array | null
  value: SerializedValue
  headers: readonly RecordHeaderInput[] | undefined
  timestamp: number | undefined
}

const INT32_MAX = 2_147_483_647

function ignore(): void {}

/**
 * aiokafka's `AIOKafkaProducer`: sends records to Kafka, batching them per partition in the background.
 *
 * ```ts
 * const producer = new KafkaProducer({ bootstrapServers: 'localhost:9092' })
 * await producer.start()
 * try {
 *   const handle = await producer.send('my_topic', 'Super message') // queued
 *   const metadata = await handle.delivery // written: topic, partition, offset, timestamp
 * } finally {
 *   await producer.stop() // delivers what is still queued first
 * }
 * ```
 *
 * **`send()` resolves to a handle, not to a nested promise.** In aiokafka `send()` returns "a future of a
 * future": awaiting it queues the record, awaiting the result waits for delivery. A JavaScript promise that
 * resolves to a promise adopts it, so the same shape is impossible; `send()` resolves to a
 * {@link DeliveryHandle} (topic, partition, and `delivery`, the promise of the record's `RecordMetadata`)
 * once the record is queued, and `await (await producer.send(…)).delivery` is aiokafka's
 * `await (await producer.send(…))`. `sendAndWait()` does both. A delivery nobody awaits never becomes an
 * unhandled rejection.
 *
 * **Partitioning.** A record with `partition` goes there; otherwise a custom `partitioner` chooses; by
 * default a keyed record goes to Java's murmur2 partition for its key (the same partition Java's producer
 * picks) and keyless records stick to one partition until its batch is full or sent, then move to another
 * (Kafka's sticky partitioner, KIP-480), instead of aiokafka's random choice per record, which sends many
 * tiny batches. `murmur2Partitioner` is aiokafka's behaviour for those who want it.
 *
 * **Delivery.** Batches are retried on retriable errors until `requestTimeoutMs` after their first record,
 * then fail with the last error (`RequestTimedOutError`, `NotEnoughReplicasError`, …) or
 * `KafkaTimeoutError`. One batch per partition is in flight at a time, so order holds; with
 * `enableIdempotence` up to five, ordered and deduplicated by the broker through sequence numbers.
 *
 * **Memory.** Queued and in-flight records are bounded by `maxBufferBytes`; `send()` waits for space up to
 * `requestTimeoutMs`, then fails with `KafkaTimeoutError`.
 */
export class KafkaProducer<K = DefaultSerializable, V = DefaultSerializable> {
  readonly #options: ResolvedProducerOptions<K, V>
  readonly #clusterOptions: ClusterClientOptions
  readonly #accumulator: RecordAccumulator
  readonly #sequences: SequenceState | null
  readonly #sticky = new StickyPartitioner()
  readonly #partitioner: Partitioner | null
  readonly #serializeKey: (key: K | null | undefined) => Uint8Array | null
  readonly #serializeValue: (value: V | null | undefined) => SerializedValue
  readonly #internals: ProducerInternals
  readonly #scratch: PendingRecord = { key: null, value: null, headers: undefined, timestamp: undefined }
  #state: State = 'new'
  #cluster: ClusterClient | null = null
  #sender: Sender | null = null
  #starting: Promise<void> | null = null
  #stopping: Promise<void> | null = null
  /** Partition lists per topic for the metadata snapshot `#partitionsSnapshot`. */
  readonly #partitionCache = new Map<string, TopicPartitions>()
  #partitionsSnapshot: unknown = null

  /**
   * Checks every option now: a bad value or a combination that cannot work (idempotence with `acks` other
   * than `'all'`, SASL without credentials, TLS options on a plaintext protocol, …) throws
   * `KafkaConfigurationError` or `IllegalArgumentError` here, not at the first send.
   */
  constructor(options: ProducerOptions<K, V> = {}, internals: ProducerInternals = {}) {
    const codecs = internals.codecs ?? defaultCodecs
    this.#options = resolveProducerOptions(options, codecs)
    if (this.#options.transactionalId !== null && internals.gate === undefined) {
      // A transactional id without the transaction manager would get a transactional producer id and then
      // send batches outside any transaction, which the broker refuses: say so now.
      throw new KafkaConfigurationError({
        message: 'transactionalId needs the transactions layer, which kafkite does not provide yet',
      })
    }
    this.#internals = internals
    this.#clusterOptions = clusterOptionsFor(this.#options as ResolvedProducerOptions<unknown, unknown>)
    resolveClusterOptions(this.#clusterOptions)
    const resolved = this.#options
    this.#sequences = resolved.enableIdempotence
      ? new SequenceState(internals.gate?.isTransactional ?? false)
      : null
    const sequences = this.#sequences
    this.#accumulator = new RecordAccumulator({
      maxBatchSize: resolved.maxBatchSize,
      maxRequestSize: resolved.maxRequestSize,
      lingerMs: resolved.lingerMs,
      maxBufferBytes: resolved.maxBufferBytes,
      requestTimeoutMs: resolved.requestTimeoutMs,
      retryBackoffMs: resolved.retryBackoffMs,
      maxInFlightPerPartition: resolved.maxInFlightPerPartition,
      compression: resolved.compressionType,
      codecs,
      isTransactional: internals.gate?.isTransactional ?? false,
      onReady: () => this.#sender?.wake(),
      ...(sequences === null ? {} : { onExpired: (batch) => sequences.onFailed(batch) }),
    })
    this.#partitioner = resolved.partitioner
    const keySerializer = resolved.keySerializer
    this.#serializeKey =
      keySerializer === null
        ? defaultKeySerializer
        : (key) => (key === undefined || key === null ? null : applySerializer(keySerializer, key, 'key'))
    const valueSerializer = resolved.valueSerializer
    this.#serializeValue =
      valueSerializer === null
        ? defaultValueSerializer
        : (value) =>
            value === undefined || value === null ? null : applySerializer(valueSerializer, value, 'value')
  }

  /** The options in effect, defaults applied. */
  get options(): ResolvedProducerOptions<K, V> {
    return this.#options
  }

  /** The producer id and epoch of an idempotent producer (-1 until `start()`); null without idempotence. */
  get producerIdAndEpoch(): { readonly producerId: bigint; readonly epoch: number } | null {
    return this.#sequences?.producerIdAndEpoch ?? null
  }

  /**
   * Connects: bootstraps metadata and API versions, and gets a producer id when idempotence is on. Calling
   * it again while it runs or after it succeeded does nothing; after a failure it may be called again.
   */
  start(): Promise<void> {
    if (this.#state === 'running') return Promise.resolve()
    if (this.#state === 'starting' && this.#starting !== null) return this.#starting
    if (this.#state !== 'new') {
      return Promise.reject(new IllegalStateError({ message: 'the producer was stopped; create a new one' }))
    }
    this.#state = 'starting'
    this.#starting = this.#start()
    return this.#starting
  }

  async #start(): Promise<void> {
    const cluster = new ClusterClient(this.#clusterOptions)
    this.#cluster = cluster
    this.#sender = new Sender({
      cluster,
      accumulator: this.#accumulator,
      acks: this.#options.acks,
      requestTimeoutMs: this.#options.requestTimeoutMs,
      retryBackoffMs: this.#options.retryBackoffMs,
      maxRequestSize: this.#options.maxRequestSize,
      transactionalId: this.#options.transactionalId,
      sequences: this.#sequences,
      ...(this.#internals.gate === undefined ? {} : { gate: this.#internals.gate }),
      initProducerId: () => this.#initProducerId(),
    })
    try {
      await cluster.bootstrap()
      if (this.#sequences !== null) await this.#initProducerId()
    } catch (error) {
      this.#sender.close()
      this.#sender = null
      this.#cluster = null
      await cluster.close()
      if (this.#state === 'starting') this.#state = 'new'
      throw error
    } finally {
      this.#starting = null
    }
    if (this.#state === 'starting') this.#state = 'running'
  }

  /**
   * Stops taking records, waits until every queued record is delivered or has failed (at most
   * `requestTimeoutMs` after it was queued), then closes the connections. Idempotent: later calls return
   * the same promise. Sends after it reject with `ProducerClosed`.
   */
  stop(): Promise<void> {
    if (this.#stopping === null) this.#stopping = this.#stop()
    return this.#stopping
  }

  async #stop(): Promise<void> {
    const starting = this.#starting
    this.#state = 'stopping'
    if (starting !== null) await starting.catch(ignore)
    try {
      await this.#accumulator.close()
    } finally {
      this.#sender?.close()
      await this.#cluster?.close()
      this.#state = 'stopped'
    }
  }

  /** `stop()`, for `await using producer = new KafkaProducer(…)`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop()
  }

  /**
   * Queues a record and resolves, once it is in a batch, to its {@link DeliveryHandle}; `handle.delivery`
   * then settles with where it was written (`RecordMetadata`; null with `acks: 0`) or why it was not.
   *
   * Rejects before queuing with `IllegalArgumentError` (a value the serializers refuse, key and value both
   * null, a partition the topic does not have), `MessageSizeTooLargeError` (larger than `maxRequestSize`),
   * `KafkaTimeoutError` (no metadata for the topic, or no buffer space, within `requestTimeoutMs`),
   * `IllegalStateError` before `start()` and `ProducerClosed` after `stop()`.
   */
  send(topic: string, value?: V | null, options?: SendOptions<K>): Promise<DeliveryHandle> {
    try {
      return this.#send(topic, value, options)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  /** `send()`, then waits for the delivery: aiokafka's `send_and_wait`. Null with `acks: 0`. */
  async sendAndWait(
    topic: string,
    value?: V | null,
    options?: SendOptions<K>,
  ): Promise<RecordMetadata | null> {
    const handle = await this.send(topic, value, options)
    return handle.delivery
  }

  #send(
    topic: string,
    value: V | null | undefined,
    options: SendOptions<K> | undefined,
  ): Promise<DeliveryHandle> {
    this.#checkRunning()
    if (typeof topic !== 'string' || topic === '') {
      throw new IllegalArgumentError({ message: 'topic must be a non-empty string' })
    }
    const key = this.#serializeKey(options?.key)
    const serializedValue = this.#serializeValue(value)
    if (key === null && serializedValue === null) {
      throw new IllegalArgumentError({ message: 'a record needs a key or a value; both are null' })
    }
    const headers = normalizeHeaders(options?.headers)
    const timestampMs = options?.timestampMs
    let timestamp: number | undefined
    if (timestampMs !== undefined && timestampMs !== null) {
      if (!Number.isSafeInteger(timestampMs) || timestampMs < 0) {
        throw new IllegalArgumentError({
          message: `timestampMs must be epoch milliseconds, not ${timestampMs}`,
        })
      }
      timestamp = timestampMs
    }
    const explicit = options?.partition ?? null
    const partitions = this.#knownPartitions(topic)
    if (partitions !== undefined) {
      const record = this.#scratch
      record.key = key
      record.value = serializedValue
      record.headers = headers
      record.timestamp = timestamp
      let handle: DeliveryHandle | undefined
      try {
        handle = this.#appendNow(topic, partitions, record, explicit)
      } finally {
        // The scratch record must not keep the caller's bytes alive.
        record.value = null
        record.key = null
        record.headers = undefined
      }
      if (handle !== undefined) return Promise.resolve(handle)
    }
    return this.#sendWaiting(topic, { key, value: serializedValue, headers, timestamp }, explicit)
  }

  /** The common path: metadata known and buffer space free, so no await at all. Undefined: take the slow path. */
  #appendNow(
    topic: string,
    partitions: TopicPartitions,
    record: PendingRecord,
    explicit: number | null,
  ): DeliveryHandle | undefined {
    const partition = this.#choosePartition(topic, partitions, record.key, explicit)
    const sticky = explicit === null && this.#partitioner === null && record.key === null
    const handle = this.#accumulator.tryAppend(topic, partition, record, sticky)
    if (handle !== null) return handle
    // The sticky partition needs a new batch: move on and open it on the next partition (KIP-480).
    const next = this.#sticky.onNewBatch(topic, partition, partitions.all, partitions.available)
    return this.#accumulator.tryAppend(topic, next, record, false) ?? undefined
  }

  /** The slow path: waits for the topic's metadata and for buffer space. */
  async #sendWaiting(topic: string, record: PendingRecord, explicit: number | null): Promise<DeliveryHandle> {
    const partitions = this.#knownPartitions(topic) ?? (await this.#waitForPartitions(topic))
    const partition = this.#choosePartition(topic, partitions, record.key, explicit)
    const sticky = explicit === null && this.#partitioner === null && record.key === null
    const handle = await this.#accumulator.append(topic, partition, record, sticky)
    if (handle !== null) return handle
    const next = this.#sticky.onNewBatch(topic, partition, partitions.all, partitions.available)
    return (await this.#accumulator.append(topic, next, record, false))!
  }

  #choosePartition(
    topic: string,
    partitions: TopicPartitions,
    key: Uint8Array | null,
    explicit: number | null,
  ): number {
    const count = partitions.all.length
    if (explicit !== null) {
      if (!Number.isInteger(explicit) || explicit < 0 || explicit >= count) {
        throw new IllegalArgumentError({
          message: `partition ${explicit} is not one of ${topic}'s partitions (0 to ${count - 1})`,
        })
      }
      return explicit
    }
    const partitioner = this.#partitioner
    if (partitioner === null) return this.#sticky.partition(topic, key, partitions.all, partitions.available)
    const chosen = partitioner(key, partitions.all, partitions.available)
    if (!Number.isInteger(chosen) || chosen < 0 || chosen >= count) {
      throw new IllegalArgumentError({
        message: `the partitioner returned ${String(chosen)}, not one of ${topic}'s partitions (0 to ${count - 1})`,
      })
    }
    return chosen
  }

  /** The topic's partitions from the current metadata, without waiting; undefined when not known yet. */
  #knownPartitions(topic: string): TopicPartitions | undefined {
    const metadata = this.#cluster!.metadata
    if (metadata !== this.#partitionsSnapshot) {
      this.#partitionCache.clear()
      this.#partitionsSnapshot = metadata
    }
    let entry = this.#partitionCache.get(topic)
    if (entry !== undefined) return entry
    const described = metadata.topics.get(topic)
    if (described === undefined || described.partitions.size === 0) return undefined
    const all: number[] = []
    const available: number[] = []
    for (const partition of described.partitions.values()) {
      all.push(partition.partition)
      if (partition.leaderId >= 0 && metadata.brokers.has(partition.leaderId))
        available.push(partition.partition)
    }
    all.sort(byNumber)
    available.sort(byNumber)
    entry = { all: Object.freeze(all) as number[], available: Object.freeze(available) as number[] }
    this.#partitionCache.set(topic, entry)
    return entry
  }

  /**
   * Waits for the topic's metadata (aiokafka's `_wait_on_metadata`): asks for it, retrying while the topic
   * is unknown or has no leader yet (it may be being created), up to `requestTimeoutMs`.
   */
  async #waitForPartitions(topic: string): Promise<TopicPartitions> {
    const cluster = this.#cluster!
    const timeoutMs = this.#options.requestTimeoutMs
    try {
      await cluster.withRetries(() => cluster.partitionsFor(topic), { timeoutMs })
    } catch (error) {
      if (!isRetriable(error)) throw error
      throw new KafkaTimeoutError({
        message: `no metadata for topic ${topic} within ${timeoutMs} ms`,
        cause: error,
      })
    }
    const partitions = this.#knownPartitions(topic)
    if (partitions === undefined) {
      throw new KafkaTimeoutError({ message: `no metadata for topic ${topic} within ${timeoutMs} ms` })
    }
    return partitions
  }

  /**
   * Resolves when every record sent before the call has an outcome (delivered or failed); failures reach
   * their own delivery promises, not this one. Queued batches go without waiting for `lingerMs`.
   */
  flush(): Promise<void> {
    return this.#accumulator.flush()
  }

  /** The topic's partition numbers, sorted; waits for its metadata as `send()` does. */
  async partitionsFor(topic: string): Promise<number[]> {
    this.#checkRunning()
    if (typeof topic !== 'string' || topic === '') {
      throw new IllegalArgumentError({ message: 'topic must be a non-empty string' })
    }
    const partitions = this.#knownPartitions(topic) ?? (await this.#waitForPartitions(topic))
    return [...partitions.all]
  }

  /**
   * An empty batch to fill with `append()` and send with `sendBatch()` (aiokafka's `create_batch`). It
   * uses the producer's serializers, compression and `maxBatchSize`.
   */
  createBatch(): BatchBuilder<K, V> {
    const { compressionType, maxBatchSize } = this.#options
    return new BatchBuilder<K, V>({
      maxBytes: maxBatchSize,
      ...(compressionType === null ? {} : { compression: compressionType }),
      ...(this.#internals.codecs === undefined ? {} : { codecs: this.#internals.codecs }),
      serializeKey: (key) => this.#serializeKey(key),
      serializeValue: (value) => this.#serializeValue(value),
    })
  }

  /**
   * Queues a filled batch for one partition (aiokafka's `send_batch`) and resolves to its handle; the
   * delivery is the metadata of the batch's first record (its offset is the batch's base offset).
   */
  async sendBatch(
    batch: BatchBuilder<K, V>,
    topic: string,
    options: SendBatchOptions,
  ): Promise<DeliveryHandle> {
    this.#checkRunning()
    if (!(batch instanceof BatchBuilder)) {
      throw new IllegalArgumentError({ message: 'sendBatch takes a batch made by createBatch()' })
    }
    const explicit = options?.partition
    if (explicit === undefined || explicit === null) {
      throw new IllegalArgumentError({ message: 'sendBatch needs { partition }' })
    }
    const partitions = this.#knownPartitions(topic) ?? (await this.#waitForPartitions(topic))
    const partition = this.#choosePartition(topic, partitions, null, explicit)
    return this.#accumulator.appendBatch(topic, partition, batch)
  }

  #checkRunning(): void {
    const state = this.#state
    if (state === 'running') return
    if (state === 'stopping' || state === 'stopped') {
      throw new ProducerClosed({ message: 'the producer is stopped' })
    }
    throw new IllegalStateError({ message: 'the producer is not started: await producer.start() first' })
  }

  /**
   * InitProducerId: from the transaction coordinator with a `transactionalId`, otherwise from any broker
   * (an idempotent producer needs no coordinator). Retried as any request, up to `requestTimeoutMs`.
   */
  async #initProducerId(): Promise<void> {
    const cluster = this.#cluster!
    const sequences = this.#sequences!
    const transactionalId = this.#options.transactionalId
    const request = InitProducerId.createRequest({
      transactionalId,
      // aiokafka sends INT32_MAX without a transactional id; the broker reads it only with one.
      transactionTimeoutMs: transactionalId === null ? INT32_MAX : this.#options.transactionTimeoutMs,
      producerId: -1n,
      producerEpoch: -1,
    })
    const response = await cluster.withRetries(async () => {
      const answer =
        transactionalId === null
          ? await cluster.sendToBroker(anyBroker(cluster), InitProducerId.api, request)
          : await cluster.sendToCoordinator('txn', transactionalId, InitProducerId.api, request)
      if (answer.errorCode !== 0) {
        throw (
          errorFromCode(answer.errorCode, { path: 'InitProducerId' }) ??
          new KafkaError({ message: 'InitProducerId failed' })
        )
      }
      return answer
    })
    sequences.setProducerIdAndEpoch(response.producerId, response.producerEpoch)
  }
}

/** aiokafka's name for the producer. */
export const AIOKafkaProducer = KafkaProducer
/** aiokafka's name for the producer. */
export type AIOKafkaProducer<K = DefaultSerializable, V = DefaultSerializable> = KafkaProducer<K, V>

function byNumber(left: number, right: number): number {
  return left - right
}

/** A broker for a request any broker can answer: one of those the metadata lists, chosen at random. */
function anyBroker(cluster: ClusterClient): number {
  const brokers = [...cluster.metadata.brokers.keys()]
  if (brokers.length === 0) throw new NoBrokersAvailable({ message: 'the metadata lists no broker' })
  return brokers[Math.floor(Math.random() * brokers.length)]!
}
