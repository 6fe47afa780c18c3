// A hand-built ApiVersions v0 exchange: the one Kafka request the harness speaks, so it can tell that a broker
// is serving without depending on the client packages it exists to test. v0 is the version every broker
// answers, and every listener (SASL ones included, before authentication) accepts it.
import { connect as netConnect, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'

export interface ApiVersionRange {
  readonly apiKey: number
  readonly minVersion: number
  readonly maxVersion: number
}

export interface ApiVersionsAnswer {
  readonly errorCode: number
  readonly apis: readonly ApiVersionRange[]
}

export interface ProbeTarget {
  readonly host: string
  readonly port: number
  /** When set, the probe speaks TLS with these options (CA, and a client certificate for mTLS). */
  readonly tls?: { readonly ca: string; readonly cert?: string; readonly key?: string }
  readonly timeoutMs?: number
}

const API_VERSIONS_KEY = 18
const CORRELATION_ID = 0x6b6b // "kk", easy to spot in a packet capture

/** The request frame: 4-byte size, then the 10-byte v0 header (key, version, correlation id, null client id). */
export function apiVersionsV0Request(correlationId = CORRELATION_ID): Buffer {
  const frame = Buffer.alloc(14)
  frame.writeInt32BE(10, 0)
  frame.writeInt16BE(API_VERSIONS_KEY, 4)
  frame.writeInt16BE(0, 6)
  frame.writeInt32BE(correlationId, 8)
  frame.writeInt16BE(-1, 12)
  return frame
}

/** Decodes a v0 response body (after the size prefix): correlation id, error code, [key, min, max]. */
export function decodeApiVersionsV0Response(body: Buffer, correlationId = CORRELATION_ID): ApiVersionsAnswer {
  if (body.length < 10) throw new Error(`ApiVersions response too short: ${body.length} bytes`)
  const gotCorrelation = body.readInt32BE(0)
  if (gotCorrelation !== correlationId) {
    throw new Error(`ApiVersions correlation id ${gotCorrelation}, expected ${correlationId}`)
  }
  const errorCode = body.readInt16BE(4)
  const count = body.readInt32BE(6)
  if (count < 0 || body.length < 10 + count * 6) {
    throw new Error(`ApiVersions response claims ${count} APIs in ${body.length} bytes`)
  }
  const apis: ApiVersionRange[] = []
  for (let i = 0; i < count; i++) {
    const at = 10 + i * 6
    apis.push({
      apiKey: body.readInt16BE(at),
      minVersion: body.readInt16BE(at + 2),
      maxVersion: body.readInt16BE(at + 4),
    })
  }
  return { errorCode, apis }
}

/** Connects, sends ApiVersions v0, returns the decoded answer; rejects on any socket error or timeout. */
export function probeApiVersions(target: ProbeTarget): Promise<ApiVersionsAnswer> {
  return new Promise((resolve, reject) => {
    const timeoutMs = target.timeoutMs ?? 5000
    let socket: Socket
    const onConnected = (): void => {
      socket.write(apiVersionsV0Request())
    }
    if (target.tls === undefined) {
      socket = netConnect({ host: target.host, port: target.port }, onConnected)
    } else {
      socket = tlsConnect(
        {
          host: target.host,
          port: target.port,
          ca: target.tls.ca,
          ...(target.tls.cert === undefined ? {} : { cert: target.tls.cert }),
          ...(target.tls.key === undefined ? {} : { key: target.tls.key }),
        },
        onConnected,
      )
    }
    let received = Buffer.alloc(0)
    const finish = (error: Error | undefined, answer?: ApiVersionsAnswer): void => {
      clearTimeout(timer)
      socket.destroy()
      if (error !== undefined) reject(error)
      else if (answer !== undefined) resolve(answer)
    }
    const timer = setTimeout(
      () => finish(new Error(`no ApiVersions answer from ${target.host}:${target.port} in ${timeoutMs} ms`)),
      timeoutMs,
    )
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
      if (received.length < 4) return
      const size = received.readInt32BE(0)
      if (received.length < 4 + size) return
      try {
        finish(undefined, decodeApiVersionsV0Response(received.subarray(4, 4 + size)))
      } catch (error) {
        finish(error instanceof Error ? error : new Error(String(error)))
      }
    })
    socket.on('error', (error) => finish(error))
    socket.on('close', () =>
      finish(new Error(`connection to ${target.host}:${target.port} closed before an answer`)),
    )
  })
}
