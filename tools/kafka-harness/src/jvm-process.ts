// Starting and signalling broker JVMs. A JVM is started detached, in its own process group, with its output
// going straight to a file: it does not depend on the Node process that started it, so `kafka:start` can
// exit, and a test worker can restart a node that vitest's global setup started.
import { spawn } from 'node:child_process'
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs'

const HAS_PROC = existsSync('/proc/self/stat')

export function spawnDetached(command: readonly string[], logFile: string, cwd: string): number {
  const [program, ...args] = command
  if (program === undefined) throw new Error('empty command')
  const fd = openSync(logFile, 'a')
  try {
    const child = spawn(program, args, { cwd, detached: true, stdio: ['ignore', fd, fd] })
    if (child.pid === undefined) throw new Error(`cannot start ${program}`)
    // Swallow the async 'error' event (already handled by the pid check) so it cannot crash the process.
    child.on('error', () => {})
    child.unref()
    return child.pid
  } finally {
    closeSync(fd)
  }
}

/**
 * True while the process exists and is not a zombie. A killed child stays a zombie until its parent reaps it,
 * and `kill(pid, 0)` succeeds on zombies, so on Linux read the state from /proc instead.
 */
export function isAlive(pid: number): boolean {
  if (HAS_PROC) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
      return state !== 'Z' && state !== 'X'
    } catch {
      return false
    }
  }
  // No /proc (macOS): fall back to the signal-0 probe.
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** The command line of a live process, or undefined; used to check a recorded pid is still our JVM. */
export function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')
  } catch {
    return undefined
  }
}

export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch (error) {
    if (!isErrno(error, 'ESRCH')) throw error
  }
}

/**
 * True once the whole process is gone. A killed JVM's main thread turns zombie first while its other threads
 * are still being torn down, holding the listening sockets; so a zombie counts as gone only when it is the
 * last thread of its group.
 */
function hasExited(pid: number): boolean {
  if (isAlive(pid)) return false
  if (!HAS_PROC) return true
  try {
    return readdirSync(`/proc/${pid}/task`).length <= 1
  } catch {
    return true
  }
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (!hasExited(pid)) {
    if (Date.now() > deadline) return false
    await sleep(50)
  }
  return true
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code
}
