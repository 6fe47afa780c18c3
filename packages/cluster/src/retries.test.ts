import {
  AuthenticationFailedError,
  GroupAuthorizationFailedError,
  IllegalStateError,
  KafkaConnectionError,
  KafkaTimeoutError,
  NoBrokersAvailable,
  NotControllerError,
  NotLeaderForPartitionError,
  ProtocolError,
  RebalanceInProgressError,
  RequestTimedOutError,
  SaslAuthenticationFailed,
  UnknownTopicOrPartitionError,
} from '@kafkite/protocol'
import { FrameSizeError, TlsHandshakeError } from '@kafkite/transport'
import { describe, expect, it } from 'vitest'
import { backoffDelay } from './backoff.js'
import { BrokerNotFoundError } from './errors.js'
import { isRetriable, needsMetadataRefresh } from './is-retriable.js'
import { sleep, withRetries } from './with-retries.js'

describe('backoffDelay', () => {
  const policy = { initialMs: 100, maxMs: 1000, jitter: 0.2 }

  it('doubles from initialMs, caps at maxMs, spreads by the jitter', () => {
    const middle = (): number => 0.5
    expect([1, 2, 3, 4, 5, 6, 40].map((failures) => backoffDelay(policy, failures, middle))).toEqual([
      100, 200, 400, 800, 1000, 1000, 1000,
    ])
    expect(backoffDelay(policy, 1, () => 0)).toBeCloseTo(80)
    expect(backoffDelay(policy, 1, () => 1)).toBeCloseTo(120)
    expect(backoffDelay(policy, 0)).toBe(0)
    expect(backoffDelay({ initialMs: 0, maxMs: 0 }, 3)).toBe(0)
  })
})

describe('isRetriable', () => {
  it.each([
    [new KafkaConnectionError(), true],
    [new RequestTimedOutError(), true],
    [new NotLeaderForPartitionError(), true],
    [new UnknownTopicOrPartitionError(), true],
    [new NoBrokersAvailable(), true],
    [new BrokerNotFoundError(), true],
    [new KafkaTimeoutError({ retriable: true }), true],
    [new KafkaTimeoutError(), false],
    [new AuthenticationFailedError(), false],
    [new SaslAuthenticationFailed(), false],
    [new GroupAuthorizationFailedError({ retriable: true }), false],
    [new TlsHandshakeError({ message: 'untrusted' }), false],
    [new FrameSizeError({ message: 'huge', size: 1 }), false],
    [new ProtocolError(), false],
    [new RebalanceInProgressError(), false],
    [new IllegalStateError(), false],
    [new TypeError('bug'), false],
    ['a string', false],
  ])('%s → %s', (error, expected) => {
    expect(isRetriable(error)).toBe(expected)
  })

  it('asks for a metadata refresh after stale-metadata errors, NOT_CONTROLLER included', () => {
    expect(needsMetadataRefresh(new KafkaConnectionError())).toBe(true)
    expect(needsMetadataRefresh(new NotLeaderForPartitionError())).toBe(true)
    expect(needsMetadataRefresh(new NotControllerError())).toBe(true)
    expect(needsMetadataRefresh(new RebalanceInProgressError())).toBe(false)
    expect(needsMetadataRefresh(new Error('x'))).toBe(false)
  })
})

describe('withRetries', () => {
  it('retries retriable errors and returns the first success', async () => {
    let calls = 0
    const attempts: number[] = []
    const result = await withRetries(
      async ({ attempt }) => {
        attempts.push(attempt)
        calls += 1
        if (calls < 3) throw new KafkaConnectionError({ message: `failure ${calls}` })
        return 'done'
      },
      { retryBackoffMs: 1 },
    )
    expect(result).toBe('done')
    expect(attempts).toEqual([1, 2, 3])
  })

  it('throws a non-retriable error at once', async () => {
    let calls = 0
    const error = new AuthenticationFailedError({ message: 'bad password' })
    await expect(
      withRetries(
        async () => {
          calls += 1
          throw error
        },
        { retryBackoffMs: 1 },
      ),
    ).rejects.toBe(error)
    expect(calls).toBe(1)
  })

  it('gives up at the deadline with the last error, typed', async () => {
    let calls = 0
    const startedAt = Date.now()
    const caught = await withRetries(
      async () => {
        calls += 1
        throw new NotLeaderForPartitionError({ message: `attempt ${calls}` })
      },
      { timeoutMs: 300, retryBackoffMs: 20, retryBackoffMaxMs: 40 },
    ).catch((error: unknown) => error)
    const elapsed = Date.now() - startedAt
    expect(caught).toBeInstanceOf(NotLeaderForPartitionError)
    expect((caught as Error).message).toBe(`attempt ${calls}`)
    expect(elapsed).toBeLessThan(400)
    expect(calls).toBeGreaterThanOrEqual(4)
  })

  it('honours an absolute deadline and calls onRetry (whose failure is ignored)', async () => {
    const seen: number[] = []
    const caught = await withRetries(
      async () => {
        throw new KafkaConnectionError()
      },
      {
        deadline: Date.now() + 100,
        retryBackoffMs: 10,
        random: () => 0.5,
        onRetry: (_error, attempt) => {
          seen.push(attempt)
          throw new Error('hook failed')
        },
      },
    ).catch((error: unknown) => error)
    expect(caught).toBeInstanceOf(KafkaConnectionError)
    expect(seen.slice(0, 3)).toEqual([1, 2, 3])
  })

  it('stops waiting when the signal aborts', async () => {
    const controller = new AbortController()
    const startedAt = Date.now()
    const pending = withRetries(
      async () => {
        throw new KafkaConnectionError()
      },
      { retryBackoffMs: 10_000, timeoutMs: 60_000, signal: controller.signal },
    )
    setTimeout(() => controller.abort(), 30)
    await expect(pending).rejects.toBeInstanceOf(KafkaConnectionError)
    expect(Date.now() - startedAt).toBeLessThan(1000)
    await expect(
      withRetries(
        async () => {
          throw new KafkaConnectionError()
        },
        { signal: controller.signal },
      ),
    ).rejects.toBeInstanceOf(KafkaConnectionError)
  })

  it('sleep resolves at once for 0 or an aborted signal', async () => {
    await sleep(0)
    await sleep(10_000, AbortSignal.abort())
  })
})
