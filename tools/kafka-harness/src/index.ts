// Public API of the harness. See README.md for how tests use it.
export {
  type ApiVersionRange,
  type ApiVersionsAnswer,
  apiVersionsV0Request,
  decodeApiVersionsV0Response,
  type ProbeTarget,
  probeApiVersions,
} from './api-versions-probe.js'
export { cacheRoot, defaultStateFile, libsDir } from './cache-dir.js'
export { type Cluster, UnsupportedOperation } from './cluster.js'
export {
  ALL_LISTENERS,
  type ClusterInfo,
  type ClusterTls,
  type ListenerName,
  type LocalClusterState,
  type NodePorts,
  type NodeState,
} from './cluster-types.js'
export { dockerAvailable } from './docker-cluster.js'
export { type FetchResult, fetchKafka, isFetched } from './fetch-kafka.js'
export { isPortFree } from './free-ports.js'
export { commandLine, isAlive } from './jvm-process.js'
export {
  DEFAULT_KAFKA_LINE,
  KAFKA_VERSIONS,
  type KafkaLine,
  type KafkaVersion,
  kafkaVersion,
} from './kafka-versions.js'
export { LocalCluster } from './local-cluster.js'
export { SASL_MECHANISMS, type SaslMechanism, type SaslUser } from './sasl-users.js'
export { type StartOptions, startCluster } from './start-cluster.js'
export { readTlsPem } from './tls-material.js'

import { LocalCluster } from './local-cluster.js'

/** Control, from any process, a local cluster whose state file another process wrote. */
export function attachCluster(stateFile: string): Promise<LocalCluster> {
  return LocalCluster.attach(stateFile)
}
export { type ClientSecurity, javaClientProperties, runKafkaTool } from './java-tool.js'
export { clusterLeftovers } from './leftovers.js'
