// Counting consumed records the same way in every Node client. The clock starts when the client holds its
// partitions and begins to fetch: after assign() for the clients with manual assignment, at the end of
// the group join for those that read through a group (as Java's ConsumerPerformance's `fetch.time.ms`
// starts when its partitions are assigned). The run is over at the expected count.

import type { TimedRun } from './node-worker.js'

export class ConsumeCounter {
  readonly #expected: number
  #records = 0
  #bytes = 0
  #startedAt: number | undefined
  #finishedAt: number | undefined
  readonly #done: Promise<void>
  #resolve: () => void = () => {}

  constructor(expected: number) {
    this.#expected = expected
    this.#done = new Promise((resolve) => {
      this.#resolve = resolve
    })
  }

  get finished(): boolean {
    return this.#finishedAt !== undefined
  }

  /** Resolves once the expected count is reached. */
  get done(): Promise<void> {
    return this.#done
  }

  /** The client is ready to fetch (assigned or joined). A later call (a rejoin) does not move the start. */
  start(): void {
    this.#startedAt ??= performance.now()
  }

  add(records: number, bytes: number): void {
    if (records === 0) return
    // A client that never said it started is timed from its first record.
    this.#startedAt ??= performance.now()
    this.#records += records
    this.#bytes += bytes
    if (this.#finishedAt === undefined && this.#records >= this.#expected) {
      this.#finishedAt = performance.now()
      this.#resolve()
    }
  }

  result(): TimedRun {
    if (this.#startedAt === undefined || this.#finishedAt === undefined) {
      throw new Error(`consumed ${this.#records} of ${this.#expected} records`)
    }
    return { records: this.#records, bytes: this.#bytes, elapsedMs: this.#finishedAt - this.#startedAt }
  }
}
