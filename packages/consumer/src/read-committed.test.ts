import { describe, expect, it } from 'vitest'
import type { CompletedFetch } from './completed-fetch.js'
import type { ConsumerRecord } from './consumer-record.js'
import { FetchResponseHandler } from './fetch-response-handler.js'
import { batch, marker, type PartitionSpec, partitionData, TP, txnBatch } from './test-support/batches.js'

// Producer ids of two transactional producers and one plain producer's batches.
const P1 = 1001n
const P2 = 1002n

const committed = new FetchResponseHandler({ isolationLevel: 'read_committed', autoOffsetReset: 'latest' })

function read(
  fetchOffset: bigint,
  spec: PartitionSpec,
): { values: string[]; fetch: CompletedFetch<Buffer | null, Buffer | null> } {
  const outcome = committed.handle(TP, fetchOffset, partitionData(spec))
  if (outcome.kind !== 'records') throw new Error(`expected records, got ${outcome.kind}`)
  const out: ConsumerRecord[] = []
  outcome.fetch.drain(Number.POSITIVE_INFINITY, out)
  return { values: out.map((record) => `${record.offset}:${record.value!.toString()}`), fetch: outcome.fetch }
}

describe('read_committed', () => {
  it('drops aborted records, keeps committed and plain ones, skips markers; the offsets leave gaps', () => {
    const { values, fetch } = read(0n, {
      records: [
        txnBatch(P1, 0n, ['a0', 'a1']),
        marker('abort', P1, 2n),
        txnBatch(P2, 3n, ['c3', 'c4']),
        marker('commit', P2, 5n),
        batch({ baseOffset: 6n, records: ['plain6'] }),
      ],
      abortedTransactions: [{ producerId: P1, firstOffset: 0n }],
      lastStableOffset: 7n,
    })
    expect(values).toEqual(['3:c3', '4:c4', '6:plain6'])
    expect(fetch.nextFetchOffset).toBe(7n)
    expect(fetch.endOffset).toBe(7n)
  })

  it('filters by producer when transactions interleave', () => {
    const { values, fetch } = read(0n, {
      records: [
        txnBatch(P1, 0n, ['a0', 'a1']),
        txnBatch(P2, 2n, ['c2', 'c3']),
        txnBatch(P1, 4n, ['a4']),
        marker('abort', P1, 5n),
        txnBatch(P2, 6n, ['c6']),
        marker('commit', P2, 7n),
      ],
      abortedTransactions: [{ producerId: P1, firstOffset: 0n }],
    })
    expect(values).toEqual(['2:c2', '3:c3', '6:c6'])
    expect(fetch.nextFetchOffset).toBe(8n)
  })

  it("a producer's next transaction after its ABORT marker is live again", () => {
    const { values } = read(0n, {
      records: [
        txnBatch(P1, 0n, ['a0', 'a1']),
        marker('abort', P1, 2n),
        txnBatch(P1, 3n, ['c3', 'c4']),
        marker('commit', P1, 5n),
      ],
      abortedTransactions: [{ producerId: P1, firstOffset: 0n }],
    })
    expect(values).toEqual(['3:c3', '4:c4'])
  })

  it('two aborted transactions of one producer, listed out of order; nothing delivered, position moves past all', () => {
    const { values, fetch } = read(0n, {
      records: [
        txnBatch(P1, 0n, ['a0', 'a1']),
        marker('abort', P1, 2n),
        txnBatch(P1, 3n, ['a3']),
        marker('abort', P1, 4n),
      ],
      abortedTransactions: [
        { producerId: P1, firstOffset: 3n },
        { producerId: P1, firstOffset: 0n },
      ],
    })
    expect(values).toEqual([])
    expect(fetch.nextFetchOffset).toBe(5n)
    expect(fetch.isConsumed).toBe(true)
  })

  it('a fetch holding only markers delivers nothing yet moves the position', () => {
    const { values, fetch } = read(10n, { records: [marker('commit', P1, 10n), marker('abort', P2, 11n)] })
    expect(values).toEqual([])
    expect(fetch.nextFetchOffset).toBe(12n)
  })

  it('stops at the last stable offset: an open transaction and what follows it wait', () => {
    const { values, fetch } = read(0n, {
      records: [
        txnBatch(P1, 0n, ['c0', 'c1']),
        marker('commit', P1, 2n),
        txnBatch(P2, 3n, ['open3', 'open4']),
        batch({ baseOffset: 5n, records: ['plain5'] }),
      ],
      lastStableOffset: 3n,
    })
    expect(values).toEqual(['0:c0', '1:c1'])
    expect(fetch.nextFetchOffset).toBe(3n)
    expect(fetch.endOffset).toBe(3n)
  })

  it('stops inside a batch that crosses the last stable offset, with the position at it', () => {
    const { values, fetch } = read(0n, {
      records: [batch({ baseOffset: 0n, records: 5 })],
      lastStableOffset: 3n,
    })
    expect(values).toEqual(['0:v0', '1:v1', '2:v2'])
    expect(fetch.nextFetchOffset).toBe(3n)
    expect(fetch.endOffset).toBe(3n)
  })

  it('a position already at the last stable offset inside a batch delivers nothing and stays', () => {
    const { values, fetch } = read(3n, {
      records: [batch({ baseOffset: 0n, records: 5 })],
      lastStableOffset: 3n,
    })
    expect(values).toEqual([])
    expect(fetch.nextFetchOffset).toBe(3n)
    expect(fetch.isConsumed).toBe(true)
  })

  it('drops an aborted transaction that began before the fetch position', () => {
    const { values, fetch } = read(2n, {
      records: [
        txnBatch(P1, 0n, ['a0', 'a1', 'a2', 'a3']),
        marker('abort', P1, 4n),
        batch({ baseOffset: 5n, records: ['p5'] }),
      ],
      abortedTransactions: [{ producerId: P1, firstOffset: 0n }],
    })
    expect(values).toEqual(['5:p5'])
    expect(fetch.nextFetchOffset).toBe(6n)
  })

  it('reads from the fetch position inside a committed batch', () => {
    const { values } = read(3n, {
      records: [txnBatch(P2, 0n, ['c0', 'c1', 'c2', 'c3', 'c4']), marker('commit', P2, 5n)],
    })
    expect(values).toEqual(['3:c3', '4:c4'])
  })

  it('a transaction aborted later in the log does not drop earlier batches of the producer', () => {
    // P1 committed at 0-1; its aborted transaction starts at 3, after the first batch.
    const { values } = read(0n, {
      records: [
        txnBatch(P1, 0n, ['c0', 'c1']),
        marker('commit', P1, 2n),
        txnBatch(P1, 3n, ['a3']),
        marker('abort', P1, 4n),
      ],
      abortedTransactions: [{ producerId: P1, firstOffset: 3n }],
    })
    expect(values).toEqual(['0:c0', '1:c1'])
  })

  it('an ABORT marker with no records of its producer before it is harmless', () => {
    const { values } = read(0n, {
      records: [marker('abort', P1, 0n), txnBatch(P2, 1n, ['c1']), marker('commit', P2, 2n)],
      abortedTransactions: [{ producerId: P1, firstOffset: 0n }],
    })
    expect(values).toEqual(['1:c1'])
  })

  it('decodes compressed transactional batches', () => {
    const { values } = read(0n, {
      records: [
        batch({
          baseOffset: 0n,
          records: ['z0', 'z1'],
          producerId: P1,
          transactional: true,
          compression: 'gzip',
        }),
        marker('abort', P1, 2n),
        batch({ baseOffset: 3n, records: ['k3'], producerId: P2, transactional: true, compression: 'gzip' }),
        marker('commit', P2, 4n),
      ],
      abortedTransactions: [{ producerId: P1, firstOffset: 0n }],
    })
    expect(values).toEqual(['3:k3'])
  })

  it('with an unknown LSO (-1) there is no limit', () => {
    const { values } = read(0n, { records: [batch({ baseOffset: 0n, records: 2 })], lastStableOffset: -1n })
    expect(values).toEqual(['0:v0', '1:v1'])
  })
})
