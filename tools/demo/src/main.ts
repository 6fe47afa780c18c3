// `pnpm demo`: shows kafkite speaking to a real broker. With KAFKA_BOOTSTRAP set it uses that cluster;
// otherwise it starts a local single-node KRaft broker from Apache Kafka's jars (fetched from Maven Central
// into ~/.cache/kafkite on first use) and stops it at the end.
//
// For now it shows what the broker offers through @kafkite/protocol: the APIs and versions it advertises
// next to ours, and the cluster's metadata. When the producer and consumer land it becomes aiokafka's
// quick start.
import { fetchKafka, isFetched, kafkaVersion, startCluster } from '@kafkite/kafka-harness'
import { ApiVersions, allApis, Metadata, negotiateVersion } from '@kafkite/protocol'
import { RawConnection } from '@kafkite/raw-client'

async function main(): Promise<void> {
  const external = process.env.KAFKA_BOOTSTRAP
  if (external === undefined || external === '') {
    const version = kafkaVersion(process.env.KAFKITE_KAFKA ?? '4')
    if (!isFetched(version)) {
      console.log(`Fetching Apache Kafka ${version.maven} from Maven Central (first run only)…`)
      await fetchKafka(version)
    }
    console.log(`Starting a local Apache Kafka ${version.maven} broker (KRaft, single node)…`)
  }
  const started = Date.now()
  const cluster = await startCluster({ nodes: 1, listeners: ['PLAINTEXT'] })
  try {
    const bootstrap = cluster.bootstrap('PLAINTEXT').split(',')[0]!
    console.log(`Broker ready at ${bootstrap} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
    const [host, port] = splitHostPort(bootstrap)
    const connection = await RawConnection.connect({ host, port, clientId: 'kafkite-demo' })
    try {
      await showApiVersions(connection)
      await showMetadata(connection)
    } finally {
      await connection.close()
    }
  } finally {
    await cluster.stop()
  }
}

async function showApiVersions(
  connection: RawConnection,
): Promise<Map<number, { min: number; max: number }>> {
  // ApiVersions v3 is what every modern client opens with; its response header is always v0.
  const answer = await connection.request(
    ApiVersions.api,
    3,
    ApiVersions.createRequest({ clientSoftwareName: 'kafkite', clientSoftwareVersion: '0.1.0' }),
  )
  const brokerRanges = new Map(
    answer.apiKeys.map((key) => [key.apiKey, { min: key.minVersion, max: key.maxVersion }]),
  )
  console.log(
    `The broker advertises ${answer.apiKeys.length} APIs. Ours, by the version both sides would use:`,
  )
  const rows: string[] = []
  for (const api of allApis) {
    const range = brokerRanges.get(api.apiKey)
    if (range === undefined) continue
    let chosen: string
    try {
      chosen = `v${negotiateVersion(api, { minVersion: range.min, maxVersion: range.max })}`
    } catch {
      chosen = 'no overlap'
    }
    const ours = `${api.request.validVersions[0]}-${api.request.validVersions[1]}`
    rows.push(
      `  ${api.name.padEnd(30)} broker ${`${range.min}-${range.max}`.padEnd(6)} ours ${ours.padEnd(6)} → ${chosen}`,
    )
  }
  console.log(rows.join('\n'))
  return brokerRanges
}

async function showMetadata(connection: RawConnection): Promise<void> {
  const metadata = await connection.request(Metadata.api, 12, Metadata.createRequest({ topics: null }))
  console.log(`\nCluster ${metadata.clusterId ?? '(no id)'}, controller ${metadata.controllerId}`)
  for (const broker of metadata.brokers)
    console.log(`  broker ${broker.nodeId} at ${broker.host}:${broker.port}`)
  console.log(`  ${metadata.topics.length} topics`)
}

function splitHostPort(address: string): [string, number] {
  const colon = address.lastIndexOf(':')
  return [address.slice(0, colon), Number(address.slice(colon + 1))]
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
