import { KafkaError } from '@kafkite/protocol'
import { backoffDelay } from './backoff.js'
import { isRetriable as defaultIsRetriable } from './is-retriable.js'

/** What one attempt of a retried operation is told. */
export interface AttemptContext {
  /** 1 for the first attempt. */
  readonly attempt: number
  /** When the whole operation must be done, in `Date.now()` terms; an attempt can bound its request by it. */
  readonly deadline: number
}

export interface RetryOptions {
  /** When to give up, in `Date.now()` terms. Either this or `timeoutMs` (this wins when both are given). */
  readonly deadline?: number
  /** The time budget from now, when no `deadline` is given. Default 40000 (aiokafka's request timeout). */
  readonly timeoutMs?: number
  /** The first pause; it doubles per failed attempt up to `retryBackoffMaxMs`. Default 100. */
  readonly retryBackoffMs?: number
  /** Default 1000, as Kafka's `retry.backoff.max.ms`. */
  readonly retryBackoffMaxMs?: number
  /** Which errors are worth another attempt. Default: the cluster layer's `isRetriable`. */
  readonly isRetriable?: (error: unknown) => boolean
  /**
   * Called after a retriable failure, before the pause: the place to refresh metadata or drop a cached
   * coordinator. Its own failure is ignored (the next attempt will meet the same cause). The pause and
   * the hook run together: the next attempt starts when both are done.
   */
  readonly onRetry?: (error: KafkaError, attempt: number, delayMs: number) => Promise<void> | void
  /** Ends the waiting early (e.g. the client is closing): the last error is thrown at once. */
  readonly signal?: AbortSignal
  /** Injectable for tests. */
  readonly random?: () => number
}

/**
 * Runs `operation` until it succeeds, fails with an error that is not retriable, or the deadline leaves no
 * room for another pause and attempt; then the last error is thrown as it was, typed, so callers can still
 * narrow on it. The pause is `retryBackoffMs` doubling to `retryBackoffMaxMs`, ±20% jitter, so that many
 * clients retrying against the same broker spread out instead of arriving together.
 */
export async function withRetries<Result>(
  operation: (context: AttemptContext) => Promise<Result>,
  options: RetryOptions = {},
): Promise<Result> {
  const deadline = options.deadline ?? Date.now() + (options.timeoutMs ?? 40_000)
  const isRetriable = options.isRetriable ?? defaultIsRetriable
  const initialMs = options.retryBackoffMs ?? 100
  const policy = { initialMs, maxMs: Math.max(initialMs, options.retryBackoffMaxMs ?? 1000) }
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation({ attempt, deadline })
    } catch (error) {
      if (!isRetriable(error) || !KafkaError.isInstance(error) || isAborted(options.signal)) {
        throw error
      }
      const delayMs = backoffDelay(policy, attempt, options.random)
      // A pause that ends at or past the deadline leaves no time for the attempt after it.
      if (Date.now() + delayMs >= deadline) throw error
      const hook =
        options.onRetry === undefined ? undefined : runHook(options.onRetry, error, attempt, delayMs)
      await Promise.all([sleep(delayMs, options.signal), hook])
      if (isAborted(options.signal)) throw error
    }
  }
}

async function runHook(
  hook: NonNullable<RetryOptions['onRetry']>,
  error: KafkaError,
  attempt: number,
  delayMs: number,
): Promise<void> {
  try {
    await hook(error, attempt, delayMs)
  } catch {
    // The hook only prepares the next attempt; if it fails, that attempt fails and reports the cause.
  }
}

/**
 * Resolves after `ms`, or at once when `signal` aborts. Never rejects.
 *
 * Unlike the background timers (metadata max age, idle close), this timer keeps the process alive on
 * purpose: someone is awaiting the operation. While a broker restarts there may be no socket open at all,
 * and an unref'd pause would let Node exit in the middle of `await producer.send()` with status 0.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted === true) return Promise.resolve()
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}

function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true
}
