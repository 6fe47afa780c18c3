// @kafkite/producer: KafkaProducer (aiokafka's AIOKafkaProducer) and its parts: partitioners, serializers,
// options, the per-partition record accumulator with delivery handles, idempotent sequence bookkeeping, and
// the sender that turns ready batches into ProduceRequests through @kafkite/cluster.

export {
  BatchBuilder,
  type BatchBuilderOptions,
  type BatchRecord,
  type BatchRecordMetadata,
} from './accumulator/batch-builder.js'
export { BufferBudget } from './accumulator/buffer-budget.js'
export { DeliveryHandle } from './accumulator/delivery-handle.js'
export { type BatchState, ProducerBatch } from './accumulator/producer-batch.js'
export {
  type AccumulatorOptions,
  type AccumulatorRecord,
  type ReadyResult,
  RecordAccumulator,
} from './accumulator/record-accumulator.js'
export { recordSizeUpperBound } from './accumulator/record-size.js'
export {
  incrementSequence,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  type ProducerIdAndEpoch,
  type SequencedBatch,
  type SequenceErrorAction,
  SequenceState,
} from './idempotence/sequence-state.js'
export { murmur2, partitionForKey, toPositive } from './partitioner/murmur2.js'
export {
  murmur2Partitioner,
  type Partitioner,
  pickRandom,
  type RandomSource,
} from './partitioner/partitioner.js'
export { StickyPartitioner } from './partitioner/sticky-partitioner.js'
export { OPEN_GATE, type ProduceGate } from './produce-gate.js'
export { type HeadersInput, type HeaderTuple, normalizeHeaders } from './producer/headers.js'
export {
  AIOKafkaProducer,
  KafkaProducer,
  type ProducerInternals,
  type SendBatchOptions,
  type SendOptions,
} from './producer/kafka-producer.js'
export {
  type AbstractTokenProvider,
  type Acks,
  type CompressionOption,
  MAX_IDEMPOTENT_IN_FLIGHT,
  PRODUCER_DEFAULTS,
  type ProducerOptions,
  type ResolvedProducerOptions,
  resolveProducerOptions,
  type SaslMechanismName,
  type SaslOauthTokenProvider,
  type SecurityProtocol,
} from './producer-options.js'
export type { RecordMetadata, TimestampType, TopicPartition } from './record-metadata.js'
export { MAX_IN_FLIGHT_REQUESTS_PER_BROKER, Sender, type SenderOptions } from './sender/sender.js'
export {
  applySerializer,
  type DefaultSerializable,
  defaultKeySerializer,
  defaultValueSerializer,
  type SerializedValue,
  type Serializer,
} from './serializers.js'
