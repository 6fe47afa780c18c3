import { type KafkaError, KafkaTimeoutError } from '@kafkite/protocol'

interface Waiter {
  readonly bytes: number
  readonly resolve: () => void
  readonly reject: (error: KafkaError) => void
  readonly timer: NodeJS.Timeout
}

/**
 * Bounds the record bytes a producer holds (queued or in flight). A reservation that finds the budget used
 * up waits, first come first served, until released bytes make room, and fails with `KafkaTimeoutError`
 * after `waitMs`. Waiters are woken one at a time as their bytes are counted, so a burst of unawaited
 * sends cannot all pass at once the moment one batch completes.
 *
 * The limit is soft by one reservation: a reservation is granted while usage is below the limit, so one
 * record of up to `maxRequestSize` may take usage past it; records of any allowed size can then always get
 * in, which a hard limit would not guarantee.
 */
export class BufferBudget {
  readonly limit: number
  readonly waitMs: number
  #used = 0
  readonly #waiters: Waiter[] = []

  constructor(limit: number, waitMs: number) {
    this.limit = limit
    this.waitMs = waitMs
  }

  /** Bytes reserved and not yet released. */
  get used(): number {
    return this.#used
  }

  /** Reservations waiting for room. */
  get waiting(): number {
    return this.#waiters.length
  }

  /** Reserves `bytes` now if there is room and nobody waits before us; false otherwise. */
  tryReserve(bytes: number): boolean {
    if (this.#used >= this.limit || this.#waiters.length > 0) return false
    this.#used += bytes
    return true
  }

  /** Reserves `bytes`, waiting for room up to `waitMs`. */
  reserve(bytes: number): Promise<void> {
    if (this.tryReserve(bytes)) return Promise.resolve()
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.#waiters.indexOf(waiter)
        if (index >= 0) this.#waiters.splice(index, 1)
        reject(
          new KafkaTimeoutError({
            message: `no buffer space for ${bytes} bytes within ${this.waitMs} ms (maxBufferBytes ${this.limit} in use)`,
          }),
        )
      }, this.waitMs)
      const waiter: Waiter = { bytes, resolve, reject, timer }
      this.#waiters.push(waiter)
    })
  }

  /** Corrects a reservation by `delta` bytes (negative when the estimate was high). */
  adjust(delta: number): void {
    this.#used += delta
    if (delta < 0) this.#wake()
  }

  /** Returns `bytes` to the budget and lets waiters in. */
  release(bytes: number): void {
    this.adjust(-bytes)
  }

  /** Fails every waiter with `error` (the producer is closing). */
  failWaiters(error: KafkaError): void {
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer)
      waiter.reject(error)
    }
  }

  #wake(): void {
    while (this.#waiters.length > 0 && this.#used < this.limit) {
      const waiter = this.#waiters.shift()!
      clearTimeout(waiter.timer)
      this.#used += waiter.bytes
      waiter.resolve()
    }
  }
}
