// Runs every example script as a user would (a Node process through tsx) against the run's broker, and
// checks what it prints. Topics get unique names so reruns against a long-lived broker stay independent;
// most are created by the broker on first use, as with aiokafka's examples, the rest with KafkaAdminClient,
// which deletes them all at the end.
import { partitionForKey } from '@kafkite/producer'
import { afterAll, describe, expect, it } from 'vitest'
import { exampleRunner } from './example-runner.js'

const { cleanUp, createTopic, runExample, topicFor } = exampleRunner('kafkite-examples-test')

afterAll(cleanUp)

describe('aiokafka’s producer examples, ported', () => {
  it('send-one: sends one message and waits for it', async () => {
    const topic = topicFor('send-one')
    expect(await runExample('send-one', { KAFKITE_TOPIC: topic })).toEqual([
      `Sent to ${topic} partition 0 at offset 0`,
    ])
  })

  it('send-and-await-delivery: queues ten messages, then awaits each delivery', async () => {
    const lines = await runExample('send-and-await-delivery', { KAFKITE_TOPIC: topicFor('deliveries') })
    expect(lines).toEqual(Array.from({ length: 10 }, (_, i) => `Message produced: partition 0; offset ${i}`))
  })

  it('batch-produce: fills batches with createBatch and sends each with sendBatch', async () => {
    const topic = topicFor('batch')
    await createTopic(topic, 3)
    const lines = await runExample('batch-produce', { KAFKITE_TOPIC: topic, KAFKITE_COUNT: '2000' })
    expect(lines.length).toBeGreaterThan(1)
    let total = 0
    for (const line of lines) {
      const match = /^(\d+) messages sent to partition ([0-2])$/.exec(line)
      expect(match, line).not.toBeNull()
      total += Number(match?.[1])
    }
    expect(total).toBe(2000)
  })

  it('custom-partitioner: routes `first` and `last`, the rest by murmur2', async () => {
    const topic = topicFor('partitioner')
    await createTopic(topic, 3)
    expect(await runExample('custom-partitioner', { KAFKITE_TOPIC: topic })).toEqual([
      'key first -> partition 0 offset 0',
      'key last -> partition 2 offset 0',
      `key other -> partition ${partitionForKey(Buffer.from('other'), 3)} offset 0`,
    ])
  })

  it.each(['none', 'gzip', 'snappy', 'lz4', 'zstd'])(
    'serialize-and-compress: JSON values compressed with %s',
    async (compression) => {
      const topic = topicFor(`json-${compression}`)
      const lines = await runExample('serialize-and-compress', {
        KAFKITE_TOPIC: topic,
        KAFKITE_COMPRESSION: compression,
      })
      expect(lines).toEqual([
        `sent ${compression} JSON to ${topic} offset 0`,
        `sent ${compression} JSON to ${topic} offset 1`,
      ])
    },
  )

  it('idempotent-produce: gets a producer id and writes with acks all', async () => {
    const lines = await runExample('idempotent-produce', { KAFKITE_TOPIC: topicFor('idempotent') })
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^producer \d+ wrote offset 0 with acks -1$/)
  })
})
