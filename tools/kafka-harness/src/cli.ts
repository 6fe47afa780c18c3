// `pnpm kafka:fetch | kafka:start | kafka:stop`. `start` leaves the brokers running after it exits and records
// them in a state file; `stop` reads that file and tears everything down.
import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { defaultStateFile } from './cache-dir.js'
import { fetchKafka } from './fetch-kafka.js'
import { KAFKA_VERSIONS, kafkaVersion } from './kafka-versions.js'
import { isOurs, LocalCluster } from './local-cluster.js'
import { startCluster } from './start-cluster.js'

const USAGE = `usage: kafka-harness fetch [--kafka 4|3.9]     resolve broker jars (all versions by default)
       kafka-harness start [--nodes 1|3] [--kafka 4|3.9] [--state FILE]
       kafka-harness stop [--state FILE]`

async function main(argv: readonly string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      nodes: { type: 'string', default: '1' },
      kafka: { type: 'string' },
      state: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const command = positionals[0]
  const stateFile = values.state ?? defaultStateFile()
  if (values.help === true || command === undefined) {
    console.log(USAGE)
    return
  }
  switch (command) {
    case 'fetch': {
      const versions =
        values.kafka === undefined ? Object.values(KAFKA_VERSIONS) : [kafkaVersion(values.kafka)]
      for (const version of versions) {
        const result = await fetchKafka(version)
        const how = result.downloaded ? 'resolved with Maven' : 'already cached'
        console.log(
          `kafka ${result.version}: ${result.jars} jars ${how} in ${result.seconds}s -> ${result.libs}`,
        )
      }
      return
    }
    case 'start': {
      if (existsSync(stateFile)) {
        const previous = await LocalCluster.attach(stateFile)
        if (previous.snapshot.nodes.some(isOurs)) {
          throw new Error(`${stateFile}: a cluster is already running (run kafka:stop first)`)
        }
        // Every JVM it names is gone (machine rebooted, killed by hand): clear the stale record and start.
        await previous.stop()
      }
      const nodes = values.nodes === '3' ? 3 : values.nodes === '1' ? 1 : undefined
      if (nodes === undefined) throw new Error(`--nodes must be 1 or 3, not ${values.nodes}`)
      const started = performance.now()
      const cluster = await startCluster({
        nodes,
        ...(values.kafka === undefined ? {} : { kafkaVersion: values.kafka }),
        stateFile,
        detached: true,
        ignoreEnvironment: true,
      })
      const seconds = ((performance.now() - started) / 1000).toFixed(1)
      const info = cluster.info
      console.log(`kafka ${info.kafkaVersion}, ${info.nodeCount} node(s), ready in ${seconds}s`)
      for (const [listener, bootstrap] of Object.entries(info.bootstrap))
        console.log(`  ${listener}: ${bootstrap}`)
      console.log(`state: ${stateFile}`)
      return
    }
    case 'stop': {
      if (!existsSync(stateFile)) {
        console.log(`no cluster recorded at ${stateFile}`)
        return
      }
      const cluster = await LocalCluster.attach(stateFile)
      await cluster.stop()
      console.log('stopped')
      return
    }
    default:
      throw new Error(`unknown command '${command}'\n${USAGE}`)
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
