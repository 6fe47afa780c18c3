// A scripted broker for hostile-bytes tests: a node:net (or node:tls) server that decodes request headers and
// lets each test decide what to send back, including nothing, garbage, or the wrong correlation id.
import { createServer, type Server, type Socket } from 'node:net'
import { createServer as createTlsServer, type TlsOptions } from 'node:tls'
import { type ApiSchema, ApiVersions, allApis, encodeResponse } from '@kafkite/protocol'
import { FrameDecoder } from '../frame-decoder.js'

export interface ReceivedRequest {
  readonly apiKey: number
  readonly apiVersion: number
  readonly correlationId: number
  /** The frame without its size prefix (header and body). */
  readonly frame: Buffer
  readonly socket: Socket
}

export type RequestHandler = (request: ReceivedRequest, broker: FakeBroker) => void

export interface FakeBrokerOptions {
  /** Answer ApiVersions with every API this client knows (default true). */
  readonly answerApiVersions?: boolean
  /** Serve TLS with these options. */
  readonly tls?: TlsOptions
}

/** Every API at the versions our schemas know: what a current broker would advertise. */
export function fullVersionRanges(): ApiVersions.ApiVersion[] {
  return allApis.map((api) => ({
    apiKey: api.apiKey,
    minVersion: api.request.validVersions[0],
    maxVersion: api.request.validVersions[1],
  }))
}

export class FakeBroker {
  readonly requests: ReceivedRequest[] = []
  readonly sockets: Socket[] = []
  readonly #server: Server
  readonly #handler: RequestHandler

  private constructor(server: Server, handler: RequestHandler) {
    this.#server = server
    this.#handler = handler
  }

  static async start(
    handler: RequestHandler = () => {},
    options: FakeBrokerOptions = {},
  ): Promise<FakeBroker> {
    const answerApiVersions = options.answerApiVersions ?? true
    let broker: FakeBroker | undefined
    const onSocket = (socket: Socket): void => {
      const self = broker as FakeBroker
      self.sockets.push(socket)
      socket.on('error', () => {})
      const decoder = new FrameDecoder(1024 * 1024 * 1024)
      socket.on('data', (chunk: Buffer) => {
        try {
          decoder.push(chunk, (frame) => {
            const request: ReceivedRequest = {
              apiKey: frame.readInt16BE(0),
              apiVersion: frame.readInt16BE(2),
              correlationId: frame.readInt32BE(4),
              frame: Buffer.from(frame),
              socket,
            }
            self.requests.push(request)
            if (answerApiVersions && request.apiKey === ApiVersions.api.apiKey) {
              self.reply(
                request,
                ApiVersions.api,
                ApiVersions.createResponse({ errorCode: 0, apiKeys: fullVersionRanges() }),
              )
              return
            }
            self.#handler(request, self)
          })
        } catch {
          socket.destroy()
        }
      })
    }
    const server = options.tls === undefined ? createServer(onSocket) : createTlsServer(options.tls, onSocket)
    if (options.tls !== undefined) server.on('tlsClientError', () => {})
    broker = new FakeBroker(server, handler)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    return broker
  }

  get port(): number {
    const address = this.#server.address()
    if (address === null || typeof address === 'string') throw new Error('not listening')
    return address.port
  }

  /** Requests other than ApiVersions, in arrival order. */
  get appRequests(): ReceivedRequest[] {
    return this.requests.filter((request) => request.apiKey !== ApiVersions.api.apiKey)
  }

  /** Sends a well-formed response for `request` (its correlation id unless another is given). */
  reply<Response>(
    request: ReceivedRequest,
    api: ApiSchema<unknown, Response>,
    body: Response,
    correlationId: number = request.correlationId,
  ): void {
    request.socket.write(encodeResponse(api, request.apiVersion, correlationId, body))
  }

  /** Writes raw bytes to the newest client socket. */
  writeRaw(bytes: Uint8Array, socket: Socket | undefined = this.sockets.at(-1)): void {
    socket?.write(bytes)
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }
}

/** A size-prefixed frame around `payload`. */
export function frameOf(payload: Uint8Array): Buffer {
  const frame = Buffer.alloc(4 + payload.length)
  frame.writeInt32BE(payload.length, 0)
  frame.set(payload, 4)
  return frame
}

/** Waits until `predicate` holds, polling; fails the test after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
