// Runs a short-lived tool (mvn, keytool, openssl, the storage formatter) and fails with its output, so a
// broken environment shows the tool's own words instead of a bare exit code.
import { spawn } from 'node:child_process'

export interface CommandResult {
  readonly stdout: string
  readonly stderr: string
}

export interface RunOptions {
  readonly cwd?: string
  readonly timeoutMs?: number
  readonly env?: NodeJS.ProcessEnv
}

export function runCommand(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    const timeoutMs = options.timeoutMs ?? 120_000
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(new Error(`cannot run ${command}: ${error.message}`))
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) {
        resolve({ stdout, stderr })
        return
      }
      const why = signal !== null ? `killed by ${signal} (timeout ${timeoutMs} ms?)` : `exit code ${code}`
      reject(new Error(`${command} ${args.join(' ')} failed: ${why}\n${tail(stdout + stderr, 4000)}`))
    })
  })
}

export function tail(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `…${text.slice(text.length - maxChars)}`
}
