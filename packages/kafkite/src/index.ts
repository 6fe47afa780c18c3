// kafkite: an asynchronous Apache Kafka client for Node.js with aiokafka's semantics. This package only
// gathers the public surface of the layers below it (see docs/design.md); it holds no logic of its own.

export {
  AdminBatchError,
  type AdminClientOptions,
  AdminResults,
  AIOKafkaAdminClient,
  KafkaAdminClient,
} from '@kafkite/admin'
export {
  AIOKafkaConsumer,
  type ConsumerOptions,
  type ConsumerRecord,
  type Deserializer,
  type GetManyOptions,
  KafkaConsumer,
  type OffsetAndMetadata,
  type OffsetAndTimestamp,
  type TopicPartition,
  TopicPartitionMap,
  TopicPartitionSet,
  topicPartition,
} from '@kafkite/consumer'
export {
  AIOKafkaProducer,
  BatchBuilder,
  DeliveryHandle,
  type HeadersInput,
  type HeaderTuple,
  KafkaProducer,
  murmur2Partitioner,
  type Partitioner,
  type ProducerOptions,
  type RecordMetadata,
  type SendBatchOptions,
  type SendOptions,
  type Serializer,
  StickyPartitioner,
} from '@kafkite/producer'
export { type CompressionName, CompressionType } from '@kafkite/records'
export {
  type AbstractTokenProvider,
  createSslContext,
  type SaslOauthTokenProvider,
  Secret,
  type SslContext,
  type SslContextOptions,
  type TlsOptions,
} from '@kafkite/transport'
export * from './errors.js'
