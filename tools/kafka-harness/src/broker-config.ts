// Renders one KRaft node's server.properties. Every node is a combined broker+controller: that is the
// smallest layout that still has a real quorum (3 voters tolerate one lost node) and fits a 2-core machine.
import type { ClusterTls, ListenerName, NodePorts } from './cluster-types.js'
import type { SaslUser } from './sasl-users.js'

export interface BrokerConfigInput {
  readonly nodeId: number
  readonly ports: NodePorts
  /** Controller ports of every voter, by node id, so each node knows the whole quorum. */
  readonly voters: ReadonlyArray<{ readonly id: number; readonly controllerPort: number }>
  readonly nodeCount: number
  readonly dataDir: string
  readonly listeners: readonly ListenerName[]
  readonly tls: ClusterTls
  readonly saslUsers: readonly SaslUser[]
}

const HOST = '127.0.0.1'

export function renderBrokerConfig(input: BrokerConfigInput): string {
  const { ports, nodeCount } = input
  // The controller and inter-broker listeners stay PLAINTEXT: the tests target client security, and keeping
  // broker-to-broker traffic simple means a TLS or SASL mistake cannot take the quorum down.
  const names: readonly string[] = ['CONTROLLER', 'INTERNAL', ...input.listeners]
  const portOf = (name: string): number => ports[name as keyof NodePorts]
  const listeners = names.map((name) => `${name}://${HOST}:${portOf(name)}`).join(',')
  const advertised = names
    .filter((name) => name !== 'CONTROLLER')
    .map((name) => `${name}://${HOST}:${portOf(name)}`)
    .join(',')
  const protocolMap = names
    .map((name) => `${name}:${name === 'CONTROLLER' || name === 'INTERNAL' ? 'PLAINTEXT' : name}`)
    .join(',')
  const minIsr = Math.min(2, nodeCount)

  const lines: string[] = [
    '# Written by @kafkite/kafka-harness for one test run; deleted with the cluster.',
    'process.roles=broker,controller',
    `node.id=${input.nodeId}`,
    `controller.quorum.voters=${input.voters.map((v) => `${v.id}@${HOST}:${v.controllerPort}`).join(',')}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=INTERNAL',
    `listeners=${listeners}`,
    `advertised.listeners=${advertised}`,
    `listener.security.protocol.map=${protocolMap}`,
    `log.dirs=${input.dataDir}`,
    '',
    '# Test-friendly settings: no 3 s wait before the first rebalance, internal topics that fit the node count.',
    'group.initial.rebalance.delay.ms=0',
    `offsets.topic.replication.factor=${nodeCount}`,
    `transaction.state.log.replication.factor=${nodeCount}`,
    `transaction.state.log.min.isr=${minIsr}`,
    `share.coordinator.state.topic.replication.factor=${nodeCount}`,
    `share.coordinator.state.topic.min.isr=${minIsr}`,
    'unclean.leader.election.enable=false',
    '# The log cleaner reserves this much heap up front (128 MiB by default); compaction still works with less.',
    'log.cleaner.dedupe.buffer.size=33554432',
    '',
    '# An authorizer, so ACL calls round-trip; with no ACL on a resource everyone is allowed, as without one.',
    '# The CONTROLLER and INTERNAL listeners are PLAINTEXT, so the nodes talk to each other as User:ANONYMOUS.',
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'allow.everyone.if.no.acl.found=true',
    'super.users=User:ANONYMOUS',
  ]

  if (input.listeners.includes('SSL') || input.listeners.includes('SASL_SSL')) {
    const { tls } = input
    lines.push(
      '',
      '# TLS: client certificates are requested, not required, so one listener serves both TLS and mTLS tests.',
      'ssl.keystore.type=PKCS12',
      `ssl.keystore.location=${tls.brokerKeystore}`,
      `ssl.keystore.password=${tls.storePassword}`,
      `ssl.key.password=${tls.storePassword}`,
      'ssl.truststore.type=PKCS12',
      `ssl.truststore.location=${tls.truststore}`,
      `ssl.truststore.password=${tls.storePassword}`,
      // Listener-prefixed: the broker-wide option only reaches SSL listeners anyway (and warns about it).
      'listener.name.ssl.ssl.client.auth=requested',
    )
  }

  const saslListeners = input.listeners.filter((name) => name.startsWith('SASL_'))
  if (saslListeners.length > 0) {
    const plainUsers = input.saslUsers
      .filter((user) => user.mechanisms.includes('PLAIN'))
      .map((user) => `user_${user.username}="${user.password}"`)
      .join(' ')
    lines.push(
      '',
      '# SASL: PLAIN users live in the JAAS config; SCRAM credentials were written by the storage formatter.',
      'sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
    )
    for (const listener of saslListeners) {
      const prefix = `listener.name.${listener.toLowerCase()}`
      lines.push(
        `${prefix}.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required ${plainUsers};`,
        `${prefix}.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`,
        `${prefix}.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`,
      )
    }
  }
  return `${lines.join('\n')}\n`
}

/** Arguments for the storage formatter that create the SCRAM users before the first start. */
export function scramFormatArgs(users: readonly SaslUser[]): string[] {
  const args: string[] = []
  for (const user of users) {
    for (const mechanism of user.mechanisms) {
      if (mechanism === 'PLAIN') continue
      args.push('--add-scram', `${mechanism}=[name=${user.username},password=${user.password}]`)
    }
  }
  return args
}
