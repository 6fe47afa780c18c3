import { inspect } from 'node:util'
import { ClusterClient, type ResolvedClusterOptions } from '@kafkite/cluster'
import { IllegalArgumentError } from '@kafkite/protocol'
import type { AclBinding, AclBindingFilter, DescribedAclBinding } from './acl-binding.js'
import { type AdminClientOptions, toClusterOptions } from './admin-options.js'
import type { AdminResults } from './admin-results.js'
import type { ConfigResource, ConfigResourceKey } from './config-resource.js'
import type { OffsetAndMetadata } from './offset-and-metadata.js'
import { createAcls, type DeletedAcls, deleteAcls, describeAcls } from './operations/acls.js'
import { type AlterConfigsOptions, alterConfigs } from './operations/alter-configs.js'
import { alterConsumerGroupOffsets } from './operations/alter-consumer-group-offsets.js'
import {
  type CreatedPartitions,
  type CreatePartitionsOptions,
  createPartitions,
  type NewPartitions,
} from './operations/create-partitions.js'
import {
  type CreatedTopic,
  type CreateTopicsOptions,
  createTopics,
  type NewTopic,
} from './operations/create-topics.js'
import { deleteConsumerGroupOffsets } from './operations/delete-consumer-group-offsets.js'
import {
  type DeleteConsumerGroupsOptions,
  deleteConsumerGroups,
} from './operations/delete-consumer-groups.js'
import {
  type DeleteRecordsOptions,
  deleteRecords,
  type RecordsToDelete,
} from './operations/delete-records.js'
import { type DeletedTopic, type DeleteTopicsOptions, deleteTopics } from './operations/delete-topics.js'
import {
  type ClusterDescription,
  type DescribeClusterOptions,
  describeCluster,
} from './operations/describe-cluster.js'
import {
  type ConfigResourceDescription,
  type DescribeConfigsOptions,
  describeConfigs,
} from './operations/describe-configs.js'
import {
  type ConsumerGroupDescription,
  type DescribeConsumerGroupsOptions,
  describeConsumerGroups,
} from './operations/describe-consumer-groups.js'
import {
  type DescribeLogDirsOptions,
  describeLogDirs,
  type LogDirDescription,
} from './operations/describe-log-dirs.js'
import {
  type DescribeTopicsOptions,
  describeTopics,
  type ListTopicsOptions,
  listTopics,
  type TopicDescription,
} from './operations/describe-topics.js'
import {
  type ElectionResult,
  type ElectionType,
  type ElectLeadersOptions,
  electLeaders,
} from './operations/elect-leaders.js'
import {
  type ListConsumerGroupOffsetsOptions,
  listConsumerGroupOffsets,
} from './operations/list-consumer-group-offsets.js'
import {
  type ListConsumerGroupsOptions,
  type ListedGroup,
  listConsumerGroups,
} from './operations/list-consumer-groups.js'
import {
  type ListedOffset,
  type ListOffsetsOptions,
  listOffsets,
  type OffsetSpec,
} from './operations/list-offsets.js'
import { alterUserScramCredentials, describeUserScramCredentials } from './operations/scram-credentials.js'
import type { AdminContext } from './run-batch.js'
import type { ScramAlteration, ScramCredentialInfo } from './scram-credentials.js'
import type { TopicPartition } from './topic-partition.js'

/**
 * aiokafka's `AIOKafkaAdminClient`: manage topics, partitions, configs, consumer groups and their offsets,
 * records, log directories, leader elections, ACLs and SCRAM credentials.
 *
 * Every request goes where Kafka's Java Admin sends it: topic, partition, config, ACL and credential
 * changes to the controller; DeleteRecords and ListOffsets split by partition leader; group calls to each
 * group's coordinator; a specific broker's configs and log dirs to that broker.
 *
 * Batch calls resolve with `AdminResults`: one outcome per item, so that one failed item (a topic that
 * exists already) reports its typed broker error without hiding the others' success; `orThrow()` turns any
 * failure into one `AdminBatchError`. Retriable failures (a leader or controller moving, a coordinator
 * loading, a broker restarting) are retried for the failing items only, until the call's `timeoutMs`
 * (default `requestTimeoutMs`). Wrong arguments throw `IllegalArgumentError` before any request.
 *
 * Argument errors reject the returned promise, like every other failure. Calls made before `start()` bootstrap on their own; after `close()` they reject with
 * `IllegalStateError`. aiokafka's admin client has `close()` and no `stop()`; `await using` works too.
 */
export class KafkaAdminClient {
  readonly #cluster: ClusterClient
  readonly #context: AdminContext

  constructor(options: AdminClientOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new IllegalArgumentError({ message: 'KafkaAdminClient options must be an object' })
    }
    this.#cluster = new ClusterClient(toClusterOptions(options))
    this.#context = { cluster: this.#cluster, requestTimeoutMs: this.#cluster.options.requestTimeoutMs }
  }

  /** Connects to the bootstrap servers and loads the cluster's metadata. */
  async start(): Promise<void> {
    await this.#cluster.bootstrap()
  }

  /** Closes every connection; pending calls reject. Idempotent. */
  close(): Promise<void> {
    return this.#cluster.close()
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close()
  }

  /**
   * The options in effect (the cluster client's, defaults applied). Secrets stay inside the SASL mechanism
   * and a TLS key in a `Secret`, so printing or serializing these shows none.
   */
  get options(): ResolvedClusterOptions {
    return this.#cluster.options
  }

  /** The underlying cluster client (metadata, routing), e.g. for diagnostics. */
  get cluster(): ClusterClient {
    return this.#cluster
  }

  // ---- topics and partitions ----

  /** CreateTopics via the controller; one outcome per topic name. */
  async createTopics(
    newTopics: readonly NewTopic[],
    options?: CreateTopicsOptions,
  ): Promise<AdminResults<string, CreatedTopic>> {
    return createTopics(this.#context, newTopics, options)
  }

  /** DeleteTopics via the controller; one outcome per topic name. */
  async deleteTopics(
    topics: readonly string[],
    options?: DeleteTopicsOptions,
  ): Promise<AdminResults<string, DeletedTopic>> {
    return deleteTopics(this.#context, topics, options)
  }

  /** The names of all topics, sorted (aiokafka's `list_topics`, internal topics included by default). */
  async listTopics(options?: ListTopicsOptions): Promise<string[]> {
    return listTopics(this.#context, options)
  }

  /** Partitions, leaders, replicas and ISR of `topics` (default all); one outcome per topic. */
  async describeTopics(
    topics?: readonly string[],
    options?: DescribeTopicsOptions,
  ): Promise<AdminResults<string, TopicDescription>> {
    return describeTopics(this.#context, topics, options)
  }

  /** CreatePartitions via the controller: topic → new total count; one outcome per topic. */
  async createPartitions(
    newPartitions: ReadonlyMap<string, NewPartitions> | Readonly<Record<string, NewPartitions>>,
    options?: CreatePartitionsOptions,
  ): Promise<AdminResults<string, CreatedPartitions>> {
    return createPartitions(this.#context, newPartitions, options)
  }

  /** DeleteRecords split by partition leader: partition → new low watermark. */
  async deleteRecords(
    recordsToDelete: Iterable<readonly [TopicPartition, RecordsToDelete | bigint]>,
    options?: DeleteRecordsOptions,
  ): Promise<AdminResults<TopicPartition, bigint>> {
    return deleteRecords(this.#context, recordsToDelete, options)
  }

  /** ListOffsets split by partition leader: earliest, latest, max timestamp or by timestamp. */
  async listOffsets(
    specs: Iterable<readonly [TopicPartition, OffsetSpec]>,
    options?: ListOffsetsOptions,
  ): Promise<AdminResults<TopicPartition, ListedOffset | null>> {
    return listOffsets(this.#context, specs, options)
  }

  /** ElectLeaders via the controller; `partitions` null: every partition that needs one. */
  async electLeaders(
    electionType: ElectionType,
    partitions?: readonly TopicPartition[] | null,
    options?: ElectLeadersOptions,
  ): Promise<AdminResults<TopicPartition, ElectionResult>> {
    return electLeaders(this.#context, electionType, partitions ?? null, options)
  }

  /** Each broker's log directories and the replicas in them; one outcome per broker. */
  async describeLogDirs(
    options?: DescribeLogDirsOptions,
  ): Promise<AdminResults<number, LogDirDescription[]>> {
    return describeLogDirs(this.#context, options)
  }

  // ---- cluster and configs ----

  /** Cluster id, controller and brokers. */
  async describeCluster(options?: DescribeClusterOptions): Promise<ClusterDescription> {
    return describeCluster(this.#context, options)
  }

  /** DescribeConfigs; a broker's own configs are asked of that broker. One outcome per resource. */
  async describeConfigs(
    resources: readonly ConfigResource[],
    options?: DescribeConfigsOptions,
  ): Promise<AdminResults<ConfigResourceKey, ConfigResourceDescription>> {
    return describeConfigs(this.#context, resources, options)
  }

  /** IncrementalAlterConfigs: set, delete, append or subtract the listed keys only. One outcome per resource. */
  async alterConfigs(
    resources: readonly ConfigResource[],
    options?: AlterConfigsOptions,
  ): Promise<AdminResults<ConfigResourceKey, ConfigResourceKey>> {
    return alterConfigs(this.#context, resources, options)
  }

  // ---- consumer groups ----

  /** Every group of every broker (or of `brokerIds`), sorted by id. */
  async listConsumerGroups(options?: ListConsumerGroupsOptions): Promise<ListedGroup[]> {
    return listConsumerGroups(this.#context, options)
  }

  /** DescribeGroups at each group's coordinator, member subscriptions and assignments decoded. */
  async describeConsumerGroups(
    groupIds: readonly string[],
    options?: DescribeConsumerGroupsOptions,
  ): Promise<AdminResults<string, ConsumerGroupDescription>> {
    return describeConsumerGroups(this.#context, groupIds, options)
  }

  /** The node id of the coordinator of `groupId` (`coordinatorType` 0) or a transactional id (1). */
  async findCoordinator(groupId: string, coordinatorType: 0 | 1 = 0): Promise<number> {
    if (coordinatorType !== 0 && coordinatorType !== 1) {
      throw new IllegalArgumentError({ message: `coordinatorType must be 0 (group) or 1 (transaction)` })
    }
    const kind = coordinatorType === 0 ? 'group' : 'txn'
    const node = await this.#cluster.withRetries(() => this.#cluster.coordinatorFor(kind, groupId))
    return node.nodeId
  }

  /** The group's committed offsets: partition → `OffsetAndMetadata`, or null where none is committed. */
  async listConsumerGroupOffsets(
    groupId: string,
    options?: ListConsumerGroupOffsetsOptions,
  ): Promise<AdminResults<TopicPartition, OffsetAndMetadata | null>> {
    return listConsumerGroupOffsets(this.#context, groupId, options)
  }

  /** Sets the committed offsets of a group without active members. One outcome per partition. */
  async alterConsumerGroupOffsets(
    groupId: string,
    offsets: Iterable<readonly [TopicPartition, OffsetAndMetadata | bigint]>,
  ): Promise<AdminResults<TopicPartition, OffsetAndMetadata>> {
    return alterConsumerGroupOffsets(this.#context, groupId, offsets)
  }

  /** Forgets the group's committed offsets of `partitions`. One outcome per partition. */
  async deleteConsumerGroupOffsets(
    groupId: string,
    partitions: readonly TopicPartition[],
  ): Promise<AdminResults<TopicPartition, TopicPartition>> {
    return deleteConsumerGroupOffsets(this.#context, groupId, partitions)
  }

  /** Deletes empty groups. One outcome per group. */
  async deleteConsumerGroups(
    groupIds: readonly string[],
    options?: DeleteConsumerGroupsOptions,
  ): Promise<AdminResults<string, string>> {
    return deleteConsumerGroups(this.#context, groupIds, options)
  }

  // ---- ACLs and credentials ----

  /** CreateAcls via the controller. One outcome per binding. */
  async createAcls(acls: readonly AclBinding[]): Promise<AdminResults<AclBinding, DescribedAclBinding>> {
    return createAcls(this.#context, acls)
  }

  /** The ACLs matching `filter` (all when left out). */
  async describeAcls(filter?: AclBindingFilter): Promise<DescribedAclBinding[]> {
    return describeAcls(this.#context, filter)
  }

  /** DeleteAcls via the controller. One outcome per filter: what it deleted. */
  async deleteAcls(
    filters: readonly AclBindingFilter[],
  ): Promise<AdminResults<AclBindingFilter, DeletedAcls>> {
    return deleteAcls(this.#context, filters)
  }

  /** Users' SCRAM mechanisms and iteration counts (all users when left out). One outcome per user. */
  async describeUserScramCredentials(
    users?: readonly string[],
  ): Promise<AdminResults<string, ScramCredentialInfo[]>> {
    return describeUserScramCredentials(this.#context, users)
  }

  /** Upserts (salted here) and deletes SCRAM credentials. One outcome per user. */
  async alterUserScramCredentials(
    alterations: readonly ScramAlteration[],
  ): Promise<AdminResults<string, string>> {
    return alterUserScramCredentials(this.#context, alterations)
  }

  /** What logs and debuggers may show: the cluster client's view, never credentials. */
  toJSON(): Record<string, unknown> {
    return this.#cluster.toJSON()
  }

  [inspect.custom](): string {
    return `KafkaAdminClient ${inspect(this.toJSON())}`
  }
}

/** aiokafka's name for the same class. */
export const AIOKafkaAdminClient = KafkaAdminClient
export type AIOKafkaAdminClient = KafkaAdminClient
