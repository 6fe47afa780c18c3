// The produce and consume suites in quick mode against the broker named by KAFKA_BOOTSTRAP: every client
// runs every case, and each run must pass its correctness check (the topic holds exactly N records after
// producing; a consumer saw exactly N records and N × size value bytes). Timings are never asserted.
//
// Without KAFKA_BOOTSTRAP the run starts its own local broker through the harness, like the bench itself.

import { afterAll, describe, expect, it } from 'vitest'
import { acquireBroker, releaseBroker } from './broker.js'
import type { ClientRun } from './end-to-end.js'
import { runConsume, runProduce } from './end-to-end.js'
import { kafkaLibs } from './java-tools.js'

const SUITE_TIMEOUT_MS = 15 * 60_000

/** Every run verified; aiokafka may be n/a only when pip could not install it (the reason says so). */
function expectVerified(runs: readonly ClientRun[], label: string): void {
  for (const { client, outcome } of runs) {
    if (outcome.kind === 'unavailable') {
      expect(client, `${label}: only aiokafka may be unavailable (${outcome.reason})`).toBe('aiokafka')
      expect(outcome.reason).toMatch(/pip|venv/)
      continue
    }
    expect(outcome, `${label}: ${client}`).toMatchObject({ kind: 'ok' })
  }
}

describe('produce and consume suites in quick mode against a real broker', () => {
  afterAll(releaseBroker)

  it(
    'produce: every client writes exactly N records in every case',
    async () => {
      const broker = await acquireBroker()
      const results = await runProduce(broker, await kafkaLibs(broker.kafkaVersion), { quick: true })
      expect(results).toHaveLength(8)
      for (const result of results)
        expectVerified(result.runs, `produce ${result.recordSize} ${result.acks} ${result.compression}`)
    },
    SUITE_TIMEOUT_MS,
  )

  it(
    'consume: every client reads exactly the N records of the pre-filled topic in every case',
    async () => {
      const broker = await acquireBroker()
      const results = await runConsume(broker, await kafkaLibs(broker.kafkaVersion), { quick: true })
      expect(results).toHaveLength(4)
      for (const result of results)
        expectVerified(result.runs, `consume ${result.recordSize} ${result.compression}`)
    },
    SUITE_TIMEOUT_MS,
  )
})
