// Optional path: a single `apache/kafka` container through testcontainers, for machines with a Docker engine
// and no JDK. It is NOT exercised by this repository's CI (CI has no Docker engine), so it is kept small:
// PLAINTEXT only, one node, no node control. testcontainers is not a dependency; install it to use this path.
import { execFile } from 'node:child_process'
import type { Cluster } from './cluster.js'
import { ExternalCluster } from './external-cluster.js'
import type { KafkaVersion } from './kafka-versions.js'

/** True when `docker info` answers within two seconds. */
export function dockerAvailable(): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 2000 }, (error) =>
      resolve(!error),
    )
  })
}

// The slice of testcontainers' API used here, so this file type-checks without the package installed.
interface StartedContainer {
  getHost(): string
  getMappedPort(port: number): number
  stop(): Promise<unknown>
}
interface ContainerBuilder {
  withExposedPorts(...ports: Array<number | { container: number; host: number }>): ContainerBuilder
  withEnvironment(env: Record<string, string>): ContainerBuilder
  withWaitStrategy(strategy: unknown): ContainerBuilder
  start(): Promise<StartedContainer>
}
interface TestcontainersModule {
  GenericContainer: new (image: string) => ContainerBuilder
  Wait: { forLogMessage(message: string | RegExp): unknown }
}

export async function startDockerCluster(version: KafkaVersion): Promise<Cluster> {
  const moduleName = 'testcontainers'
  let tc: TestcontainersModule
  try {
    tc = (await import(moduleName)) as TestcontainersModule
  } catch {
    throw new Error('KAFKITE_HARNESS=docker needs the testcontainers package: pnpm add -D testcontainers')
  }
  // The advertised address must be the host port Docker maps, so pick it up front and map it 1:1.
  const { freePorts } = await import('./free-ports.js')
  const [hostPort] = await freePorts(1)
  if (hostPort === undefined) throw new Error('no free port')
  const container = await new tc.GenericContainer(`apache/kafka:${version.maven}`)
    .withExposedPorts({ container: hostPort, host: hostPort })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: `PLAINTEXT://0.0.0.0:${hostPort},CONTROLLER://0.0.0.0:9093`,
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${hostPort}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      // The same authorizer as a local cluster (see broker-config.ts), so ACL calls round-trip here too.
      KAFKA_AUTHORIZER_CLASS_NAME: 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND: 'true',
      KAFKA_SUPER_USERS: 'User:ANONYMOUS',
    })
    .withWaitStrategy(tc.Wait.forLogMessage(/Kafka Server started/))
    .start()
  return new ExternalCluster(
    `127.0.0.1:${hostPort}`,
    'docker',
    async () => {
      await container.stop()
    },
    version.maven,
  )
}
