// Fault controls on the run's broker: pause/resume, kill/start, restart. Each test leaves the node running,
// so later files find the broker as they expect.
import { isAlive, probeApiVersions, runKafkaTool } from '@kafkite/kafka-harness'
import { describe, expect, it } from 'vitest'
import {
  canControlNodes,
  controlCluster,
  createTopics,
  firstBroker,
  kafka,
  uniqueTopic,
} from '../src/index.js'

const info = kafka()

describe.runIf(canControlNodes())('node control', () => {
  it('pause makes the node silent with its port open; resume brings it back', async () => {
    const cluster = await controlCluster()
    const target = firstBroker(info)
    await cluster.pauseNode(0)
    try {
      // The kernel still accepts the connection, but the stopped JVM never answers.
      await expect(probeApiVersions({ ...target, timeoutMs: 1500 })).rejects.toThrow(/no ApiVersions answer/)
      expect((await controlCluster()).snapshot.nodes[0]?.status).toBe('paused')
    } finally {
      await cluster.resumeNode(0)
    }
    const answer = await probeApiVersions({ ...target, timeoutMs: 10_000 })
    expect(answer.errorCode).toBe(0)
  })

  it('kill ends the JVM at once; start brings the node back on the same port', async () => {
    const cluster = await controlCluster()
    const before = cluster.snapshot.nodes[0]
    if (before?.pid === undefined) throw new Error('node 0 has no pid')
    await cluster.killNode(0)
    expect(isAlive(before.pid)).toBe(false)
    await expect(probeApiVersions({ ...firstBroker(info), timeoutMs: 2000 })).rejects.toThrow(/ECONNREFUSED/)
    await cluster.startNode(0)
    const after = (await controlCluster()).snapshot.nodes[0]
    expect(after?.pid).not.toBe(before.pid)
    expect(after?.ports).toEqual(before.ports)
    expect((await probeApiVersions(firstBroker(info))).errorCode).toBe(0)
  })

  it('restart keeps the data: a topic created before is there after', async () => {
    const topic = uniqueTopic()
    const bootstrap = info.bootstrap.PLAINTEXT ?? ''
    await createTopics([topic], { partitions: 2, replicationFactor: info.nodeCount })
    const cluster = await controlCluster()
    const pidBefore = cluster.snapshot.nodes[0]?.pid
    await cluster.restartNode(0)
    expect((await controlCluster()).snapshot.nodes[0]?.pid).not.toBe(pidBefore)
    const { stdout } = await runKafkaTool(info, 'org.apache.kafka.tools.TopicCommand', [
      '--bootstrap-server',
      bootstrap,
      '--list',
    ])
    expect(stdout.split('\n')).toContain(topic)
  })
})
