// A fake cluster that takes produce requests, for the producer's unit tests: the cluster package's fake
// brokers (real frames over node:net) with a log per partition behind Produce, the broker's idempotence
// checks (epoch, sequence, duplicates of the last batches), InitProducerId, and a hook to answer any
// partition with an error code, drop the connection or stay silent.
import { ErrorCode, InitProducerId, Produce } from '@kafkite/protocol'
import { RecordBatch, readBatches } from '@kafkite/records'
import { FakeCluster, type FakeRequest } from '../../../cluster/src/test-support/fake-cluster.js'

export { delay, FakeCluster, until } from '../../../cluster/src/test-support/fake-cluster.js'

/** One batch as a fake broker received it. */
export interface ReceivedBatch {
  readonly nodeId: number
  readonly topic: string
  readonly partition: number
  readonly acks: number
  readonly batch: RecordBatch
  readonly values: string[]
}

/**
 * What to do with one partition of a produce request: an error code to answer with, `'close'` to drop the
 * connection (the whole request fails), `null` to never answer, undefined to write it as a broker would.
 */
export type ProduceFault = number | 'close' | null | undefined

export interface FakeLogOptions {
  readonly fault?: (batch: ReceivedBatch, attempt: number) => ProduceFault
  /** Answer InitProducerId with this error code first, this many times. */
  readonly initProducerIdErrors?: number[]
  /** The epoch InitProducerId hands out; default 0. */
  readonly epoch?: number
}

interface ProducerState {
  producerId: bigint
  epoch: number
  lastSequence: number
  /** Base sequence → base offset of the last five batches, to answer duplicates. */
  readonly recent: Map<number, bigint>
}

/** The partitions' logs on the fake brokers. */
export class FakeLog {
  readonly cluster: FakeCluster
  /** Values written, per `topic/partition`. */
  readonly logs = new Map<string, string[]>()
  readonly received: ReceivedBatch[] = []
  readonly initProducerIdRequests: InitProducerId.Request[] = []
  readonly #producers = new Map<string, ProducerState>()
  readonly #attempts = new Map<string, number>()
  #nextProducerId = 1000n
  fault: ((batch: ReceivedBatch, attempt: number) => ProduceFault) | undefined
  readonly #initErrors: number[]
  readonly #epoch: number

  constructor(cluster: FakeCluster, options: FakeLogOptions = {}) {
    this.cluster = cluster
    this.fault = options.fault
    this.#initErrors = [...(options.initProducerIdErrors ?? [])]
    this.#epoch = options.epoch ?? 0
    cluster.handler = (request) => this.#handle(request)
  }

  static async start(nodes = 1, options: FakeLogOptions = {}): Promise<FakeLog> {
    return new FakeLog(await FakeCluster.start({ nodes }), options)
  }

  /** Answers the next InitProducerId requests with these error codes. */
  failInitProducerId(codes: readonly number[]): void {
    this.#initErrors.push(...codes)
  }

  /** The broker loses every producer's state (as when retention removed the producer's last records). */
  forgetProducers(): void {
    this.#producers.clear()
  }

  log(topic: string, partition = 0): string[] {
    return this.logs.get(`${topic}/${partition}`) ?? []
  }

  close(): Promise<void> {
    return this.cluster.close()
  }

  #handle(request: FakeRequest): object | null | undefined | 'close' {
    if (request.api.apiKey === InitProducerId.api.apiKey) {
      const body = request.body as InitProducerId.Request
      this.initProducerIdRequests.push(body)
      const errorCode = this.#initErrors.shift()
      if (errorCode !== undefined) return InitProducerId.createResponse({ errorCode })
      const producerId = this.#nextProducerId++
      return InitProducerId.createResponse({ errorCode: 0, producerId, producerEpoch: this.#epoch })
    }
    if (request.api.apiKey !== Produce.api.apiKey) return undefined
    const body = request.body as Produce.Request
    const responses: Produce.TopicProduceResponse[] = []
    for (const topic of body.topicData) {
      const partitionResponses: Produce.PartitionProduceResponse[] = []
      for (const data of topic.partitionData) {
        const [batch] = [...readBatches(Buffer.from(data.records ?? new Uint8Array()))]
        if (!(batch instanceof RecordBatch)) throw new Error('the producer sent no record batch')
        const received: ReceivedBatch = {
          nodeId: request.nodeId,
          topic: topic.name,
          partition: data.index,
          acks: body.acks,
          batch,
          values: [...batch].map((record) => record.value?.toString() ?? '<null>'),
        }
        this.received.push(received)
        const key = `${topic.name}/${data.index}`
        const attempt = (this.#attempts.get(key) ?? 0) + 1
        this.#attempts.set(key, attempt)
        const fault = this.fault?.(received, attempt)
        if (fault === 'close' || fault === null) return fault
        const answer =
          fault === undefined ? this.#append(key, received) : { errorCode: fault, baseOffset: -1n }
        partitionResponses.push(
          Produce.createResponse({
            responses: [
              {
                name: topic.name,
                partitionResponses: [
                  {
                    index: data.index,
                    errorCode: answer.errorCode,
                    baseOffset: answer.baseOffset,
                    logStartOffset: 0n,
                  },
                ],
              },
            ],
          }).responses[0]!.partitionResponses[0]!,
        )
      }
      responses.push({ name: topic.name, partitionResponses })
    }
    if (body.acks === 0) return null
    return Produce.createResponse({ responses })
  }

  #append(key: string, received: ReceivedBatch): { errorCode: number; baseOffset: bigint } {
    const { batch } = received
    const log = this.logs.get(key) ?? []
    this.logs.set(key, log)
    if (batch.producerId >= 0n) {
      const state = this.#producers.get(key)
      if (state === undefined || state.producerId !== batch.producerId || batch.producerEpoch > state.epoch) {
        if (batch.baseSequence !== 0 && state !== undefined && state.producerId === batch.producerId) {
          return { errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, baseOffset: -1n }
        }
        if (batch.baseSequence !== 0 && state === undefined) {
          return { errorCode: ErrorCode.UNKNOWN_PRODUCER_ID, baseOffset: -1n }
        }
        this.#producers.set(key, {
          producerId: batch.producerId,
          epoch: batch.producerEpoch,
          lastSequence: -1,
          recent: new Map(),
        })
      } else if (batch.producerEpoch < state.epoch) {
        return { errorCode: ErrorCode.INVALID_PRODUCER_EPOCH, baseOffset: -1n }
      }
      const current = this.#producers.get(key)!
      const duplicate = current.recent.get(batch.baseSequence)
      if (duplicate !== undefined) return { errorCode: 0, baseOffset: duplicate }
      if (batch.baseSequence !== current.lastSequence + 1) {
        return { errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, baseOffset: -1n }
      }
      current.lastSequence = batch.baseSequence + batch.recordCount - 1
      current.recent.set(batch.baseSequence, BigInt(log.length))
      if (current.recent.size > 5) current.recent.delete(current.recent.keys().next().value!)
    }
    const baseOffset = BigInt(log.length)
    log.push(...received.values)
    return { errorCode: 0, baseOffset }
  }
}
