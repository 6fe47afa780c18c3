// Helpers of the consumer suites: records and DeleteRecords through the cluster client with raw requests, so
// the consumer is tested against bytes no client logic of ours produced beyond the codecs; topics through
// KafkaAdminClient (integration/src/topics.ts).
import { ClusterClient } from '@kafkite/cluster'
import { DeleteRecords, ErrorCode, errorFromCode, Produce } from '@kafkite/protocol'
import { RecordBatchBuilder, type RecordInput } from '@kafkite/records'
import { createTopics } from '../src/index.js'

export function adminClient(bootstrapServers: string): ClusterClient {
  return new ClusterClient({ bootstrapServers, clientId: 'kafkite-consumer-tests' })
}

/** Creates a topic through KafkaAdminClient and waits until this client sees every partition's leader. */
export async function createTopic(
  cluster: ClusterClient,
  name: string,
  partitions = 1,
  configs: Readonly<Record<string, string>> = {},
): Promise<void> {
  await createTopics([name], { partitions, configs })
  await cluster.withRetries(
    () =>
      Promise.all(Array.from({ length: partitions }, (_, partition) => cluster.leaderFor(name, partition))),
    { timeoutMs: 30_000 },
  )
}

/** Appends the records to one partition in one batch (acks=all) and returns the base offset. */
export async function produce(
  cluster: ClusterClient,
  topic: string,
  partition: number,
  records: readonly (RecordInput | string)[],
): Promise<bigint> {
  const builder = new RecordBatchBuilder({ maxBytes: 1 << 20 })
  for (const record of records) {
    builder.append(typeof record === 'string' ? { value: record } : record)
  }
  const batch = builder.build()
  return cluster.withRetries(
    async () => {
      const { nodeId } = await cluster.leaderFor(topic, partition)
      const response = await cluster.sendToBroker(
        nodeId,
        Produce.api,
        Produce.createRequest({
          acks: -1,
          timeoutMs: 30_000,
          topicData: [{ name: topic, partitionData: [{ index: partition, records: batch }] }],
        }),
      )
      const answer = response.responses[0]?.partitionResponses[0]
      const error = errorFromCode(answer?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR)
      if (error !== undefined) throw error
      return answer!.baseOffset
    },
    { timeoutMs: 30_000 },
  )
}

/** Moves the partition's log start offset to `offset` with DeleteRecords, sent to the leader. */
export async function deleteRecords(
  cluster: ClusterClient,
  topic: string,
  partition: number,
  offset: bigint,
): Promise<bigint> {
  const { nodeId } = await cluster.leaderFor(topic, partition)
  const response = await cluster.sendToBroker(
    nodeId,
    DeleteRecords.api,
    DeleteRecords.createRequest({
      topics: [{ name: topic, partitions: [{ partitionIndex: partition, offset }] }],
      timeoutMs: 30_000,
    }),
  )
  const answer = response.topics[0]?.partitions[0]
  const error = errorFromCode(answer?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR)
  if (error !== undefined) throw error
  return answer!.lowWatermark
}
