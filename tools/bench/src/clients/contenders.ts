// The clients of the produce and consume suites and how each one's process is started.

import { randomUUID } from 'node:crypto'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runProcess } from './child-process.js'
import { runConsumerPerformance, runProducerPerformance } from './java-tools.js'
import { type Job, parseResult, type WorkerResult } from './jobs.js'
import { PYTHON_DIR, pythonEnv } from './python-env.js'

export type ClientId = 'kafkite' | 'kafkajs' | 'platformatic' | 'aiokafka' | 'java'

export interface ClientInfo {
  readonly id: ClientId
  /** Column heading. */
  readonly label: string
}

export const CLIENTS: readonly ClientInfo[] = [
  { id: 'kafkite', label: 'kafkite' },
  { id: 'kafkajs', label: 'KafkaJS 2.2.4' },
  { id: 'platformatic', label: '@platformatic/kafka 1.35.0' },
  { id: 'aiokafka', label: 'aiokafka 0.14.0' },
  { id: 'java', label: 'Java perf tool' },
]

export const NODE_WORKER = join(dirname(fileURLToPath(import.meta.url)), 'workers', 'node-worker.ts')
const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

export interface RunContext {
  /** The Kafka jars for the Java tools. */
  readonly libs: string
  /** Per-process limit. */
  readonly timeoutMs: number
  /** Write a V8 CPU profile of every kafkite process into this folder. */
  readonly cpuProfDir?: string
  /** Label of the case, for profile file names. */
  readonly caseLabel: string
}

export type Outcome =
  | { readonly kind: 'ok'; readonly result: WorkerResult }
  | { readonly kind: 'unavailable'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string }

function describeExit(outcome: { code: number | null; timedOut: boolean; stderr: string }): string {
  const why = outcome.timedOut ? 'timed out' : `exited with ${outcome.code}`
  // The error's first lines (a stack's tail says little), without blank lines.
  const lines = outcome.stderr.split('\n').filter((line) => line.trim() !== '' && !/^\s+at /.test(line))
  const tail = lines.slice(0, 4).join(' | ')
  return `${why}${tail ? `: ${tail}` : ''}`
}

async function runNode(client: ClientId, job: Job, context: RunContext): Promise<WorkerResult> {
  // One folder per run, default file names: Node writes a profile per thread (tsx's loader hooks run in a
  // worker thread of their own), and a fixed --cpu-prof-name would let them overwrite each other.
  const profile =
    client === 'kafkite' && context.cpuProfDir !== undefined
      ? ['--cpu-prof', `--cpu-prof-dir=${join(context.cpuProfDir, `${job.mode}-${context.caseLabel}`)}`]
      : []
  const outcome = await runProcess(
    process.execPath,
    [...profile, '--conditions=source', '--import', 'tsx', NODE_WORKER, client, JSON.stringify(job)],
    { timeoutMs: context.timeoutMs, cwd: BENCH_DIR },
  )
  if (outcome.code !== 0) throw new Error(describeExit(outcome))
  return parseResult(outcome.stdout)
}

async function runPython(job: Job, context: RunContext): Promise<Outcome> {
  const env = await pythonEnv()
  if ('unavailable' in env)
    return { kind: 'unavailable', reason: `aiokafka not installed: ${env.unavailable}` }
  const outcome = await runProcess(env.python, [join(PYTHON_DIR, 'aiokafka_bench.py'), JSON.stringify(job)], {
    timeoutMs: context.timeoutMs,
  })
  if (outcome.code !== 0) throw new Error(describeExit(outcome))
  return { kind: 'ok', result: parseResult(outcome.stdout) }
}

/** Runs one client on one job; errors become a `failed` outcome with the reason. */
export async function runClient(client: ClientId, job: Job, context: RunContext): Promise<Outcome> {
  try {
    switch (client) {
      case 'kafkite':
      case 'kafkajs':
      case 'platformatic':
        return { kind: 'ok', result: await runNode(client, job, context) }
      case 'aiokafka':
        return await runPython(job, context)
      case 'java': {
        const run =
          job.mode === 'produce'
            ? await runProducerPerformance(context.libs, job, context.timeoutMs)
            : await runConsumerPerformance(context.libs, job, context.timeoutMs)
        return { kind: 'ok', result: run.result }
      }
    }
  } catch (error) {
    return { kind: 'failed', reason: error instanceof Error ? error.message : String(error) }
  }
}

/** A topic or group name no earlier run used. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`
}
