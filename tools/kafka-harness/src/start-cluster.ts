// The one entry point tests and the CLI use. Order of choice: KAFKA_BOOTSTRAP (use that cluster, start
// nothing), then KAFKITE_HARNESS=docker (containers), else local JVMs from Maven Central jars.
import type { Cluster } from './cluster.js'
import { ALL_LISTENERS, type ListenerName } from './cluster-types.js'
import { startDockerCluster } from './docker-cluster.js'
import { ExternalCluster } from './external-cluster.js'
import { DEFAULT_KAFKA_LINE, kafkaVersion } from './kafka-versions.js'
import { launchLocalCluster } from './launch-local.js'
import { cleanupSync } from './local-cluster.js'

export interface StartOptions {
  /** 1 (single combined node) or 3 (three combined nodes, three voters). */
  readonly nodes?: 1 | 3
  /** '4' or '3.9', or an exact pinned version such as '4.4.0'. */
  readonly kafkaVersion?: string
  /** Client listeners to open; PLAINTEXT is always included (readiness is probed on it). */
  readonly listeners?: readonly ListenerName[]
  /** Where to write the state file (local clusters); defaults to inside the cluster's temp folder. */
  readonly stateFile?: string
  /** Keep the JVMs running after this process exits (the CLI's detached `start`). Default false. */
  readonly detached?: boolean
  /** Ignore KAFKA_BOOTSTRAP and KAFKITE_HARNESS (the harness's own tests of the local path). */
  readonly ignoreEnvironment?: boolean
  readonly readyTimeoutMs?: number
}

export async function startCluster(options: StartOptions = {}): Promise<Cluster> {
  const version = kafkaVersion(options.kafkaVersion ?? process.env.KAFKITE_KAFKA ?? DEFAULT_KAFKA_LINE)
  if (options.ignoreEnvironment !== true) {
    const external = process.env.KAFKA_BOOTSTRAP
    if (external !== undefined && external !== '') return new ExternalCluster(external)
    if (process.env.KAFKITE_HARNESS === 'docker') return startDockerCluster(version)
  }
  const requested = options.listeners ?? ALL_LISTENERS
  const listeners = ALL_LISTENERS.filter((name) => name === 'PLAINTEXT' || requested.includes(name))
  const cluster = await launchLocalCluster({
    nodes: options.nodes ?? 1,
    version,
    listeners,
    ...(options.stateFile === undefined ? {} : { stateFile: options.stateFile }),
    ...(options.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: options.readyTimeoutMs }),
  })
  if (options.detached !== true) {
    // Last resort against orphan brokers when the test process dies without running its teardown.
    process.once('exit', () => cleanupSync(cluster.stateFile))
  }
  return cluster
}
