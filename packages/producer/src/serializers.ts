import { IllegalArgumentError } from '@kafkite/protocol'

/**
 * Turns a key or value into the bytes written to Kafka, as aiokafka's `key_serializer` and
 * `value_serializer`: synchronous, called once per record before partitioning. `null` stays null (a null
 * key, or a tombstone value).
 */
export type Serializer<T> = (value: T) => Uint8Array | null

/**
 * What the default serializers accept: bytes (a `Buffer` is a `Uint8Array`), strings (written as UTF-8),
 * and null/undefined (null).
 */
export type DefaultSerializable = Uint8Array | string | null | undefined

/**
 * The serialized form the producer carries to the batch builder. A string stays a string: the builder
 * writes UTF-8 straight into the batch, so a string value is never encoded into a temporary buffer first.
 */
export type SerializedValue = Uint8Array | string | null

/**
 * The default value serialization: bytes pass through without a copy, strings are left for the builder to
 * write as UTF-8, null/undefined become null. Any other type throws `IllegalArgumentError` naming the type,
 * rather than writing `[object Object]` or a number's text by accident.
 */
export function defaultValueSerializer(value: unknown): SerializedValue {
  if (value === null || value === undefined) return null
  if (typeof value === 'string' || value instanceof Uint8Array) return value
  throw unserializable('value', value)
}

/**
 * The default key serialization: as values, except that a string becomes UTF-8 bytes here, because the
 * partitioner hashes the key's bytes (keys are short, so the copy is cheap).
 */
export function defaultKeySerializer(key: unknown): Uint8Array | null {
  if (key === null || key === undefined) return null
  if (key instanceof Uint8Array) return key
  if (typeof key === 'string') return Buffer.from(key, 'utf8')
  throw unserializable('key', key)
}

/**
 * Runs a user serializer and checks its result, so a serializer returning the wrong type (a string from a
 * JSON serializer that forgot to encode it, say) fails at `send()` with a clear error and not deep in the
 * batch writer.
 */
export function applySerializer<T>(
  serializer: Serializer<T>,
  value: T,
  what: 'key' | 'value',
): Uint8Array | null {
  const bytes = serializer(value)
  if (bytes === null || bytes instanceof Uint8Array) return bytes
  throw new IllegalArgumentError({
    message: `the ${what} serializer returned ${describeType(bytes)}; it must return a Uint8Array or null`,
  })
}

function unserializable(what: 'key' | 'value', value: unknown): IllegalArgumentError {
  const option = what === 'key' ? 'keySerializer' : 'valueSerializer'
  return new IllegalArgumentError({
    message: `cannot send a ${what} of type ${describeType(value)} without a ${option}: pass a Uint8Array, a string or null, or set ${option}`,
  })
}

function describeType(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value !== 'object') return typeof value
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name
  return typeof name === 'string' && name !== '' ? name : 'object'
}
