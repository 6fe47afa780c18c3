// kafkite: KafkaProducer (await send() per record, flush() at the end, the aiokafka pattern) and
// KafkaConsumer (manual assignment of every partition, getmany()).

import { KafkaConsumer, topicPartition } from '@kafkite/consumer'
import { KafkaProducer } from '@kafkite/producer'
import { payloadPool, SETTINGS } from '../jobs.js'
import { ConsumeCounter } from './consume-counter.js'
import type { NodeClient } from './node-worker.js'

export const client: NodeClient = {
  async produce(job) {
    const producer = new KafkaProducer({
      bootstrapServers: job.bootstrap,
      acks: job.acks === -1 ? 'all' : 1,
      compressionType: job.compression === 'none' ? null : job.compression,
      maxBatchSize: SETTINGS.batchSize,
      lingerMs: SETTINGS.lingerMs,
    })
    await producer.start()
    await producer.partitionsFor(job.topic)
    const pool = payloadPool(job.recordSize)
    const started = performance.now()
    for (let index = 0; index < job.records; index++) {
      await producer.send(job.topic, pool[index % pool.length]!)
    }
    await producer.flush()
    const elapsedMs = performance.now() - started
    await producer.stop()
    return { records: job.records, bytes: job.records * job.recordSize, elapsedMs }
  },

  async consume(job) {
    const consumer = new KafkaConsumer({
      bootstrapServers: job.bootstrap,
      autoOffsetReset: 'earliest',
      enableAutoCommit: false,
      fetchMinBytes: SETTINGS.fetchMinBytes,
      fetchMaxWaitMs: SETTINGS.fetchMaxWaitMs,
      maxPartitionFetchBytes: SETTINGS.maxPartitionFetchBytes,
      fetchMaxBytes: SETTINGS.fetchMaxBytes,
    })
    await consumer.start()
    const partitions = Array.from({ length: job.partitions }, (_, partition) =>
      topicPartition(job.topic, partition),
    )
    consumer.assign(partitions)
    const counter = new ConsumeCounter(job.records)
    counter.start()
    while (!counter.finished) {
      const batches = await consumer.getmany({ timeoutMs: 1000 })
      for (const records of batches.values()) {
        let bytes = 0
        for (const record of records) bytes += record.serializedValueSize
        counter.add(records.length, bytes)
      }
    }
    const result = counter.result()
    await consumer.stop()
    return result
  },
}
