import {
  CommitFailedError,
  ConsumerStoppedError,
  ErrorCode,
  Fetch,
  IllegalArgumentError,
  IllegalStateError,
  KafkaConnectionError,
  KafkaTimeoutError,
  ListOffsets,
  NoOffsetForPartitionError,
  OffsetCommit,
  OffsetFetch,
  RecordTooLargeError,
  TopicAuthorizationFailedError,
} from '@kafkite/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { FetchOffsetOutOfRangeError, IllegalOperation } from './consumer-errors.js'
import type { ConsumerOptions } from './consumer-options.js'
import type { ConsumerRecord } from './consumer-record.js'
import { AIOKafkaConsumer, KafkaConsumer } from './kafka-consumer.js'
import { batch, marker, txnBatch } from './test-support/batches.js'
import { MemoryCluster } from './test-support/memory-cluster.js'
import { type TopicPartition, TopicPartitionMap, topicPartition } from './topic-partition.js'

const P0 = topicPartition('orders', 0)
const P1 = topicPartition('orders', 1)
const consumers: KafkaConsumer[] = []

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()))
})

function setup(
  options: ConsumerOptions = {},
  extra: { fetchSessions?: boolean; cluster?: MemoryCluster } = {},
): { cluster: MemoryCluster; consumer: KafkaConsumer } {
  const cluster = extra.cluster ?? new MemoryCluster()
  if (!cluster.topics.has('orders')) cluster.addTopic('orders', 2)
  const consumer = new KafkaConsumer(
    {
      fetchMaxWaitMs: 10,
      retryBackoffMs: 5,
      requestTimeoutMs: 2000,
      autoOffsetReset: 'earliest',
      ...options,
    },
    { cluster, ...(extra.fetchSessions === undefined ? {} : { fetchSessions: extra.fetchSessions }) },
  )
  consumers.push(consumer)
  return { cluster, consumer }
}

function appendRecords(cluster: MemoryCluster, tp: TopicPartition, count: number): bigint {
  return cluster.append(tp.topic, tp.partition, (baseOffset) => batch({ baseOffset, records: count }))
}

async function read(
  consumer: KafkaConsumer,
  count: number,
  ...partitions: TopicPartition[]
): Promise<ConsumerRecord[]> {
  const records: ConsumerRecord[] = []
  const deadline = Date.now() + 3000
  while (records.length < count && Date.now() < deadline) {
    const batchOf = await consumer.getmany(...partitions, {
      timeoutMs: 200,
      maxRecords: count - records.length,
    })
    for (const list of batchOf.values()) records.push(...list)
  }
  return records
}

const offsets = (records: readonly ConsumerRecord[]): string[] =>
  records.map((record) => `${record.partition}@${record.offset}`)

async function until(check: () => boolean | Promise<boolean>, what = 'condition'): Promise<void> {
  const deadline = Date.now() + 3000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not met`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

describe('KafkaConsumer: reading', () => {
  it('prefetches per leader and moves positions to last offset + 1 as records are read', async () => {
    const { cluster, consumer } = setup()
    cluster.moveLeader('orders', 1, 2)
    appendRecords(cluster, P0, 3)
    appendRecords(cluster, P1, 2)
    appendRecords(cluster, P0, 2)
    await consumer.start()
    consumer.assign([P0, P1])
    expect(consumer.assignment()).toEqual([P0, P1])
    const records = await read(consumer, 7)
    expect(offsets(records).sort()).toEqual(['0@0', '0@1', '0@2', '0@3', '0@4', '1@0', '1@1'])
    expect(await consumer.position(P0)).toBe(5n)
    expect(await consumer.position(P1)).toBe(2n)
    expect(consumer.highwater(P0)).toBe(5n)
    expect(consumer.lastStableOffset(P0)).toBe(-1n)
    expect(consumer.lastPollTimestamp(P1)).toBeGreaterThan(Date.now() - 5000)
    // Both brokers were fetched from, on the fetch lane.
    const fetches = cluster.fetches()
    expect(new Set(fetches.map((fetch) => fetch.nodeId))).toEqual(new Set([1, 2]))
    expect(fetches.every((fetch) => fetch.options.lane === 'fetch')).toBe(true)
    expect(fetches[0]!.body).toMatchObject({
      maxWaitMs: 10,
      minBytes: 1,
      maxBytes: 52428800,
      isolationLevel: 0,
    })
  })

  it('getone(), getmany() of chosen partitions, maxRecords and maxPollRecords', async () => {
    const { cluster, consumer } = setup({ maxPollRecords: 2 })
    appendRecords(cluster, P0, 4)
    appendRecords(cluster, P1, 4)
    await consumer.start()
    consumer.assign([P0, P1])
    const one = await consumer.getone(P1)
    expect(one).toMatchObject({ topic: 'orders', partition: 1, offset: 0n })
    const limited = await consumer.getmany(P1, { timeoutMs: 1000 })
    expect(offsets(limited.get(P1) ?? [])).toEqual(['1@1', '1@2'])
    const single = await consumer.getmany(P0, { timeoutMs: 1000, maxRecords: 1 })
    expect(offsets(single.get(P0) ?? [])).toEqual(['0@0'])
    await expect(consumer.getmany({ timeoutMs: -1 })).rejects.toBeInstanceOf(IllegalArgumentError)
    // timeoutMs 0 returns at once, even with nothing buffered.
    const empty = setup().consumer
    await empty.start()
    expect((await empty.getmany()).size).toBe(0)
  })

  it('iterates with for await until stopped; break does not stop the consumer', async () => {
    const { cluster, consumer } = setup()
    appendRecords(cluster, P0, 3)
    await consumer.start()
    consumer.assign([P0])
    const seen: bigint[] = []
    for await (const record of consumer) {
      seen.push(record.offset)
      if (seen.length === 2) break
    }
    expect(seen).toEqual([0n, 1n])
    expect((await consumer.getone()).offset).toBe(2n)
    const loop = (async () => {
      let count = 0
      for await (const _ of consumer) count += 1
      return count
    })()
    const pending = consumer.getone().then(
      () => 'resolved',
      (error: unknown) => error,
    )
    await new Promise((resolve) => setTimeout(resolve, 30))
    await consumer.stop()
    expect(await pending).toBeInstanceOf(ConsumerStoppedError)
    expect(await loop).toBe(0)
    await expect(consumer.getmany()).rejects.toBeInstanceOf(ConsumerStoppedError)
    await expect(consumer.start()).rejects.toBeInstanceOf(ConsumerStoppedError)
    expect(() => consumer.assign([P0])).toThrow(ConsumerStoppedError)
    expect(cluster.closed).toBe(true)
  })

  it('the iterator skips past records too large to fetch and throws other errors', async () => {
    const { cluster, consumer } = setup()
    appendRecords(cluster, P0, 1)
    let calls = 0
    cluster.hook = (_node, api) => {
      if (api.apiKey !== Fetch.api.apiKey) return undefined
      calls += 1
      if (calls === 1) {
        return Fetch.createResponse({
          responses: [
            {
              topic: 'orders',
              partitions: [{ partitionIndex: 0, highWatermark: 1n, records: Buffer.alloc(20, 1) }],
            },
          ],
        })
      }
      return undefined
    }
    await consumer.start()
    consumer.assign([P0])
    await until(() => calls >= 1)
    const iterator = consumer[Symbol.asyncIterator]()
    // The too-large error is skipped and the next fetch (the model's answer) delivers the record.
    const next = await iterator.next()
    expect(next.done).toBe(false)
    expect((next.value as ConsumerRecord).offset).toBe(0n)
    expect(await iterator.return?.()).toEqual({ done: true, value: undefined })

    const other = setup(
      {
        keyDeserializer: () => {
          throw new Error('bad key')
        },
      },
      { cluster: new MemoryCluster() },
    )
    appendRecords(other.cluster, P0, 1)
    await other.consumer.start()
    other.consumer.assign([P0])
    await expect(other.consumer[Symbol.asyncIterator]().next()).rejects.toThrow(/deserialize the key/)
    void RecordTooLargeError
  })

  it('needs start() before reading and refuses subscriptions', async () => {
    const { consumer } = setup()
    await expect(consumer.getone()).rejects.toBeInstanceOf(IllegalStateError)
    await expect(consumer.getmany()).rejects.toBeInstanceOf(IllegalStateError)
    consumer.assign([P0])
    await expect(consumer.position(P0)).rejects.toBeInstanceOf(IllegalStateError)
    expect(() => consumer.subscribe(['orders'])).toThrow(/not supported yet/)
    expect(() => consumer.subscription()).toThrow(IllegalStateError)
    expect(() => consumer.assign('orders' as unknown as TopicPartition[])).toThrow(IllegalArgumentError)
    consumer.unsubscribe()
    expect(consumer.assignment()).toEqual([])
    expect(consumer.toJSON()).toMatchObject({ state: 'new', assignment: [] })
    expect(AIOKafkaConsumer).toBe(KafkaConsumer)
    expect(consumer.options.fetchMaxWaitMs).toBe(10)
    await consumer[Symbol.asyncDispose]()
    await consumer.stop()
  })

  it('start() fails when bootstrap fails, and stop() still settles', async () => {
    const cluster = new MemoryCluster()
    cluster.bootstrapError = new KafkaConnectionError({ message: 'refused' })
    const { consumer } = setup({}, { cluster })
    await expect(consumer.start()).rejects.toBeInstanceOf(KafkaConnectionError)
    await consumer.stop()
  })

  it('the real ClusterClient is used without a test seam', async () => {
    const consumer = new KafkaConsumer({
      bootstrapServers: '127.0.0.1:1',
      requestTimeoutMs: 1000,
      fetchMaxWaitMs: 10,
    })
    expect(consumer.partitionsForTopic('orders')).toBeNull()
    await consumer.stop()
  })
})

describe('KafkaConsumer: positions', () => {
  it("starts at the end with 'latest' and moves with seek, seekToBeginning and seekToEnd", async () => {
    const { cluster, consumer } = setup({ autoOffsetReset: 'latest' })
    appendRecords(cluster, P0, 5)
    await consumer.start()
    consumer.assign([P0, P1])
    expect(await consumer.position(P0)).toBe(5n)
    expect(await consumer.seekToBeginning(P0)).toBe(true)
    expect(await consumer.position(P0)).toBe(0n)
    const records = await read(consumer, 3, P0)
    consumer.seek(P0, records[1]!.offset)
    const again = await consumer.getone(P0)
    expect(again.offset).toBe(1n)
    expect(again.value).toEqual(records[1]!.value)
    expect(await consumer.seekToEnd()).toBe(true)
    expect(await consumer.position(P0)).toBe(5n)
    expect(() => consumer.seek(P0, -1n)).toThrow(IllegalArgumentError)
    expect(() => consumer.seek(topicPartition('other', 0), 0n)).toThrow(IllegalStateError)
    expect(() => consumer.highwater(topicPartition('other', 0))).toThrow(IllegalStateError)
  })

  it('seekToEnd gives false when the reset does not finish in time', async () => {
    const { cluster, consumer } = setup({ requestTimeoutMs: 200 })
    await consumer.start()
    consumer.assign([P0])
    expect(await consumer.position(P0)).toBe(0n)
    cluster.hook = (_node, api) =>
      api.apiKey === ListOffsets.api.apiKey ? new Promise(() => undefined) : undefined
    expect(await consumer.seekToEnd(P0)).toBe(false)
    await expect(consumer.position(P0)).rejects.toBeInstanceOf(KafkaTimeoutError)
  })

  it("'none' without a committed offset: NoOffsetForPartitionError from position() and reads", async () => {
    const { cluster, consumer } = setup({ autoOffsetReset: 'none' })
    appendRecords(cluster, P0, 2)
    await consumer.start()
    consumer.assign([P0])
    await expect(consumer.position(P0)).rejects.toBeInstanceOf(NoOffsetForPartitionError)
    await expect(consumer.getmany({ timeoutMs: 500 })).rejects.toBeInstanceOf(NoOffsetForPartitionError)
    consumer.seek(P0, 1n)
    expect(await consumer.position(P0)).toBe(1n)
    expect((await consumer.getone()).offset).toBe(1n)
  })

  it("'none' with an out-of-range position: FetchOffsetOutOfRangeError with partitions and offsets", async () => {
    const { cluster, consumer } = setup({ autoOffsetReset: 'none' })
    appendRecords(cluster, P0, 6)
    await consumer.start()
    consumer.assign([P0])
    consumer.seek(P0, 0n)
    await read(consumer, 2)
    cluster.partition('orders', 0).logStartOffset = 4n
    consumer.seek(P0, 2n)
    const error = await consumer.getmany({ timeoutMs: 1000 }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(FetchOffsetOutOfRangeError)
    expect((error as FetchOffsetOutOfRangeError).offsets.get(P0)).toBe(2n)
    expect(await consumer.position(P0)).toBe(2n)
    expect((await consumer.beginningOffsets([P0])).get(P0)).toBe(4n)
  })

  it("'earliest' resets an out-of-range position to the log start", async () => {
    const { cluster, consumer } = setup()
    appendRecords(cluster, P0, 6)
    cluster.partition('orders', 0).logStartOffset = 3n
    await consumer.start()
    consumer.assign([P0])
    consumer.seek(P0, 1n)
    expect((await consumer.getone()).offset).toBe(3n)
    consumer.seek(P0, 100n)
    expect((await consumer.getone()).offset).toBe(3n)
  })

  it('a reset failing for good surfaces its error; a retriable one is retried', async () => {
    const { cluster, consumer } = setup()
    let failures = 0
    cluster.hook = (_node, api) => {
      if (api.apiKey !== ListOffsets.api.apiKey) return undefined
      failures += 1
      return ListOffsets.createResponse({
        topics: [
          {
            name: 'orders',
            partitions: [
              {
                partitionIndex: 0,
                errorCode:
                  failures < 3 ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.TOPIC_AUTHORIZATION_FAILED,
              },
            ],
          },
        ],
      })
    }
    await consumer.start()
    consumer.assign([P0])
    await expect(consumer.position(P0)).rejects.toBeInstanceOf(TopicAuthorizationFailedError)
    expect(failures).toBe(3)
    await expect(consumer.getmany({ timeoutMs: 100 })).rejects.toBeInstanceOf(TopicAuthorizationFailedError)
    cluster.hook = undefined
    expect(await consumer.seekToBeginning()).toBe(true)
    expect(await consumer.position(P0)).toBe(0n)
  })

  it('pause keeps positions and yields nothing; resume delivers', async () => {
    const { cluster, consumer } = setup()
    appendRecords(cluster, P0, 2)
    appendRecords(cluster, P1, 2)
    await consumer.start()
    consumer.assign([P0, P1])
    expect(await consumer.position(P1)).toBe(0n)
    consumer.pause(P1)
    expect(consumer.paused()).toEqual([P1])
    const first = await read(consumer, 2)
    expect(offsets(first)).toEqual(['0@0', '0@1'])
    expect((await consumer.getmany({ timeoutMs: 100 })).size).toBe(0)
    expect(await consumer.position(P1)).toBe(0n)
    consumer.resume(P1)
    expect(offsets(await read(consumer, 2))).toEqual(['1@0', '1@1'])
  })

  it('reassignment keeps the positions of partitions that stay', async () => {
    const { cluster, consumer } = setup()
    appendRecords(cluster, P0, 3)
    appendRecords(cluster, P1, 3)
    await consumer.start()
    consumer.assign([P0])
    await read(consumer, 2, P0)
    consumer.assign([P0, P1])
    expect(await consumer.position(P0)).toBe(2n)
    expect(offsets(await read(consumer, 4)).sort()).toEqual(['0@2', '1@0', '1@1', '1@2'])
  })
})

describe('KafkaConsumer: commits', () => {
  it('starts from the committed offset and commits consumed positions and explicit offsets', async () => {
    const cluster = new MemoryCluster()
    cluster.addTopic('orders', 2)
    cluster.committed.set('orders-0', { offset: 2n, metadata: '' })
    const { consumer } = setup({ groupId: 'g', enableAutoCommit: false }, { cluster })
    appendRecords(cluster, P0, 5)
    await consumer.start()
    consumer.assign([P0, P1])
    expect(await consumer.position(P0)).toBe(2n)
    expect(await consumer.position(P1)).toBe(0n)
    expect(await consumer.committed(P0)).toBe(2n)
    expect(await consumer.committed(P1)).toBeNull()
    await read(consumer, 2, P0)
    await consumer.commit()
    expect(cluster.committed.get('orders-0')).toEqual({ offset: 4n, metadata: '' })
    await consumer.commit(
      new TopicPartitionMap<bigint | { offset: bigint; metadata: string }>([
        [P0, { offset: 1n, metadata: 'm' }],
      ]),
    )
    expect(await consumer.committed(P0)).toBe(1n)
    expect((await consumer.seekToCommitted()).get(P0)).toBe(1n)
    expect(await consumer.position(P0)).toBe(1n)
    await expect(consumer.commit([[topicPartition('other', 0), 1n]])).rejects.toBeInstanceOf(
      IllegalStateError,
    )
    // The commit request is a simple consumer's.
    const commit = cluster.requests.find((request) => request.api.apiKey === OffsetCommit.api.apiKey)
    expect(commit?.body).toMatchObject({ groupId: 'g', generationIdOrMemberEpoch: -1, memberId: '' })
  })

  it('talks OffsetFetch v7 (one group) to older coordinators', async () => {
    const cluster = new MemoryCluster()
    cluster.offsetFetchVersion = 7
    cluster.addTopic('orders', 2)
    cluster.committed.set('orders-1', { offset: 1n, metadata: '' })
    const { consumer } = setup(
      { groupId: 'g', enableAutoCommit: false, isolationLevel: 'read_committed' },
      { cluster },
    )
    await consumer.start()
    expect(await consumer.committed(P1)).toBe(1n)
    const request = cluster.requests.find((entry) => entry.api.apiKey === OffsetFetch.api.apiKey)
    expect(request?.body).toMatchObject({ groupId: 'g', requireStable: true })
  })

  it('commit(), committed() and seekToCommitted() need a groupId', async () => {
    const { consumer } = setup()
    await consumer.start()
    consumer.assign([P0])
    await expect(consumer.commit()).rejects.toBeInstanceOf(IllegalOperation)
    await expect(consumer.committed(P0)).rejects.toBeInstanceOf(IllegalOperation)
    await expect(consumer.seekToCommitted()).rejects.toBeInstanceOf(IllegalOperation)
  })

  it('group errors: CommitFailedError for a group with members, retries when the coordinator moved', async () => {
    const { cluster, consumer } = setup({ groupId: 'g', enableAutoCommit: false })
    await consumer.start()
    consumer.assign([P0])
    let calls = 0
    cluster.hook = (_node, api) => {
      if (api.apiKey !== OffsetCommit.api.apiKey) return undefined
      calls += 1
      const errorCode = calls === 1 ? ErrorCode.NOT_COORDINATOR : ErrorCode.UNKNOWN_MEMBER_ID
      return OffsetCommit.createResponse({
        topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, errorCode }] }],
      })
    }
    const error = await consumer.commit([[P0, 1n]]).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(CommitFailedError)
    expect(calls).toBe(2)
    expect(cluster.coordinatorInvalidations).toBe(1)
    cluster.hook = (_node, api) =>
      api.apiKey === OffsetFetch.api.apiKey
        ? OffsetFetch.createResponse({
            groups: [{ groupId: 'g', errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED }],
          })
        : undefined
    await expect(consumer.committed(P0)).rejects.toThrow(/GROUP_AUTHORIZATION_FAILED|Group/)
  })

  it('auto-commits moved positions by time, and once more on stop()', async () => {
    const { cluster, consumer } = setup({ groupId: 'g', autoCommitIntervalMs: 20 })
    appendRecords(cluster, P0, 4)
    await consumer.start()
    consumer.assign([P0])
    await read(consumer, 2)
    await until(() => cluster.committed.get('orders-0')?.offset === 2n, 'auto-commit')
    const commitsBefore = cluster.requests.filter(
      (request) => request.api.apiKey === OffsetCommit.api.apiKey,
    ).length
    await new Promise((resolve) => setTimeout(resolve, 60))
    // Nothing moved: no further commits.
    expect(cluster.requests.filter((request) => request.api.apiKey === OffsetCommit.api.apiKey).length).toBe(
      commitsBefore,
    )
    await read(consumer, 1)
    await consumer.stop()
    expect(cluster.committed.get('orders-0')?.offset).toBe(3n)
  })

  it('a failing auto-commit is retried at the next interval', async () => {
    const { cluster, consumer } = setup({ groupId: 'g', autoCommitIntervalMs: 20 })
    appendRecords(cluster, P0, 1)
    let failures = 0
    cluster.hook = (_node, api) => {
      if (api.apiKey !== OffsetCommit.api.apiKey || failures >= 2) return undefined
      failures += 1
      throw new TopicAuthorizationFailedError()
    }
    await consumer.start()
    consumer.assign([P0])
    await read(consumer, 1)
    await until(() => cluster.committed.get('orders-0')?.offset === 1n, 'auto-commit after failures')
    expect(failures).toBe(2)
  })
})

describe('KafkaConsumer: fetching', () => {
  it('follows a leader move: NOT_LEADER_OR_FOLLOWER refreshes metadata and the next fetch goes to the new leader', async () => {
    const { cluster, consumer } = setup()
    appendRecords(cluster, P0, 2)
    await consumer.start()
    consumer.assign([P0])
    await read(consumer, 2)
    cluster.moveLeader('orders', 0, 2)
    appendRecords(cluster, P0, 2)
    const records = await read(consumer, 2)
    expect(offsets(records)).toEqual(['0@2', '0@3'])
    expect(cluster.metadataRefreshes).toBeGreaterThan(0)
    expect(cluster.fetches().at(-1)?.nodeId).toBe(2)
  })

  it('uses incremental fetch sessions and starts over when the broker lost the session', async () => {
    const { cluster, consumer } = setup()
    appendRecords(cluster, P0, 1)
    await consumer.start()
    consumer.assign([P0, P1])
    await read(consumer, 1)
    await until(() => cluster.fetches().length >= 3)
    const [first, second] = cluster.fetches()
    expect(first!.body).toMatchObject({ sessionId: 0, sessionEpoch: 0 })
    expect(first!.body.topics[0]!.partitions.map((p) => p.partition)).toEqual([0, 1])
    expect(second!.body.sessionId).toBeGreaterThan(0)
    expect(second!.body.sessionEpoch).toBe(1)
    // Only the partition whose offset moved is sent again.
    expect(second!.body.topics.flatMap((topic) => topic.partitions.map((p) => p.partition))).toEqual([0])
    // Pausing forgets the partition in the session.
    consumer.pause(P1)
    await until(
      () => cluster.fetches().some((fetch) => fetch.body.forgottenTopicsData.length > 0),
      'forgotten',
    )
    // The broker loses the session: FETCH_SESSION_ID_NOT_FOUND, then a full fetch opens a new one.
    let lost = true
    cluster.hook = (_node, api) => {
      if (api.apiKey !== Fetch.api.apiKey || !lost) return undefined
      lost = false
      return Fetch.createResponse({ errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND })
    }
    const count = cluster.fetches().length
    await until(() => cluster.fetches().length >= count + 3)
    const after = cluster.fetches().slice(count)
    expect(after[1]!.body).toMatchObject({ sessionId: 0, sessionEpoch: 0 })
    appendRecords(cluster, P0, 1)
    expect((await consumer.getone()).offset).toBe(1n)
  })

  it('sends sessionless full fetches when sessions are off, and Fetch v12 when topic ids are unknown', async () => {
    const { cluster, consumer } = setup({}, { fetchSessions: false })
    cluster.fetchVersion = 12
    appendRecords(cluster, P0, 2)
    await consumer.start()
    consumer.assign([P0])
    await read(consumer, 2)
    for (const fetch of cluster.fetches())
      expect(fetch.body).toMatchObject({ sessionId: 0, sessionEpoch: -1 })
  })

  it('reads responses that name topics by id (Fetch v13+)', async () => {
    const { cluster, consumer } = setup()
    cluster.fetchVersion = 13
    appendRecords(cluster, P1, 2)
    await consumer.start()
    consumer.assign([P1])
    expect(offsets(await read(consumer, 2))).toEqual(['1@0', '1@1'])
  })

  it('retries after a connection failure and surfaces a non-retriable request failure to readers', async () => {
    const { cluster, consumer } = setup()
    appendRecords(cluster, P0, 1)
    let calls = 0
    cluster.hook = (_node, api) => {
      if (api.apiKey !== Fetch.api.apiKey) return undefined
      calls += 1
      if (calls === 1) throw new KafkaConnectionError({ message: 'reset' })
      if (calls === 2) throw new TopicAuthorizationFailedError({ message: 'denied' })
      return undefined
    }
    await consumer.start()
    consumer.assign([P0])
    await expect(consumer.getmany({ timeoutMs: 2000 })).rejects.toBeInstanceOf(TopicAuthorizationFailedError)
    expect((await consumer.getone()).offset).toBe(0n)
  })

  it('retries partition errors, and the broker-level errors of a fetch', async () => {
    const { cluster, consumer } = setup()
    appendRecords(cluster, P0, 1)
    let calls = 0
    cluster.hook = (_node, api) => {
      if (api.apiKey !== Fetch.api.apiKey) return undefined
      calls += 1
      if (calls === 1) {
        return Fetch.createResponse({
          responses: [
            {
              topic: 'orders',
              partitions: [{ partitionIndex: 0, errorCode: ErrorCode.UNKNOWN_LEADER_EPOCH }],
            },
          ],
        })
      }
      if (calls === 2) return Fetch.createResponse({ errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH })
      if (calls === 3) return Fetch.createResponse({ errorCode: ErrorCode.UNKNOWN_SERVER_ERROR })
      return undefined
    }
    await consumer.start()
    consumer.assign([P0])
    expect((await consumer.getone()).offset).toBe(0n)
    expect(calls).toBeGreaterThanOrEqual(4)
  })

  it('waits for a topic that does not exist yet, then reads it', async () => {
    const { cluster, consumer } = setup()
    const later = topicPartition('later', 0)
    await consumer.start()
    consumer.assign([later])
    expect((await consumer.getmany({ timeoutMs: 50 })).size).toBe(0)
    cluster.addTopic('later', 1)
    appendRecords(cluster, later, 1)
    expect((await consumer.getone()).topic).toBe('later')
  })

  it('waits for a partition without a leader', async () => {
    const { cluster, consumer } = setup()
    appendRecords(cluster, P0, 1)
    cluster.partition('orders', 0).leaderId = -1
    await cluster.refreshMetadata()
    await consumer.start()
    consumer.assign([P0])
    consumer.seek(P0, 0n)
    expect((await consumer.getmany({ timeoutMs: 50 })).size).toBe(0)
    cluster.moveLeader('orders', 0, 1)
    expect((await consumer.getone()).offset).toBe(0n)
  })

  it('read_committed: stops at the LSO, drops aborted records, skips markers', async () => {
    const { cluster, consumer } = setup({ isolationLevel: 'read_committed' })
    cluster.append('orders', 0, (base) => txnBatch(7n, base, 2))
    cluster.append('orders', 0, (base) => marker('abort', 7n, base))
    cluster.append('orders', 0, (base) => txnBatch(8n, base, 2))
    cluster.append('orders', 0, (base) => marker('commit', 8n, base))
    cluster.append('orders', 0, (base) => txnBatch(9n, base, 1))
    const state = cluster.partition('orders', 0)
    state.abortedTransactions = [{ producerId: 7n, firstOffset: 0n }]
    state.lastStableOffset = 6n
    await consumer.start()
    consumer.assign([P0])
    expect(offsets(await read(consumer, 2))).toEqual(['0@3', '0@4'])
    expect(await consumer.position(P0)).toBe(5n)
    // Reading on passes the commit marker, and stops at the LSO.
    expect((await consumer.getmany({ timeoutMs: 50 })).size).toBe(0)
    expect(await consumer.position(P0)).toBe(6n)
    expect(consumer.lastStableOffset(P0)).toBe(6n)
    expect(consumer.highwater(P0)).toBe(7n)
    expect((await consumer.endOffsets([P0])).get(P0)).toBe(6n)
    const fetch = cluster.fetches()[0]!
    expect(fetch.body.isolationLevel).toBe(1)
  })
})

describe('KafkaConsumer: offsets and metadata', () => {
  it('beginningOffsets, endOffsets and offsetsForTimes without assignment', async () => {
    const { cluster, consumer } = setup()
    cluster.append('orders', 0, (baseOffset) =>
      batch({
        baseOffset,
        records: [
          { value: 'a', timestamp: 1000 },
          { value: 'b', timestamp: 2000 },
        ],
      }),
    )
    cluster.moveLeader('orders', 1, 2)
    await consumer.start()
    expect((await consumer.beginningOffsets([P0, P1])).get(P0)).toBe(0n)
    const ends = await consumer.endOffsets([P0, P1])
    expect([ends.get(P0), ends.get(P1)]).toEqual([2n, 0n])
    const times = await consumer.offsetsForTimes([
      [P0, 1500],
      [P1, 0],
    ])
    expect(times.get(P0)).toEqual({ offset: 1n, timestamp: 2000 })
    expect(times.get(P1)).toBeNull()
    await expect(consumer.offsetsForTimes([[P0, -1]])).rejects.toBeInstanceOf(IllegalArgumentError)
    await expect(consumer.offsetsForTimes([[P0, 1.5]])).rejects.toBeInstanceOf(IllegalArgumentError)
    expect((await consumer.offsetsForTimes(new TopicPartitionMap())).size).toBe(0)
  })

  it('ListOffsets follows a leader move and gives up on a fatal partition error', async () => {
    const { cluster, consumer } = setup({ requestTimeoutMs: 300 })
    appendRecords(cluster, P0, 3)
    await consumer.start()
    await consumer.endOffsets([P0])
    cluster.moveLeader('orders', 0, 2)
    // The cached metadata still names node 1, which answers NOT_LEADER_OR_FOLLOWER until a refresh.
    cluster.hook = (_node, api) => {
      if (api.apiKey === ListOffsets.api.apiKey) void cluster.refreshMetadata()
      return undefined
    }
    expect((await consumer.endOffsets([P0])).get(P0)).toBe(3n)
    cluster.hook = (_node, api) =>
      api.apiKey === ListOffsets.api.apiKey
        ? ListOffsets.createResponse({
            topics: [
              {
                name: 'orders',
                partitions: [{ partitionIndex: 0, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED }],
              },
            ],
          })
        : undefined
    await expect(consumer.beginningOffsets([P0])).rejects.toBeInstanceOf(TopicAuthorizationFailedError)
    await expect(consumer.beginningOffsets([topicPartition('missing', 0)])).rejects.toThrow()
  })

  it('topics(), partitionsFor() and partitionsForTopic()', async () => {
    const { cluster, consumer } = setup()
    cluster.addTopic('__consumer_offsets', 3, { isInternal: true })
    cluster.addTopic('alpha', 3)
    await consumer.start()
    expect(await consumer.topics()).toEqual(['alpha', 'orders'])
    expect(await consumer.partitionsFor('alpha')).toEqual([0, 1, 2])
    expect(consumer.partitionsForTopic('alpha')).toEqual([0, 1, 2])
    expect(consumer.partitionsForTopic('nope')).toBeNull()
    const all = setup({ excludeInternalTopics: false }, { cluster }).consumer
    await all.start()
    expect(await all.topics()).toContain('__consumer_offsets')
  })
})
