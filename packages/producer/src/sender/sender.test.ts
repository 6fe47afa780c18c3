import type { ClusterClient } from '@kafkite/cluster'
import { KafkaConnectionError, KafkaError, Produce, UnsupportedVersionError } from '@kafkite/protocol'
import { describe, expect, it } from 'vitest'
import { RecordAccumulator } from '../accumulator/record-accumulator.js'
import { Sender, type SenderOptions } from './sender.js'

type Answer = (request: Produce.Request, nodeId: number) => Promise<Produce.Response>

/** A cluster client stand-in: fixed metadata (two brokers), scripted produce answers. */
function scripted(answer: Answer, leaders: Record<string, number[]> = { a: [1, 2], b: [1] }) {
  const topics = new Map(
    Object.entries(leaders).map(([name, partitionLeaders]) => [
      name,
      {
        name,
        partitions: new Map(
          partitionLeaders.map((leaderId, partition) => [partition, { partition, leaderId }]),
        ),
      },
    ]),
  )
  const requests: [number, Produce.Request][] = []
  let refreshes = 0
  const cluster = {
    metadata: {
      brokers: new Map([
        [1, {}],
        [2, {}],
      ]),
      topics,
    },
    sendToBroker: (nodeId: number, _api: unknown, request: Produce.Request) => {
      requests.push([nodeId, request])
      return answer(request, nodeId)
    },
    brokerConnection: () => Promise.reject(new KafkaConnectionError({ message: 'down' })),
    refreshMetadata: () => {
      refreshes++
      return Promise.resolve()
    },
  }
  return { cluster: cluster as unknown as ClusterClient, requests, refreshes: () => refreshes }
}

function setup(answer: Answer, options: Partial<SenderOptions> = {}, leaders?: Record<string, number[]>) {
  const { cluster, requests, refreshes } = scripted(answer, leaders)
  let sender: Sender | undefined
  const accumulator = new RecordAccumulator({
    maxBatchSize: 1000,
    maxRequestSize: 100_000,
    lingerMs: 0,
    maxBufferBytes: 1_000_000,
    requestTimeoutMs: 300,
    retryBackoffMs: 10,
    maxInFlightPerPartition: 1,
    onReady: () => sender?.wake(),
  })
  sender = new Sender({
    cluster,
    accumulator,
    acks: 1,
    requestTimeoutMs: 300,
    retryBackoffMs: 10,
    maxRequestSize: 100_000,
    transactionalId: null,
    sequences: null,
    initProducerId: () => Promise.resolve(),
    ...options,
  })
  const send = (topic: string, partition: number, value: string) =>
    accumulator.append(topic, partition, { key: null, value })
  return { sender, accumulator, requests, refreshes, send }
}

function ok(request: Produce.Request): Promise<Produce.Response> {
  return Promise.resolve(
    Produce.createResponse({
      responses: request.topicData.map((topic) => ({
        name: topic.name,
        partitionResponses: topic.partitionData.map((data) => ({
          index: data.index,
          errorCode: 0,
          baseOffset: 7n,
        })),
      })),
    }),
  )
}

describe('Sender', () => {
  it('groups one request per leader, with every topic of that leader, and answers each batch', async () => {
    const { requests, send } = setup(ok)
    const handles = await Promise.all([send('a', 0, 'x'), send('a', 1, 'y'), send('b', 0, 'z')])
    const metadata = await Promise.all(handles.map((handle) => handle!.delivery))
    expect(metadata.map((entry) => entry?.offset)).toEqual([7n, 7n, 7n])
    const byNode = requests.map(([nodeId, request]) => [
      nodeId,
      request.topicData
        .map((topic) => `${topic.name}:${topic.partitionData.map((data) => data.index)}`)
        .sort(),
    ])
    expect(byNode.sort()).toEqual([
      [1, ['a:0', 'b:0']],
      [2, ['a:1']],
    ])
    expect(requests[0]?.[1]).toMatchObject({ acks: 1, timeoutMs: 300, transactionalId: null })
  })

  it('retries a batch the response left out, then fails it with that error when time runs out', async () => {
    const { send } = setup(() => Promise.resolve(Produce.createResponse({ responses: [] })))
    const handle = await send('a', 0, 'x')
    await expect(handle!.delivery).rejects.toThrow('did not answer')
  })

  it('a response answering another partition leaves the batch unanswered', async () => {
    const { send } = setup(() =>
      Promise.resolve(
        Produce.createResponse({ responses: [{ name: 'other', partitionResponses: [{ index: 0 }] }] }),
      ),
    )
    await expect((await send('a', 0, 'x'))!.delivery).rejects.toThrow('did not answer')
  })

  it('fails every batch of a request at once on a non-retriable request error', async () => {
    const { send, requests } = setup(() => Promise.reject(new UnsupportedVersionError({ message: 'old' })))
    const handles = await Promise.all([send('a', 0, 'x'), send('b', 0, 'y')])
    for (const handle of handles) await expect(handle!.delivery).rejects.toThrow(UnsupportedVersionError)
    expect(requests).toHaveLength(1)
  })

  it('wraps a thrown non-Kafka error as a non-retriable KafkaError', async () => {
    const { send } = setup(() => Promise.reject(new TypeError('bug')))
    await expect((await send('a', 0, 'x'))!.delivery).rejects.toThrow(KafkaError)
  })

  it('waits for a leader: a refresh is asked for, the batch expires if none comes', async () => {
    const { send, refreshes, requests } = setup(ok, {}, { a: [-1] })
    const handle = await send('a', 0, 'x')
    await expect(handle!.delivery).rejects.toThrow('expired')
    expect(refreshes()).toBeGreaterThan(0)
    expect(requests).toHaveLength(0)
  })

  it('acks 0 through a connection that cannot be had: retried, then the connection error', async () => {
    const { send } = setup(ok, { acks: 0 })
    await expect((await send('a', 0, 'x'))!.delivery).rejects.toThrow(KafkaConnectionError)
  })

  it('keeps at most the configured requests in flight per broker', async () => {
    const pending: (() => void)[] = []
    const { send, requests, sender } = setup(
      (request) => new Promise((resolve) => pending.push(() => resolve(ok(request)))),
      { maxInFlightRequestsPerBroker: 1 },
      { a: [1, 1] },
    )
    const first = await send('a', 0, 'x')
    await new Promise((resolve) => setImmediate(resolve))
    const second = await send('a', 1, 'y')
    await new Promise((resolve) => setImmediate(resolve))
    expect(requests).toHaveLength(1)
    expect(sender.inFlightRequests).toBe(1)
    pending.shift()?.()
    await first!.delivery
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(requests).toHaveLength(2)
    pending.shift()?.()
    await second!.delivery
    sender.close()
    sender.wake()
  })

  it('fails a batch whose bytes cannot be built', async () => {
    const { accumulator, sender } = setup(ok)
    const handle = await accumulator.append('a', 0, { key: null, value: 'x' })
    const batch = (accumulator as unknown as { drain: RecordAccumulator['drain'] }).drain(
      [{ topic: 'a', partition: 0 }],
      100_000,
    )[0]!
    batch.build = () => {
      throw new Error('codec broke')
    }
    accumulator.reenqueue(batch, 0)
    sender.wake()
    await expect(handle!.delivery).rejects.toThrow('codec broke')
  })
})
