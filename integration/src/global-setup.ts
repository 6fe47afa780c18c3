// Starts the broker once for the whole integration run. Layout and version come from the environment
// (KAFKITE_NODES=1|3, KAFKITE_KAFKA=4|3.9; KAFKA_BOOTSTRAP to use an existing cluster instead).
// There is no fallback: if no broker starts, setup throws and the run fails, on CI and everywhere else, so
// the integration suite can never pass by quietly testing nothing.
import './provided.js'
import { type Cluster, clusterLeftovers, LocalCluster, startCluster } from '@kafkite/kafka-harness'
import type { TestProject } from 'vitest/node'

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const nodes = process.env.KAFKITE_NODES === '3' ? 3 : 1
  const started = performance.now()
  let cluster: Cluster
  try {
    cluster = await startCluster({ nodes })
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    throw new Error(
      `could not start a Kafka broker for the integration tests (CI=${process.env.CI ?? 'unset'}).\n` +
        'Needs a JDK 17+ and Maven (or KAFKA_BOOTSTRAP=host:port of a running cluster).\n' +
        why,
    )
  }
  const info = cluster.info
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  console.log(
    `[kafka-harness] ${info.kind} kafka ${info.kafkaVersion}, ${info.nodeCount} node(s) in ${seconds}s`,
  )
  project.provide('kafka', info)
  // Returned rather than exported as `teardown`: the closure keeps this setup's cluster handle.
  return () => teardown(cluster)
}

async function teardown(cluster: Cluster): Promise<void> {
  const snapshot =
    cluster instanceof LocalCluster ? (await LocalCluster.attach(cluster.stateFile)).snapshot : undefined
  await cluster.stop()
  if (snapshot === undefined) return
  // Leaving a broker behind would hold ports and CPU for the next run: make that a failure, not a warning.
  const problems = await clusterLeftovers(snapshot)
  if (problems.length > 0) throw new Error(`teardown left: ${problems.join('; ')}`)
}
