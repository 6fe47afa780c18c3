// Kafka's own ProducerPerformance and ConsumerPerformance, the reference ceiling: run with the harness's
// jars, in a JVM of their own (so its peak RSS is theirs), with the heap and GC flags Kafka's
// kafka-*-perf-test.sh scripts use rather than the harness's short-lived-tool flags.

import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_KAFKA_LINE, fetchKafka, kafkaVersion } from '@kafkite/kafka-harness'
import { runProcess } from './child-process.js'
import { type ConsumeJob, type ProduceJob, SETTINGS, type WorkerResult } from './jobs.js'

/** kafka-run-class.sh's performance options, and kafka-*-perf-test.sh's heap. */
export const PERF_JVM: readonly string[] = [
  '-Xmx512M',
  '-server',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
  '-Djava.awt.headless=true',
]

function javaBinary(): string {
  const home = process.env.JAVA_HOME
  return home !== undefined && home !== '' ? join(home, 'bin', 'java') : 'java'
}

/** The jars of the cluster's Kafka version, or of the default line for a cluster named by KAFKA_BOOTSTRAP. */
export async function kafkaLibs(clusterKafkaVersion: string): Promise<string> {
  let version: ReturnType<typeof kafkaVersion>
  try {
    version = kafkaVersion(clusterKafkaVersion)
  } catch {
    version = kafkaVersion(process.env.KAFKITE_KAFKA ?? DEFAULT_KAFKA_LINE)
  }
  return (await fetchKafka(version)).libs
}

export interface ProducerPerformanceSummary {
  readonly records: number
  readonly recordsPerSec: number
}

/** The final line: `200000 records sent, 81234.5 records/sec (7.75 MB/sec), 12.3 ms avg latency, …`. */
export function parseProducerPerformance(stdout: string): ProducerPerformanceSummary {
  const matches = [...stdout.matchAll(/^(\d+) records sent, ([\d.]+) records\/sec \(/gm)]
  const last = matches.at(-1)
  if (last === undefined)
    throw new Error(`no summary line in ProducerPerformance output:\n${stdout.slice(-2000)}`)
  return { records: Number(last[1]), recordsPerSec: Number(last[2]) }
}

export interface ConsumerPerformanceSummary {
  readonly records: number
  readonly megabytes: number
  /** Time from the end of the group join to the last record (ConsumerPerformance's `fetch.time.ms`). */
  readonly fetchTimeMs: number
}

/**
 * The header and value lines: `start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg,
 * nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec`.
 */
export function parseConsumerPerformance(stdout: string): ConsumerPerformanceSummary {
  const lines = stdout.split('\n').map((line) => line.trim())
  const headerIndex = lines.findIndex((line) => line.startsWith('start.time'))
  const header = lines[headerIndex]?.split(/,\s*/)
  const values = lines[headerIndex + 1]?.split(/,\s*/)
  if (header === undefined || values === undefined) {
    throw new Error(`no summary in ConsumerPerformance output:\n${stdout.slice(-2000)}`)
  }
  const field = (name: string): number => {
    const index = header.indexOf(name)
    const value = Number(values[index])
    if (index < 0 || !Number.isFinite(value))
      throw new Error(`ConsumerPerformance: no ${name} in ${values.join(', ')}`)
    return value
  }
  return {
    records: field('data.consumed.in.nMsg'),
    megabytes: field('data.consumed.in.MB'),
    fetchTimeMs: field('fetch.time.ms'),
  }
}

export interface JavaRun {
  readonly result: WorkerResult
  readonly stdout: string
}

async function withPropertiesFile<T>(
  properties: Record<string, string | number>,
  use: (file: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'kafkite-bench-'))
  try {
    const file = join(dir, 'client.properties')
    await writeFile(
      file,
      `${Object.entries(properties)
        .map(([key, value]) => `${key}=${value}`)
        .join('\n')}\n`,
    )
    return await use(file)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

function failure(
  tool: string,
  outcome: { code: number | null; stderr: string; stdout: string; timedOut: boolean },
): Error {
  const why = outcome.timedOut ? 'timed out' : `exited with ${outcome.code}`
  return new Error(
    `${tool} ${why}: ${(outcome.stderr || outcome.stdout).trim().split('\n').slice(-5).join(' | ')}`,
  )
}

export function producerPerformanceProperties(
  job: Pick<ProduceJob, 'bootstrap' | 'acks' | 'compression'>,
): Record<string, string | number> {
  return {
    'bootstrap.servers': job.bootstrap,
    acks: job.acks === -1 ? 'all' : job.acks,
    'compression.type': job.compression,
    'batch.size': SETTINGS.batchSize,
    'linger.ms': SETTINGS.lingerMs,
    // Idempotence is on by default in Java clients since 3.0; the other clients here do not use it.
    'enable.idempotence': 'false',
  }
}

export async function runProducerPerformance(
  libs: string,
  job: ProduceJob,
  timeoutMs: number,
): Promise<JavaRun> {
  return withPropertiesFile(producerPerformanceProperties(job), async (file) => {
    const outcome = await runProcess(
      javaBinary(),
      [
        ...PERF_JVM,
        '-cp',
        `${libs}/*`,
        'org.apache.kafka.tools.ProducerPerformance',
        '--topic',
        job.topic,
        '--num-records',
        String(job.records),
        '--record-size',
        String(job.recordSize),
        '--throughput',
        '-1',
        '--command-config',
        file,
      ],
      { timeoutMs },
    )
    if (outcome.code !== 0) throw failure('ProducerPerformance', outcome)
    const summary = parseProducerPerformance(outcome.stdout)
    return {
      stdout: outcome.stdout,
      result: {
        records: summary.records,
        bytes: summary.records * job.recordSize,
        elapsedMs: (summary.records / summary.recordsPerSec) * 1000,
        maxRssKiB: outcome.sampledPeakRssKiB,
      },
    }
  })
}

export async function runConsumerPerformance(
  libs: string,
  job: ConsumeJob,
  timeoutMs: number,
): Promise<JavaRun> {
  const properties = {
    'bootstrap.servers': job.bootstrap,
    'fetch.min.bytes': SETTINGS.fetchMinBytes,
    'fetch.max.wait.ms': SETTINGS.fetchMaxWaitMs,
    'max.partition.fetch.bytes': SETTINGS.maxPartitionFetchBytes,
    'fetch.max.bytes': SETTINGS.fetchMaxBytes,
    'enable.auto.commit': 'false',
  }
  return withPropertiesFile(properties, async (file) => {
    const outcome = await runProcess(
      javaBinary(),
      [
        ...PERF_JVM,
        '-cp',
        `${libs}/*`,
        'org.apache.kafka.tools.ConsumerPerformance',
        '--bootstrap-server',
        job.bootstrap,
        '--topic',
        job.topic,
        '--num-records',
        String(job.records),
        '--group',
        job.groupId,
        '--fetch-size',
        String(SETTINGS.maxPartitionFetchBytes),
        '--timeout',
        '30000',
        '--command-config',
        file,
      ],
      { timeoutMs },
    )
    if (outcome.code !== 0) throw failure('ConsumerPerformance', outcome)
    const summary = parseConsumerPerformance(outcome.stdout)
    return {
      stdout: outcome.stdout,
      result: {
        records: summary.records,
        // MB here is 2^20 bytes, rounded to 4 decimals: good to a few hundred bytes.
        bytes: Math.round(summary.megabytes * 1024 * 1024),
        elapsedMs: summary.fetchTimeMs,
        maxRssKiB: outcome.sampledPeakRssKiB,
      },
    }
  })
}
