// Resolves a Kafka broker's jars from Maven Central into the cache, once. Maven does the dependency
// resolution (the same graph the Kafka distribution is built from), so the harness never hand-lists jars.
import { existsSync } from 'node:fs'
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { libsDir } from './cache-dir.js'
import type { KafkaVersion } from './kafka-versions.js'
import { runCommand } from './run-command.js'

const POM = fileURLToPath(new URL('../maven/pom.xml', import.meta.url))
const MARKER = '.kafkite-complete'

export interface FetchResult {
  readonly version: string
  readonly libs: string
  readonly jars: number
  /** False when the cache already held the jars and Maven was not run. */
  readonly downloaded: boolean
  readonly seconds: number
}

export async function fetchKafka(version: KafkaVersion): Promise<FetchResult> {
  const started = performance.now()
  const libs = libsDir(version.maven)
  const marker = join(libs, MARKER)
  if (existsSync(marker)) {
    const jars = (await readdir(libs)).filter((name) => name.endsWith('.jar')).length
    return { version: version.maven, libs, jars, downloaded: false, seconds: elapsed(started) }
  }
  // Resolve into a sibling folder and rename at the end: an interrupted download never looks complete.
  const staging = `${libs}.partial-${process.pid}`
  await rm(staging, { recursive: true, force: true })
  await mkdir(dirname(libs), { recursive: true })
  await runCommand(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      POM,
      'dependency:copy-dependencies',
      `-Dkafka.version=${version.maven}`,
      `-Dkafka.logging=${version.logging}`,
      `-DoutputDirectory=${staging}`,
    ],
    { timeoutMs: 15 * 60_000 },
  )
  const jars = (await readdir(staging)).filter((name) => name.endsWith('.jar'))
  if (!jars.some((name) => name.startsWith(`kafka_2.13-${version.maven}`))) {
    throw new Error(`Maven resolved no kafka_2.13-${version.maven}.jar into ${staging}`)
  }
  await writeFile(join(staging, MARKER), `${JSON.stringify({ version: version.maven, jars: jars.length })}\n`)
  await rm(libs, { recursive: true, force: true })
  await rename(staging, libs)
  return { version: version.maven, libs, jars: jars.length, downloaded: true, seconds: elapsed(started) }
}

/** True when `fetchKafka` would not need Maven. */
export function isFetched(version: KafkaVersion): boolean {
  return existsSync(join(libsDir(version.maven), MARKER))
}

function elapsed(startedMs: number): number {
  return Math.round((performance.now() - startedMs) / 100) / 10
}
