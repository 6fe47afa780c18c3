// The idempotent producer through a broker restart: records sent to one partition at a steady pace while
// the partition's leader is stopped and started again arrive all, in order, once each (checked by fetching
// the whole partition back). While the broker is down, a producer without idempotence and a short request
// timeout fails its record with the last typed, retriable error rather than KafkaTimeoutError.
import { type DeliveryHandle, KafkaProducer } from '@kafkite/producer'
import { KafkaConnectionError } from '@kafkite/protocol'
import { afterAll, describe, expect, it } from 'vitest'
import { canControlNodes, controlCluster, kafka, uniqueTopic } from '../src/index.js'
import { createTopic, endOffset, fetchPartition, testCluster } from './producer-support.js'

const info = kafka()
const bootstrapServers = info.bootstrap.PLAINTEXT ?? ''
/** Records sent; KAFKITE_ORDER_RECORDS overrides (the issue asks for 100k; CI time decides). */
const RECORDS = Number(process.env.KAFKITE_ORDER_RECORDS ?? 100_000)
/** Sending is spread over this long, so the restart lands in the middle of the traffic. */
const SEND_SPAN_MS = 12_000
const PAYLOAD = 'x'.repeat(80)

const cluster = testCluster(bootstrapServers)

afterAll(async () => {
  await cluster.close()
})

describe.runIf(canControlNodes())('the idempotent producer through a broker restart', () => {
  it(`keeps ${RECORDS} records in order, none lost, none duplicated`, async () => {
    const topic = uniqueTopic()
    await createTopic(cluster, topic, 1)
    const leader = await cluster.leaderFor(topic, 0)
    const producer = new KafkaProducer({
      bootstrapServers,
      enableIdempotence: true,
      lingerMs: 5,
      // Long enough to wait out the restart: batches keep being retried, none expires.
      requestTimeoutMs: 120_000,
      retryBackoffMs: 100,
    })
    const hasty = new KafkaProducer({ bootstrapServers, requestTimeoutMs: 2500, retryBackoffMs: 100 })
    await producer.start()
    await hasty.start()
    // Its metadata is known before the broker goes: the record is queued and its sends fail (without
    // metadata, send() itself would fail with KafkaTimeoutError, as aiokafka's does).
    await hasty.partitionsFor(topic)
    const control = await controlCluster()
    const started = performance.now()
    const handles: DeliveryHandle[] = new Array(RECORDS)
    let downAt = 0
    let upAt = 0
    let hastyFailure: unknown
    let restart: Promise<void> | undefined
    const chunk = Math.max(1, Math.ceil(RECORDS / (SEND_SPAN_MS / 50)))
    for (let i = 0; i < RECORDS; ) {
      const end = Math.min(RECORDS, i + chunk)
      for (; i < end; i++) handles[i] = await producer.send(topic, `${i}:${PAYLOAD}`)
      if (restart === undefined && i >= RECORDS / 4) {
        restart = (async () => {
          await control.stopNode(leader.nodeId - 1)
          downAt = performance.now()
          hastyFailure = await hasty.sendAndWait(topic, 'while down').then(
            () => undefined,
            (error: unknown) => error,
          )
          await control.startNode(leader.nodeId - 1)
          upAt = performance.now()
        })()
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const sentAt = performance.now()
    await restart
    await producer.flush()
    const deliveredAt = performance.now()
    const offsets = await Promise.all(handles.map(async (handle) => (await handle.delivery)?.offset))
    const epoch = producer.producerIdAndEpoch?.epoch
    await producer.stop()
    await hasty.stop()

    console.log(
      `[order] ${RECORDS} records; sending took ${((sentAt - started) / 1000).toFixed(1)} s, ` +
        `broker down ${((downAt - started) / 1000).toFixed(1)}–${((upAt - started) / 1000).toFixed(1)} s, ` +
        `all delivered at ${((deliveredAt - started) / 1000).toFixed(1)} s; producer epoch ${epoch}`,
    )
    // The restart happened while records were still being sent.
    expect(downAt).toBeGreaterThan(started)
    expect(downAt).toBeLessThan(sentAt)
    // With one node the partition has no leader while it is down; with three, leadership moves and the
    // record may well get through.
    if (info.nodeCount === 1) expect(hastyFailure).toBeInstanceOf(KafkaConnectionError)

    // Every delivery reports the offset the record's position implies: one partition, no gaps, no repeats.
    const wrong = offsets.flatMap((offset, i) => (offset === BigInt(i) ? [] : [[i, offset]]))
    expect(wrong.slice(0, 5)).toEqual([])
    // On the broker: exactly RECORDS records (the 'while down' record was not written), in order.
    expect(await endOffset(cluster, topic, 0)).toBe(BigInt(RECORDS))
    const records = await fetchPartition(cluster, topic, 0, BigInt(RECORDS), 120_000)
    expect(records).toHaveLength(RECORDS)
    const outOfPlace = records.flatMap((record, i) => {
      const value = record.value?.toString() ?? ''
      return value === `${i}:${PAYLOAD}` && record.offset === BigInt(i) ? [] : [[i, value.slice(0, 12)]]
    })
    expect(outOfPlace.slice(0, 5)).toEqual([])
  }, 240_000)
})
