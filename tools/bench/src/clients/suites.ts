// Shared by the produce and consume suites: the broker and jars of the run, printing, saving, the chart.

import { join } from 'node:path'
import type { EndToEndOptions } from '../harness/suite.js'
import { acquireBroker, type Broker, releaseBroker } from './broker.js'
import { runProcess } from './child-process.js'
import { type CaseResult, machineNote, saveResults } from './end-to-end.js'
import { kafkaLibs } from './java-tools.js'
import { SETTINGS } from './jobs.js'
import { PYTHON_DIR, pythonEnv } from './python-env.js'
import { behindKafkite, detailTable, memoryTable, summaryTable } from './tables.js'

export async function prepare(options: EndToEndOptions): Promise<{ broker: Broker; libs: string }> {
  const broker = await acquireBroker()
  const libs = await kafkaLibs(broker.kafkaVersion)
  options.log(`broker: ${broker.kind} Kafka ${broker.kafkaVersion} at ${broker.bootstrap}`)
  options.log(`machine: ${machineNote()}`)
  options.log(
    `topics: ${SETTINGS.partitions} partitions, replication factor 1; batch ${SETTINGS.batchSize} B, linger ${SETTINGS.lingerMs} ms\n`,
  )
  return { broker, libs }
}

export async function finish(
  suite: string,
  results: readonly CaseResult[],
  options: EndToEndOptions,
  started: string,
): Promise<string | undefined> {
  options.log('')
  options.log(`#### ${suite}: records/s of kafkite, others as a ratio to it (their records/s)\n`)
  options.log(summaryTable(results))
  options.log(`\n#### ${suite}: every run\n`)
  options.log(detailTable(results))
  options.log(`\n#### ${suite}: peak RSS (MiB) of each client process\n`)
  options.log(memoryTable(results))
  const behind = behindKafkite(results)
  options.log(`\nkafkite behind: ${behind.length === 0 ? 'nowhere' : `\n- ${behind.join('\n- ')}`}\n`)
  if (options.saveDir === undefined) return undefined
  const file = await saveResults(options.saveDir, suite, results, {
    startedAt: started,
    machineAtStart: startedMachine.get(suite) ?? '',
    machineAtEnd: machineNote(),
    quick: String(options.quick),
  })
  options.log(`saved ${file}`)
  return file
}

const startedMachine = new Map<string, string>()

export function noteStart(suite: string): string {
  startedMachine.set(suite, machineNote())
  return new Date().toISOString()
}

/** python/chart.py in the bench virtualenv (with matplotlib); says why when there is no chart. */
export async function chart(resultsFile: string, png: string, options: EndToEndOptions): Promise<void> {
  const env = await pythonEnv(['requirements.txt', 'requirements-chart.txt'])
  if ('unavailable' in env) {
    options.log(`no chart: ${env.unavailable}`)
    return
  }
  const outcome = await runProcess(env.python, [join(PYTHON_DIR, 'chart.py'), resultsFile, png], {
    timeoutMs: 120_000,
  })
  options.log(outcome.code === 0 ? `chart: ${png}` : `no chart: chart.py failed: ${outcome.stderr.trim()}`)
}

export { releaseBroker }
