// KafkaJS 2.2.4. It has no producer-side batching or linger: the caller sends arrays of messages. Each
// send() here carries one batch size (16 KiB) of records per partition (its default partitioner spreads
// keyless records round-robin), with up to SETTINGS.sendsInFlight sends outstanding. LZ4 is not built in:
// lz4-napi's frame codec is registered, as the records suite does. Reading goes through a consumer group
// (KafkaJS has no manual assignment), eachBatch.

import { createRequire } from 'node:module'
import type * as KafkaJs from 'kafkajs'
import { payloadPool, recordsPerSend, SETTINGS } from '../jobs.js'
import { ConsumeCounter } from './consume-counter.js'
import type { NodeClient } from './node-worker.js'

const require = createRequire(import.meta.url)
// KafkaJS is CommonJS whose named exports Node's ESM loader cannot see.
const { CompressionCodecs, CompressionTypes, Kafka, logLevel } = require('kafkajs') as typeof KafkaJs

function registerLz4(): void {
  const lz4 = require('lz4-napi') as {
    compressFrameSync(data: Buffer): Buffer
    decompressFrameSync(data: Buffer): Buffer
  }
  CompressionCodecs[CompressionTypes.LZ4] = () => ({
    compress: async (encoder: { buffer: Buffer }) => lz4.compressFrameSync(encoder.buffer),
    decompress: async (buffer: Buffer) => lz4.decompressFrameSync(buffer),
  })
}

function kafka(bootstrap: string): KafkaJs.Kafka {
  registerLz4()
  return new Kafka({ clientId: 'kafkite-bench', brokers: bootstrap.split(','), logLevel: logLevel.NOTHING })
}

export const client: NodeClient = {
  async produce(job) {
    const producer = kafka(job.bootstrap).producer({ allowAutoTopicCreation: false })
    await producer.connect()
    const pool = payloadPool(job.recordSize)
    const chunk = recordsPerSend(job.recordSize, job.partitions)
    const compression = job.compression === 'lz4' ? CompressionTypes.LZ4 : CompressionTypes.None
    const inFlight = new Set<Promise<unknown>>()
    const started = performance.now()
    for (let sent = 0; sent < job.records; ) {
      const count = Math.min(chunk, job.records - sent)
      const messages = new Array<{ value: Buffer }>(count)
      for (let index = 0; index < count; index++)
        messages[index] = { value: pool[(sent + index) % pool.length]! }
      sent += count
      const send = producer.send({ topic: job.topic, messages, acks: job.acks, compression })
      const tracked = send.finally(() => inFlight.delete(tracked))
      inFlight.add(tracked)
      if (inFlight.size >= SETTINGS.sendsInFlight) await Promise.race(inFlight)
    }
    await Promise.all(inFlight)
    const elapsedMs = performance.now() - started
    await producer.disconnect()
    return { records: job.records, bytes: job.records * job.recordSize, elapsedMs }
  },

  async consume(job) {
    const consumer = kafka(job.bootstrap).consumer({
      groupId: job.groupId,
      minBytes: SETTINGS.fetchMinBytes,
      maxWaitTimeInMs: SETTINGS.fetchMaxWaitMs,
      maxBytesPerPartition: SETTINGS.maxPartitionFetchBytes,
      maxBytes: SETTINGS.fetchMaxBytes,
    })
    await consumer.connect()
    await consumer.subscribe({ topics: [job.topic], fromBeginning: true })
    const counter = new ConsumeCounter(job.records)
    consumer.on(consumer.events.GROUP_JOIN, () => counter.start())
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        let bytes = 0
        for (const message of batch.messages) bytes += message.value?.length ?? 0
        counter.add(batch.messages.length, bytes)
      },
    })
    await counter.done
    const result = counter.result()
    await consumer.disconnect()
    return result
  },
}
