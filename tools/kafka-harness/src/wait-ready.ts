// Waits until a broker answers ApiVersions: the socket server only starts serving requests once the broker has
// caught up with the metadata log and been unfenced, so an answer means "ready for clients", not just "port open".
import { readFile } from 'node:fs/promises'
import { type ApiVersionsAnswer, probeApiVersions } from './api-versions-probe.js'
import { isAlive, sleep } from './jvm-process.js'
import { tail } from './run-command.js'

export interface ReadyTarget {
  readonly port: number
  readonly pid: number
  readonly logFile: string
  readonly label: string
}

export async function waitUntilReady(target: ReadyTarget, timeoutMs: number): Promise<ApiVersionsAnswer> {
  const deadline = Date.now() + timeoutMs
  let lastError = 'no attempt yet'
  while (Date.now() < deadline) {
    if (!isAlive(target.pid)) {
      throw new Error(
        `${target.label} (pid ${target.pid}) exited during startup${await logTail(target.logFile)}`,
      )
    }
    try {
      const answer = await probeApiVersions({ host: '127.0.0.1', port: target.port, timeoutMs: 2000 })
      if (answer.errorCode === 0 && answer.apis.length > 0) return answer
      lastError = `ApiVersions error code ${answer.errorCode}`
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error)
    }
    await sleep(250)
  }
  throw new Error(
    `${target.label} did not answer ApiVersions on 127.0.0.1:${target.port} within ${timeoutMs} ms ` +
      `(last: ${lastError})${await logTail(target.logFile)}`,
  )
}

export async function logTail(logFile: string, lines = 40): Promise<string> {
  try {
    const text = await readFile(logFile, 'utf8')
    const last = text.trimEnd().split('\n').slice(-lines).join('\n')
    return `\n--- last ${lines} lines of ${logFile} ---\n${tail(last, 8000)}`
  } catch {
    return `\n(no log at ${logFile})`
  }
}
