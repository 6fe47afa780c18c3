import { IllegalArgumentError } from '@kafkite/protocol'
import type { RecordHeaderInput } from '@kafkite/records'

/** A header as aiokafka takes it: `(key, value)`. */
export type HeaderTuple = readonly [key: string, value: Uint8Array | string | null]

/**
 * Record headers for `send()`: aiokafka's list of `[key, value]` tuples, or `{ key, value }` objects (what
 * records are decoded into, so a consumed record's headers can be passed on as they are). Ordered, keys may
 * repeat, values are bytes, strings (written as UTF-8) or null.
 */
export type HeadersInput = readonly HeaderTuple[] | readonly RecordHeaderInput[]

/**
 * The headers as the batch writer takes them. Objects pass through untouched (no copy); tuples are turned
 * into objects, one small allocation per header, which only callers who pass tuples pay.
 */
export function normalizeHeaders(
  headers: HeadersInput | null | undefined,
): readonly RecordHeaderInput[] | undefined {
  if (headers === undefined || headers === null) return undefined
  if (!Array.isArray(headers)) {
    throw new IllegalArgumentError({
      message: 'headers must be an array of [key, value] tuples or { key, value } objects',
    })
  }
  const count = headers.length
  if (count === 0) return undefined
  if (!Array.isArray(headers[0])) {
    for (let i = 0; i < count; i++) checkHeader(headers[i] as RecordHeaderInput, i)
    return headers as readonly RecordHeaderInput[]
  }
  const converted: RecordHeaderInput[] = new Array(count)
  for (let i = 0; i < count; i++) {
    const tuple: unknown = headers[i]
    if (!Array.isArray(tuple) || tuple.length !== 2) {
      throw new IllegalArgumentError({
        message: `header ${i} must be a [key, value] tuple like the others`,
      })
    }
    const header: RecordHeaderInput = { key: tuple[0] as string, value: tuple[1] as Uint8Array | null }
    checkHeader(header, i)
    converted[i] = header
  }
  return converted
}

function checkHeader(header: RecordHeaderInput, index: number): void {
  if (typeof header !== 'object' || header === null || typeof header.key !== 'string') {
    throw new IllegalArgumentError({ message: `header ${index} must have a string key` })
  }
  const value: unknown = header.value
  if (value !== null && typeof value !== 'string' && !(value instanceof Uint8Array)) {
    throw new IllegalArgumentError({
      message: `header ${header.key} must have a Uint8Array, string or null value`,
    })
  }
}
