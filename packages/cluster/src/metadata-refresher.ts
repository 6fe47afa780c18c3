import { IllegalStateError } from '@kafkite/protocol'
import { backoffDelay } from './backoff.js'
import { sleep } from './with-retries.js'

/** Why a refresh was asked for; shown in logs and the `kafkite:metadata-refresh` channel. */
export type RefreshReason = 'bootstrap' | 'max-age' | 'stale' | 'topics' | 'manual'

export interface MetadataRefresherOptions {
  /**
   * Performs one refresh. It must call `markSent()` right before the Metadata request goes out: callers
   * arriving before that join this refresh (their topics are still read in time); callers arriving after
   * it get the next one.
   */
  readonly fetch: (reason: RefreshReason, markSent: () => void) => Promise<void>
  /** The shortest time between two refreshes (retryBackoffMs): error-triggered refreshes cannot storm. */
  readonly minIntervalMs: number
  /** A refresh happens at least this often (metadataMaxAgeMs). */
  readonly maxAgeMs: number
  /** Where the errors of refreshes nobody awaits go. */
  readonly onBackgroundError: (error: unknown, reason: RefreshReason) => void
  /** Aborted when the client closes. */
  readonly signal: AbortSignal
}

interface Flight {
  sent: boolean
  promise: Promise<void>
}

/**
 * Decides when metadata is fetched: single-flight, coalesced, rate-limited, and on a max-age timer.
 *
 * Coalescing, walked through: a NOT_LEADER_OR_FOLLOWER on 50 partitions calls `refresh()` 50 times in a
 * few microseconds. The first starts a flight; the other 49 find it not sent yet and share its promise —
 * one Metadata request. A call that arrives after the request was written cannot trust its answer (it may
 * predate what the caller just saw), so it schedules one follow-up flight, which every later caller shares
 * too: at most two requests for any burst. Each flight starts no sooner than `minIntervalMs` after the
 * previous one.
 */
export class MetadataRefresher {
  readonly #options: MetadataRefresherOptions
  #current: Flight | undefined
  #next: Promise<void> | undefined
  #lastStartedAt = Number.NEGATIVE_INFINITY
  #failures = 0
  #timer: NodeJS.Timeout | undefined
  #stopped = false

  constructor(options: MetadataRefresherOptions) {
    this.#options = options
  }

  /** True while a refresh is waiting to start or in flight. */
  get pending(): boolean {
    return this.#current !== undefined || this.#next !== undefined
  }

  /** Refreshes now (or joins the refresh that is about to go out) and resolves when the cache is updated. */
  refresh(reason: RefreshReason): Promise<void> {
    if (this.#stopped) return Promise.reject(new IllegalStateError({ message: 'The client is closed' }))
    const current = this.#current
    if (current !== undefined && !current.sent) return current.promise
    if (current !== undefined) {
      this.#next ??= current.promise
        .then(
          () => {},
          () => {},
        )
        .then(() => {
          this.#next = undefined
          return this.refresh(reason)
        })
      return this.#next
    }
    return this.#start(reason)
  }

  /** Asks for a refresh nobody waits for; its failure is reported to `onBackgroundError`. */
  request(reason: RefreshReason): void {
    if (this.#stopped) return
    this.refresh(reason).catch((error: unknown) => {
      if (!this.#stopped) this.#options.onBackgroundError(error, reason)
    })
  }

  /** Arms the max-age timer (after bootstrap). */
  start(): void {
    this.#schedule(this.#options.maxAgeMs)
  }

  stop(): void {
    this.#stopped = true
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
  }

  #start(reason: RefreshReason): Promise<void> {
    const flight: Flight = { sent: false, promise: Promise.resolve() }
    flight.promise = this.#run(flight, reason)
    this.#current = flight
    return flight.promise
  }

  async #run(flight: Flight, reason: RefreshReason): Promise<void> {
    try {
      const waitMs = this.#lastStartedAt + this.#options.minIntervalMs - performance.now()
      if (waitMs > 0) await sleep(waitMs, this.#options.signal)
      if (this.#stopped) throw new IllegalStateError({ message: 'The client is closed' })
      this.#lastStartedAt = performance.now()
      await this.#options.fetch(reason, () => {
        flight.sent = true
      })
      this.#failures = 0
      this.#schedule(this.#options.maxAgeMs)
    } catch (error) {
      this.#failures += 1
      // A failed refresh is tried again sooner than max age, backing off so a dead cluster is not polled
      // in a tight loop.
      this.#schedule(
        Math.min(
          this.#options.maxAgeMs,
          backoffDelay(
            { initialMs: Math.max(this.#options.minIntervalMs, 100), maxMs: 30_000 },
            this.#failures,
          ),
        ),
      )
      throw error
    } finally {
      if (this.#current === flight) this.#current = undefined
    }
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.request('max-age')
    }, delayMs)
    // The background refresh must never keep a process alive that has nothing else to do.
    this.#timer.unref()
  }
}
