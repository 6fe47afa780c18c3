// Broker-free tests of the produce and consume suites' parts: the workers' answer, the payloads, the Java
// tools' summaries, the peak-RSS sampling and the tables. The suites themselves run against a broker in
// end-to-end.broker.test.ts (against a real broker: KAFKA_BOOTSTRAP or one the harness starts).

import { describe, expect, it } from 'vitest'
import { parseVmHwm, runProcess } from './child-process.js'
import { CLIENTS } from './contenders.js'
import type { CaseResult } from './end-to-end.js'
import {
  parseConsumerPerformance,
  parseProducerPerformance,
  producerPerformanceProperties,
} from './java-tools.js'
import { formatResult, parseResult, payloadPool, RESULT_PREFIX, recordsPerSend, SETTINGS } from './jobs.js'
import { behindKafkite, detailTable, memoryTable, summaryTable } from './tables.js'

describe('worker answers', () => {
  it('round-trip through the result line, which may follow other output', () => {
    const result = { records: 10, bytes: 1000, elapsedMs: 12.5, maxRssKiB: 65536 }
    expect(parseResult(`some log line\n${formatResult(result)}\n`)).toEqual(result)
  })

  it('are refused when missing or malformed', () => {
    expect(() => parseResult('no answer here')).toThrow(/no result line/)
    expect(() =>
      parseResult(`${RESULT_PREFIX}{"records":1,"bytes":1,"elapsedMs":0,"maxRssKiB":null}`),
    ).toThrow(/malformed/)
  })
})

describe('payloads', () => {
  it('are random upper-case letters of the record size, distinct within 64 KiB', () => {
    for (const size of [100, 1024]) {
      const pool = payloadPool(size)
      expect(pool.length * size).toBeGreaterThanOrEqual(65536)
      for (const value of pool) {
        expect(value).toHaveLength(size)
        expect(/^[A-Z]+$/.test(value.toString('latin1'))).toBe(true)
      }
      expect(new Set(pool.map((value) => value.toString('latin1'))).size).toBe(pool.length)
    }
  })

  it('fill one batch size per partition in each send of the caller-batched clients', () => {
    expect(recordsPerSend(100, 6)).toBe(151 * 6)
    expect(recordsPerSend(1024, 6)).toBe(15 * 6)
    expect(recordsPerSend(100_000, 1)).toBe(1)
  })
})

describe("Kafka's perf tools", () => {
  it('ProducerPerformance: the final summary line, not the interval ones', () => {
    const stdout = [
      '61843 records sent, 12368.6 records/sec (1.18 MB/sec), 1100.2 ms avg latency, 1590.0 ms max latency.',
      '200000 records sent, 81234.5 records/sec (7.75 MB/sec), 123.45 ms avg latency, 456.00 ms max latency, 100 ms 50th, 300 ms 95th, 400 ms 99th, 450 ms 99.9th.',
    ].join('\n')
    expect(parseProducerPerformance(stdout)).toEqual({ records: 200000, recordsPerSec: 81234.5 })
    expect(() => parseProducerPerformance('Exception in thread "main"')).toThrow(/no summary/)
  })

  it('ProducerPerformance gets the batch size, linger, acks and compression of the case, no idempotence', () => {
    expect(producerPerformanceProperties({ bootstrap: 'b:9092', acks: -1, compression: 'lz4' })).toEqual({
      'bootstrap.servers': 'b:9092',
      acks: 'all',
      'compression.type': 'lz4',
      'batch.size': SETTINGS.batchSize,
      'linger.ms': SETTINGS.lingerMs,
      'enable.idempotence': 'false',
    })
  })

  it('ConsumerPerformance: records, MB and the fetch time (without the group join)', () => {
    const stdout = [
      'start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec',
      '2026-11-27 20:50:01:123, 2026-11-27 20:50:03:456, 95.3674, 40.8775, 1000000, 428632.6618, 512, 1821, 52.3709, 549148.8193',
    ].join('\n')
    expect(parseConsumerPerformance(stdout)).toEqual({
      records: 1000000,
      megabytes: 95.3674,
      fetchTimeMs: 1821,
    })
    expect(() => parseConsumerPerformance('WARN nothing')).toThrow(/no summary/)
  })
})

describe('peak RSS', () => {
  it('reads VmHWM from /proc/<pid>/status', () => {
    expect(parseVmHwm('Name:\tnode\nVmPeak:\t  999 kB\nVmHWM:\t   45872 kB\nVmRSS:\t 40000 kB\n')).toBe(45872)
    expect(parseVmHwm('Name:\tnode\n')).toBeNull()
  })

  it.runIf(process.platform === 'linux')(
    'is sampled while a child runs: a child holding 64 MiB peaks above it',
    async () => {
      const hold = 'const b = Buffer.alloc(64 * 1024 * 1024, 1); setTimeout(() => console.log(b[0]), 400)'
      const outcome = await runProcess(process.execPath, ['-e', hold], {
        timeoutMs: 20_000,
        sampleEveryMs: 20,
      })
      expect(outcome.code).toBe(0)
      expect(outcome.sampledPeakRssKiB).toBeGreaterThan(64 * 1024)
    },
    30_000,
  )
})

function run(recordsPerSec: number, rssMiB = 100) {
  return {
    kind: 'ok' as const,
    result: { records: recordsPerSec, bytes: recordsPerSec * 100, elapsedMs: 1000, maxRssKiB: rssMiB * 1024 },
  }
}

const RESULTS: CaseResult[] = [
  {
    mode: 'produce',
    recordSize: 100,
    records: 1000,
    acks: -1,
    compression: 'lz4',
    runs: [
      { client: 'kafkite', outcome: run(100_000, 90) },
      { client: 'kafkajs', outcome: run(50_000) },
      { client: 'platformatic', outcome: { kind: 'failed', reason: 'verification: the topic holds 10' } },
      { client: 'aiokafka', outcome: { kind: 'unavailable', reason: 'aiokafka not installed: pip failed' } },
      { client: 'java', outcome: run(250_000, 300) },
    ],
  },
]

describe('tables', () => {
  it('summary: kafkite records/s and MB/s, every other client as a ratio with its records/s', () => {
    const table = summaryTable(RESULTS)
    expect(table).toContain('| record | acks | compression | kafkite records/s | kafkite MB/s |')
    expect(table).toContain(
      '| 100 B | all | lz4 | 100,000 | 10.0 | 0.50× (50,000) | failed | n/a | 2.50× (250,000) |',
    )
  })

  it('detail: every run with peak RSS, and the reason where there is no number', () => {
    const table = detailTable(RESULTS)
    expect(table).toContain('| 100 B | all | lz4 | kafkite | 100,000 | 10.0 | 90 | baseline |')
    expect(table).toContain('failed: verification: the topic holds 10')
    expect(table).toContain('n/a: aiokafka not installed: pip failed')
    expect(table.split('\n')).toHaveLength(2 + CLIENTS.length)
  })

  it('memory, and the rows where kafkite is behind', () => {
    expect(memoryTable(RESULTS)).toContain('| 100 B | all | lz4 | 90 | 100 | n/a | n/a | 300 |')
    expect(behindKafkite(RESULTS)).toEqual(['100 B all lz4: Java perf tool 2.50×'])
  })
})
