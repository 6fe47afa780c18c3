import {
  type AiokafkaConnectionOptions,
  type AiokafkaSaslMechanism,
  bootstrapServerList,
  conflictingOptions,
  invalidOption,
  nonNegativeIntegerOption,
  positiveIntegerOption,
  type ResolvedAiokafkaConnectionOptions,
  resolveAiokafkaConnectionOptions,
} from '@kafkite/cluster'
import {
  type CodecRegistry,
  type CompressionName,
  defaultCodecs,
  RECORD_BATCH_OVERHEAD,
} from '@kafkite/records'
import type { Partitioner } from './partitioner/partitioner.js'
import type { DefaultSerializable, Serializer } from './serializers.js'

/** aiokafka's `acks`: 0 (no answer), 1 (leader), `'all'` or -1 (all in-sync replicas). */
export type Acks = 0 | 1 | -1 | 'all'

/** aiokafka's `compression_type`; null (or omitted) for none. */
export type CompressionOption = Exclude<CompressionName, 'none'> | null

export type { SecurityProtocol } from '@kafkite/cluster'
/** `saslOauthTokenProvider`'s type, shared by every client (defined next to OAUTHBEARER in the transport). */
export type { AbstractTokenProvider, SaslOauthTokenProvider } from '@kafkite/transport'

/** aiokafka's `sasl_mechanism` values (GSSAPI is accepted and refused with a SASL protocol: not implemented). */
export type SaslMechanismName = AiokafkaSaslMechanism

/**
 * The producer's options: aiokafka's, in camelCase, with aiokafka's defaults (see docs/api-mapping.md).
 * The connection options (`securityProtocol`, `sslContext`, `sasl*`) are aiokafka's flat names, checked and
 * mapped by `@kafkite/cluster`'s shared resolver, the same way as for the consumer and admin client.
 */
export interface ProducerOptions<K = DefaultSerializable, V = DefaultSerializable>
  extends AiokafkaConnectionOptions {
  /** `'host[:port]'` or a list of them. Default `'localhost'` (port 9092). */
  bootstrapServers?: string | readonly string[]
  /** Default `'kafkite-producer-<n>'`, n counting producers in this process. */
  clientId?: string
  /** Default 1, or `'all'` with idempotence. */
  acks?: Acks
  /** Default: bytes pass through, strings become UTF-8, null stays null. */
  keySerializer?: Serializer<K>
  /** As `keySerializer`. */
  valueSerializer?: Serializer<V>
  /** Default none. */
  compressionType?: CompressionOption
  /** Bytes per partition batch (uncompressed). Default 16384. */
  maxBatchSize?: number
  /** How long a batch waits for more records before it is sent. Default 0. */
  lingerMs?: number
  /** Default: murmur2 for keyed records, sticky for keyless ones (`StickyPartitioner`). */
  partitioner?: Partitioner
  /** Largest produce request, and so largest record. Default 1048576. */
  maxRequestSize?: number
  /** Default 40000. Also bounds waits for buffer space and how long a batch may wait for delivery. */
  requestTimeoutMs?: number
  /** Default 100. */
  retryBackoffMs?: number
  /** Default 300000. */
  metadataMaxAgeMs?: number
  /** Default false; turned on by `transactionalId`. */
  enableIdempotence?: boolean
  /** Default none. Setting it turns idempotence on. */
  transactionalId?: string | null
  /** Default 60000; used only with `transactionalId`. */
  transactionTimeoutMs?: number
  /**
   * kafkite addition: the most record bytes buffered (queued or in flight) before `send()` waits for
   * space, up to `requestTimeoutMs`. Default 32 MiB (Java's `buffer.memory`). aiokafka bounds only each
   * partition's batch, which lets a producer with many partitions grow without bound.
   */
  maxBufferBytes?: number
  /** Default 540000; null never closes idle connections. */
  connectionsMaxIdleMs?: number | null
}

/**
 * The options after defaults and validation. Secrets are held in `Secret` (`saslPlainPassword`,
 * `saslOauthTokenProvider`, a TLS key), so printing or serializing them shows `[redacted]`.
 */
export interface ResolvedProducerOptions<K = DefaultSerializable, V = DefaultSerializable>
  extends ResolvedAiokafkaConnectionOptions {
  readonly bootstrapServers: readonly string[]
  readonly clientId: string
  /** `'all'` normalized to -1, as on the wire. */
  readonly acks: 0 | 1 | -1
  readonly keySerializer: Serializer<K> | null
  readonly valueSerializer: Serializer<V> | null
  readonly compressionType: CompressionOption
  readonly maxBatchSize: number
  readonly lingerMs: number
  /** null: the default (`StickyPartitioner`). */
  readonly partitioner: Partitioner | null
  readonly maxRequestSize: number
  readonly requestTimeoutMs: number
  readonly retryBackoffMs: number
  readonly metadataMaxAgeMs: number
  readonly enableIdempotence: boolean
  readonly transactionalId: string | null
  readonly transactionTimeoutMs: number
  readonly maxBufferBytes: number
  /**
   * Batches in flight per partition: 1 keeps strict order without sequence numbers (aiokafka); with
   * idempotence the broker orders by sequence, so up to 5 (the most a broker tracks per producer).
   */
  readonly maxInFlightPerPartition: number
  readonly connectionsMaxIdleMs: number | null
}

export const PRODUCER_DEFAULTS = {
  bootstrapServers: 'localhost',
  acks: 1,
  maxBatchSize: 16384,
  lingerMs: 0,
  maxRequestSize: 1048576,
  requestTimeoutMs: 40000,
  retryBackoffMs: 100,
  metadataMaxAgeMs: 300000,
  transactionTimeoutMs: 60000,
  maxBufferBytes: 32 * 1024 * 1024,
  connectionsMaxIdleMs: 540000,
  securityProtocol: 'PLAINTEXT',
  saslMechanism: 'PLAIN',
  saslKerberosServiceName: 'kafka',
} as const

/** The most batches a broker tracks per producer and partition for idempotence (Java's limit). */
export const MAX_IDEMPOTENT_IN_FLIGHT = 5

const ACKS: ReadonlySet<unknown> = new Set<unknown>([0, 1, -1, 'all'])
const COMPRESSIONS: ReadonlySet<unknown> = new Set<unknown>(['gzip', 'snappy', 'lz4', 'zstd'])

let producerCount = 0

/**
 * Applies defaults and checks the options, so a misconfigured producer fails at construction and not at
 * first send. As everywhere in kafkite, a bad value throws `IllegalArgumentError` (aiokafka: `ValueError`)
 * and options that cannot work together throw `KafkaConfigurationError`.
 * `codecs` is where `compressionType` must be available (default: the built-in codecs).
 */
export function resolveProducerOptions<K = DefaultSerializable, V = DefaultSerializable>(
  options: ProducerOptions<K, V> = {},
  codecs: CodecRegistry = defaultCodecs,
): ResolvedProducerOptions<K, V> {
  const transactionalId = options.transactionalId ?? null
  if (transactionalId === '') invalidOption('transactionalId must not be empty')
  if (transactionalId !== null && options.enableIdempotence === false) {
    // Kafka refuses this too: a transactional producer is an idempotent one.
    conflictingOptions('transactionalId requires idempotence; remove enableIdempotence: false')
  }
  const enableIdempotence = options.enableIdempotence ?? transactionalId !== null

  if (options.acks !== undefined && !ACKS.has(options.acks)) {
    invalidOption(`acks must be 0, 1, -1 or 'all', not ${String(options.acks)}`)
  }
  const acks = toWireAcks(options.acks ?? (enableIdempotence ? -1 : PRODUCER_DEFAULTS.acks))
  if (enableIdempotence && acks !== -1) {
    conflictingOptions(`idempotence needs acks 'all' (or -1), not ${String(options.acks)}`)
  }

  const compressionType = options.compressionType ?? null
  if (compressionType !== null) {
    if (!COMPRESSIONS.has(compressionType)) {
      invalidOption(
        `compressionType must be 'gzip', 'snappy', 'lz4', 'zstd' or null, not ${String(compressionType)}`,
      )
    }
    // Throws UnsupportedCodecError (aiokafka: RuntimeError) when the codec is not available.
    codecs.get(compressionType)
  }

  const maxBatchSize = nonNegativeIntegerOption(
    'maxBatchSize',
    options.maxBatchSize,
    PRODUCER_DEFAULTS.maxBatchSize,
  )
  if (maxBatchSize <= RECORD_BATCH_OVERHEAD) {
    invalidOption(
      `maxBatchSize must exceed the ${RECORD_BATCH_OVERHEAD}-byte batch header, not ${maxBatchSize}`,
    )
  }
  const maxRequestSize = nonNegativeIntegerOption(
    'maxRequestSize',
    options.maxRequestSize,
    PRODUCER_DEFAULTS.maxRequestSize,
  )
  if (maxBatchSize > maxRequestSize) {
    conflictingOptions(`maxBatchSize (${maxBatchSize}) must not exceed maxRequestSize (${maxRequestSize})`)
  }
  const maxBufferBytes = nonNegativeIntegerOption(
    'maxBufferBytes',
    options.maxBufferBytes,
    PRODUCER_DEFAULTS.maxBufferBytes,
  )
  if (maxBufferBytes < maxRequestSize) {
    // Otherwise a record that maxRequestSize allows could wait for space that can never exist.
    conflictingOptions(
      `maxBufferBytes (${maxBufferBytes}) must be at least maxRequestSize (${maxRequestSize})`,
    )
  }
  const requestTimeoutMs = nonNegativeIntegerOption(
    'requestTimeoutMs',
    options.requestTimeoutMs,
    PRODUCER_DEFAULTS.requestTimeoutMs,
  )
  if (requestTimeoutMs === 0) invalidOption('requestTimeoutMs must be positive')

  const connection = resolveAiokafkaConnectionOptions(options)

  for (const name of ['keySerializer', 'valueSerializer', 'partitioner'] as const) {
    const value = options[name]
    if (value !== undefined && typeof value !== 'function') invalidOption(`${name} must be a function`)
  }

  return {
    bootstrapServers: bootstrapServerList(options.bootstrapServers, PRODUCER_DEFAULTS.bootstrapServers),
    clientId: options.clientId ?? `kafkite-producer-${++producerCount}`,
    acks,
    keySerializer: options.keySerializer ?? null,
    valueSerializer: options.valueSerializer ?? null,
    compressionType,
    maxBatchSize,
    lingerMs: nonNegativeIntegerOption('lingerMs', options.lingerMs, PRODUCER_DEFAULTS.lingerMs),
    partitioner: options.partitioner ?? null,
    maxRequestSize,
    requestTimeoutMs,
    retryBackoffMs: nonNegativeIntegerOption(
      'retryBackoffMs',
      options.retryBackoffMs,
      PRODUCER_DEFAULTS.retryBackoffMs,
    ),
    metadataMaxAgeMs: nonNegativeIntegerOption(
      'metadataMaxAgeMs',
      options.metadataMaxAgeMs,
      PRODUCER_DEFAULTS.metadataMaxAgeMs,
    ),
    enableIdempotence,
    transactionalId,
    transactionTimeoutMs: positiveIntegerOption(
      'transactionTimeoutMs',
      options.transactionTimeoutMs,
      PRODUCER_DEFAULTS.transactionTimeoutMs,
    ),
    maxBufferBytes,
    maxInFlightPerPartition: enableIdempotence ? MAX_IDEMPOTENT_IN_FLIGHT : 1,
    connectionsMaxIdleMs:
      options.connectionsMaxIdleMs === null
        ? null
        : nonNegativeIntegerOption(
            'connectionsMaxIdleMs',
            options.connectionsMaxIdleMs,
            PRODUCER_DEFAULTS.connectionsMaxIdleMs,
          ),
    ...connection,
  }
}

function toWireAcks(acks: Acks): 0 | 1 | -1 {
  return acks === 'all' ? -1 : acks
}
