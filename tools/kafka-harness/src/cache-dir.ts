// Where the harness keeps what outlives one run: the resolved jars and the CLI's state file. It lives outside
// the repository so a fresh clone reuses the jars, and `git clean` never throws away a 100 MB download.
import { homedir } from 'node:os'
import { join } from 'node:path'

export function cacheRoot(): string {
  const override = process.env.KAFKITE_CACHE_DIR
  if (override !== undefined && override !== '') return override
  return join(homedir(), '.cache', 'kafkite')
}

/** Folder holding every jar of one Kafka version (the broker classpath is `<this>/*`). */
export function libsDir(mavenVersion: string): string {
  return join(cacheRoot(), 'kafka', mavenVersion, 'libs')
}

/** Where `kafka:start` records what it started, for `kafka:stop` and for tests run later. */
export function defaultStateFile(): string {
  return join(cacheRoot(), 'run', 'cluster.json')
}
