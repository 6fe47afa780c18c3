import { ProtocolError } from './errors/protocol-error.js'
import { UnsupportedVersionError } from './generated/error-codes.js'
import * as RequestHeader from './generated/request-header.js'
import * as ResponseHeader from './generated/response-header.js'
import { type Codec, codecFor } from './schema/codec.js'
import type { ApiSchema } from './schema/types.js'
import { Reader } from './wire/reader.js'
import { Writer } from './wire/writer.js'

export interface RequestHeaderFields {
  readonly correlationId: number
  /** Sent in request header v1 and later; null leaves it out. */
  readonly clientId: string | null
}

export interface EncodeRequestOptions {
  /** Prefix the frame with its int32 size, as it travels on a socket (default true). */
  sizePrefix?: boolean
}

/**
 * The header version for one API version. A version the API lacks is the caller's mistake when encoding
 * (`UnsupportedVersionError`) but bad input when decoding (`ProtocolError`, like any other bad bytes).
 */
function headerVersionOf(
  versions: readonly number[],
  api: ApiSchema,
  version: number,
  direction: 'encode' | 'decode',
): number {
  const headerVersion = versions[version]
  if (headerVersion === undefined) {
    const message = `${api.name} has no version ${version}`
    throw direction === 'encode' ? new UnsupportedVersionError({ message }) : new ProtocolError({ message })
  }
  return headerVersion
}

/**
 * Encodes a request: header (version derived from the API's schema) then body, prefixed with the frame
 * size unless asked otherwise. One buffer, written once.
 */
export function encodeRequest<Request>(
  api: ApiSchema<Request, unknown>,
  version: number,
  header: RequestHeaderFields,
  body: Request,
  options: EncodeRequestOptions = {},
): Buffer {
  const headerCodec = codecFor(
    RequestHeader.schema,
    headerVersionOf(api.requestHeaderVersions, api, version, 'encode'),
  )
  return encodeFrame(
    headerCodec,
    { requestApiKey: api.apiKey, requestApiVersion: version, ...header },
    codecFor(api.request, version),
    body,
    options,
  )
}

/**
 * Writes header then body into one buffer sized from the body codec's last message, with the frame size in
 * front unless asked otherwise.
 */
function encodeFrame<Header, Body>(
  headerCodec: Codec<Header>,
  header: Header,
  bodyCodec: Codec<Body>,
  body: Body,
  options: EncodeRequestOptions,
): Buffer {
  const sizePrefix = options.sizePrefix ?? true
  const writer = new Writer(bodyCodec.sizeHint + 64)
  if (sizePrefix) writer.writeInt32(0)
  headerCodec.encode(writer, header)
  const bodyStart = writer.offset
  bodyCodec.encode(writer, body)
  bodyCodec.sizeHint = writer.offset - bodyStart
  const frame = writer.finish()
  if (sizePrefix) frame.writeInt32BE(frame.length - 4, 0)
  return frame
}

export interface DecodedResponse<Response> {
  readonly correlationId: number
  readonly body: Response
}

/**
 * Decodes a response frame (without its size prefix). The header version comes from the API's schema,
 * so ApiVersions' always-v0 header needs no special case here.
 */
export function decodeResponse<Response>(
  api: ApiSchema<unknown, Response>,
  version: number,
  frame: Uint8Array,
): DecodedResponse<Response> {
  const reader = new Reader(frame)
  const header = codecFor(
    ResponseHeader.schema,
    headerVersionOf(api.responseHeaderVersions, api, version, 'decode'),
  ).decode(reader)
  const body = codecFor(api.response, version).decode(reader)
  if (reader.remaining !== 0) {
    throw new ProtocolError({
      message: `Cannot decode ${api.response.name} v${version}: ${reader.remaining} bytes left over`,
      offset: reader.offset,
    })
  }
  return { correlationId: header.correlationId, body }
}

/** Reads the correlation id at the start of a response frame, to find its request before decoding. */
export function peekCorrelationId(frame: Uint8Array): number {
  return new Reader(frame).readInt32()
}

export interface DecodedRequest<Request> {
  readonly header: RequestHeader.Message
  readonly body: Request
}

/**
 * Decodes a request frame (without size prefix): the counterpart of `encodeRequest`, for test brokers,
 * captures and proxies that need to understand what a client sent.
 */
export function decodeRequest<Request>(
  api: ApiSchema<Request, unknown>,
  frame: Uint8Array,
): DecodedRequest<Request> {
  const reader = new Reader(frame)
  // The api key and version come first in every request header version, so peek them to pick the codecs.
  const apiKey = reader.readInt16()
  const version = reader.readInt16()
  if (apiKey !== api.apiKey) {
    throw new ProtocolError({ message: `Expected api key ${api.apiKey} (${api.name}), got ${apiKey}` })
  }
  reader.offset = 0
  const header = codecFor(
    RequestHeader.schema,
    headerVersionOf(api.requestHeaderVersions, api, version, 'decode'),
  ).decode(reader)
  const body = codecFor(api.request, version).decode(reader)
  if (reader.remaining !== 0) {
    throw new ProtocolError({
      message: `${api.request.name} v${version}: ${reader.remaining} bytes left over`,
    })
  }
  return { header, body }
}

/** Encodes a response frame, the counterpart of `decodeResponse`, for test brokers. */
export function encodeResponse<Response>(
  api: ApiSchema<unknown, Response>,
  version: number,
  correlationId: number,
  body: Response,
  options: EncodeRequestOptions = {},
): Buffer {
  const headerCodec = codecFor(
    ResponseHeader.schema,
    headerVersionOf(api.responseHeaderVersions, api, version, 'encode'),
  )
  return encodeFrame(headerCodec, { correlationId }, codecFor(api.response, version), body, options)
}
