// The produce and consume suites: every client, in its own process, against one broker, on the same cases.

import { mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import { type Broker, createTopic, deleteTopic, recordCount } from './broker.js'
import { CLIENTS, type ClientId, type Outcome, type RunContext, runClient, uniqueName } from './contenders.js'
import { runProducerPerformance } from './java-tools.js'
import type { AcksSetting, Compression, ConsumeJob, ProduceJob } from './jobs.js'
import { SETTINGS } from './jobs.js'

export interface SizeSpec {
  readonly recordSize: number
  readonly records: number
}

/** 200k × 100 B and 50k × 1 KiB: 20 MB and 51 MB of values per case. */
export const FULL_SIZES: readonly SizeSpec[] = [
  { recordSize: 100, records: 200_000 },
  { recordSize: 1024, records: 50_000 },
]
/** `--quick` (and the broker test): enough to exercise every client and setting, too little to time. */
export const QUICK_SIZES: readonly SizeSpec[] = [
  { recordSize: 100, records: 5_000 },
  { recordSize: 1024, records: 1_000 },
]

/**
 * Consuming is several times faster than producing, so its topics are larger (100 MB and 205 MB of values)
 * for runs long enough to time.
 */
export const CONSUME_FULL_SIZES: readonly SizeSpec[] = [
  { recordSize: 100, records: 1_000_000 },
  { recordSize: 1024, records: 200_000 },
]

export const ACKS: readonly AcksSetting[] = [1, -1]
export const COMPRESSIONS: readonly Compression[] = ['none', 'lz4']

export interface ClientRun {
  readonly client: ClientId
  readonly outcome: Outcome
}

export interface CaseResult {
  readonly mode: 'produce' | 'consume'
  readonly recordSize: number
  readonly records: number
  /** Produce only. */
  readonly acks?: AcksSetting
  readonly compression: Compression
  readonly runs: readonly ClientRun[]
}

export interface RunOptions {
  readonly quick: boolean
  readonly clients?: readonly ClientId[]
  readonly cpuProfDir?: string
  readonly log?: (line: string) => void
}

export function sizeLabel(recordSize: number): string {
  return recordSize >= 1024 ? `${recordSize / 1024} KiB` : `${recordSize} B`
}

export function caseLabel(result: Pick<CaseResult, 'recordSize' | 'acks' | 'compression'>): string {
  const acks = result.acks === undefined ? '' : ` acks=${result.acks === -1 ? 'all' : result.acks}`
  return `${sizeLabel(result.recordSize)}${acks} ${result.compression}`
}

function fileLabel(result: Pick<CaseResult, 'recordSize' | 'acks' | 'compression'>): string {
  return caseLabel(result).replaceAll(' ', '-').replaceAll('=', '')
}

/** Runs of one case in a rotated order (a slow phase of the shared machine does not always hit one client). */
function rotated<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length
  return [...items.slice(shift), ...items.slice(0, shift)]
}

function selectedClients(options: RunOptions): ClientId[] {
  const all = CLIENTS.map((client) => client.id)
  return options.clients === undefined ? all : all.filter((id) => options.clients?.includes(id))
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

function progressLine(label: string, client: ClientId, outcome: Outcome): string {
  if (outcome.kind !== 'ok') return `  ${label}  ${client}: ${outcome.kind}: ${outcome.reason}`
  const { records, bytes, elapsedMs, maxRssKiB } = outcome.result
  const perSec = records / (elapsedMs / 1000)
  const mb = bytes / (elapsedMs / 1000) / 1e6
  const rss = maxRssKiB === null ? 'n/a' : `${(maxRssKiB / 1024).toFixed(0)} MiB`
  return `  ${label}  ${client}: ${integer.format(perSec)} records/s, ${mb.toFixed(1)} MB/s, peak RSS ${rss}`
}

function context(libs: string, options: RunOptions, label: string): RunContext {
  return {
    libs,
    timeoutMs: options.quick ? 120_000 : 300_000,
    caseLabel: label,
    ...(options.cpuProfDir === undefined ? {} : { cpuProfDir: options.cpuProfDir }),
  }
}

/** Produce: a fresh topic per client and case; a run counts only if the topic then holds exactly N records. */
export async function runProduce(broker: Broker, libs: string, options: RunOptions): Promise<CaseResult[]> {
  const log = options.log ?? (() => {})
  const results: CaseResult[] = []
  const sizes = options.quick ? QUICK_SIZES : FULL_SIZES
  let caseIndex = 0
  for (const size of sizes) {
    for (const acks of ACKS) {
      for (const compression of COMPRESSIONS) {
        const shape = { recordSize: size.recordSize, acks, compression }
        const label = caseLabel(shape)
        const runs = new Map<ClientId, Outcome>()
        for (const client of rotated(selectedClients(options), caseIndex)) {
          const topic = uniqueName(`bench-produce-${client}`)
          await createTopic(broker, topic, SETTINGS.partitions)
          const job: ProduceJob = {
            mode: 'produce',
            bootstrap: broker.bootstrap,
            topic,
            partitions: SETTINGS.partitions,
            records: size.records,
            recordSize: size.recordSize,
            acks,
            compression,
          }
          let outcome = await runClient(client, job, context(libs, options, `${fileLabel(shape)}-${client}`))
          if (outcome.kind === 'ok') {
            const stored = await recordCount(broker, topic)
            if (outcome.result.records !== size.records || stored !== size.records) {
              outcome = {
                kind: 'failed',
                reason: `verification: reported ${outcome.result.records} records, the topic holds ${stored}, expected ${size.records}`,
              }
            }
          }
          await deleteTopic(broker, topic)
          log(progressLine(`produce ${label}`, client, outcome))
          runs.set(client, outcome)
        }
        results.push({
          mode: 'produce',
          ...shape,
          records: size.records,
          runs: selectedClients(options).map((client) => ({ client, outcome: runs.get(client)! })),
        })
        caseIndex++
      }
    }
  }
  return results
}

/** Value bytes a consumer must report: exact, except Java's (MB rounded to 4 decimals). */
function bytesMatch(client: ClientId, reported: number, expected: number): boolean {
  return client === 'java' ? Math.abs(reported - expected) <= 1024 : reported === expected
}

/**
 * Consume: one topic per case, filled once by Kafka's ProducerPerformance (acks=1, the case's compression,
 * 16 KiB batches, linger 5 ms); every client reads all of it from the start. A run counts only if the client
 * saw exactly N records and N × size value bytes.
 */
export async function runConsume(broker: Broker, libs: string, options: RunOptions): Promise<CaseResult[]> {
  const log = options.log ?? (() => {})
  const results: CaseResult[] = []
  const sizes = options.quick ? QUICK_SIZES : CONSUME_FULL_SIZES
  let caseIndex = 0
  for (const size of sizes) {
    for (const compression of COMPRESSIONS) {
      const shape = { recordSize: size.recordSize, compression }
      const label = caseLabel(shape)
      const topic = uniqueName('bench-consume')
      await createTopic(broker, topic, SETTINGS.partitions)
      const fill: ProduceJob = {
        mode: 'produce',
        bootstrap: broker.bootstrap,
        topic,
        partitions: SETTINGS.partitions,
        records: size.records,
        recordSize: size.recordSize,
        acks: 1,
        compression,
      }
      await runProducerPerformance(libs, fill, 300_000)
      const stored = await recordCount(broker, topic)
      if (stored !== size.records)
        throw new Error(`pre-fill of ${topic}: ${stored} records, expected ${size.records}`)
      const runs = new Map<ClientId, Outcome>()
      for (const client of rotated(selectedClients(options), caseIndex)) {
        const job: ConsumeJob = {
          mode: 'consume',
          bootstrap: broker.bootstrap,
          topic,
          partitions: SETTINGS.partitions,
          records: size.records,
          recordSize: size.recordSize,
          compression,
          groupId: uniqueName(`bench-${client}`),
        }
        let outcome = await runClient(client, job, context(libs, options, `${fileLabel(shape)}-${client}`))
        if (outcome.kind === 'ok') {
          const expectedBytes = size.records * size.recordSize
          if (
            outcome.result.records !== size.records ||
            !bytesMatch(client, outcome.result.bytes, expectedBytes)
          ) {
            outcome = {
              kind: 'failed',
              reason: `verification: consumed ${outcome.result.records} records (${outcome.result.bytes} value bytes), expected ${size.records} (${expectedBytes})`,
            }
          }
        }
        log(progressLine(`consume ${label}`, client, outcome))
        runs.set(client, outcome)
      }
      await deleteTopic(broker, topic)
      results.push({
        mode: 'consume',
        ...shape,
        records: size.records,
        runs: selectedClients(options).map((client) => ({ client, outcome: runs.get(client)! })),
      })
      caseIndex++
    }
  }
  return results
}

export function machineNote(): string {
  const cpus = os.cpus()
  const load = os.loadavg().map((value) => value.toFixed(2))
  return `Node ${process.version}, ${os.platform()}/${os.arch()}, ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), load average ${load.join(' ')}`
}

/** Raw results, for the record and for python/chart.py. */
export async function saveResults(
  dir: string,
  suite: string,
  results: readonly CaseResult[],
  notes: Record<string, string>,
): Promise<string> {
  await mkdir(dir, { recursive: true })
  const file = join(dir, `${suite}.json`)
  await writeFile(file, `${JSON.stringify({ suite, notes, clients: CLIENTS, results }, null, 2)}\n`)
  return file
}
