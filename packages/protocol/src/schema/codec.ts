import { KafkaError } from '../errors/kafka-error.js'
import { ProtocolError } from '../errors/protocol-error.js'
import { UnsupportedVersionError } from '../generated/error-codes.js'
import { Reader } from '../wire/reader.js'
import { Writer } from '../wire/writer.js'
import type { ValueCodec } from './compile-field.js'
import { buildStructCodec } from './compile-struct.js'
import type { MessageSchema } from './types.js'
import { formatRange, inRange } from './version-range.js'

/** A message schema compiled for one version. */
export interface Codec<T> {
  readonly schema: MessageSchema<T>
  readonly version: number
  readonly flexible: boolean
  /** Appends the encoded message to `writer`. */
  encode(writer: Writer, value: T): void
  /** Decodes one message from `reader`, leaving it just past the message. */
  decode(reader: Reader): T
  /** Size of the last message this codec encoded: the next encode starts with a buffer that large. */
  sizeHint: number
}

const messageCache = new WeakMap<MessageSchema, (Codec<unknown> | undefined)[]>()

/**
 * The codec of `schema` at `version`, compiled on first use and cached for the life of the schema.
 * Throws `UnsupportedVersionError` for a version outside the schema's valid versions.
 */
export function codecFor<T>(schema: MessageSchema<T>, version: number): Codec<T> {
  let byVersion = messageCache.get(schema)
  if (byVersion === undefined) {
    byVersion = []
    messageCache.set(schema, byVersion)
  }
  let codec = byVersion[version]
  if (codec === undefined) {
    if (!Number.isInteger(version) || !inRange(version, schema.validVersions)) {
      throw new UnsupportedVersionError({
        message: `${schema.name} has no version ${version} (valid: ${formatRange(schema.validVersions)})`,
      })
    }
    codec = compileMessage(schema as MessageSchema<unknown>, version)
    byVersion[version] = codec
  }
  return codec as Codec<T>
}

function compileMessage(schema: MessageSchema<unknown>, version: number): Codec<unknown> {
  const flexible = inRange(version, schema.flexibleVersions)
  const struct: ValueCodec = buildStructCodec(schema.name, schema.fields, version, flexible)
  const where = `${schema.name} v${version}`
  return {
    schema,
    version,
    flexible,
    sizeHint: 256,
    encode(writer, value) {
      try {
        struct.write(writer, value)
      } catch (error) {
        throw asProtocolError(error, `Cannot encode ${where}`, writer.offset)
      }
    },
    decode(reader) {
      try {
        return struct.read(reader)
      } catch (error) {
        throw asProtocolError(error, `Cannot decode ${where}`, reader.offset)
      }
    },
  }
}

/** Keeps kafkite errors as they are and turns anything else (a TypeError from a wrong value) into a ProtocolError. */
function asProtocolError(error: unknown, context: string, offset: number): KafkaError {
  if (KafkaError.isInstance(error)) {
    if (error instanceof Error && !error.message.startsWith(context))
      error.message = `${context}: ${error.message}`
    return error
  }
  const detail = error instanceof Error ? error.message : String(error)
  return new ProtocolError({ message: `${context}: ${detail}`, cause: error, offset })
}

/** Encodes one message body on its own. */
export function encodeMessage<T>(schema: MessageSchema<T>, version: number, value: T): Buffer {
  const codec = codecFor(schema, version)
  const writer = new Writer(codec.sizeHint)
  codec.encode(writer, value)
  codec.sizeHint = writer.offset
  return writer.finish()
}

export interface DecodeOptions {
  /** Accept bytes left over after the message (default false: leftovers mean the schema does not match). */
  allowTrailingBytes?: boolean
}

/** Decodes one message body that fills `bytes`. Byte fields of the result are views over `bytes`. */
export function decodeMessage<T>(
  schema: MessageSchema<T>,
  version: number,
  bytes: Uint8Array,
  options: DecodeOptions = {},
): T {
  const reader = new Reader(bytes)
  const value = codecFor(schema, version).decode(reader)
  if (!options.allowTrailingBytes && reader.remaining !== 0) {
    throw new ProtocolError({
      message: `Cannot decode ${schema.name} v${version}: ${reader.remaining} bytes left over`,
      offset: reader.offset,
    })
  }
  return value
}
