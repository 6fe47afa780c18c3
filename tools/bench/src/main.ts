// Runs the benchmark suites: `pnpm bench [suite ...] [--quick] [--markdown] [--save DIR] [--cpu-prof DIR]`.
//
// Suites are found by file name (`src/<folder>/<name>-bench.ts` exporting `suite`), so adding one needs no
// change here. Numbers are printed, never asserted: throughput depends on the machine. Codec suites
// (`BenchSuite`) are timed here in rounds; end-to-end suites (`EndToEndSuite`: produce, consume) run whole
// client processes against a broker and measure themselves.

import { readdir } from 'node:fs/promises'
import os from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { DEFAULT_OPTIONS, type MeasureOptions, measureAll, QUICK_OPTIONS } from './harness/measure.js'
import { markdownTable, type Result, textTable } from './harness/report.js'
import { type AnySuite, type BenchSuite, isEndToEnd } from './harness/suite.js'

const SUITE_FILE = /^[a-z0-9-]+-bench\.(?:ts|js)$/

interface Arguments {
  readonly suites: readonly string[]
  readonly quick: boolean
  readonly markdown: boolean
  readonly saveDir?: string
  readonly cpuProfDir?: string
}

const USAGE = 'usage: pnpm bench [suite ...] [--quick] [--markdown] [--save DIR] [--cpu-prof DIR]'

function parseArguments(argv: readonly string[]): Arguments {
  const suites: string[] = []
  let quick = false
  let markdown = false
  let saveDir: string | undefined
  let cpuProfDir: string | undefined
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!
    const value = (): string => {
      const next = argv[++index]
      if (next === undefined || next.startsWith('-')) throw new Error(`${argument} needs a folder`)
      return resolve(next)
    }
    if (argument === '--quick') quick = true
    else if (argument === '--markdown') markdown = true
    else if (argument === '--save') saveDir = value()
    else if (argument === '--cpu-prof') cpuProfDir = value()
    else if (argument === '--help' || argument === '-h') {
      console.log(USAGE)
      process.exit(0)
    } else if (argument.startsWith('-')) throw new Error(`Unknown option ${argument}`)
    else suites.push(argument)
  }
  return {
    suites,
    quick,
    markdown,
    ...(saveDir === undefined ? {} : { saveDir }),
    ...(cpuProfDir === undefined ? {} : { cpuProfDir }),
  }
}

function isSuite(value: unknown): value is AnySuite {
  const candidate = value as { name?: unknown; cases?: unknown; run?: unknown } | undefined
  return (
    typeof candidate?.name === 'string' &&
    (typeof candidate.cases === 'function' || typeof candidate.run === 'function')
  )
}

/** Every `src/<folder>/<name>-bench.ts`, in folder order. */
async function discoverSuites(): Promise<AnySuite[]> {
  const root = dirname(fileURLToPath(import.meta.url))
  const suites: AnySuite[] = []
  const folders = (await readdir(root, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory() && entry.name !== 'harness')
    .map((entry) => entry.name)
    .sort()
  for (const folder of folders) {
    const files = (await readdir(join(root, folder))).filter((file) => SUITE_FILE.test(file)).sort()
    for (const file of files) {
      const module = (await import(pathToFileURL(join(root, folder, file)).href)) as { suite?: unknown }
      if (!isSuite(module.suite)) {
        throw new Error(`${folder}/${file} does not export a \`suite\` (see src/harness/suite.ts)`)
      }
      suites.push(module.suite)
    }
  }
  return suites
}

function machineNote(): string {
  const cpus = os.cpus()
  const model = cpus[0]?.model.trim() ?? 'unknown CPU'
  return `Node ${process.version}, ${os.platform()}/${os.arch()}, ${cpus.length} cores (${model})`
}

async function runSuite(suite: BenchSuite, options: MeasureOptions, markdown: boolean): Promise<void> {
  console.log(
    markdown ? `### ${suite.name}\n\n${suite.description}\n` : `== ${suite.name}: ${suite.description}\n`,
  )
  for (const benchCase of await suite.cases()) {
    const runnable = benchCase.contenders.flatMap((contender) => ('run' in contender ? [contender.run] : []))
    const measurements = await measureAll(runnable, options)
    let next = 0
    const results: Result[] = benchCase.contenders.map((contender) =>
      'run' in contender ? { contender, measurement: measurements[next++]! } : { contender },
    )
    console.log(markdown ? markdownTable(benchCase, results) : textTable(benchCase, results))
    console.log()
  }
}

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2))
  const available = await discoverSuites()
  const unknown = args.suites.filter((name) => !available.some((suite) => suite.name === name))
  if (unknown.length > 0) {
    throw new Error(
      `Unknown suite ${unknown.join(', ')}; available: ${available.map((s) => s.name).join(', ')}`,
    )
  }
  const selected =
    args.suites.length === 0 ? available : available.filter((suite) => args.suites.includes(suite.name))
  const options = args.quick ? QUICK_OPTIONS : DEFAULT_OPTIONS
  console.log(`${machineNote()}`)
  if (selected.some((suite) => !isEndToEnd(suite))) {
    console.log(
      `warm-up ${options.warmupMs} ms, median of ${options.rounds} rounds of ~${options.roundMs} ms` +
        `${args.quick ? ' (--quick: smoke run, numbers are noisy)' : ''}; ratios are ops/s relative to kafkite\n`,
    )
  }
  try {
    for (const suite of selected) {
      if (!isEndToEnd(suite)) {
        await runSuite(suite, options, args.markdown)
        continue
      }
      console.log(`== ${suite.name}: ${suite.description}${args.quick ? ' (--quick: smoke run)' : ''}\n`)
      await suite.run({
        quick: args.quick,
        log: (line) => console.log(line),
        ...(args.saveDir === undefined ? {} : { saveDir: args.saveDir }),
        ...(args.cpuProfDir === undefined ? {} : { cpuProfDir: args.cpuProfDir }),
      })
    }
  } finally {
    for (const suite of selected) if (isEndToEnd(suite)) await suite.teardown?.()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
