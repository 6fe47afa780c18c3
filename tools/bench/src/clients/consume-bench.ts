// `pnpm bench consume`: consume throughput of kafkite, KafkaJS, @platformatic/kafka, aiokafka and Kafka's
// ConsumerPerformance, each reading the same pre-filled topic. See docs/benchmarks.md.

import type { EndToEndSuite } from '../harness/suite.js'
import { runConsume } from './end-to-end.js'
import { finish, noteStart, prepare, releaseBroker } from './suites.js'

export const suite: EndToEndSuite = {
  name: 'consume',
  description:
    'records/s, MB/s and peak RSS reading N records (100 B and 1 KiB; none and lz4) from the start of a topic, one process per client',
  async run(options) {
    const started = noteStart('consume')
    const { broker, libs } = await prepare(options)
    const results = await runConsume(broker, libs, {
      quick: options.quick,
      log: options.log,
      ...(options.cpuProfDir === undefined ? {} : { cpuProfDir: options.cpuProfDir }),
    })
    await finish('consume', results, options, started)
  },
  teardown: releaseBroker,
}
