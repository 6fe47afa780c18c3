// `pnpm bench produce`: produce throughput of kafkite, KafkaJS, @platformatic/kafka, aiokafka and Kafka's
// ProducerPerformance against one broker. See docs/benchmarks.md for what each client is asked to do.

import { join } from 'node:path'
import type { EndToEndSuite } from '../harness/suite.js'
import { runProduce } from './end-to-end.js'
import { chart, finish, noteStart, prepare, releaseBroker } from './suites.js'

export const suite: EndToEndSuite = {
  name: 'produce',
  description:
    'records/s, MB/s and peak RSS producing N records (100 B and 1 KiB; acks 1 and all; none and lz4), one process per client',
  async run(options) {
    const started = noteStart('produce')
    const { broker, libs } = await prepare(options)
    const results = await runProduce(broker, libs, {
      quick: options.quick,
      log: options.log,
      ...(options.cpuProfDir === undefined ? {} : { cpuProfDir: options.cpuProfDir }),
    })
    const file = await finish('produce', results, options, started)
    if (file !== undefined && options.saveDir !== undefined) {
      await chart(file, join(options.saveDir, 'produce.png'), options)
    }
  },
  teardown: releaseBroker,
}
