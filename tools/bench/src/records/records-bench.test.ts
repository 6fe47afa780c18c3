import { describe, expect, it } from 'vitest'
import { BASELINE } from '../harness/suite.js'
import { CODECS, suite } from './records-bench.js'

// Timings are never asserted: this checks that the suite builds its cases (which cross-checks every
// library's batches against the records before anything is timed) and that every contender runs.
describe('records bench suite', () => {
  it('builds a case per record size and codec, each with a kafkite baseline for every operation', async () => {
    const cases = await suite.cases()
    expect(cases).toHaveLength(2 * CODECS.length)
    for (const benchCase of cases) {
      expect(benchCase.bytes).toBeGreaterThan(0)
      for (const contender of benchCase.contenders) {
        const baseline = benchCase.contenders.find(
          (other) => other.library === BASELINE && other.operation === contender.operation,
        )
        expect(baseline, `${benchCase.title}: ${contender.operation} has a kafkite baseline`).toBeDefined()
        expect(baseline && 'run' in baseline).toBe(true)
        if ('run' in contender) await contender.run()
      }
    }
  }, 60_000)

  it('measures KafkaJS on every codec, and says why @platformatic/kafka cannot do a case', async () => {
    const cases = await suite.cases()
    for (const benchCase of cases) {
      for (const contender of benchCase.contenders) {
        if (contender.library.startsWith('kafkajs')) expect('run' in contender, benchCase.title).toBe(true)
        if ('unavailable' in contender) expect(contender.unavailable.length).toBeGreaterThan(10)
      }
    }
  }, 60_000)
})
