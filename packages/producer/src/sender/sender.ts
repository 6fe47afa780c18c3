import { type ClusterClient, isRetriable } from '@kafkite/cluster'
import { ErrorCode, errorFromCode, KafkaError, Produce } from '@kafkite/protocol'
import type { ProducerBatch } from '../accumulator/producer-batch.js'
import type { RecordAccumulator } from '../accumulator/record-accumulator.js'
import type { SequenceState } from '../idempotence/sequence-state.js'
import { OPEN_GATE, type ProduceGate } from '../produce-gate.js'
import type { TopicPartition } from '../record-metadata.js'

/** The most produce requests in flight to one broker (the transport's default pipelining depth). */
export const MAX_IN_FLIGHT_REQUESTS_PER_BROKER = 5

/** Java's and the broker's limit: an epoch is an int16. */
const MAX_EPOCH = 32767

export interface SenderOptions {
  readonly cluster: ClusterClient
  readonly accumulator: RecordAccumulator
  /** On the wire: 0, 1 or -1. */
  readonly acks: 0 | 1 | -1
  /** The produce request's own timeout, and how long a batch may take from its first record to delivery. */
  readonly requestTimeoutMs: number
  /** Pause before a batch that failed retriably is sent again (the accumulator applies it). */
  readonly retryBackoffMs: number
  /** Byte budget of one produce request. */
  readonly maxRequestSize: number
  readonly transactionalId: string | null
  /** The idempotent producer's sequences; null without idempotence. */
  readonly sequences: SequenceState | null
  /** Asked before batches go (transactions); `OPEN_GATE` otherwise. */
  readonly gate?: ProduceGate
  /** Gets a fresh producer id (InitProducerId), for an epoch bump when the epoch cannot grow any more. */
  readonly initProducerId: () => Promise<void>
  /** Requests in flight per broker; default {@link MAX_IN_FLIGHT_REQUESTS_PER_BROKER}. */
  readonly maxInFlightRequestsPerBroker?: number
  /** The clock (ms), replaceable for tests; must be the accumulator's. */
  readonly now?: () => number
}

/**
 * The producer's background half (aiokafka's `Sender`, Java's `Sender`): takes sendable batches from the
 * accumulator, groups them by the leader of their partition, and sends one ProduceRequest per leader.
 * Every broker is its own send loop: its requests are counted apart (up to five in flight), so a slow or
 * unreachable broker holds back only the partitions it leads.
 *
 * The sender never waits per record: it is woken (coalesced) when batches may be sendable, when a request
 * completes, and when metadata or the producer id changes, and each run drains what is ready.
 *
 * Each partition's answer settles its batch:
 * - no error: the batch is delivered (`complete`);
 * - retriable (`NOT_LEADER_OR_FOLLOWER`, `NOT_ENOUGH_REPLICAS`, `REQUEST_TIMED_OUT`, a lost connection, …):
 *   metadata is refreshed when the error says it is stale, and the batch goes back to the accumulator for
 *   another attempt after `retryBackoffMs`, as long as it has time left before `requestTimeoutMs` since
 *   its first record; then it fails with that last error (under aiokafka's class names);
 * - anything else fails the batch.
 *
 * Order per partition holds because the accumulator lets only one batch per partition be in flight, or,
 * with idempotence, up to five carrying sequence numbers; then producer-state errors go through
 * `SequenceState.classify`: DUPLICATE_SEQUENCE_NUMBER is a success, OUT_OF_ORDER_SEQUENCE_NUMBER and
 * UNKNOWN_PRODUCER_ID either wait for the batch ahead or, on the batch that was next in line, bump the
 * epoch (KIP-360): the sender stops draining, waits for every in-flight batch to come back, bumps, and the
 * queued batches are re-stamped under the new epoch in their original order.
 */
export class Sender {
  readonly #cluster: ClusterClient
  readonly #accumulator: RecordAccumulator
  readonly #acks: 0 | 1 | -1
  readonly #requestTimeoutMs: number
  readonly #retryBackoffMs: number
  readonly #maxRequestSize: number
  readonly #transactionalId: string | null
  readonly #sequences: SequenceState | null
  readonly #gate: ProduceGate
  readonly #initProducerId: () => Promise<void>
  readonly #maxInFlightPerBroker: number
  readonly #now: () => number
  /** Produce requests in flight, by broker. */
  readonly #inFlight = new Map<number, number>()
  #running = false
  #again = false
  #closed = false
  #refreshing = false
  #refreshTimer: NodeJS.Timeout | null = null
  #bumping = false

  constructor(options: SenderOptions) {
    this.#cluster = options.cluster
    this.#accumulator = options.accumulator
    this.#acks = options.acks
    this.#requestTimeoutMs = options.requestTimeoutMs
    this.#retryBackoffMs = options.retryBackoffMs
    this.#maxRequestSize = options.maxRequestSize
    this.#transactionalId = options.transactionalId
    this.#sequences = options.sequences
    this.#gate = options.gate ?? OPEN_GATE
    this.#initProducerId = options.initProducerId
    this.#maxInFlightPerBroker = options.maxInFlightRequestsPerBroker ?? MAX_IN_FLIGHT_REQUESTS_PER_BROKER
    this.#now = options.now ?? Date.now
  }

  /** Produce requests waiting for an answer, over all brokers. */
  get inFlightRequests(): number {
    let total = 0
    for (const count of this.#inFlight.values()) total += count
    return total
  }

  /** Sends whatever is sendable now. Safe to call at any time; runs once however often it is called meanwhile. */
  wake(): void {
    if (this.#closed) return
    if (this.#running) {
      this.#again = true
      return
    }
    this.#running = true
    try {
      do {
        this.#again = false
        this.#sendReady()
      } while (this.#again && !this.#closed)
    } finally {
      this.#running = false
    }
  }

  /** Stops sending; answers still on their way are handled (they settle their batches). */
  close(): void {
    this.#closed = true
    if (this.#refreshTimer !== null) clearTimeout(this.#refreshTimer)
    this.#refreshTimer = null
  }

  #sendReady(): void {
    const sequences = this.#sequences
    if (sequences !== null && (sequences.epochBumpRequired || !sequences.hasProducerId)) {
      // Nothing is drained until the epoch is bumped; queued batches still expire meanwhile, so a bump
      // that keeps failing cannot hold records (and stop()) forever.
      this.#accumulator.ready(this.#now())
      if (sequences.epochBumpRequired) this.#bumpEpoch(sequences)
      return
    }
    const accumulator = this.#accumulator
    for (;;) {
      const now = this.#now()
      const { partitions } = accumulator.ready(now)
      if (partitions.length === 0) return
      let sent = false
      for (const [nodeId, leaderPartitions] of this.#groupByLeader(partitions)) {
        if ((this.#inFlight.get(nodeId) ?? 0) >= this.#maxInFlightPerBroker) continue
        const batches = accumulator.drain(leaderPartitions, this.#maxRequestSize, now)
        if (batches.length === 0) continue
        if (sequences !== null) for (const batch of batches) sequences.stamp(batch)
        this.#send(nodeId, batches)
        sent = true
      }
      if (!sent) return
    }
  }

  /** Ready partitions by the broker that leads them; partitions without a known leader wait for a refresh. */
  #groupByLeader(partitions: readonly TopicPartition[]): Map<number, TopicPartition[]> {
    const metadata = this.#cluster.metadata
    const byLeader = new Map<number, TopicPartition[]>()
    let unknown = false
    for (const tp of partitions) {
      const leaderId = metadata.topics.get(tp.topic)?.partitions.get(tp.partition)?.leaderId ?? -1
      if (leaderId < 0 || !metadata.brokers.has(leaderId)) {
        unknown = true
        continue
      }
      const list = byLeader.get(leaderId)
      if (list === undefined) byLeader.set(leaderId, [tp])
      else list.push(tp)
    }
    if (unknown) this.#refreshMetadata()
    return byLeader
  }

  #send(nodeId: number, batches: ProducerBatch[]): void {
    this.#inFlight.set(nodeId, (this.#inFlight.get(nodeId) ?? 0) + 1)
    if (this.#gate === OPEN_GATE) {
      this.#sendRequest(nodeId, batches)
      return
    }
    let admitted: Promise<void> | void
    try {
      admitted = this.#gate.beforeSend(batches.map((batch) => batch.topicPartition))
    } catch (error) {
      this.#refused(nodeId, batches, error)
      return
    }
    if (admitted === undefined) this.#sendRequest(nodeId, batches)
    else
      admitted.then(
        () => this.#sendRequest(nodeId, batches),
        (error: unknown) => this.#refused(nodeId, batches, error),
      )
  }

  /** The gate refused the batches (no transaction, or it is being aborted): they fail, whatever the error. */
  #refused(nodeId: number, batches: readonly ProducerBatch[], cause: unknown): void {
    this.#done(nodeId)
    const error = asKafkaError(cause)
    for (const batch of batches) this.#fail(batch, error)
    this.wake()
  }

  #sendRequest(nodeId: number, batches: ProducerBatch[]): void {
    let request: Produce.Request
    try {
      request = this.#buildRequest(batches)
    } catch (error) {
      // Building failed (a codec threw): the same bytes would fail again.
      this.#done(nodeId)
      for (const batch of batches) this.#fail(batch, asKafkaError(error))
      return
    }
    if (this.#acks === 0) {
      this.#cluster
        .brokerConnection(nodeId)
        .then((connection) => connection.sendWithoutResponse(Produce.api, request))
        .then(
          () => {
            this.#done(nodeId)
            for (const batch of batches) batch.completeWithoutAck()
          },
          (error: unknown) => this.#requestFailed(nodeId, batches, error),
        )
      return
    }
    this.#cluster.sendToBroker(nodeId, Produce.api, request).then(
      (response) => this.#onResponse(nodeId, batches, response),
      (error: unknown) => this.#requestFailed(nodeId, batches, error),
    )
  }

  /** One request for the batches of one leader, grouped by topic. */
  #buildRequest(batches: readonly ProducerBatch[]): Produce.Request {
    const topicData: Produce.TopicProduceData[] = []
    let byTopic: Map<string, Produce.TopicProduceData> | undefined
    for (const batch of batches) {
      const records = batch.build()
      let topic = topicData.length === 1 && topicData[0]!.name === batch.topic ? topicData[0] : undefined
      if (topic === undefined && topicData.length > 0) {
        if (byTopic === undefined) byTopic = new Map(topicData.map((entry) => [entry.name, entry]))
        topic = byTopic.get(batch.topic)
      }
      if (topic === undefined) {
        topic = { name: batch.topic, partitionData: [] }
        topicData.push(topic)
        byTopic?.set(batch.topic, topic)
      }
      topic.partitionData.push({ index: batch.partition, records })
    }
    return {
      transactionalId: this.#gate.isTransactional ? this.#transactionalId : null,
      acks: this.#acks,
      timeoutMs: this.#requestTimeoutMs,
      topicData,
    }
  }

  #onResponse(nodeId: number, batches: readonly ProducerBatch[], response: Produce.Response): void {
    this.#done(nodeId)
    let pending: Map<string, ProducerBatch> | undefined
    if (batches.length === 1) {
      const batch = batches[0]!
      const answer = response.responses[0]?.partitionResponses[0]
      const name = response.responses[0]?.name
      if (answer !== undefined && name === batch.topic && answer.index === batch.partition) {
        this.#onPartitionAnswer(batch, answer)
      } else {
        this.#onMissingAnswer(batch)
      }
    } else {
      pending = new Map()
      for (const batch of batches) pending.set(partitionKey(batch.topic, batch.partition), batch)
      for (const topic of response.responses) {
        for (const answer of topic.partitionResponses) {
          const key = partitionKey(topic.name, answer.index)
          const batch = pending.get(key)
          if (batch === undefined) continue
          pending.delete(key)
          this.#onPartitionAnswer(batch, answer)
        }
      }
      for (const batch of pending.values()) this.#onMissingAnswer(batch)
    }
    this.wake()
  }

  #onPartitionAnswer(batch: ProducerBatch, answer: Produce.PartitionProduceResponse): void {
    const code = answer.errorCode
    if (code === ErrorCode.NONE) {
      this.#complete(batch, answer)
      return
    }
    const sequences = this.#sequences
    const error = partitionError(batch, answer)
    if (sequences !== null && batch.baseSequence >= 0) {
      switch (sequences.classify(batch, code)) {
        case 'complete':
          this.#complete(batch, answer)
          return
        case 'retry':
        case 'bump-epoch':
          // Not this batch's fault (an earlier one failed, or the epoch is being bumped): it goes again,
          // re-stamped if the epoch moved, with no attempt counted against its time.
          this.#retry(batch, error, true)
          return
        case 'fatal':
          this.#fail(batch, error)
          return
        default:
          break
      }
    }
    if (isRetriable(error)) this.#retry(batch, error, false)
    else this.#fail(batch, error)
  }

  #onMissingAnswer(batch: ProducerBatch): void {
    this.#retry(
      batch,
      new KafkaError({
        message: `the produce response did not answer for ${batch.topic}-${batch.partition}`,
        retriable: true,
      }),
      false,
    )
  }

  #requestFailed(nodeId: number, batches: readonly ProducerBatch[], cause: unknown): void {
    this.#done(nodeId)
    const error = asKafkaError(cause)
    const retriable = isRetriable(error)
    for (const batch of batches) {
      if (retriable) this.#retry(batch, error, false)
      else this.#fail(batch, error)
    }
    this.wake()
  }

  #complete(batch: ProducerBatch, answer: Produce.PartitionProduceResponse): void {
    this.#sequences?.onAcked(batch, answer.baseOffset)
    batch.complete(answer.baseOffset, Number(answer.logAppendTimeMs), answer.logStartOffset)
  }

  /**
   * Back to the accumulator for another attempt, unless the batch would run out of time before it (then it
   * fails with `error`). `force`: a sequence retry, which always goes back (the accumulator still expires it
   * at its deadline).
   */
  #retry(batch: ProducerBatch, error: KafkaError, force: boolean): void {
    if (error.invalidMetadata) this.#refreshMetadata()
    const deadline = batch.createdMs + this.#requestTimeoutMs
    if (!force && this.#now() + this.#retryBackoffMs >= deadline) {
      this.#fail(batch, error)
      return
    }
    batch.lastError = error
    this.#sequences?.onRequeued(batch)
    if (batch.state === 'in-flight') this.#accumulator.reenqueue(batch)
  }

  #fail(batch: ProducerBatch, error: KafkaError): void {
    this.#sequences?.onFailed(batch)
    batch.fail(error)
  }

  #done(nodeId: number): void {
    this.#inFlight.set(nodeId, (this.#inFlight.get(nodeId) ?? 1) - 1)
  }

  /** A coalesced metadata refresh; the sender runs again once it is done. */
  #refreshMetadata(): void {
    if (this.#refreshing || this.#closed) return
    this.#refreshing = true
    const startedAt = this.#now()
    const after = (): void => {
      this.#refreshing = false
      if (this.#closed) return
      // Paced: when the refresh changed nothing (no leader yet), the next run must not spin.
      const waitMs = Math.max(0, this.#retryBackoffMs - (this.#now() - startedAt))
      if (this.#refreshTimer !== null) clearTimeout(this.#refreshTimer)
      this.#refreshTimer = setTimeout(() => {
        this.#refreshTimer = null
        this.wake()
      }, waitMs)
    }
    this.#cluster.refreshMetadata().then(after, after)
  }

  /**
   * KIP-360 for the idempotent producer, as Java's `bumpIdempotentEpochAndResetIdIfNeeded`: once no batch
   * is in flight, the epoch is bumped locally (the broker accepts epoch + 1 from sequence 0), or, when it
   * cannot grow, a new producer id is fetched. Either restarts every partition at sequence 0.
   */
  #bumpEpoch(sequences: SequenceState): void {
    if (this.#bumping || sequences.inFlightTotal > 0) return
    const { producerId, epoch } = sequences.producerIdAndEpoch
    if (producerId >= 0n && epoch >= 0 && epoch < MAX_EPOCH) {
      sequences.setProducerIdAndEpoch(producerId, epoch + 1)
      this.#again = true
      return
    }
    this.#bumping = true
    const after = (): void => {
      this.#bumping = false
      if (this.#closed) return
      if (sequences.epochBumpRequired) setTimeout(() => this.wake(), this.#retryBackoffMs)
      else this.wake()
    }
    this.#initProducerId().then(after, after)
  }
}

function partitionKey(topic: string, partition: number): string {
  return `${partition}:${topic}`
}

function partitionError(batch: ProducerBatch, answer: Produce.PartitionProduceResponse): KafkaError {
  const where = `${batch.topic}-${batch.partition}`
  const error =
    errorFromCode(answer.errorCode, { path: where }) ??
    new KafkaError({ message: `Produce to ${where} failed with error ${answer.errorCode}` })
  // The broker's own explanation (KIP-467: which record was invalid, and why) is worth keeping.
  if (answer.errorMessage !== null && answer.errorMessage !== '') error.message += ` (${answer.errorMessage})`
  return error
}

function asKafkaError(error: unknown): KafkaError {
  if (KafkaError.isInstance(error)) return error
  return new KafkaError({
    message: error instanceof Error ? error.message : String(error),
    cause: error,
    retriable: false,
  })
}
