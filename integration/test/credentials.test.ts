// The credentials in the cluster description really log in: Kafka's own Java admin tool lists topics over
// each security setup. (The hand-built probe cannot authenticate; this is the reference client doing it.)
import { type ClientSecurity, runKafkaTool } from '@kafkite/kafka-harness'
import { describe, expect, it } from 'vitest'
import { kafka } from '../src/index.js'

const info = kafka()
const TOPIC_COMMAND = 'org.apache.kafka.tools.TopicCommand'

const setups: ReadonlyArray<{ readonly name: string; readonly security: ClientSecurity }> = [
  { name: 'SASL_PLAINTEXT with PLAIN', security: { listener: 'SASL_PLAINTEXT', mechanism: 'PLAIN' } },
  {
    name: 'SASL_PLAINTEXT with SCRAM-SHA-256',
    security: { listener: 'SASL_PLAINTEXT', mechanism: 'SCRAM-SHA-256' },
  },
  { name: 'SASL_SSL with SCRAM-SHA-512', security: { listener: 'SASL_SSL', mechanism: 'SCRAM-SHA-512' } },
  { name: 'SSL with a client certificate', security: { listener: 'SSL', clientCertificate: true } },
]

describe.runIf(info.kind === 'local')('security setups', () => {
  it.each(setups)('$name logs in', async ({ security }) => {
    const { stdout } = await runKafkaTool(
      info,
      TOPIC_COMMAND,
      [
        '--bootstrap-server',
        info.bootstrap[security.listener] ?? '',
        '--command-config',
        '{config}',
        '--list',
      ],
      security,
    )
    // A fresh broker may have no topics at all; what matters is that the tool connected and exited 0.
    expect(stdout).not.toMatch(/Exception/)
  })

  it('rejects a wrong SCRAM password', async () => {
    const user = info.saslUsers[0]
    if (user === undefined) throw new Error('no SASL user')
    const wrong = { ...info, saslUsers: [{ ...user, password: `${user.password}x` }] }
    // Authentication failures are not retriable, so the tool fails at once rather than at its API timeout.
    await expect(
      runKafkaTool(
        wrong,
        TOPIC_COMMAND,
        ['--bootstrap-server', info.bootstrap.SASL_PLAINTEXT ?? '', '--command-config', '{config}', '--list'],
        { listener: 'SASL_PLAINTEXT', mechanism: 'SCRAM-SHA-256' },
        60_000,
      ),
    ).rejects.toThrow(/Authentication failed|SaslAuthenticationException|invalid credentials/i)
  })
})
