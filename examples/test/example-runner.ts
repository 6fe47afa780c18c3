// What both example test files need: run a script as a user would (a Node process through tsx) against the
// run's broker, give each example a unique topic, and create and delete topics with KafkaAdminClient.
import './provided.js'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { KafkaAdminClient } from '@kafkite/admin'
import { UnknownTopicOrPartitionError } from '@kafkite/protocol'
import { inject } from 'vitest'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

export interface ExampleRunner {
  readonly bootstrap: string
  readonly admin: KafkaAdminClient
  /** A unique topic name for one example; deleted by `cleanUp()`. */
  topicFor(example: string): string
  /** Runs `src/<name>.ts` and resolves with its output lines; rejects when it exits with an error. */
  runExample(name: string, env?: Record<string, string>): Promise<string[]>
  /** Creates a topic and waits until every partition has a leader. */
  createTopic(name: string, partitions: number): Promise<void>
  /** Deletes every topic handed out by `topicFor`, then closes the admin client. */
  cleanUp(): Promise<void>
}

export function exampleRunner(clientId: string): ExampleRunner {
  const bootstrap = inject('kafka').bootstrap.PLAINTEXT ?? ''
  const run = randomBytes(3).toString('hex')
  const admin = new KafkaAdminClient({ bootstrapServers: bootstrap, clientId })
  const used = new Set<string>()

  return {
    bootstrap,
    admin,
    topicFor(example) {
      const topic = `kafkite-example-${example}-${run}`
      used.add(topic)
      return topic
    },
    runExample(name, env = {}) {
      return new Promise((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', '--conditions=source', join('src', `${name}.ts`)],
          {
            cwd: root,
            env: { ...process.env, KAFKA_BOOTSTRAP: bootstrap, ...env },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        )
        let stdout = ''
        let stderr = ''
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          stdout += chunk
        })
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          stderr += chunk
        })
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
        child.on('error', reject)
        child.on('close', (code) => {
          clearTimeout(timer)
          if (code === 0) resolve(stdout.split('\n').filter((line) => line !== ''))
          else reject(new Error(`${name} exited with ${code}\n${stdout}\n${stderr}`))
        })
      })
    },
    async createTopic(name, partitions) {
      ;(await admin.createTopics([{ name, numPartitions: partitions }])).orThrow()
      const { cluster } = admin
      await cluster.withRetries(
        () =>
          Promise.all(
            Array.from({ length: partitions }, (_, partition) => cluster.leaderFor(name, partition)),
          ),
        { timeoutMs: 30_000 },
      )
    },
    async cleanUp() {
      try {
        if (used.size === 0) return
        const deleted = await admin.deleteTopics([...used])
        for (const topic of used) {
          const error = deleted.error(topic)
          // A test that failed early may never have made its topic.
          if (error !== undefined && !(error instanceof UnknownTopicOrPartitionError)) throw error
        }
      } finally {
        await admin.close()
      }
    },
  }
}
