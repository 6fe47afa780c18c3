// Runs every consumer example script as a user would (a Node process through tsx) against the run's
// broker, with test data written by KafkaProducer beforehand, and checks what it prints. Topics are created
// and deleted with KafkaAdminClient.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { KafkaProducer } from '@kafkite/producer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exampleRunner } from './example-runner.js'

const { bootstrap, cleanUp, createTopic, runExample, topicFor } = exampleRunner(
  'kafkite-consumer-examples-test',
)
const producer = new KafkaProducer({ bootstrapServers: bootstrap, acks: 'all' })

beforeAll(async () => {
  await producer.start()
})

afterAll(async () => {
  await producer.stop()
  await cleanUp()
})

/** Sends `values` to one partition, in order, and waits for every delivery. */
async function send(
  topic: string,
  partition: number,
  values: readonly string[],
  options: { key?: (index: number) => string; timestampMs?: (index: number) => number } = {},
): Promise<void> {
  const handles = []
  for (const [index, value] of values.entries()) {
    handles.push(
      await producer.send(topic, value, {
        partition,
        ...(options.key === undefined ? {} : { key: options.key(index) }),
        ...(options.timestampMs === undefined ? {} : { timestampMs: options.timestampMs(index) }),
      }),
    )
  }
  await Promise.all(handles.map((handle) => handle.delivery))
}

const range = (count: number, prefix: string): string[] =>
  Array.from({ length: count }, (_, index) => `${prefix}${index}`)

describe('aiokafka’s consumer examples, ported', () => {
  it('consumer-loop: prints topic, partition, offset, key, value and timestamp of each message', async () => {
    const topic = topicFor('consumer-loop')
    await createTopic(topic, 1)
    const before = Date.now()
    await send(topic, 0, range(3, 'hello-'), { key: (index) => `key-${index}` })
    const lines = await runExample('consumer-loop', { KAFKITE_TOPIC: topic, KAFKITE_MESSAGES: '3' })
    expect(lines).toHaveLength(3)
    lines.forEach((line, index) => {
      const [label, printedTopic, partition, offset, key, value, timestamp] = line.split(' ')
      expect([label, printedTopic, partition, offset, key, value]).toEqual([
        'consumed:',
        topic,
        '0',
        String(index),
        `key-${index}`,
        `hello-${index}`,
      ])
      expect(Number(timestamp)).toBeGreaterThanOrEqual(before - 1000)
    })
  })

  it('consumer-commit-per-batch: commits after each batch; the committed offset is the next to read', async () => {
    const topic = topicFor('commit-per-batch')
    await createTopic(topic, 1)
    await send(topic, 0, range(25, 'm'))
    const group = `${topic}-group`
    const env = { KAFKITE_TOPIC: topic, KAFKITE_GROUP: group, KAFKITE_BATCH: '10', KAFKITE_BATCHES: '2' }
    expect(await runExample('consumer-commit-per-batch', env)).toEqual([
      'processed 10 messages, last offset 9',
      'committed 10',
      'processed 10 messages, last offset 19',
      'committed 20',
    ])
    // A second run resumes from the commit: the next batch starts at offset 20.
    await send(topic, 0, range(5, 'n'))
    expect(await runExample('consumer-commit-per-batch', { ...env, KAFKITE_BATCHES: '1' })).toEqual([
      'processed 10 messages, last offset 29',
      'committed 30',
    ])
  })

  it('consumer-commit-per-partition: commits each partition’s last offset + 1', async () => {
    const topic = topicFor('commit-per-partition')
    await createTopic(topic, 2)
    await send(topic, 0, range(4, 'a'))
    await send(topic, 1, range(6, 'b'))
    const lines = await runExample('consumer-commit-per-partition', {
      KAFKITE_TOPIC: topic,
      KAFKITE_GROUP: `${topic}-group`,
    })
    const saved = (partition: number): number =>
      lines
        .filter((line) => line.startsWith('saved') && line.endsWith(`partition ${partition}`))
        .reduce((sum, line) => sum + Number(line.split(' ')[1]), 0)
    expect([saved(0), saved(1)]).toEqual([4, 6])
    expect(lines.slice(-2)).toEqual(['partition 0 committed 4', 'partition 1 committed 6'])
  })

  it('consumer-seek-and-reread: reads the same message again after seeking back to it', async () => {
    const topic = topicFor('seek-and-reread')
    await createTopic(topic, 1)
    await send(topic, 0, ['first', 'second', 'third'])
    expect(await runExample('consumer-seek-and-reread', { KAFKITE_TOPIC: topic })).toEqual([
      'read offset 1: second; position 2',
      're-read offset 1: second; position 2',
    ])
  })

  it('consumer-latest-only: skips the backlog and reads the newest message of each partition', async () => {
    const topic = topicFor('latest-only')
    await createTopic(topic, 3)
    await send(topic, 0, range(5, 'zero-'))
    await send(topic, 1, range(2, 'one-'))
    expect(await runExample('consumer-latest-only', { KAFKITE_TOPIC: topic })).toEqual([
      'partition 2: empty',
      'partition 0: latest offset 4 value zero-4',
      'partition 1: latest offset 1 value one-1',
    ])
  })

  it('consumer-local-state: counts each message once across restarts, with offsets kept in a file', async () => {
    const topic = topicFor('local-state')
    await createTopic(topic, 2)
    const dir = await mkdtemp(join(tmpdir(), 'kafkite-local-state-'))
    try {
      const env = { KAFKITE_TOPIC: topic, KAFKITE_STATE_FILE: join(dir, 'state.json') }
      await send(topic, 0, range(4, 'v'), { key: (index) => (index % 2 === 0 ? 'even' : 'odd') })
      await send(topic, 1, range(3, 'v'), { key: () => 'one' })
      expect(await runExample('consumer-local-state', env)).toEqual([
        'partition 0 at 4: even=2 odd=2',
        'partition 1 at 3: one=3',
      ])
      await send(topic, 0, range(2, 'w'), { key: () => 'even' })
      expect(await runExample('consumer-local-state', env)).toEqual([
        'partition 0 at 6: even=4 odd=2',
        'partition 1 at 3: one=3',
      ])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('consumer-priority-by-lag: reads the lagging partitions first until every lag is under the threshold', async () => {
    const topic = topicFor('priority-by-lag')
    await createTopic(topic, 2)
    await send(topic, 0, range(40, 'busy-'))
    await send(topic, 1, range(3, 'quiet-'))
    const lines = await runExample('consumer-priority-by-lag', {
      KAFKITE_TOPIC: topic,
      KAFKITE_LAG_THRESHOLD: '10',
    })
    const rounds = lines.filter((line) => line.startsWith('round'))
    expect(rounds.length).toBeGreaterThan(0)
    // Only the busy partition lags past the threshold, so only it is read in the catch-up rounds.
    for (const round of rounds) expect(round).toMatch(/lagging 0 read( 0:\d+)?$/)
    const lags = lines.filter((line) => line.startsWith('partition'))
    expect(lags).toHaveLength(2)
    for (const line of lags) expect(Number(line.split(' ').at(-1))).toBeLessThanOrEqual(10)
  })

  it('consumer-offsets-by-time: starts each partition at the first message at or after a timestamp', async () => {
    const topic = topicFor('offsets-by-time')
    await createTopic(topic, 2)
    const t0 = Date.now() - 600_000
    await send(topic, 0, ['old', 'new-a', 'new-b'], { timestampMs: (index) => t0 + index * 1000 })
    await send(topic, 1, ['ancient'], { timestampMs: () => t0 - 60_000 })
    const lines = await runExample('consumer-offsets-by-time', {
      KAFKITE_TOPIC: topic,
      KAFKITE_SINCE_MS: String(t0 + 500),
    })
    expect(lines).toEqual([
      `partition 0: offset 1 at ${t0 + 1000}`,
      `partition 1: nothing since ${t0 + 500}`,
      'read 0@1 new-a',
      'read 0@2 new-b',
    ])
  })
})
