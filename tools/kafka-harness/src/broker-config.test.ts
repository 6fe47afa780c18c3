import { describe, expect, it } from 'vitest'
import { renderBrokerConfig, scramFormatArgs } from './broker-config.js'
import type { ClusterTls } from './cluster-types.js'
import type { SaslUser } from './sasl-users.js'

const tls: ClusterTls = {
  caPem: '/t/ca.pem',
  clientCertPem: '/t/client.pem',
  clientKeyPem: '/t/client.key',
  brokerKeystore: '/t/broker.p12',
  clientKeystore: '/t/client.p12',
  truststore: '/t/trust.p12',
  storePassword: 'pw',
  clientSubject: 'CN=kafkite-client',
}
const users: SaslUser[] = [
  { username: 'kafkite', password: 's3cret', mechanisms: ['PLAIN', 'SCRAM-SHA-256'] },
]
const ports = (base: number) => ({
  CONTROLLER: base,
  INTERNAL: base + 1,
  PLAINTEXT: base + 2,
  SSL: base + 3,
  SASL_PLAINTEXT: base + 4,
  SASL_SSL: base + 5,
})

function parse(text: string): Map<string, string> {
  const entries = text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const)
  return new Map(entries)
}

describe('renderBrokerConfig', () => {
  it('makes a 3-voter combined node with replication factors that fit the cluster', () => {
    const config = parse(
      renderBrokerConfig({
        nodeId: 2,
        ports: ports(100),
        voters: [
          { id: 1, controllerPort: 10 },
          { id: 2, controllerPort: 100 },
          { id: 3, controllerPort: 1000 },
        ],
        nodeCount: 3,
        dataDir: '/d',
        listeners: ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'],
        tls,
        saslUsers: users,
      }),
    )
    expect(config.get('process.roles')).toBe('broker,controller')
    expect(config.get('node.id')).toBe('2')
    expect(config.get('controller.quorum.voters')).toBe('1@127.0.0.1:10,2@127.0.0.1:100,3@127.0.0.1:1000')
    expect(config.get('advertised.listeners')).not.toContain('CONTROLLER')
    expect(config.get('listener.security.protocol.map')).toContain('INTERNAL:PLAINTEXT')
    expect(config.get('offsets.topic.replication.factor')).toBe('3')
    expect(config.get('transaction.state.log.min.isr')).toBe('2')
    expect(config.get('group.initial.rebalance.delay.ms')).toBe('0')
    expect(config.get('authorizer.class.name')).toBe(
      'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    )
    expect(config.get('allow.everyone.if.no.acl.found')).toBe('true')
    expect(config.get('super.users')).toBe('User:ANONYMOUS')
    expect(config.get('listener.name.ssl.ssl.client.auth')).toBe('requested')
    expect(config.get('listener.name.sasl_ssl.plain.sasl.jaas.config')).toContain('user_kafkite="s3cret"')
  })

  it('leaves TLS and SASL out when only PLAINTEXT is asked for', () => {
    const text = renderBrokerConfig({
      nodeId: 1,
      ports: ports(200),
      voters: [{ id: 1, controllerPort: 200 }],
      nodeCount: 1,
      dataDir: '/d',
      listeners: ['PLAINTEXT'],
      tls,
      saslUsers: users,
    })
    expect(text).not.toMatch(/ssl\.|sasl\./)
    expect(parse(text).get('transaction.state.log.min.isr')).toBe('1')
  })
})

it('scramFormatArgs adds one --add-scram per SCRAM mechanism of each user', () => {
  expect(scramFormatArgs(users)).toEqual(['--add-scram', 'SCRAM-SHA-256=[name=kafkite,password=s3cret]'])
})
