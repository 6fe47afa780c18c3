// Controls a cluster of local broker JVMs through its state file. Every operation re-reads the file first,
// because another process (vitest's global setup, a test worker, the CLI) may have restarted a node since.
import { rmSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import type { Cluster } from './cluster.js'
import type { ClusterInfo, ListenerName, LocalClusterState, NodeState } from './cluster-types.js'
import { isPortFree } from './free-ports.js'
import { commandLine, isAlive, signal, sleep, spawnDetached, waitForExit } from './jvm-process.js'
import { storeScramCredentials } from './scram-credentials.js'
import { readState, readStateSync, writeState } from './state-file.js'
import { waitUntilReady } from './wait-ready.js'

const STOP_GRACE_MS = 30_000
const KILL_WAIT_MS = 10_000
export const READY_TIMEOUT_MS = 180_000

export class LocalCluster implements Cluster {
  private stopped = false

  constructor(
    readonly stateFile: string,
    private state: LocalClusterState,
  ) {}

  /** Control a cluster another process started, from its state file. */
  static async attach(stateFile: string): Promise<LocalCluster> {
    return new LocalCluster(stateFile, await readState(stateFile))
  }

  get info(): ClusterInfo {
    const bootstrap: Partial<Record<ListenerName, string>> = {}
    for (const listener of this.state.listeners) bootstrap[listener] = this.bootstrap(listener)
    return {
      kind: 'local',
      kafkaVersion: this.state.kafkaVersion,
      nodeCount: this.state.nodes.length,
      bootstrap,
      tls: this.state.tls,
      saslUsers: this.state.saslUsers,
      stateFile: this.stateFile,
    }
  }

  /** The current state (pids, ports, folders), as last written by any process. */
  get snapshot(): LocalClusterState {
    return this.state
  }

  bootstrap(listener: ListenerName = 'PLAINTEXT'): string {
    if (!this.state.listeners.includes(listener)) throw new Error(`listener ${listener} is not enabled`)
    return this.state.nodes.map((node) => `127.0.0.1:${node.ports[listener]}`).join(',')
  }

  async stopNode(index: number): Promise<void> {
    await this.update(index, async (node) => {
      if (node.pid === undefined || !isOurs(node)) return
      // A stopped JVM cannot run its shutdown hook: let it continue first.
      signal(node.pid, 'SIGCONT')
      signal(node.pid, 'SIGTERM')
      if (!(await waitForExit(node.pid, STOP_GRACE_MS))) {
        signal(node.pid, 'SIGKILL')
        await waitForExit(node.pid, KILL_WAIT_MS)
      }
      node.pid = undefined
      node.status = 'stopped'
    })
  }

  async killNode(index: number): Promise<void> {
    await this.update(index, async (node) => {
      if (node.pid !== undefined && isOurs(node)) {
        signal(node.pid, 'SIGKILL')
        if (!(await waitForExit(node.pid, KILL_WAIT_MS))) throw new Error(`node ${node.id} survived SIGKILL`)
      }
      node.pid = undefined
      node.status = 'stopped'
    })
  }

  async pauseNode(index: number): Promise<void> {
    await this.update(index, async (node) => {
      if (node.pid === undefined || node.status !== 'running')
        throw new Error(`node ${node.id} is not running`)
      signal(node.pid, 'SIGSTOP')
      node.status = 'paused'
    })
  }

  async resumeNode(index: number): Promise<void> {
    await this.update(index, async (node) => {
      if (node.pid === undefined || node.status !== 'paused') throw new Error(`node ${node.id} is not paused`)
      signal(node.pid, 'SIGCONT')
      node.status = 'running'
    })
  }

  async startNode(index: number): Promise<void> {
    await this.update(index, async (node) => {
      if (node.pid !== undefined && isOurs(node)) throw new Error(`node ${node.id} is already running`)
      node.pid = spawnDetached(node.command, node.logFile, node.dir)
      node.status = 'running'
    })
    const node = this.node(index)
    if (node.pid === undefined) throw new Error(`node ${node.id} has no pid after start`)
    await waitUntilReady(
      { port: node.ports.PLAINTEXT, pid: node.pid, logFile: node.logFile, label: `node ${node.id}` },
      READY_TIMEOUT_MS,
    )
    await storeScramCredentials(this.info, `127.0.0.1:${node.ports.PLAINTEXT}`)
  }

  async restartNode(index: number): Promise<void> {
    await this.stopNode(index)
    await this.startNode(index)
  }

  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    try {
      this.state = await readState(this.stateFile)
    } catch {
      // The file may be gone already (stopped by another process); fall back to what this process knew.
    }
    // Teardown does not need a clean shutdown: the data is deleted next, and SIGKILL is instant.
    await Promise.all(
      this.state.nodes.map(async (node) => {
        if (node.pid === undefined || !isOurs(node)) return
        signal(node.pid, 'SIGKILL')
        await waitForExit(node.pid, KILL_WAIT_MS)
      }),
    )
    // The kernel closes a dead JVM's listening sockets a moment after its threads are gone; wait for that,
    // so the next cluster (or a leftover check) never finds our ports held.
    await Promise.all(
      this.state.nodes.map((node) => waitForPortsFree(Object.values(node.ports), KILL_WAIT_MS)),
    )
    await rm(this.state.root, { recursive: true, force: true })
    await rm(this.stateFile, { force: true })
  }

  private node(index: number): NodeState {
    const node = this.state.nodes[index]
    if (node === undefined) throw new Error(`no node ${index}: the cluster has ${this.state.nodes.length}`)
    return node
  }

  private async update(index: number, change: (node: NodeState) => Promise<void>): Promise<void> {
    this.state = await readState(this.stateFile)
    await change(this.node(index))
    await writeState(this.stateFile, this.state)
  }
}

/**
 * True when the recorded pid still runs this node's JVM. A pid is reused by the OS after the process is gone,
 * so never signal one without checking it is still ours (its command line names the node's config file).
 */
export function isOurs(node: NodeState): boolean {
  if (node.pid === undefined || !isAlive(node.pid)) return false
  const cmd = commandLine(node.pid)
  return cmd === undefined ? true : cmd.includes(node.configFile)
}

/**
 * Kills every JVM recorded in a state file and deletes the cluster's folder, synchronously. Registered on
 * process exit by the process that started the cluster, so a run that dies before its teardown does not leave
 * brokers (or gigabytes of temp files, over many runs) behind. Best effort: nothing here may throw.
 */
export function cleanupSync(stateFile: string): void {
  const state = readStateSync(stateFile)
  if (state === undefined) return
  for (const node of state.nodes) {
    if (node.pid !== undefined && isOurs(node)) signal(node.pid, 'SIGKILL')
  }
  try {
    rmSync(state.root, { recursive: true, force: true })
    rmSync(stateFile, { force: true })
  } catch {
    // A JVM still dying may hold a file for a moment; the OS temp cleaner gets the rest.
  }
}

async function waitForPortsFree(ports: readonly number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (const port of ports) {
    while (!(await isPortFree(port)) && Date.now() < deadline) await sleep(50)
  }
}
