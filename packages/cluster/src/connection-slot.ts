import { IllegalStateError, type KafkaError } from '@kafkite/protocol'
import type { BrokerConnection } from '@kafkite/transport'
import { type BackoffPolicy, backoffDelay } from './backoff.js'
import type { BrokerAddress } from './broker-address.js'
import { brokerConnectChannel } from './diagnostics.js'
import { BrokerNotFoundError } from './errors.js'
import { sleep } from './with-retries.js'

/** What a slot needs from its pool. */
export interface ConnectionSlotContext {
  readonly clientId: string
  readonly backoff: BackoffPolicy
  readonly idleMs: number
  /** Opens a ready connection (TCP, TLS, ApiVersions, SASL) to an address. */
  readonly connect: (address: BrokerAddress) => Promise<BrokerConnection>
  /** Told about a connection that closed on its own (not by idle or `close()`): metadata may be stale. */
  readonly onLost: (nodeId: number, error: KafkaError) => void
  /** Told about a failed connect attempt. */
  readonly onConnectFailed: (nodeId: number, error: unknown) => void
}

/**
 * The connection to one broker for one use (a "lane"): opened on first use, reused while it is ready,
 * closed when idle, reopened with backoff after a failure.
 *
 * Storm control: at most one connect attempt is in flight per slot (concurrent callers share it), and an
 * attempt never starts before `lastAttemptAt + backoff(failures)`. `failures` counts failed attempts and
 * connections that died young (within `backoff.maxMs` of opening): a broker that accepts connections and
 * drops them at once (shutting down, overloaded) is backed off like one that refuses them. It resets when
 * a connection lives longer than that, or when the client itself closed it.
 */
export class ConnectionSlot {
  readonly nodeId: number
  readonly lane: string
  readonly #context: ConnectionSlotContext
  readonly #addressOf: () => BrokerAddress | undefined
  #connection: BrokerConnection | undefined
  #connecting: Promise<BrokerConnection> | undefined
  #failures = 0
  #lastAttemptAt = Number.NEGATIVE_INFINITY
  #lastUsedAt = 0
  #idleTimer: NodeJS.Timeout | undefined
  #closed = false
  #closeError: KafkaError | undefined
  /** Aborted by `close()`: ends a backoff wait and abandons a connect in progress. */
  readonly #closing = new AbortController()

  /**
   * @param nodeId the broker's id; negative for a bootstrap address whose id is not known.
   * @param addressOf where the broker is now (metadata may move it); undefined when it left the cluster.
   */
  constructor(
    nodeId: number,
    lane: string,
    addressOf: () => BrokerAddress | undefined,
    context: ConnectionSlotContext,
  ) {
    this.nodeId = nodeId
    this.lane = lane
    this.#addressOf = addressOf
    this.#context = context
  }

  /** The open connection, if it is ready to take requests now. */
  get ready(): BrokerConnection | undefined {
    return this.#connection?.state === 'ready' ? this.#connection : undefined
  }

  /** Requests in flight and queued on the ready connection; 0 without one. */
  get load(): number {
    const connection = this.ready
    return connection === undefined ? 0 : connection.inFlightCount + connection.queuedCount
  }

  /** When the next connect attempt may start, `performance.now()` terms (in the past when it may now). */
  get nextAttemptAt(): number {
    return this.#lastAttemptAt + this.#currentBackoff()
  }

  get failures(): number {
    return this.#failures
  }

  /** A ready connection: the open one, the one being opened, or a new one once the backoff allows. */
  acquire(): Promise<BrokerConnection> {
    this.touch()
    const ready = this.ready
    if (ready !== undefined) return Promise.resolve(ready)
    if (this.#connecting === undefined) {
      const connecting = this.#open()
      this.#connecting = connecting
      const clear = (): void => {
        if (this.#connecting === connecting) this.#connecting = undefined
      }
      connecting.then(clear, clear)
    }
    return this.#connecting
  }

  /** Marks the slot as used now: an idle connection is one nobody touched for `idleMs`. */
  touch(): void {
    this.#lastUsedAt = performance.now()
  }

  /** Hands the ready connection over to someone else (the slot of the broker's id) without closing it. */
  release(): BrokerConnection | undefined {
    const connection = this.#connection
    this.#connection = undefined
    this.#clearIdleTimer()
    return connection
  }

  /** Takes over a connection opened elsewhere (the bootstrap one). Returns false when the slot has its own. */
  adopt(connection: BrokerConnection): boolean {
    if (this.#closed || this.#connection !== undefined || this.#connecting !== undefined) return false
    if (connection.state !== 'ready') return false
    this.#install(connection)
    return true
  }

  /**
   * Closes the connection and stops reconnecting. Idempotent; pending requests reject. Later `acquire()`
   * calls reject with `reason` (by default an `IllegalStateError`: the client is closed).
   */
  async close(reason?: KafkaError): Promise<void> {
    this.#closed = true
    this.#closeError ??= reason
    this.#closing.abort()
    this.#clearIdleTimer()
    const connection = this.#connection
    this.#connection = undefined
    const connecting = this.#connecting
    if (connection !== undefined) await connection.close()
    // An attempt in flight settles at once: the abort ended its backoff wait or abandoned its connect.
    if (connecting !== undefined)
      await connecting.then(
        () => {},
        () => {},
      )
  }

  #currentBackoff(): number {
    return backoffDelay(this.#context.backoff, Math.max(1, this.#failures))
  }

  async #open(): Promise<BrokerConnection> {
    const context = this.#context
    const waitMs = this.#lastAttemptAt + this.#currentBackoff() - performance.now()
    if (waitMs > 0) await sleep(waitMs, this.#closing.signal)
    if (this.#closed) throw this.#closeError ?? closedError()
    const address = this.#addressOf()
    if (address === undefined) {
      throw new BrokerNotFoundError({ message: `Broker ${this.nodeId} is not in the cluster metadata` })
    }
    const failuresBefore = this.#failures
    this.#lastAttemptAt = performance.now()
    let connection: BrokerConnection
    try {
      connection = await this.#abandonOnClose(context.connect(address))
    } catch (error) {
      if (this.#closed) throw this.#closeError ?? closedError()
      this.#failures += 1
      this.#publish(address, failuresBefore, error)
      context.onConnectFailed(this.nodeId, error)
      throw error
    }
    this.#publish(address, failuresBefore, undefined)
    if (this.#closed) {
      await connection.close()
      throw this.#closeError ?? closedError()
    }
    this.#install(connection)
    return connection
  }

  /**
   * The transport's connect cannot be cancelled, so a close during a connect (a silent broker holds it for
   * up to connectTimeoutMs) rejects the waiting callers at once and closes the connection whenever the
   * attempt completes.
   */
  #abandonOnClose(connecting: Promise<BrokerConnection>): Promise<BrokerConnection> {
    const signal = this.#closing.signal
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(this.#closeError ?? closedError())
      signal.addEventListener('abort', onAbort, { once: true })
      connecting.then(
        (connection) => {
          signal.removeEventListener('abort', onAbort)
          if (signal.aborted) void connection.close()
          else resolve(connection)
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort)
          reject(error)
        },
      )
    })
  }

  #install(connection: BrokerConnection): void {
    this.#connection = connection
    const openedAt = performance.now()
    this.touch()
    this.#armIdleTimer(this.#context.idleMs)
    void connection.closed.then((reason) => {
      if (this.#connection !== connection) return
      this.#connection = undefined
      this.#clearIdleTimer()
      if (reason === undefined) return
      // A connection that died young counts as a failed attempt, so a broker that accepts and drops
      // connections is not reconnected to in a tight loop.
      if (performance.now() - openedAt < this.#context.backoff.maxMs) this.#failures += 1
      else this.#failures = 0
      if (!this.#closed) this.#context.onLost(this.nodeId, reason)
    })
  }

  #armIdleTimer(delayMs: number): void {
    this.#clearIdleTimer()
    this.#idleTimer = setTimeout(() => this.#onIdleTimer(), delayMs)
    // Closing idle connections is housekeeping: it must not keep the process alive.
    this.#idleTimer.unref()
  }

  #clearIdleTimer(): void {
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer)
    this.#idleTimer = undefined
  }

  #onIdleTimer(): void {
    this.#idleTimer = undefined
    const connection = this.#connection
    if (connection === undefined) return
    const idleFor = performance.now() - this.#lastUsedAt
    const busy = connection.inFlightCount + connection.queuedCount > 0
    if (busy || idleFor < this.#context.idleMs) {
      // Check again when it could first be idle long enough (a busy one: a full period later).
      this.#armIdleTimer(busy ? this.#context.idleMs : this.#context.idleMs - idleFor)
      return
    }
    this.#connection = undefined
    // Closed by us on purpose: the broker is fine, so the next connect needs no backoff.
    this.#failures = 0
    void connection.close()
  }

  #publish(address: BrokerAddress, failuresBefore: number, error: unknown): void {
    if (!brokerConnectChannel.hasSubscribers) return
    brokerConnectChannel.publish({
      clientId: this.#context.clientId,
      nodeId: this.nodeId,
      lane: this.lane,
      host: address.host,
      port: address.port,
      failuresBefore,
      durationMs: performance.now() - this.#lastAttemptAt,
      ...(error instanceof Error ? { error } : {}),
    })
  }
}

function closedError(): IllegalStateError {
  return new IllegalStateError({ message: 'The client is closed' })
}
