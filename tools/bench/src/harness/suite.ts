import type { Operation } from './measure.js'

/** The library every comparison is relative to. */
export const BASELINE = 'kafkite'

/** One line of a comparison: a library doing one operation, or the reason it cannot. */
export type Contender =
  | { readonly library: string; readonly operation: string; readonly run: Operation; readonly note?: string }
  | { readonly library: string; readonly operation: string; readonly unavailable: string }

/** One input (a message at a version) and everyone who can process it. */
export interface BenchCase {
  readonly title: string
  /** Size of the encoded input (or output) in bytes, for MB/s. */
  readonly bytes: number
  readonly contenders: readonly Contender[]
  /** Caveats printed under the table. */
  readonly notes?: readonly string[]
}

/**
 * A suite: a module named `src/<folder>/<name>-bench.ts` exporting `suite`. The runner finds suites by
 * that file name, so a new suite needs no change to `main.ts`.
 */
export interface BenchSuite {
  readonly name: string
  readonly description: string
  /** Builds the inputs (and checks that every contender decodes them correctly) before any timing. */
  cases(): Promise<readonly BenchCase[]>
}

/** What the runner hands an end-to-end suite. */
export interface EndToEndOptions {
  readonly quick: boolean
  /** `--save DIR`: write raw results (and charts) there. */
  readonly saveDir?: string
  /** `--cpu-prof DIR`: CPU profiles of kafkite's client processes. */
  readonly cpuProfDir?: string
  /** Progress and tables go through here. */
  readonly log: (line: string) => void
}

/**
 * A suite that runs whole clients against a broker (`produce`, `consume`): it measures and prints by
 * itself, since a client process cannot be timed in rounds of operations like a codec.
 */
export interface EndToEndSuite {
  readonly name: string
  readonly description: string
  run(options: EndToEndOptions): Promise<void>
  /** Called once after every selected suite ran (stops a broker the suites shared). */
  teardown?(): Promise<void>
}

export type AnySuite = BenchSuite | EndToEndSuite

export function isEndToEnd(suite: AnySuite): suite is EndToEndSuite {
  return 'run' in suite
}
