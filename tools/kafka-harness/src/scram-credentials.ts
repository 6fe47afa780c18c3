// The harness's SCRAM users, written through Kafka's own ConfigCommand (AlterUserScramCredentials).
import type { ClusterInfo } from './cluster-types.js'
import { runKafkaTool } from './java-tool.js'
import { kafkaVersion } from './kafka-versions.js'

/**
 * Writes the SCRAM users again as ordinary metadata records (AlterUserScramCredentials through Kafka's
 * ConfigCommand). Credentials added only by the storage formatter (`--add-scram`) were seen to vanish on a
 * broker restart once any other user's SCRAM credential had been deleted (Kafka 4.4, single node); as
 * ordinary records they survive restarts like any other metadata. Even so, a credential was seen to go missing
 * after a restart that followed another user's deletion (a broker-side replay quirk), so every node start
 * writes them again.
 */
export async function storeScramCredentials(info: ClusterInfo, plaintextBootstrap: string): Promise<void> {
  if (!info.bootstrap.SASL_PLAINTEXT && !info.bootstrap.SASL_SSL) return
  const configCommand =
    kafkaVersion(info.kafkaVersion).line === '4'
      ? 'org.apache.kafka.tools.ConfigCommand'
      : 'kafka.admin.ConfigCommand'
  // Kafka refuses two alterations of one user in one request: one command per user and mechanism.
  const alterations = info.saslUsers.flatMap((user) =>
    user.mechanisms
      .filter((mechanism) => mechanism.startsWith('SCRAM-'))
      .map((mechanism) => ({ user, credential: `${mechanism}=[iterations=4096,password=${user.password}]` })),
  )
  await Promise.all(
    alterations.map(({ user, credential }) =>
      runKafkaTool(info, configCommand, [
        '--bootstrap-server',
        plaintextBootstrap,
        '--alter',
        '--add-config',
        credential,
        '--entity-type',
        'users',
        '--entity-name',
        user.username,
      ]),
    ),
  )
}
