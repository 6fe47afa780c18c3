import { describe, expect, it } from 'vitest'
import { BASELINE } from '../harness/suite.js'
import { suite } from './protocol-bench.js'

// Timings are never asserted: this only checks that every contender decodes (or encodes) the shared input
// correctly, which `cases()` verifies before handing anything to the timer.
describe('protocol bench suite', () => {
  it('builds its cases, and every other decoder and encoder agrees with kafkite on the inputs', async () => {
    const cases = await suite.cases()
    expect(cases.length).toBeGreaterThan(0)
    for (const benchCase of cases) {
      expect(benchCase.bytes).toBeGreaterThan(0)
      for (const contender of benchCase.contenders) {
        if ('unavailable' in contender) continue
        const baseline = benchCase.contenders.find(
          (other) => other.library === BASELINE && other.operation === contender.operation,
        )
        expect(baseline, `${benchCase.title}: ${contender.operation} has a kafkite baseline`).toBeDefined()
        await contender.run()
      }
    }
  })
})
