// The virtualenv the aiokafka worker runs in: made on first use under the harness's cache folder (outside
// the repository), with the pins of python/requirements*.txt, from PyPI through pip. Reused while the
// requirements files are unchanged (a marker holds their hash).

import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cacheRoot } from '@kafkite/kafka-harness'
import { runProcess } from './child-process.js'

/** tools/bench/python. */
export const PYTHON_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'python')

export type PythonEnv = { readonly python: string } | { readonly unavailable: string }

const cache = new Map<string, Promise<PythonEnv>>()

function venvDir(): string {
  return process.env.KAFKITE_BENCH_VENV ?? join(cacheRoot(), 'bench-venv')
}

async function run(command: string, args: readonly string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const outcome = await runProcess(command, args, { timeoutMs: 600_000 })
    return { ok: outcome.code === 0, output: `${outcome.stdout}${outcome.stderr}`.trim() }
  } catch (error) {
    return { ok: false, output: String(error) }
  }
}

function lastLines(text: string): string {
  return text.split('\n').slice(-3).join(' | ')
}

async function prepare(requirementFiles: readonly string[]): Promise<PythonEnv> {
  const dir = venvDir()
  const python = join(dir, 'bin', 'python')
  const hash = createHash('sha256')
  for (const file of requirementFiles) hash.update(await readFile(join(PYTHON_DIR, file)))
  const marker = join(dir, `.kafkite-bench-${hash.digest('hex').slice(0, 16)}`)
  if (existsSync(marker) && existsSync(python)) return { python }
  if (!existsSync(python)) {
    const pythonCommand = process.env.KAFKITE_BENCH_PYTHON ?? 'python3'
    const made = await run(pythonCommand, ['-m', 'venv', dir])
    if (!made.ok) return { unavailable: `python3 -m venv failed: ${lastLines(made.output)}` }
  }
  const installArgs = ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check']
  for (const file of requirementFiles) installArgs.push('-r', join(PYTHON_DIR, file))
  const installed = await run(python, installArgs)
  if (!installed.ok) {
    await rm(marker, { force: true })
    return { unavailable: `pip install failed: ${lastLines(installed.output)}` }
  }
  await writeFile(marker, `${requirementFiles.join(' ')}\n`)
  return { python }
}

/** A Python with the given requirement files installed, or why there is none. */
export function pythonEnv(requirementFiles: readonly string[] = ['requirements.txt']): Promise<PythonEnv> {
  const key = requirementFiles.join(',')
  let prepared = cache.get(key)
  if (prepared === undefined) {
    prepared = prepare(requirementFiles)
    cache.set(key, prepared)
  }
  return prepared
}
