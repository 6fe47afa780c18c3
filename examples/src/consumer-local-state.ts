// aiokafka's examples/local_state_consumer.py: a consumer that keeps its state (message counts per key)
// and its positions in a local file instead of committing to Kafka. On start it seeks each partition to
// the stored offset, so state and positions always move together; messages are counted exactly once
// across restarts.
//
//   class LocalState: load() / dump() of {partition: {"last_offset": …, "counts": {key: n}}}
//   for tp in assigned: consumer.seek(tp, state.last_offset + 1)   (or seek_to_beginning)
//   async for msg in consumer: counts[msg.key] += 1; offsets[tp] = msg.offset; periodically dump()
//
// aiokafka does this in a rebalance listener; with assignment there is no rebalance, so it happens once
// at start.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { AIOKafkaConsumer, topicPartition } from '@kafkite/consumer'

const bootstrapServers = process.env.KAFKA_BOOTSTRAP ?? 'localhost:9092'
const topic = process.env.KAFKITE_TOPIC ?? 'my_topic'
const stateFile = process.env.KAFKITE_STATE_FILE ?? 'local-state.json'

interface PartitionState {
  /** The next offset to read (-1: nothing read yet). */
  offset: string
  counts: Record<string, number>
}

type Stored = Record<string, PartitionState>

class LocalState {
  #state: Stored = {}

  load(): void {
    this.#state = existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as Stored) : {}
  }

  dump(): void {
    writeFileSync(stateFile, JSON.stringify(this.#state, null, 2))
  }

  of(partition: number): PartitionState {
    this.#state[partition] ??= { offset: '-1', counts: {} }
    return this.#state[partition]
  }
}

const state = new LocalState()
state.load()
const consumer = new AIOKafkaConsumer({
  bootstrapServers,
  autoOffsetReset: 'earliest',
  enableAutoCommit: false,
})
await consumer.start()
try {
  const partitions = (await consumer.partitionsFor(topic)).map((partition) =>
    topicPartition(topic, partition),
  )
  consumer.assign(partitions)
  for (const tp of partitions) {
    const offset = BigInt(state.of(tp.partition).offset)
    if (offset >= 0n) consumer.seek(tp, offset)
    else await consumer.seekToBeginning(tp)
  }
  for (;;) {
    const result = await consumer.getmany({ timeoutMs: 1000 })
    if (result.size === 0) break
    for (const [tp, messages] of result) {
      const partitionState = state.of(tp.partition)
      for (const msg of messages) {
        const key = msg.key?.toString() ?? 'null'
        partitionState.counts[key] = (partitionState.counts[key] ?? 0) + 1
      }
      partitionState.offset = String(messages.at(-1)!.offset + 1n)
    }
    // State and positions are saved together.
    state.dump()
  }
  for (const tp of partitions) {
    const { offset, counts } = state.of(tp.partition)
    const listed = Object.entries(counts)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, count]) => `${key}=${count}`)
      .join(' ')
    console.log(`partition ${tp.partition} at ${offset}: ${listed}`)
  }
} finally {
  await consumer.stop()
}
