// The other layouts of the matrix, each started and torn down here: a 3-node 4.x cluster (3 voters) and a
// single 3.9.x node. Kept to a smoke (every listener answers, one fault, clean teardown) so the whole
// integration run stays within a few minutes on CI's 2 cores.
import {
  clusterLeftovers,
  LocalCluster,
  probeApiVersions,
  runKafkaTool,
  startCluster,
} from '@kafkite/kafka-harness'
import { afterAll, describe, expect, it } from 'vitest'
import { protocolSmoke } from '../src/broker-exchanges.js'
import { tlsPem, uniqueGroup, uniqueTopic } from '../src/index.js'

/** The protocol smoke of test/protocol.test.ts, against this layout: real answers decoded by our codecs. */
async function speaksProtocol(cluster: LocalCluster): Promise<void> {
  const [host = '', port = ''] = cluster.bootstrap('PLAINTEXT').split(',')[0]!.split(':')
  const smoke = await protocolSmoke(
    { host, port: Number(port) },
    { topic: uniqueTopic(), group: uniqueGroup() },
  )
  expect(smoke.brokerCount).toBe(cluster.info.nodeCount)
  expect(smoke.fetchedValues).toEqual(smoke.producedValues)
  expect(smoke.latestOffset).toBe(BigInt(smoke.producedValues.length))
  for (const api of ['Produce', 'Fetch', 'Metadata', 'ListOffsets', 'FindCoordinator', 'CreateTopics']) {
    expect(smoke.overlaps.find((overlap) => overlap.api === api)?.chosen, api).toBeDefined()
  }
}

async function start(nodes: 1 | 3, kafkaVersion: string): Promise<LocalCluster> {
  // ignoreEnvironment: these tests are about the local JVM path, even when KAFKA_BOOTSTRAP names another cluster.
  return (await startCluster({ nodes, kafkaVersion, ignoreEnvironment: true })) as LocalCluster
}

async function everyListenerAnswers(cluster: LocalCluster): Promise<void> {
  const info = cluster.info
  const { ca } = tlsPem(info)
  for (const [listener, bootstrap] of Object.entries(info.bootstrap)) {
    for (const address of bootstrap.split(',')) {
      const [host = '', port = ''] = address.split(':')
      const secure = listener === 'SSL' || listener === 'SASL_SSL'
      const answer = await probeApiVersions({ host, port: Number(port), ...(secure ? { tls: { ca } } : {}) })
      expect(answer.errorCode, `${listener} ${address}`).toBe(0)
    }
  }
}

async function stopAndExpectNoTrace(cluster: LocalCluster): Promise<void> {
  const snapshot = (await LocalCluster.attach(cluster.stateFile)).snapshot
  await cluster.stop()
  expect(await clusterLeftovers(snapshot)).toEqual([])
}

describe('3-node Kafka 4 cluster', () => {
  let cluster: LocalCluster | undefined
  afterAll(async () => {
    await cluster?.stop()
  })

  it('starts 3 voters that all answer on every listener', async () => {
    cluster = await start(3, '4')
    expect(cluster.info.nodeCount).toBe(3)
    expect(cluster.bootstrap().split(',')).toHaveLength(3)
    await everyListenerAnswers(cluster)
  })

  it('speaks @kafkite/protocol: ApiVersions, CreateTopics, Metadata, Produce, Fetch, ListOffsets, FindCoordinator', async () => {
    if (cluster === undefined) throw new Error('cluster did not start')
    await speaksProtocol(cluster)
  })

  it('keeps serving with one node killed (quorum 2 of 3), and takes it back', async () => {
    if (cluster === undefined) throw new Error('cluster did not start')
    await cluster.killNode(2)
    const survivors = cluster.snapshot.nodes.slice(0, 2)
    // A topic with RF 2 can only be created while the controller quorum (2 of 3) works.
    const { stdout } = await runKafkaTool(cluster.info, 'org.apache.kafka.tools.TopicCommand', [
      '--bootstrap-server',
      survivors.map((node) => `127.0.0.1:${node.ports.PLAINTEXT}`).join(','),
      '--create',
      '--topic',
      'kafkite-matrix-quorum',
      '--replication-factor',
      '2',
    ])
    expect(stdout).toMatch(/Created topic/)
    await cluster.startNode(2)
    await everyListenerAnswers(cluster)
  })

  it('leaves no JVM, port or folder after stop', async () => {
    if (cluster === undefined) throw new Error('cluster did not start')
    await stopAndExpectNoTrace(cluster)
    cluster = undefined
  })
})

describe('single-node Kafka 3.9 broker', () => {
  let cluster: LocalCluster | undefined
  afterAll(async () => {
    await cluster?.stop()
  })

  it('starts and answers on every listener', async () => {
    cluster = await start(1, '3.9')
    expect(cluster.info.kafkaVersion).toMatch(/^3\.9\./)
    await everyListenerAnswers(cluster)
  })

  it('speaks @kafkite/protocol: ApiVersions, CreateTopics, Metadata, Produce, Fetch, ListOffsets, FindCoordinator', async () => {
    if (cluster === undefined) throw new Error('cluster did not start')
    await speaksProtocol(cluster)
  })

  it('knows the SCRAM user written at format time', async () => {
    if (cluster === undefined) throw new Error('cluster did not start')
    const info = cluster.info
    await runKafkaTool(
      info,
      'org.apache.kafka.tools.TopicCommand',
      ['--bootstrap-server', info.bootstrap.SASL_SSL ?? '', '--command-config', '{config}', '--list'],
      { listener: 'SASL_SSL', mechanism: 'SCRAM-SHA-512' },
    )
  })

  it('leaves no JVM, port or folder after stop', async () => {
    if (cluster === undefined) throw new Error('cluster did not start')
    await stopAndExpectNoTrace(cluster)
    cluster = undefined
  })
})
