// @kafkite/admin: aiokafka's AIOKafkaAdminClient as KafkaAdminClient — topics, partitions, configs,
// consumer groups and offsets, records, log dirs, leader elections, ACLs and SCRAM credentials, each
// request routed as Kafka's Java Admin routes it, with per-item results.

export {
  type AclBinding,
  type AclBindingFilter,
  AclOperation,
  AclPatternType,
  AclPermissionType,
  AclResourceType,
  type DescribedAclBinding,
} from './acl-binding.js'
export { AIOKafkaAdminClient, KafkaAdminClient } from './admin-client.js'
export {
  type AbstractTokenProvider,
  ADMIN_VERSION,
  type AdminClientOptions,
  type SaslOauthTokenProvider,
} from './admin-options.js'
export { AdminBatchError, AdminResults, type ItemFailure, type Outcome } from './admin-results.js'
export {
  type AlterConfigOp,
  type AlterConfigOpType,
  type ConfigResource,
  type ConfigResourceKey,
  ConfigResourceType,
} from './config-resource.js'
export {
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
  type MemberAssignment,
  type MemberSubscription,
} from './consumer-protocol.js'
export type { OffsetAndMetadata } from './offset-and-metadata.js'
export type { DeletedAcls } from './operations/acls.js'
export type { AlterConfigsOptions } from './operations/alter-configs.js'
export type {
  CreatedPartitions,
  CreatePartitionsOptions,
  NewPartitions,
} from './operations/create-partitions.js'
export type { CreatedTopic, CreateTopicsOptions, NewTopic } from './operations/create-topics.js'
export type { DeleteConsumerGroupsOptions } from './operations/delete-consumer-groups.js'
export type { DeleteRecordsOptions, RecordsToDelete } from './operations/delete-records.js'
export type { DeletedTopic, DeleteTopicsOptions } from './operations/delete-topics.js'
export type {
  ClusterBroker,
  ClusterDescription,
  DescribeClusterOptions,
} from './operations/describe-cluster.js'
export type {
  ConfigEntry,
  ConfigResourceDescription,
  ConfigSource,
  ConfigSynonym,
  ConfigType,
  DescribeConfigsOptions,
} from './operations/describe-configs.js'
export type {
  ConsumerGroupDescription,
  DescribeConsumerGroupsOptions,
  GroupMemberDescription,
} from './operations/describe-consumer-groups.js'
export type {
  DescribeLogDirsOptions,
  LogDirDescription,
  ReplicaLogInfo,
} from './operations/describe-log-dirs.js'
export type {
  DescribeTopicsOptions,
  ListTopicsOptions,
  PartitionDescription,
  TopicDescription,
} from './operations/describe-topics.js'
export type { ElectionResult, ElectionType, ElectLeadersOptions } from './operations/elect-leaders.js'
export type { ListConsumerGroupOffsetsOptions } from './operations/list-consumer-group-offsets.js'
export type { ListConsumerGroupsOptions, ListedGroup } from './operations/list-consumer-groups.js'
export type { ListedOffset, ListOffsetsOptions, OffsetSpec } from './operations/list-offsets.js'
export {
  SCRAM_MAX_ITERATIONS,
  SCRAM_MIN_ITERATIONS,
  type ScramAlteration,
  type ScramCredentialInfo,
  type ScramDeletion,
  type ScramMechanism,
  type ScramUpsertion,
} from './scram-credentials.js'
export { formatTopicPartition, type TopicPartition } from './topic-partition.js'
