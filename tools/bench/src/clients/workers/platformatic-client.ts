// @platformatic/kafka 1.35.0. Its Producer has no per-partition accumulator either (ProducerStream batches
// by message count with one send outstanding), so it is driven like KafkaJS: one batch size (16 KiB) of
// records per partition in each send() (its keyless records go round-robin), up to SETTINGS.sendsInFlight
// sends outstanding. lz4 is built in (@platformatic/wasm-utils). Reading goes through a consumer group, the
// messages stream from the earliest offset.

import { Consumer, MessagesStreamModes, Producer } from '@platformatic/kafka'
import { payloadPool, recordsPerSend, SETTINGS } from '../jobs.js'
import { ConsumeCounter } from './consume-counter.js'
import type { NodeClient } from './node-worker.js'

export const client: NodeClient = {
  async produce(job) {
    const producer = new Producer({
      clientId: 'kafkite-bench',
      bootstrapBrokers: job.bootstrap.split(','),
      acks: job.acks,
      compression: job.compression,
      autocreateTopics: false,
    })
    await producer.metadata({ topics: [job.topic] })
    const pool = payloadPool(job.recordSize)
    const chunk = recordsPerSend(job.recordSize, job.partitions)
    const inFlight = new Set<Promise<unknown>>()
    const started = performance.now()
    for (let sent = 0; sent < job.records; ) {
      const count = Math.min(chunk, job.records - sent)
      const messages = new Array<{ topic: string; value: Buffer }>(count)
      for (let index = 0; index < count; index++) {
        messages[index] = { topic: job.topic, value: pool[(sent + index) % pool.length]! }
      }
      sent += count
      const tracked: Promise<unknown> = producer.send({ messages }).finally(() => inFlight.delete(tracked))
      inFlight.add(tracked)
      if (inFlight.size >= SETTINGS.sendsInFlight) await Promise.race(inFlight)
    }
    await Promise.all(inFlight)
    const elapsedMs = performance.now() - started
    await producer.close()
    return { records: job.records, bytes: job.records * job.recordSize, elapsedMs }
  },

  async consume(job) {
    const consumer = new Consumer({
      clientId: 'kafkite-bench',
      groupId: job.groupId,
      bootstrapBrokers: job.bootstrap.split(','),
      minBytes: SETTINGS.fetchMinBytes,
      maxWaitTime: SETTINGS.fetchMaxWaitMs,
      maxBytesPerPartition: SETTINGS.maxPartitionFetchBytes,
      maxBytes: SETTINGS.fetchMaxBytes,
    })
    const counter = new ConsumeCounter(job.records)
    consumer.on('consumer:group:join', () => counter.start())
    const stream = await consumer.consume({
      topics: [job.topic],
      mode: MessagesStreamModes.EARLIEST,
      autocommit: false,
    })
    stream.on('data', (message: { value: Buffer | undefined }) => {
      counter.add(1, message.value?.length ?? 0)
    })
    await counter.done
    const result = counter.result()
    await stream.close()
    await consumer.close(true)
    return result
  },
}
