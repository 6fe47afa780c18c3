// What the parent process asks a client process to do, and what the client process answers. Shared by the
// `produce` and `consume` suites and by the Node workers (src/clients/workers); the Python worker
// (python/aiokafka_bench.py) reads and writes the same JSON.

import { randomBytes } from 'node:crypto'

export type Compression = 'none' | 'lz4'
/** 1: the leader's answer; -1: all in-sync replicas ('all'). */
export type AcksSetting = 1 | -1

/** Settings every client gets, or its nearest equivalent (see docs/benchmarks.md). */
export const SETTINGS = {
  /** Partitions of every benchmark topic. */
  partitions: 6,
  /** Producer batch size in bytes (Java `batch.size`, its default). */
  batchSize: 16384,
  /** Producer linger in ms (Java `linger.ms`). */
  lingerMs: 5,
  /** Produce requests in flight for the clients whose batching is done by the caller (KafkaJS, platformatic). */
  sendsInFlight: 5,
  fetchMinBytes: 1,
  fetchMaxWaitMs: 500,
  maxPartitionFetchBytes: 1048576,
  fetchMaxBytes: 52428800,
} as const

export interface ProduceJob {
  readonly mode: 'produce'
  readonly bootstrap: string
  readonly topic: string
  readonly partitions: number
  readonly records: number
  readonly recordSize: number
  readonly acks: AcksSetting
  readonly compression: Compression
}

export interface ConsumeJob {
  readonly mode: 'consume'
  readonly bootstrap: string
  readonly topic: string
  readonly partitions: number
  readonly records: number
  readonly recordSize: number
  readonly compression: Compression
  /** For the clients that can only read through a consumer group (KafkaJS, @platformatic/kafka, Java). */
  readonly groupId: string
}

export type Job = ProduceJob | ConsumeJob

/** A client's own account of the timed part of its run. */
export interface WorkerResult {
  /** Records produced (acknowledged) or consumed. */
  readonly records: number
  /** Value bytes produced or consumed (keys are null). */
  readonly bytes: number
  readonly elapsedMs: number
  /** Peak resident set size of the client process, KiB (null when the process cannot tell). */
  readonly maxRssKiB: number | null
}

/** Prefix of the one stdout line a worker answers with. */
export const RESULT_PREFIX = 'BENCH-RESULT '

export function formatResult(result: WorkerResult): string {
  return `${RESULT_PREFIX}${JSON.stringify(result)}`
}

/** The worker's answer in its stdout, checked for shape. */
export function parseResult(stdout: string): WorkerResult {
  const line = stdout
    .split('\n')
    .reverse()
    .find((candidate) => candidate.startsWith(RESULT_PREFIX))
  if (line === undefined) throw new Error('the client printed no result line')
  const value = JSON.parse(line.slice(RESULT_PREFIX.length)) as Partial<WorkerResult>
  const { records, bytes, elapsedMs, maxRssKiB } = value
  if (
    typeof records !== 'number' ||
    typeof bytes !== 'number' ||
    typeof elapsedMs !== 'number' ||
    !(elapsedMs > 0) ||
    !(typeof maxRssKiB === 'number' || maxRssKiB === null)
  ) {
    throw new Error(`malformed result: ${line}`)
  }
  return { records, bytes, elapsedMs, maxRssKiB: maxRssKiB ?? null }
}

/**
 * Record values as Kafka's ProducerPerformance makes them with `--record-size`: random upper-case letters
 * (A–Z). A pool of distinct values, used in turn; large enough that no value repeats within a 64 KiB
 * stretch, so compression sees what it would see on fully random letters.
 */
export function payloadPool(recordSize: number): Buffer[] {
  const count = Math.max(64, Math.ceil(65536 / recordSize))
  const pool: Buffer[] = []
  for (let index = 0; index < count; index++) {
    const bytes = randomBytes(recordSize)
    for (let offset = 0; offset < recordSize; offset++) bytes[offset] = 65 + (bytes[offset]! % 26)
    pool.push(bytes)
  }
  return pool
}

/**
 * Records per send() for the clients batched by the caller (KafkaJS, @platformatic/kafka): one batch size
 * of records per partition (record overhead in a batch ≈ 8 bytes without key and headers), which their
 * round-robin partitioning of keyless records splits into one ~16 KiB batch per partition.
 */
export function recordsPerSend(recordSize: number, partitions: number): number {
  return Math.max(1, Math.floor(SETTINGS.batchSize / (recordSize + 8))) * partitions
}
