// Lists what a stopped cluster left behind: live JVMs, held ports, files. Teardown checks call this, because
// a broker that survives a run holds its ports and CPU and makes the next run flaky in ways hard to trace.
import { existsSync, readdirSync } from 'node:fs'
import type { LocalClusterState } from './cluster-types.js'
import { isPortFree } from './free-ports.js'
import { commandLine, isAlive } from './jvm-process.js'

export async function clusterLeftovers(state: LocalClusterState): Promise<string[]> {
  const problems: string[] = []
  for (const node of state.nodes) {
    if (node.pid !== undefined && isAlive(node.pid))
      problems.push(`node ${node.id}: pid ${node.pid} still alive`)
    for (const [name, port] of Object.entries(node.ports)) {
      if (!(await isPortFree(port))) problems.push(`node ${node.id}: ${name} port ${port} still held`)
    }
  }
  // Any process whose command line names this cluster's folder (a JVM restarted by another process, say).
  for (const pid of processIds()) {
    if (pid === process.pid || !isAlive(pid)) continue
    const cmd = commandLine(pid)
    if (cmd?.includes(state.root)) problems.push(`pid ${pid} still runs: ${cmd.slice(0, 200)}`)
  }
  if (existsSync(state.root)) problems.push(`folder ${state.root} still exists`)
  return problems
}

function processIds(): number[] {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
  } catch {
    return []
  }
}
