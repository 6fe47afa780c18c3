import { describe, expect, it } from 'vitest'
import { suite } from './lz4-bench.js'

describe('lz4 bench suite', () => {
  it('cross-checks every frame codec on every other one, and every contender runs', async () => {
    const cases = await suite.cases()
    expect(cases).toHaveLength(2)
    for (const benchCase of cases)
      for (const contender of benchCase.contenders) if ('run' in contender) contender.run()
  })
})
