// @kafkite/consumer: KafkaConsumer (aiokafka's AIOKafkaConsumer) and its parts: partitions as values,
// options, subscription state with positions and offsets, fetch response decoding (read_committed
// included), the buffer of prefetched records behind getone()/getmany(), fetch sessions and the fetcher.

export { type AbortedTransaction, CompletedFetch, type CompletedFetchConfig } from './completed-fetch.js'
export { type ConsumerCluster, clusterOptionsFor } from './consumer-cluster.js'
export {
  FetchOffsetOutOfRangeError,
  IllegalOperation,
  RecordDeserializationError,
} from './consumer-errors.js'
export {
  type AbstractTokenProvider,
  type AutoOffsetReset,
  CONSUMER_DEFAULTS,
  CONSUMER_VERSION,
  type ConsumerOptions,
  type IsolationLevel,
  type ResolvedConsumerOptions,
  resolveConsumerOptions,
  type SaslMechanismName,
  type SaslOauthTokenProvider,
  type SecurityProtocol,
} from './consumer-options.js'
export {
  type ConsumerRecord,
  type DefaultDeserialized,
  type Deserializer,
  FetchedRecord,
  type TimestampType,
} from './consumer-record.js'
export {
  type FetchedPartitionData,
  type FetchOutcome,
  FetchResponseHandler,
  type FetchResponseHandlerOptions,
} from './fetch-response-handler.js'
export { FetchSession, type FetchSessionRequest, type SessionPartition } from './fetch-session.js'
export {
  AIOKafkaConsumer,
  type CommitOffsets,
  type GetManyOptions,
  KafkaConsumer,
  type KafkaConsumerInternals,
  type TimestampQuery,
} from './kafka-consumer.js'
export type { OffsetAndMetadata, OffsetAndTimestamp } from './offset-and-metadata.js'
export { RecordBuffer, type RecordBufferOptions } from './record-buffer.js'
export {
  type AssignmentChange,
  type FetchedPartitionMetadata,
  type FetchState,
  type PartitionStateView,
  type ResetStrategy,
  SubscriptionState,
} from './subscription-state.js'
export {
  compareTopicPartitions,
  formatTopicPartition,
  groupByTopic,
  sameTopicPartition,
  type TopicPartition,
  TopicPartitionMap,
  TopicPartitionSet,
  topicPartition,
  toTopicPartition,
  uniqueTopicPartitions,
} from './topic-partition.js'
