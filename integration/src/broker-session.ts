// A small, test-only client over @kafkite/raw-client: negotiates versions once, creates topics (through
// KafkaAdminClient) and waits for their leaders, produces a ready-made record batch to a partition's leader and fetches a partition's
// raw `records` bytes back. Interop tests use it to put bytes on the broker (or read them) without any
// client logic of ours in between beyond the protocol codecs.
import { type ApiSchema, ApiVersions, Fetch, Metadata, negotiateVersion, Produce } from '@kafkite/protocol'
import { RawConnection } from '@kafkite/raw-client'
import { readBatches } from '@kafkite/records'
import { createTopics } from './topics.js'

export interface BrokerAddress {
  readonly host: string
  readonly port: number
}

export interface TopicPartitionLeader {
  readonly topic: string
  readonly topicId: string
  readonly leaderId: number
}

export interface FetchedPartition {
  /** Every `records` chunk the broker returned, in order; decode each with `readRecords`/`readBatches`. */
  readonly chunks: readonly Buffer[]
  readonly highWatermark: bigint
}

const CLIENT_ID = 'kafkite-integration'

/** Polls `attempt` every 200 ms until it returns a value, or throws after `timeoutMs`. */
export async function until<T>(
  what: string,
  attempt: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const result = await attempt()
    if (result !== undefined) return result
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

export class BrokerSession {
  readonly #bootstrap: RawConnection
  readonly #versions: ReadonlyMap<number, { minVersion: number; maxVersion: number }>
  /** Connections to other nodes, by node id, opened when a partition leader lives there. */
  readonly #nodes = new Map<number, RawConnection>()
  readonly #address: BrokerAddress
  #bootstrapNodeId: number | undefined

  private constructor(
    address: BrokerAddress,
    bootstrap: RawConnection,
    versions: ReadonlyMap<number, { minVersion: number; maxVersion: number }>,
  ) {
    this.#address = address
    this.#bootstrap = bootstrap
    this.#versions = versions
  }

  static async open(address: BrokerAddress): Promise<BrokerSession> {
    const connection = await RawConnection.connect({ ...address, clientId: CLIENT_ID })
    try {
      const advertised = await connection.request(
        ApiVersions.api,
        3,
        ApiVersions.createRequest({ clientSoftwareName: 'kafkite', clientSoftwareVersion: '0.1.0' }),
      )
      if (advertised.errorCode !== 0) throw new Error(`ApiVersions error ${advertised.errorCode}`)
      const versions = new Map(advertised.apiKeys.map((entry) => [entry.apiKey, entry]))
      return new BrokerSession(address, connection, versions)
    } catch (error) {
      await connection.close()
      throw error
    }
  }

  /** The highest version of `api` both our schemas and the broker speak. */
  versionOf(api: ApiSchema): number {
    const range = this.#versions.get(api.apiKey)
    if (range === undefined) throw new Error(`the broker does not offer ${api.name}`)
    return negotiateVersion(api, range)
  }

  request<Request, Response>(
    api: ApiSchema<Request, Response>,
    body: Request,
    through: RawConnection = this.#bootstrap,
  ): Promise<Response> {
    return through.request(api, this.versionOf(api as ApiSchema), body)
  }

  /**
   * Creates single-partition topics (replication factor: the broker default) through KafkaAdminClient and
   * waits until this session sees each one's leader.
   */
  async createTopics(
    topics: readonly string[],
    configs: Readonly<Record<string, string>> = {},
  ): Promise<TopicPartitionLeader[]> {
    await createTopics(topics, {
      configs,
      bootstrapServers: `${this.#address.host}:${this.#address.port}`,
    })
    return until('the new topics to have leaders', async () => {
      const answer = await this.request(
        Metadata.api,
        Metadata.createRequest({ topics: topics.map((name) => ({ name })), allowAutoTopicCreation: false }),
      )
      for (const broker of answer.brokers) {
        if (broker.port === this.#address.port) this.#bootstrapNodeId = broker.nodeId
      }
      const leaders: TopicPartitionLeader[] = []
      for (const name of topics) {
        const topic = answer.topics.find((candidate) => candidate.name === name)
        const leaderId = topic?.partitions[0]?.leaderId ?? -1
        if (topic === undefined || topic.errorCode !== 0 || leaderId < 0) return undefined
        if (leaderId !== this.#bootstrapNodeId && !this.#nodes.has(leaderId)) {
          const leader = answer.brokers.find((broker) => broker.nodeId === leaderId)
          if (leader === undefined) return undefined
          this.#nodes.set(
            leaderId,
            await RawConnection.connect({ host: leader.host, port: leader.port, clientId: CLIENT_ID }),
          )
        }
        leaders.push({ topic: name, topicId: topic.topicId, leaderId })
      }
      return leaders
    })
  }

  #leaderConnection(partition: TopicPartitionLeader): RawConnection {
    return this.#nodes.get(partition.leaderId) ?? this.#bootstrap
  }

  /**
   * Produces one record batch (as built by `RecordBatchBuilder`) to partition 0 with acks=all and returns
   * the base offset the leader assigned. Retries while the leader is still settling in.
   */
  produce(partition: TopicPartitionLeader, batch: Uint8Array): Promise<bigint> {
    return until(`the leader of ${partition.topic} to take the batch`, async () => {
      const answer = await this.request(
        Produce.api,
        Produce.createRequest({
          acks: -1,
          timeoutMs: 30_000,
          topicData: [{ name: partition.topic, partitionData: [{ index: 0, records: batch }] }],
        }),
        this.#leaderConnection(partition),
      )
      const result = answer.responses[0]?.partitionResponses[0]
      if (result === undefined) throw new Error('Produce answered without the partition')
      // NOT_LEADER_OR_FOLLOWER (6) and LEADER_NOT_AVAILABLE (5) pass once the new leader is in place.
      if (result.errorCode === 5 || result.errorCode === 6) return undefined
      if (result.errorCode !== 0) {
        throw new Error(
          `Produce to ${partition.topic}: error ${result.errorCode} ${result.errorMessage ?? ''}`,
        )
      }
      return result.baseOffset
    })
  }

  /**
   * Fetches partition 0 from `fromOffset` until the fetch position reaches `untilOffset` (exclusive), and
   * returns the raw `records` chunks as the broker served them.
   */
  async fetch(
    partition: TopicPartitionLeader,
    fromOffset: bigint,
    untilOffset: bigint,
    timeoutMs = 30_000,
  ): Promise<FetchedPartition> {
    const chunks: Buffer[] = []
    let position = fromOffset
    let highWatermark = -1n
    const deadline = Date.now() + timeoutMs
    while (position < untilOffset) {
      if (Date.now() > deadline) {
        throw new Error(`fetching ${partition.topic} stopped at offset ${position} of ${untilOffset}`)
      }
      const answer = await this.request(
        Fetch.api,
        Fetch.createRequest({
          maxWaitMs: 500,
          minBytes: 1,
          maxBytes: 1 << 20,
          topics: [
            {
              topic: partition.topic,
              topicId: partition.topicId,
              partitions: [{ partition: 0, fetchOffset: position, partitionMaxBytes: 1 << 20 }],
            },
          ],
        }),
        this.#leaderConnection(partition),
      )
      const fetched = answer.responses[0]?.partitions[0]
      if (fetched === undefined || fetched.errorCode !== 0) {
        throw new Error(`Fetch of ${partition.topic}: error ${fetched?.errorCode}`)
      }
      highWatermark = fetched.highWatermark
      if (fetched.records === null || fetched.records.length === 0) continue
      const chunk = Buffer.from(fetched.records)
      chunks.push(chunk)
      for (const batch of readBatches(chunk)) {
        const next = batch.lastOffset + 1n
        if (next > position) position = next
      }
    }
    return { chunks, highWatermark }
  }

  async close(): Promise<void> {
    for (const connection of this.#nodes.values()) await connection.close()
    await this.#bootstrap.close()
  }
}
