// Creates a local KRaft cluster: fetch jars (cached), make TLS material and users, write each node's config,
// format its storage, start every JVM at once (a quorum needs a majority up) and wait until each answers.
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { renderBrokerConfig, scramFormatArgs } from './broker-config.js'
import type { ListenerName, LocalClusterState, NodePorts, NodeState } from './cluster-types.js'
import { fetchKafka } from './fetch-kafka.js'
import { freePorts } from './free-ports.js'
import { BROKER_JVM, javaBinary, SHORT_LIVED_JVM } from './jvm-flags.js'
import { spawnDetached } from './jvm-process.js'
import type { KafkaVersion } from './kafka-versions.js'
import { LocalCluster, READY_TIMEOUT_MS } from './local-cluster.js'
import { loggingSystemProperty, renderLoggingConfig } from './logging-config.js'
import { runCommand } from './run-command.js'
import { makeSaslUsers, SASL_MECHANISMS } from './sasl-users.js'
import { storeScramCredentials } from './scram-credentials.js'
import { writeState } from './state-file.js'
import { makeTlsMaterial } from './tls-material.js'
import { waitUntilReady } from './wait-ready.js'

export interface LocalLaunchOptions {
  readonly nodes: number
  readonly version: KafkaVersion
  readonly listeners: readonly ListenerName[]
  /** Where to write the state file; defaults to `<cluster root>/cluster.json`. */
  readonly stateFile?: string
  readonly readyTimeoutMs?: number
}

const PORT_NAMES = ['CONTROLLER', 'INTERNAL', 'PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const

export async function launchLocalCluster(options: LocalLaunchOptions): Promise<LocalCluster> {
  const { version, nodes: nodeCount } = options
  const fetched = await fetchKafka(version)
  const root = await mkdtemp(join(tmpdir(), 'kafkite-kafka-'))
  try {
    const [tls, ports] = await Promise.all([
      makeTlsMaterial(join(root, 'tls')),
      freePorts(nodeCount * PORT_NAMES.length),
    ])
    const saslUsers = makeSaslUsers()
    const clusterId = newClusterId()
    const java = javaBinary()
    const classpath = `${fetched.libs}/*`

    const nodePorts: NodePorts[] = []
    for (let i = 0; i < nodeCount; i++) {
      const slice = ports.slice(i * PORT_NAMES.length, (i + 1) * PORT_NAMES.length)
      const entry = Object.fromEntries(PORT_NAMES.map((name, k) => [name, slice[k]]))
      nodePorts.push(entry as unknown as NodePorts)
    }
    const voters = nodePorts.map((p, i) => ({ id: i + 1, controllerPort: p.CONTROLLER }))

    const nodes: NodeState[] = await Promise.all(
      nodePorts.map(async (portsOfNode, i) => {
        const id = i + 1
        const dir = join(root, `node-${id}`)
        const dataDir = join(dir, 'data')
        await mkdir(dataDir, { recursive: true })
        const configFile = join(dir, 'server.properties')
        const loggingFile = join(dir, version.logging === 'log4j2' ? 'log4j2.properties' : 'log4j.properties')
        await writeFile(
          configFile,
          renderBrokerConfig({
            nodeId: id,
            ports: portsOfNode,
            voters,
            nodeCount,
            dataDir,
            listeners: options.listeners,
            tls,
            saslUsers,
          }),
        )
        await writeFile(loggingFile, renderLoggingConfig(version.logging))
        const logging = loggingSystemProperty(version.logging, loggingFile)
        // Format writes meta.properties and the bootstrap metadata (including SCRAM credentials) once.
        await runCommand(
          java,
          [
            ...SHORT_LIVED_JVM,
            logging,
            '-cp',
            classpath,
            version.storageToolClass,
            'format',
            '--cluster-id',
            clusterId,
            '--config',
            configFile,
            ...scramFormatArgs(saslUsers),
          ],
          { timeoutMs: 120_000 },
        )
        const command = [
          java,
          ...BROKER_JVM,
          `-Dkafkite.harness.node=${dir}`,
          logging,
          '-cp',
          classpath,
          'kafka.Kafka',
          configFile,
        ]
        return {
          id,
          dir,
          configFile,
          logFile: join(dir, 'broker.log'),
          ports: portsOfNode,
          command,
          pid: undefined,
          status: 'stopped',
        } satisfies NodeState
      }),
    )

    const state: LocalClusterState = {
      format: 1,
      kind: 'local',
      kafkaVersion: version.maven,
      clusterId,
      root,
      listeners: options.listeners,
      tls,
      saslUsers,
      saslMechanisms: SASL_MECHANISMS,
      nodes,
    }
    for (const node of nodes) {
      node.pid = spawnDetached(node.command, node.logFile, node.dir)
      node.status = 'running'
    }
    const stateFile = options.stateFile ?? join(root, 'cluster.json')
    await writeState(stateFile, state)
    const cluster = new LocalCluster(stateFile, state)
    try {
      await Promise.all(
        nodes.map((node) =>
          waitUntilReady(
            {
              port: node.ports.PLAINTEXT,
              pid: node.pid ?? -1,
              logFile: node.logFile,
              label: `node ${node.id}`,
            },
            options.readyTimeoutMs ?? READY_TIMEOUT_MS,
          ),
        ),
      )
      await storeScramCredentials(cluster.info, cluster.bootstrap('PLAINTEXT'))
    } catch (error) {
      await cluster.stop()
      throw error
    }
    return cluster
  } catch (error) {
    await rm(root, { recursive: true, force: true })
    throw error
  }
}

/** A Kafka cluster id: 16 random bytes in URL-safe base64 without padding (Kafka's Uuid text form). */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url')
    // A leading '-' would be read as an option by the storage tool's argument parser.
    if (!id.startsWith('-')) return id
  }
}
