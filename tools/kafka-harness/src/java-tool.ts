// Runs one of Kafka's own Java tools (TopicCommand, ConsoleProducer, VerifiableProducer, …) against a cluster,
// with the jars the harness fetched. Interop tests use it as the reference client; harness tests use it to
// prove the SASL and TLS credentials in the cluster description really work.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ClusterInfo, ListenerName } from './cluster-types.js'
import { fetchKafka } from './fetch-kafka.js'
import { javaBinary, SHORT_LIVED_JVM } from './jvm-flags.js'
import { kafkaVersion } from './kafka-versions.js'
import { type CommandResult, runCommand } from './run-command.js'
import type { SaslMechanism } from './sasl-users.js'

export interface ClientSecurity {
  readonly listener: ListenerName
  /** For SASL listeners; the cluster's first SASL user logs in with it. */
  readonly mechanism?: SaslMechanism
  /** For SSL: present the client certificate (mTLS). */
  readonly clientCertificate?: boolean
}

/** Java client properties for a listener of the cluster (for `--command-config` and friends). */
export function javaClientProperties(info: ClusterInfo, security: ClientSecurity): string {
  const lines = [`security.protocol=${security.listener}`]
  if (security.listener === 'SSL' || security.listener === 'SASL_SSL') {
    const tls = info.tls
    if (tls === undefined) throw new Error('the cluster has no TLS material')
    lines.push(
      'ssl.truststore.type=PKCS12',
      `ssl.truststore.location=${tls.truststore}`,
      `ssl.truststore.password=${tls.storePassword}`,
    )
    if (security.clientCertificate === true) {
      lines.push(
        'ssl.keystore.type=PKCS12',
        `ssl.keystore.location=${tls.clientKeystore}`,
        `ssl.keystore.password=${tls.storePassword}`,
        `ssl.key.password=${tls.storePassword}`,
      )
    }
  }
  if (security.listener === 'SASL_PLAINTEXT' || security.listener === 'SASL_SSL') {
    const mechanism = security.mechanism ?? 'PLAIN'
    const user = info.saslUsers.find((candidate) => candidate.mechanisms.includes(mechanism))
    if (user === undefined) throw new Error(`no SASL user for ${mechanism}`)
    const module =
      mechanism === 'PLAIN'
        ? 'org.apache.kafka.common.security.plain.PlainLoginModule'
        : 'org.apache.kafka.common.security.scram.ScramLoginModule'
    lines.push(
      `sasl.mechanism=${mechanism}`,
      `sasl.jaas.config=${module} required username="${user.username}" password="${user.password}";`,
    )
  }
  return `${lines.join('\n')}\n`
}

/**
 * Runs `mainClass` with the cluster's Kafka jars. When `security` is given, a client properties file is
 * written and its path replaces every `{config}` in `args`.
 */
export async function runKafkaTool(
  info: ClusterInfo,
  mainClass: string,
  args: readonly string[],
  security?: ClientSecurity,
  timeoutMs = 120_000,
): Promise<CommandResult> {
  const version = kafkaVersion(info.kafkaVersion)
  const { libs } = await fetchKafka(version)
  const dir = await mkdtemp(join(tmpdir(), 'kafkite-tool-'))
  try {
    const configFile = join(dir, 'client.properties')
    if (security !== undefined) await writeFile(configFile, javaClientProperties(info, security))
    const java = javaBinary()
    return await runCommand(
      java,
      [
        ...SHORT_LIVED_JVM,
        '-cp',
        `${libs}/*`,
        mainClass,
        ...args.map((arg) => arg.replaceAll('{config}', configFile)),
      ],
      { timeoutMs },
    )
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
