// The protocol smoke every broker layout runs: the requests a client makes on its first day (ApiVersions,
// Metadata, CreateTopics, Produce, Fetch, ListOffsets, FindCoordinator), each at the highest version both
// our schemas and the broker support, sent with @kafkite/protocol over a plain socket. The same exchanges,
// frames included, are what `pnpm fixtures:capture` stores as golden fixtures for the protocol package.
import {
  type ApiSchema,
  ApiVersions,
  allApis,
  CreateTopics,
  Fetch,
  FindCoordinator,
  ListOffsets,
  Metadata,
  negotiateVersion,
  Produce,
} from '@kafkite/protocol'
import { RawConnection, type Exchange as RawExchange } from '@kafkite/raw-client'
import { RecordBatchBuilder, readRecords } from '@kafkite/records'

export type Exchange = RawExchange<unknown> & { readonly api: string; readonly version: number }

export interface VersionOverlap {
  readonly api: string
  readonly apiKey: number
  readonly broker: readonly [number, number]
  readonly ours: readonly [number, number]
  /** The version both sides would use, or undefined when the ranges do not meet. */
  readonly chosen: number | undefined
}

export interface SmokeResult {
  readonly overlaps: readonly VersionOverlap[]
  readonly exchanges: ReadonlyMap<string, Exchange>
  readonly brokerCount: number
  readonly producedValues: readonly string[]
  readonly fetchedValues: readonly string[]
  readonly latestOffset: bigint
  readonly coordinatorNodeId: number
}

/** How our schemas and the broker's advertised ranges meet, for every API the broker advertises. */
export function versionOverlaps(advertised: ApiVersions.Response): VersionOverlap[] {
  return advertised.apiKeys.map((entry) => {
    const api = allApis.find((candidate) => candidate.apiKey === entry.apiKey)
    const ours: readonly [number, number] = api === undefined ? [0, -1] : api.request.validVersions
    let chosen: number | undefined
    if (api !== undefined) {
      try {
        chosen = negotiateVersion(api, { minVersion: entry.minVersion, maxVersion: entry.maxVersion })
      } catch {
        chosen = undefined
      }
    }
    return {
      api: api?.name ?? `unknown key ${entry.apiKey}`,
      apiKey: entry.apiKey,
      broker: [entry.minVersion, entry.maxVersion],
      ours,
      chosen,
    }
  })
}

async function until<T>(what: string, attempt: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const result = await attempt()
    if (result !== undefined) return result
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

export async function protocolSmoke(
  address: { host: string; port: number },
  names: { topic: string; group: string },
): Promise<SmokeResult> {
  const connection = await RawConnection.connect({ ...address, clientId: 'kafkite-integration' })
  // Produce, Fetch and ListOffsets must reach the partition's leader, which on a cluster may be another node.
  let leaderConnection = connection
  const exchanges = new Map<string, Exchange>()
  async function send<Request, Response>(
    api: ApiSchema<Request, Response>,
    version: number,
    body: Request,
    through: RawConnection = connection,
  ) {
    const exchange = await through.exchange(api, version, body)
    exchanges.set(api.name, { ...exchange, api: api.name, version })
    return exchange.body
  }
  try {
    // ApiVersions v3: what modern clients open with; any broker since 2.4 answers it.
    const advertised = await send(
      ApiVersions.api,
      3,
      ApiVersions.createRequest({ clientSoftwareName: 'kafkite', clientSoftwareVersion: '0.1.0' }),
    )
    if (advertised.errorCode !== 0) throw new Error(`ApiVersions error ${advertised.errorCode}`)
    const overlaps = versionOverlaps(advertised)
    const versionOf = (api: ApiSchema): number => {
      const chosen = overlaps.find((overlap) => overlap.apiKey === api.apiKey)?.chosen
      if (chosen === undefined) throw new Error(`No shared version of ${api.name}`)
      return chosen
    }

    const created = await send(
      CreateTopics.api,
      versionOf(CreateTopics.api),
      CreateTopics.createRequest({
        topics: [{ name: names.topic, numPartitions: 1, replicationFactor: -1 }],
        timeoutMs: 30_000,
      }),
    )
    const createdTopic = created.topics[0]
    if (createdTopic === undefined || createdTopic.errorCode !== 0) {
      throw new Error(`CreateTopics failed: ${JSON.stringify(createdTopic?.errorMessage)}`)
    }

    const metadataVersion = versionOf(Metadata.api)
    const metadata = await until('the new topic to have a leader', async () => {
      const answer = await send(
        Metadata.api,
        metadataVersion,
        Metadata.createRequest({ topics: [{ name: names.topic }], allowAutoTopicCreation: false }),
      )
      const partition = answer.topics[0]?.partitions[0]
      return answer.topics[0]?.errorCode === 0 && partition !== undefined && partition.leaderId >= 0
        ? answer
        : undefined
    })
    const topicId = metadata.topics[0]!.topicId
    const leaderId = metadata.topics[0]!.partitions[0]!.leaderId
    const leader = metadata.brokers.find((broker) => broker.nodeId === leaderId)
    if (leader === undefined) throw new Error(`Leader ${leaderId} is not among the brokers`)
    if (leader.port !== address.port) {
      leaderConnection = await RawConnection.connect({
        host: leader.host,
        port: leader.port,
        clientId: 'kafkite-integration',
      })
    }

    const producedValues = ['first record', 'second record', 'third record']
    const builder = new RecordBatchBuilder({ compression: 'none' })
    for (const [index, value] of producedValues.entries()) {
      builder.append({ key: `key-${index}`, value, headers: [{ key: 'source', value: 'kafkite' }] })
    }
    const batch = builder.build()
    const produceVersion = versionOf(Produce.api)
    await until('the leader to take the batch', async () => {
      const answer = await send(
        Produce.api,
        produceVersion,
        Produce.createRequest({
          acks: -1,
          timeoutMs: 30_000,
          topicData: [{ name: names.topic, partitionData: [{ index: 0, records: batch }] }],
        }),
        leaderConnection,
      )
      const partition = answer.responses[0]?.partitionResponses[0]
      return partition?.errorCode === 0 ? partition : undefined
    })

    const fetched = await send(
      Fetch.api,
      versionOf(Fetch.api),
      Fetch.createRequest({
        maxWaitMs: 500,
        minBytes: 1,
        maxBytes: 1 << 20,
        topics: [
          {
            topic: names.topic,
            topicId,
            partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }],
          },
        ],
      }),
      leaderConnection,
    )
    const fetchedPartition = fetched.responses[0]?.partitions[0]
    if (
      fetchedPartition === undefined ||
      fetchedPartition.errorCode !== 0 ||
      fetchedPartition.records === null
    ) {
      throw new Error(`Fetch failed with error ${fetchedPartition?.errorCode}`)
    }
    const fetchedValues: string[] = []
    for (const record of readRecords(fetchedPartition.records)) {
      fetchedValues.push(record.value === null ? '(null)' : record.value.toString('utf8'))
    }

    const offsets = await send(
      ListOffsets.api,
      versionOf(ListOffsets.api),
      ListOffsets.createRequest({
        replicaId: -1,
        topics: [{ name: names.topic, partitions: [{ partitionIndex: 0, timestamp: -1n }] }],
      }),
      leaderConnection,
    )
    const latestOffset = offsets.topics[0]?.partitions[0]?.offset ?? -1n

    const findCoordinatorVersion = versionOf(FindCoordinator.api)
    const coordinator = await until('the group coordinator to be available', async () => {
      const answer = await send(
        FindCoordinator.api,
        findCoordinatorVersion,
        // v4 replaced `key` with a batch of `coordinatorKeys`; sending `key` at v4+ is a downgrade error.
        FindCoordinator.createRequest(
          findCoordinatorVersion >= 4
            ? { keyType: 0, coordinatorKeys: [names.group] }
            : { key: names.group, keyType: 0 },
        ),
      )
      const found = findCoordinatorVersion >= 4 ? answer.coordinators[0] : answer
      return found !== undefined && found.errorCode === 0 ? found : undefined
    })

    return {
      overlaps,
      exchanges,
      brokerCount: metadata.brokers.length,
      producedValues,
      fetchedValues,
      latestOffset,
      coordinatorNodeId: coordinator.nodeId,
    }
  } finally {
    if (leaderConnection !== connection) await leaderConnection.close()
    await connection.close()
  }
}
