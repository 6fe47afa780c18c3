import { connect as connectTcp, type Socket } from 'node:net'
import { type ConnectionOptions, connect as connectTls } from 'node:tls'
import {
  type ApiSchema,
  decodeResponse,
  encodeRequest,
  KafkaConnectionError,
  KafkaTimeoutError,
  peekCorrelationId,
} from '@kafkite/protocol'
import { FrameSplitter } from './frame-splitter.js'

export interface RawConnectionOptions {
  readonly host: string
  readonly port: number
  readonly clientId?: string
  /** Node TLS options; when set the connection speaks TLS. */
  readonly tls?: ConnectionOptions
  readonly timeoutMs?: number
}

/** A request as it went out and its answer as it came back: the bytes and the decoded body. */
export interface Exchange<Response> {
  readonly requestFrame: Buffer
  readonly responseFrame: Buffer
  readonly body: Response
}

interface Pending {
  resolve(frame: Buffer): void
  reject(error: Error): void
  timer: NodeJS.Timeout
}

/**
 * One socket to one broker, with correlation ids and pipelining, and nothing else: no retries, no
 * version negotiation, no reconnects. Tools and broker tests use it; clients use @kafkite/transport.
 */
export class RawConnection {
  readonly #socket: Socket
  readonly #pending = new Map<number, Pending>()
  readonly #clientId: string
  readonly #timeoutMs: number
  #nextCorrelationId = 1
  #closedError: Error | undefined

  private constructor(socket: Socket, options: RawConnectionOptions) {
    this.#socket = socket
    this.#clientId = options.clientId ?? 'kafkite-raw'
    this.#timeoutMs = options.timeoutMs ?? 10_000
    const splitter = new FrameSplitter()
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of splitter.push(chunk)) this.#deliver(frame)
      } catch (error) {
        this.#fail(error instanceof Error ? error : new Error(String(error)))
      }
    })
    socket.on('error', (error) =>
      this.#fail(new KafkaConnectionError({ message: error.message, cause: error })),
    )
    socket.on('close', () => this.#fail(new KafkaConnectionError({ message: 'Connection closed' })))
  }

  static connect(options: RawConnectionOptions): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket =
        options.tls === undefined
          ? connectTcp({ host: options.host, port: options.port })
          : connectTls({ host: options.host, port: options.port, ...options.tls })
      const timer = setTimeout(() => {
        socket.destroy()
        reject(new KafkaTimeoutError({ message: `Connecting to ${options.host}:${options.port} timed out` }))
      }, options.timeoutMs ?? 10_000)
      const onError = (error: Error): void => {
        clearTimeout(timer)
        reject(new KafkaConnectionError({ message: error.message, cause: error }))
      }
      socket.once('error', onError)
      socket.once(options.tls === undefined ? 'connect' : 'secureConnect', () => {
        clearTimeout(timer)
        socket.off('error', onError)
        resolve(new RawConnection(socket, options))
      })
    })
  }

  /** Sends one request and resolves with its decoded response. */
  async request<Request, Response>(
    api: ApiSchema<Request, Response>,
    version: number,
    body: Request,
  ): Promise<Response> {
    return (await this.exchange(api, version, body)).body
  }

  /** Like `request`, also returning the raw frames (without size prefix), e.g. to store as fixtures. */
  async exchange<Request, Response>(
    api: ApiSchema<Request, Response>,
    version: number,
    body: Request,
  ): Promise<Exchange<Response>> {
    if (this.#closedError !== undefined) throw this.#closedError
    const correlationId = this.#nextCorrelationId++
    const frame = encodeRequest(api, version, { correlationId, clientId: this.#clientId }, body)
    const responseFrame = await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(correlationId)
        reject(
          new KafkaTimeoutError({
            message: `${api.name} v${version} got no answer in ${this.#timeoutMs} ms`,
          }),
        )
      }, this.#timeoutMs)
      this.#pending.set(correlationId, { resolve, reject, timer })
      this.#socket.write(frame)
    })
    const decoded = decodeResponse(api, version, responseFrame)
    return { requestFrame: frame.subarray(4), responseFrame, body: decoded.body }
  }

  /** Rejects whatever is pending and resolves once the socket is closed. */
  close(): Promise<void> {
    const closed = this.#socket.closed
      ? Promise.resolve()
      : new Promise<void>((resolve) => this.#socket.once('close', () => resolve()))
    this.#fail(new KafkaConnectionError({ message: 'Connection closed by the client' }))
    return closed
  }

  #deliver(frame: Buffer): void {
    const correlationId = peekCorrelationId(frame)
    const pending = this.#pending.get(correlationId)
    if (pending === undefined) return
    this.#pending.delete(correlationId)
    clearTimeout(pending.timer)
    // Copy: the frame may be a view into a buffer the splitter reuses for the next frame.
    pending.resolve(Buffer.from(frame))
  }

  #fail(error: Error): void {
    this.#closedError ??= error
    for (const [correlationId, pending] of this.#pending) {
      clearTimeout(pending.timer)
      this.#pending.delete(correlationId)
      pending.reject(error)
    }
    if (!this.#socket.destroyed) this.#socket.destroy()
  }
}
