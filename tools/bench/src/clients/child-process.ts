// Runs one client process and watches its memory: VmHWM (peak resident set) from /proc/<pid>/status,
// sampled while it runs. Node and Python workers also report their own peak (getrusage), which is exact;
// the sampled value is what the Java tools get.

import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'

export interface ProcessOutcome {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  /** Highest VmHWM seen while sampling, KiB; null where /proc is not available. */
  readonly sampledPeakRssKiB: number | null
  readonly timedOut: boolean
}

/** VmHWM of a /proc/<pid>/status text, in KiB. */
export function parseVmHwm(status: string): number | null {
  const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status)
  return match === null ? null : Number(match[1])
}

async function sampleVmHwm(pid: number): Promise<number | null> {
  try {
    return parseVmHwm(await readFile(`/proc/${pid}/status`, 'utf8'))
  } catch {
    return null
  }
}

export interface RunOptions {
  readonly timeoutMs: number
  readonly env?: NodeJS.ProcessEnv
  readonly cwd?: string
  /** How often VmHWM is read. */
  readonly sampleEveryMs?: number
}

export function runProcess(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<ProcessOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    })
    let stdout = ''
    let stderr = ''
    let peak: number | null = null
    let timedOut = false
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      // Keep the tail only: a chatty client must not grow the parent.
      stderr = (stderr + chunk).slice(-64 * 1024)
    })
    const pid = child.pid
    const sample = async () => {
      if (pid === undefined) return
      const value = await sampleVmHwm(pid)
      if (value !== null && (peak === null || value > peak)) peak = value
    }
    const sampler = setInterval(() => void sample(), options.sampleEveryMs ?? 50)
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, options.timeoutMs)
    child.on('error', (error) => {
      clearInterval(sampler)
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code, signal) => {
      clearInterval(sampler)
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr, sampledPeakRssKiB: peak, timedOut })
    })
  })
}
