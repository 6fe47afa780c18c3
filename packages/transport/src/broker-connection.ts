import type { Socket } from 'node:net'
import { inspect } from 'node:util'
import {
  type ApiSchema,
  ApiVersions,
  type BrokerVersionRange,
  CorrelationIdError,
  decodeResponse,
  encodeRequest,
  KafkaConfigurationError,
  KafkaConnectionError,
  KafkaError,
  KafkaTimeoutError,
  negotiateVersion,
  ProtocolError,
  RequestTimedOutError,
  type VersionPins,
} from '@kafkite/protocol'
import { decodeApiVersionsResponse, fetchApiVersions } from './api-versions.js'
import { type BrokerConnectionOptions, type ResolvedOptions, resolveOptions } from './connection-options.js'
import {
  connectionCloseChannel,
  connectionReadyChannel,
  type RequestCompleteMessage,
  type RequestSendMessage,
  requestCompleteChannel,
  requestSendChannel,
} from './diagnostics.js'
import { Fifo } from './fifo.js'
import { FrameDecoder } from './frame-decoder.js'
import { classifySocketError, openSocket } from './open-socket.js'
import { createSaslMechanism } from './sasl/mechanisms/index.js'
import { authenticate } from './sasl/sasl-authenticate.js'
import type { SaslMechanism } from './sasl/sasl-mechanism.js'

export interface RequestOptions {
  /** The API version; by default the highest both sides support (`versionFor`). */
  readonly version?: number
  /** Overrides the connection's `requestTimeoutMs` for this request. */
  readonly timeoutMs?: number
}

export type ConnectionState = 'connecting' | 'ready' | 'closed'

/** One request from the call to its settlement. The only allocation per request besides frame and promise. */
interface PendingRequest {
  readonly api: ApiSchema
  readonly version: number
  readonly correlationId: number
  readonly expectResponse: boolean
  readonly size: number
  readonly deadline: number
  /** The encoded request until it is written; dropped then so a slow answer does not pin it. */
  frame: Buffer | undefined
  sentAt: number
  settled: boolean
  resolve(value: unknown): void
  reject(error: Error): void
}

const CORRELATION_ID_MASK = 0x7fffffff

/**
 * One connection to one broker: TCP or TLS, size-prefixed frames, correlation ids, pipelined requests with
 * an in-flight limit, per-request timeouts, ApiVersions on connect, SASL and its re-authentication.
 *
 * Kafka answers the requests of one connection in the order they were sent, so in-flight requests are a
 * FIFO and every response must carry the correlation id of the oldest one; anything else means the stream
 * can no longer be trusted and the connection is closed.
 *
 * Failure rules: a request that times out rejects with `RequestTimedOutError` and closes the connection (a
 * broker that stopped answering one request will not answer the next); every other pending request then
 * rejects with a retriable `KafkaConnectionError`. Nothing is retried here: that is the cluster layer's call.
 */
export class BrokerConnection {
  readonly #options: ResolvedOptions
  readonly #socket: Socket
  readonly #isTls: boolean
  readonly #sasl: SaslMechanism | undefined
  readonly #decoder: FrameDecoder
  readonly #queue = new Fifo<PendingRequest>()
  readonly #inFlight = new Fifo<PendingRequest>()
  #versions = new Map<number, BrokerVersionRange>()
  #state: ConnectionState = 'connecting'
  #tlsEstablished = false
  /** Set while re-authenticating: queued requests wait, SASL requests go first. */
  #paused = false
  #nextCorrelationId = 0
  #closeReason: KafkaError | undefined
  #timer: NodeJS.Timeout | undefined
  #timerDeadline = Number.POSITIVE_INFINITY
  #reauthTimer: NodeJS.Timeout | undefined
  #rejectConnect: ((error: Error) => void) | undefined
  readonly #closed: Promise<KafkaError | undefined>
  #resolveClosed!: (reason: KafkaError | undefined) => void
  readonly #socketClosed: Promise<void>

  private constructor(options: BrokerConnectionOptions) {
    this.#options = resolveOptions(options)
    // Options become a mechanism at once, so bad SASL options fail before any socket is opened.
    this.#sasl =
      options.sasl === undefined || 'start' in options.sasl ? options.sasl : createSaslMechanism(options.sasl)
    this.#isTls = options.tls !== undefined && options.tls !== false
    this.#decoder = new FrameDecoder(this.#options.maxFrameBytes)
    this.#closed = new Promise((resolve) => {
      this.#resolveClosed = resolve
    })
    const { host, port } = this.#options
    const socket = openSocket(host, port, options.tls, this.#options.logger)
    this.#socket = socket
    this.#socketClosed = new Promise((resolve) => socket.once('close', () => resolve()))
    socket.on('secureConnect', () => {
      this.#tlsEstablished = true
    })
    socket.on('data', (chunk: Buffer) => this.#onData(chunk))
    socket.on('error', (error) =>
      this.#fail(classifySocketError(error, host, port, this.#isTls && !this.#tlsEstablished)),
    )
    socket.on('close', () => {
      const midFrame = this.#decoder.bufferedBytes > 0 ? ' in the middle of a response frame' : ''
      this.#fail(
        new KafkaConnectionError({
          message: `Connection to ${host}:${port} was closed by the peer${midFrame}`,
        }),
      )
    })
  }

  /**
   * Opens a connection and resolves once it is ready: connected, TLS verified, ApiVersions exchanged and
   * SASL authenticated. Rejects with a typed error within `connectTimeoutMs`.
   */
  static connect(options: BrokerConnectionOptions): Promise<BrokerConnection> {
    let connection: BrokerConnection
    try {
      connection = new BrokerConnection(options)
    } catch (error) {
      // Bad options (a key that does not decrypt, a malformed certificate) throw before any I/O. Node's
      // text may quote the option's value, so it stays in `cause` and out of the message.
      return Promise.reject(
        KafkaError.isInstance(error)
          ? error
          : new KafkaConfigurationError({
              message: `Cannot set up a connection to ${options.host}:${options.port} with these options (see cause)`,
              cause: error,
            }),
      )
    }
    return new Promise((resolve, reject) => {
      const { host, port, connectTimeoutMs } = connection.#options
      connection.#rejectConnect = reject
      const timer = setTimeout(() => {
        connection.#fail(
          new KafkaTimeoutError({
            message: `Connecting to ${host}:${port} did not complete in ${connectTimeoutMs} ms`,
            retriable: true,
          }),
        )
      }, connectTimeoutMs)
      connection.#handshake().then(
        () => {
          clearTimeout(timer)
          connection.#rejectConnect = undefined
          resolve(connection)
        },
        (error: unknown) => {
          clearTimeout(timer)
          const typed = KafkaError.isInstance(error)
            ? error
            : new KafkaConnectionError({ message: `Connecting to ${host}:${port} failed`, cause: error })
          connection.#fail(typed)
          reject(typed)
        },
      )
    })
  }

  get host(): string {
    return this.#options.host
  }

  get port(): number {
    return this.#options.port
  }

  get state(): ConnectionState {
    return this.#state
  }

  /** Requests written and not answered yet. */
  get inFlightCount(): number {
    return this.#inFlight.length
  }

  /** Requests waiting for a free in-flight slot. */
  get queuedCount(): number {
    return this.#queue.length
  }

  /** Resolves when the connection closes: with the reason, or undefined when `close()` was called. Never rejects. */
  get closed(): Promise<KafkaError | undefined> {
    return this.#closed
  }

  /** The broker's version range for an API key, as it answered ApiVersions. */
  brokerVersions(apiKey: number): BrokerVersionRange | undefined {
    return this.#versions.get(apiKey)
  }

  /**
   * The version to use for `api`: the highest that this client, the broker and the pins allow. Throws
   * `UnsupportedVersionError` when there is none.
   */
  versionFor(api: ApiSchema, pins?: VersionPins): number {
    return negotiateVersion(
      api,
      this.#versions.get(api.apiKey),
      pins ?? this.#options.versionPins[api.apiKey],
    )
  }

  /** Sends a request and resolves with the decoded response body. */
  send<Request, Response>(
    api: ApiSchema<Request, Response>,
    body: Request,
    options: RequestOptions = {},
  ): Promise<Response> {
    return this.#submit(api, body, options, true) as Promise<Response>
  }

  /**
   * Sends a request the broker will not answer (Produce with acks=0). Resolves once the frame is handed to
   * the operating system, so awaiting it also paces the caller.
   */
  sendWithoutResponse<Request>(
    api: ApiSchema<Request, unknown>,
    body: Request,
    options: RequestOptions = {},
  ): Promise<void> {
    return this.#submit(api, body, options, false) as Promise<void>
  }

  /** Closes the socket; every pending request rejects with a retriable `KafkaConnectionError`. Idempotent. */
  close(): Promise<void> {
    const { host, port } = this.#options
    this.#fail(
      new KafkaConnectionError({ message: `Connection to ${host}:${port} was closed by the client` }),
      true,
    )
    return this.#socketClosed
  }

  /** What a log line or a debugger may show: where, state and counts. Never options, keys or credentials. */
  toJSON(): Record<string, unknown> {
    return {
      host: this.#options.host,
      port: this.#options.port,
      clientId: this.#options.clientId,
      state: this.#state,
      tls: this.#isTls,
      sasl: this.#sasl?.name ?? null,
      inFlight: this.#inFlight.length,
      queued: this.#queue.length,
    }
  }

  [inspect.custom](): string {
    return `BrokerConnection ${inspect(this.toJSON())}`
  }

  // ---- connect ----

  async #handshake(): Promise<void> {
    const { host, port, clientId, logger } = this.#options
    this.#versions = await fetchApiVersions((version) =>
      this.#request(
        ApiVersions.api,
        version,
        ApiVersions.createRequest({
          clientSoftwareName: this.#options.clientSoftwareName,
          clientSoftwareVersion: this.#options.clientSoftwareVersion,
        }),
      ),
    )
    if (this.#sasl !== undefined) await this.#authenticate(this.#sasl)
    if (this.#closeReason !== undefined) throw this.#closeReason
    this.#state = 'ready'
    logger.debug?.('connection ready', { host, port, clientId })
    if (connectionReadyChannel.hasSubscribers) connectionReadyChannel.publish({ host, port, clientId })
  }

  async #authenticate(mechanism: SaslMechanism): Promise<void> {
    const { host, port, clientId } = this.#options
    const startedAt = performance.now()
    const { sessionLifetimeMs } = await authenticate(
      {
        versionFor: (api) => this.versionFor(api),
        request: (api, version, body) => this.#request(api, version, body),
      },
      mechanism,
      { host, port, clientId },
    )
    this.#scheduleReauthentication(sessionLifetimeMs, startedAt)
  }

  /**
   * KIP-368: a broker with `connections.max.reauth.ms` grants a session lifetime and closes the connection
   * on the first request after it ends. Re-authenticating at 85-95% of it, as Kafka's Java client does,
   * leaves room for latency and spreads many connections apart.
   */
  #scheduleReauthentication(sessionLifetimeMs: number, startedAt: number): void {
    if (sessionLifetimeMs <= 0 || this.#sasl === undefined) return
    const mechanism = this.#sasl
    const delay = Math.max(
      0,
      sessionLifetimeMs * (0.85 + 0.1 * Math.random()) - (performance.now() - startedAt),
    )
    this.#reauthTimer = setTimeout(() => {
      this.#reauthTimer = undefined
      void this.#reauthenticate(mechanism)
    }, delay)
    // An idle connection waiting to re-authenticate must not keep the process alive by itself.
    this.#reauthTimer.unref()
  }

  async #reauthenticate(mechanism: SaslMechanism): Promise<void> {
    if (this.#state !== 'ready') return
    const { host, port, clientId, logger } = this.#options
    logger.debug?.('re-authenticating', { host, port, clientId, mechanism: mechanism.name })
    // New requests wait until the new session is up; the answers to those already sent still arrive in
    // order ahead of the SASL ones.
    this.#paused = true
    try {
      await this.#authenticate(mechanism)
      this.#paused = false
      this.#pump()
    } catch (error) {
      this.#fail(
        KafkaError.isInstance(error)
          ? error
          : new KafkaConnectionError({
              message: `Re-authentication with ${host}:${port} failed`,
              cause: error,
            }),
      )
    }
  }

  // ---- requests ----

  /** A handshake request: written at once, ahead of the queue and outside the in-flight limit. */
  #request<Request, Response>(
    api: ApiSchema<Request, Response>,
    version: number,
    body: Request,
  ): Promise<Response> {
    return this.#submit(api, body, { version }, true, true) as Promise<Response>
  }

  #submit(
    api: ApiSchema,
    body: unknown,
    options: RequestOptions,
    expectResponse: boolean,
    handshake = false,
  ): Promise<unknown> {
    const { host, port } = this.#options
    if (this.#closeReason !== undefined) {
      return Promise.reject(
        new KafkaConnectionError({
          message: `Connection to ${host}:${port} is closed`,
          cause: this.#closeReason,
        }),
      )
    }
    if (this.#state !== 'ready' && !handshake) {
      return Promise.reject(
        new KafkaConnectionError({ message: `Connection to ${host}:${port} is not ready` }),
      )
    }
    let frame: Buffer
    let version: number
    const correlationId = this.#nextCorrelationId
    try {
      version = options.version ?? this.versionFor(api)
      frame = encodeRequest(api, version, { correlationId, clientId: this.#options.clientId }, body)
    } catch (error) {
      return Promise.reject(error)
    }
    this.#nextCorrelationId = (correlationId + 1) & CORRELATION_ID_MASK
    const timeoutMs = options.timeoutMs ?? this.#options.requestTimeoutMs
    return new Promise((resolve, reject) => {
      const request: PendingRequest = {
        api,
        version,
        correlationId,
        expectResponse,
        size: frame.length,
        deadline: performance.now() + timeoutMs,
        frame,
        sentAt: 0,
        settled: false,
        resolve,
        reject,
      }
      this.#armTimer(request.deadline)
      if (handshake) {
        this.#write(request)
      } else {
        this.#queue.push(request)
        this.#pump()
      }
    })
  }

  /** Writes queued requests while the in-flight limit allows. */
  #pump(): void {
    const limit = this.#options.maxInFlightRequests
    while (!this.#paused && this.#closeReason === undefined && this.#inFlight.length < limit) {
      const request = this.#queue.shift()
      if (request === undefined) return
      if (!request.settled) this.#write(request)
    }
  }

  #write(request: PendingRequest): void {
    const frame = request.frame as Buffer
    request.frame = undefined
    request.sentAt = performance.now()
    if (requestSendChannel.hasSubscribers) requestSendChannel.publish(this.#sendMessage(request))
    if (request.expectResponse) {
      this.#inFlight.push(request)
      this.#socket.write(frame)
      return
    }
    // No answer will come: the request is done once the bytes are with the kernel. A failed write is
    // reported through the socket's error and close events, which reject it if it is still open.
    this.#socket.write(frame, (error) => {
      if (error === undefined || error === null) this.#settle(request, undefined, 0)
      else
        this.#reject(
          request,
          this.#closeReason ?? new KafkaConnectionError({ message: error.message, cause: error }),
        )
    })
  }

  #onData(chunk: Buffer): void {
    if (this.#closeReason !== undefined) return
    try {
      this.#decoder.push(chunk, (frame) => this.#onFrame(frame))
    } catch (error) {
      const typed = KafkaError.isInstance(error)
        ? error
        : new ProtocolError({ message: 'Cannot read the response stream', cause: error })
      // A bad frame concerns the oldest request: it is the one whose answer was being read.
      this.#breakConnection(this.#inFlight.peek(), typed)
    }
  }

  #onFrame(frame: Buffer): void {
    if (this.#closeReason !== undefined) return
    const request = this.#inFlight.peek()
    const correlationId = frame.readInt32BE(0)
    if (request === undefined || request.correlationId !== correlationId) {
      const expected = request === undefined ? 'no request in flight' : `expected ${request.correlationId}`
      throw new CorrelationIdError({
        message: `Response with correlation id ${correlationId} from ${this.#options.host}:${this.#options.port}: ${expected}`,
      })
    }
    this.#inFlight.shift()
    let body: unknown
    try {
      body =
        request.api === ApiVersions.api
          ? decodeApiVersionsResponse(request.version, frame)
          : decodeResponse(request.api, request.version, frame).body
    } catch (error) {
      // The frame boundaries held, but we and the broker disagree about the message: close rather than
      // guess what the next frames mean.
      const typed = KafkaError.isInstance(error)
        ? error
        : new ProtocolError({
            message: `Cannot decode ${request.api.name} v${request.version}`,
            cause: error,
          })
      this.#breakConnection(request, typed)
      return
    }
    this.#settle(request, body, frame.length)
    this.#pump()
  }

  // ---- timeouts ----

  /** One timer per connection, armed for the earliest deadline: no timer per request. */
  #armTimer(deadline: number): void {
    if (deadline >= this.#timerDeadline) return
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timerDeadline = deadline
    this.#timer = setTimeout(() => this.#onTimer(), Math.max(0, deadline - performance.now()))
  }

  #onTimer(): void {
    this.#timer = undefined
    this.#timerDeadline = Number.POSITIVE_INFINITY
    const now = performance.now()
    // Fires a little early at worst: setTimeout rounds to whole milliseconds.
    const expired = (request: PendingRequest): boolean => !request.settled && request.deadline <= now + 1
    for (const request of this.#inFlight) {
      if (!expired(request)) continue
      const { host, port } = this.#options
      const error = new RequestTimedOutError({
        message: `${request.api.name} v${request.version} (correlation id ${request.correlationId}) got no answer from ${host}:${port} in ${Math.round(request.deadline - request.sentAt)} ms; the connection is closed`,
      })
      this.#breakConnection(request, error)
      return
    }
    // A request still queued was never sent: it fails alone and the connection stays.
    let next = Number.POSITIVE_INFINITY
    for (const request of this.#queue) {
      if (expired(request)) {
        this.#reject(
          request,
          new KafkaTimeoutError({
            message: `${request.api.name} v${request.version} waited for a free slot on ${this.#options.host}:${this.#options.port} until its timeout`,
            retriable: true,
          }),
        )
      } else if (!request.settled) {
        next = Math.min(next, request.deadline)
      }
    }
    for (const request of this.#inFlight) next = Math.min(next, request.deadline)
    if (next !== Number.POSITIVE_INFINITY) this.#armTimer(next)
  }

  // ---- settling ----

  #settle(request: PendingRequest, body: unknown, responseSize: number): void {
    if (request.settled) return
    request.settled = true
    if (requestCompleteChannel.hasSubscribers) {
      requestCompleteChannel.publish(this.#completeMessage(request, responseSize, undefined))
    }
    request.resolve(body)
  }

  #reject(request: PendingRequest, error: Error): void {
    if (request.settled) return
    request.settled = true
    request.frame = undefined
    if (requestCompleteChannel.hasSubscribers) {
      requestCompleteChannel.publish(this.#completeMessage(request, 0, error))
    }
    request.reject(error)
  }

  /** The error the other pending requests get when one failure breaks the connection: retriable. */
  #brokenBy(cause: KafkaError): KafkaConnectionError {
    const { host, port } = this.#options
    return new KafkaConnectionError({
      message: `Connection to ${host}:${port} closed: ${cause.message}`,
      cause,
    })
  }

  /**
   * One failure breaks the connection: `request` (the one it concerns, if any) and a pending `connect()` get
   * the typed error; every other pending request gets a retriable `KafkaConnectionError` citing it.
   */
  #breakConnection(request: PendingRequest | undefined, error: KafkaError): void {
    if (request !== undefined) this.#reject(request, error)
    const reject = this.#rejectConnect
    this.#rejectConnect = undefined
    reject?.(error)
    this.#fail(this.#brokenBy(error))
  }

  /** Closes the connection once; rejects every pending request with `reason`. */
  #fail(reason: KafkaError, byClient = false): void {
    if (this.#closeReason !== undefined) return
    this.#closeReason = reason
    this.#state = 'closed'
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    if (this.#reauthTimer !== undefined) clearTimeout(this.#reauthTimer)
    this.#timer = undefined
    this.#reauthTimer = undefined
    this.#socket.destroy()
    const reject = this.#rejectConnect
    this.#rejectConnect = undefined
    reject?.(reason)
    for (const request of this.#inFlight.drain()) this.#reject(request, reason)
    for (const request of this.#queue.drain()) this.#reject(request, reason)
    const { host, port, clientId, logger } = this.#options
    if (byClient) {
      logger.debug?.('connection closed', { host, port, clientId })
    } else {
      logger.debug?.('connection lost', { host, port, clientId, error: reason.message })
    }
    if (connectionCloseChannel.hasSubscribers) {
      connectionCloseChannel.publish(
        byClient ? { host, port, clientId } : { host, port, clientId, error: reason },
      )
    }
    this.#resolveClosed(byClient ? undefined : reason)
  }

  // ---- diagnostics ----

  #sendMessage(request: PendingRequest): RequestSendMessage {
    return {
      host: this.#options.host,
      port: this.#options.port,
      clientId: this.#options.clientId,
      api: request.api.name,
      apiKey: request.api.apiKey,
      apiVersion: request.version,
      correlationId: request.correlationId,
      size: request.size,
      expectResponse: request.expectResponse,
    }
  }

  #completeMessage(
    request: PendingRequest,
    responseSize: number,
    error: Error | undefined,
  ): RequestCompleteMessage {
    const durationMs = request.sentAt === 0 ? 0 : performance.now() - request.sentAt
    const base = { ...this.#sendMessage(request), durationMs, responseSize }
    return error === undefined ? base : { ...base, error }
  }
}
