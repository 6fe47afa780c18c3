// Topics of the integration tests, created and deleted through our own KafkaAdminClient (not hand-built
// CreateTopics requests or Kafka's TopicCommand), so every suite also exercises the admin client.
// Suites whose subject is the raw protocol (protocol.test.ts, broker-exchanges.ts) still build theirs by hand.
import { KafkaAdminClient } from '@kafkite/admin'
import { UnknownTopicOrPartitionError } from '@kafkite/protocol'
import { kafka } from './kafka.js'

export interface TopicOptions {
  /** Default 1. */
  readonly partitions?: number
  /** Default the broker's (`default.replication.factor`). */
  readonly replicationFactor?: number
  /** Topic configs, e.g. `{ 'compression.type': 'producer' }`. */
  readonly configs?: Readonly<Record<string, string>>
  /** An admin client to use; by default one is opened for the call on `bootstrapServers`. */
  readonly admin?: KafkaAdminClient
  /** Default the run's PLAINTEXT listener. */
  readonly bootstrapServers?: string
}

async function withAdmin<T>(
  options: Pick<TopicOptions, 'admin' | 'bootstrapServers'>,
  use: (admin: KafkaAdminClient) => Promise<T>,
): Promise<T> {
  if (options.admin !== undefined) return use(options.admin)
  const own = new KafkaAdminClient({
    bootstrapServers: options.bootstrapServers ?? kafka().bootstrap.PLAINTEXT ?? '',
    clientId: 'kafkite-integration-topics',
    requestTimeoutMs: 30_000,
  })
  try {
    return await use(own)
  } finally {
    await own.close()
  }
}

/**
 * Creates the topics and waits until every partition has a leader; throws (AdminBatchError) when any one
 * fails, e.g. because it exists already.
 */
export async function createTopics(names: readonly string[], options: TopicOptions = {}): Promise<void> {
  const partitions = options.partitions ?? 1
  await withAdmin(options, async (admin) => {
    const created = await admin.createTopics(
      names.map((name) => ({
        name,
        numPartitions: partitions,
        ...(options.replicationFactor === undefined ? {} : { replicationFactor: options.replicationFactor }),
        ...(options.configs === undefined ? {} : { topicConfigs: options.configs }),
      })),
    )
    created.orThrow()
    const { cluster } = admin
    await cluster.withRetries(
      () =>
        Promise.all(
          names.flatMap((name) =>
            Array.from({ length: partitions }, (_, partition) => cluster.leaderFor(name, partition)),
          ),
        ),
      { timeoutMs: 30_000 },
    )
  })
}

/** Deletes the topics; ones that do not exist (never created, or deleted already) are no error. */
export async function deleteTopics(
  names: readonly string[],
  options: Pick<TopicOptions, 'admin' | 'bootstrapServers'> = {},
): Promise<void> {
  if (names.length === 0) return
  await withAdmin(options, async (admin) => {
    const deleted = await admin.deleteTopics(names)
    for (const name of names) {
      const error = deleted.error(name)
      if (error !== undefined && !(error instanceof UnknownTopicOrPartitionError)) throw error
    }
  })
}
