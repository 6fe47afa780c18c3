// Reads and writes a local cluster's state file. Writes go to a temp file then rename, so a reader in another
// process (the CLI, a test worker) never sees half a file.
import { readFileSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { LocalClusterState } from './cluster-types.js'

export async function writeState(file: string, state: LocalClusterState): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  const temp = `${file}.${process.pid}.tmp`
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`)
  await rename(temp, file)
}

export async function readState(file: string): Promise<LocalClusterState> {
  return parseState(await readFile(file, 'utf8'), file)
}

/** For process 'exit' handlers, which cannot await. */
export function readStateSync(file: string): LocalClusterState | undefined {
  try {
    return parseState(readFileSync(file, 'utf8'), file)
  } catch {
    return undefined
  }
}

function parseState(text: string, file: string): LocalClusterState {
  const parsed: unknown = JSON.parse(text)
  if (typeof parsed !== 'object' || parsed === null || !('format' in parsed) || parsed.format !== 1) {
    throw new Error(`${file} is not a kafka-harness state file`)
  }
  // The file is only ever written by writeState from a LocalClusterState.
  return parsed as LocalClusterState
}
