/**
 * A small timing harness: calibrate a batch size so one round takes about `roundMs`, warm up, then time
 * several rounds and keep the median. The median of rounds is robust against a stray GC pause or a noisy
 * neighbour on a shared machine; the spread (interquartile range of the rounds) is reported next to it.
 */

export interface MeasureOptions {
  /** Time spent running the function before any round counts (JIT tiers, inline caches). */
  readonly warmupMs: number
  /** Target duration of one timed round. */
  readonly roundMs: number
  /** Number of timed rounds; the median is reported. */
  readonly rounds: number
}

export const DEFAULT_OPTIONS: MeasureOptions = { warmupMs: 500, roundMs: 250, rounds: 9 }
/** For smoke runs (`--quick`): numbers are noisy, only good to see that everything runs. */
export const QUICK_OPTIONS: MeasureOptions = { warmupMs: 50, roundMs: 40, rounds: 3 }

export interface Measurement {
  /** Median operations per second over the rounds. */
  readonly opsPerSec: number
  /** Quartiles of the rounds, in operations per second: their distance shows how noisy the run was. */
  readonly lowerQuartile: number
  readonly upperQuartile: number
  readonly iterationsPerRound: number
}

/** The function under test: may return a promise (KafkaJS decoders are async), which is awaited. */
export type Operation = () => unknown

/** Sink that keeps results observable so the JIT cannot drop the work as dead code. */
let sink: unknown
export function lastResult(): unknown {
  return sink
}

function isPromise(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function'
}

async function runBatch(operation: Operation, iterations: number, isAsync: boolean): Promise<number> {
  const start = process.hrtime.bigint()
  if (isAsync) {
    for (let index = 0; index < iterations; index++) sink = await operation()
  } else {
    for (let index = 0; index < iterations; index++) sink = operation()
  }
  return Number(process.hrtime.bigint() - start) / 1e6
}

/** Linear-interpolated quantile of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q
  const below = Math.floor(position)
  const above = Math.min(below + 1, sorted.length - 1)
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below)
}

interface Calibrated {
  readonly operation: Operation
  readonly isAsync: boolean
  readonly iterationsPerRound: number
}

/** Warms `operation` up and picks a batch size for rounds of about `roundMs`. */
async function calibrate(operation: Operation, options: MeasureOptions): Promise<Calibrated> {
  const first = operation()
  const isAsync = isPromise(first)
  if (isAsync) await first
  // Double the batch until it takes a measurable time, and keep going until the warm-up is spent.
  let iterations = 1
  let elapsedMs = 0
  let warmedMs = 0
  while (warmedMs < options.warmupMs || elapsedMs < 5) {
    elapsedMs = await runBatch(operation, iterations, isAsync)
    warmedMs += elapsedMs
    if (elapsedMs < options.roundMs / 4) iterations *= 2
  }
  const perOpMs = elapsedMs / iterations
  return { operation, isAsync, iterationsPerRound: Math.max(1, Math.round(options.roundMs / perOpMs)) }
}

/**
 * Times several operations against each other. Rounds are interleaved (round 1 of each, then round 2 of
 * each, ...) so that a slow phase of a shared machine hits every contender alike instead of one of them.
 */
export async function measureAll(
  operations: readonly Operation[],
  options: MeasureOptions = DEFAULT_OPTIONS,
): Promise<Measurement[]> {
  const calibrated: Calibrated[] = []
  for (const operation of operations) calibrated.push(await calibrate(operation, options))
  const rates: number[][] = calibrated.map(() => [])
  for (let round = 0; round < options.rounds; round++) {
    for (const [index, { operation, isAsync, iterationsPerRound }] of calibrated.entries()) {
      const roundMs = await runBatch(operation, iterationsPerRound, isAsync)
      rates[index]!.push((iterationsPerRound * 1000) / roundMs)
    }
  }
  return calibrated.map(({ iterationsPerRound }, index) => {
    const sorted = [...rates[index]!].sort((left, right) => left - right)
    return {
      opsPerSec: quantile(sorted, 0.5),
      lowerQuartile: quantile(sorted, 0.25),
      upperQuartile: quantile(sorted, 0.75),
      iterationsPerRound,
    }
  })
}
