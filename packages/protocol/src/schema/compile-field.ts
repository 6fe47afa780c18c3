import { ProtocolError } from '../errors/protocol-error.js'
import type { Reader } from '../wire/reader.js'
import { isUuid, ZERO_UUID } from '../wire/uuid.js'
import type { Writer } from '../wire/writer.js'
import type { FieldSchema, FieldType, PrimitiveType, StructType } from './types.js'
import { inRange } from './version-range.js'

export type ReadValue = (reader: Reader) => unknown
export type WriteValue = (writer: Writer, value: unknown) => void

export interface ValueCodec {
  readonly read: ReadValue
  readonly write: WriteValue
}

/** How a field is laid out at one version: its encoding, and whether null and compact forms apply. */
export interface FieldLayout {
  readonly path: string
  readonly nullable: boolean
  readonly compact: boolean
  readonly version: number
  readonly flexible: boolean
}

/** Compiles the struct codec for nested structs; passed in to keep the recursion in one place. */
export type CompileStruct = (struct: StructType, version: number, flexible: boolean) => ValueCodec

export function compileFieldValue(
  field: FieldSchema,
  layout: FieldLayout,
  compileStruct: CompileStruct,
): ValueCodec {
  return compileType(field.type, layout, compileStruct)
}

function compileType(type: FieldType, layout: FieldLayout, compileStruct: CompileStruct): ValueCodec {
  if (typeof type === 'string') return compilePrimitive(type, layout)
  if (type.kind === 'array') return compileArray(type.items, layout, compileStruct)
  return compileNestedStruct(type, layout, compileStruct)
}

function nullNotAllowed(layout: FieldLayout): ProtocolError {
  return new ProtocolError({
    message: `${layout.path} is not nullable at version ${layout.version}`,
    path: layout.path,
  })
}

function nullOnWire(layout: FieldLayout, reader: Reader): ProtocolError {
  return new ProtocolError({
    message: `${layout.path} is null on the wire but not nullable at version ${layout.version}`,
    path: layout.path,
    offset: reader.offset,
  })
}

/** How a string, bytes or array field frames its length at this version. */
type LengthPrefix = 'compact' | 'int16' | 'int32'

function lengthPrefix(layout: FieldLayout, classic: 'int16' | 'int32'): LengthPrefix {
  return layout.compact ? 'compact' : classic
}

/** Reads a length prefix; returns -1 for null, which only a nullable field may carry. */
function readLength(reader: Reader, prefix: LengthPrefix, layout: FieldLayout): number {
  const length =
    prefix === 'compact'
      ? reader.readCompactLength()
      : prefix === 'int16'
        ? reader.readStringLength()
        : reader.readInt32Length()
  if (length === -1 && !layout.nullable) throw nullOnWire(layout, reader)
  return length
}

function writeLength(writer: Writer, prefix: LengthPrefix, length: number): void {
  if (prefix === 'compact') writer.writeUVarint(length + 1)
  else if (prefix === 'int16') writer.writeInt16(length)
  else writer.writeInt32(length)
}

/** Writes the null marker of a length-prefixed field, or throws when the field is not nullable here. */
function writeNull(writer: Writer, prefix: LengthPrefix, layout: FieldLayout): void {
  if (!layout.nullable) throw nullNotAllowed(layout)
  if (prefix === 'compact') writer.writeUVarint(0)
  else if (prefix === 'int16') writer.writeInt16(-1)
  else writer.writeInt32(-1)
}

const fixedWidth: Partial<Record<PrimitiveType, ValueCodec>> = {
  bool: { read: (reader) => reader.readBool(), write: (writer, value) => writer.writeBool(value as boolean) },
  int8: { read: (reader) => reader.readInt8(), write: (writer, value) => writer.writeInt8(value as number) },
  int16: {
    read: (reader) => reader.readInt16(),
    write: (writer, value) => writer.writeInt16(value as number),
  },
  uint16: {
    read: (reader) => reader.readUint16(),
    write: (writer, value) => writer.writeUint16(value as number),
  },
  int32: {
    read: (reader) => reader.readInt32(),
    write: (writer, value) => writer.writeInt32(value as number),
  },
  uint32: {
    read: (reader) => reader.readUint32(),
    write: (writer, value) => writer.writeUint32(value as number),
  },
  int64: {
    read: (reader) => reader.readInt64(),
    write: (writer, value) => writer.writeInt64(value as bigint),
  },
  float64: {
    read: (reader) => reader.readFloat64(),
    write: (writer, value) => writer.writeFloat64(value as number),
  },
  uuid: {
    read: (reader) => reader.readUuidText(),
    write: (writer, value) => {
      // Most UUIDs a client sends are the zero UUID ("no id", e.g. Metadata by topic name): no text to parse.
      if (value === ZERO_UUID) {
        writer.ensure(16)
        writer.buffer.fill(0, writer.offset, writer.offset + 16)
        writer.offset += 16
        return
      }
      if (typeof value !== 'string' || !isUuid(value)) {
        throw new ProtocolError({ message: `Not a Kafka UUID: ${JSON.stringify(value)}` })
      }
      writer.writeUuid(value)
    },
  },
}

function compilePrimitive(type: PrimitiveType, layout: FieldLayout): ValueCodec {
  const fixed = fixedWidth[type]
  if (fixed !== undefined) return fixed
  if (type === 'string') return compileString(layout)
  return compileBytes(layout)
}

function compileString(layout: FieldLayout): ValueCodec {
  const prefix = lengthPrefix(layout, 'int16')
  const read: ReadValue = (reader) => {
    const length = readLength(reader, prefix, layout)
    return length === -1 ? null : reader.readUtf8(length)
  }
  const write: WriteValue = (writer, value) => {
    if (value === null) {
      writeNull(writer, prefix, layout)
      return
    }
    const text = value as string
    const byteLength = asciiLength(text) ?? Buffer.byteLength(text)
    if (prefix === 'int16' && byteLength > 0x7fff) {
      throw new ProtocolError({ message: `${layout.path} is longer than 32767 bytes`, path: layout.path })
    }
    writeLength(writer, prefix, byteLength)
    if (byteLength === text.length) writer.writeAscii(text)
    else writer.writeUtf8(text, byteLength)
  }
  return { read, write }
}

/**
 * The byte length of a short ASCII string (its length), or undefined for anything else. Kafka's strings are
 * mostly short ASCII names; measuring them here saves a call into C++ per string.
 */
function asciiLength(text: string): number | undefined {
  const length = text.length
  if (length > 64) return undefined
  for (let index = 0; index < length; index++) if (text.charCodeAt(index) >= 0x80) return undefined
  return length
}

/** `bytes` and `records`: read as views over the input, never copied. */
function compileBytes(layout: FieldLayout): ValueCodec {
  const prefix = lengthPrefix(layout, 'int32')
  const read: ReadValue = (reader) => {
    const length = readLength(reader, prefix, layout)
    return length === -1 ? null : reader.readRaw(length)
  }
  const write: WriteValue = (writer, value) => {
    if (value === null) {
      writeNull(writer, prefix, layout)
      return
    }
    const bytes = value as Uint8Array
    writeLength(writer, prefix, bytes.byteLength)
    writer.writeRaw(bytes)
  }
  return { read, write }
}

/** Refuses an element count that the bytes left cannot hold, before allocating anything sized by it. */
function checkCount(reader: Reader, layout: FieldLayout, count: number, bytesPerElement: number): void {
  if (count * bytesPerElement > reader.remaining) {
    throw new ProtocolError({
      message: `${layout.path} claims ${count} elements with ${reader.remaining} bytes left`,
      path: layout.path,
      offset: reader.offset,
    })
  }
}

function compileArray(
  items: PrimitiveType | StructType,
  layout: FieldLayout,
  compileStruct: CompileStruct,
): ValueCodec {
  if (items === 'int32') return compileInt32Array(layout)
  const prefix = lengthPrefix(layout, 'int32')
  const item =
    typeof items === 'string'
      ? compilePrimitive(items, { ...layout, nullable: false })
      : compileStruct(items, layout.version, layout.flexible)
  const readItem = item.read
  const writeItem = item.write
  const read: ReadValue = (reader) => {
    const length = readLength(reader, prefix, layout)
    if (length === -1) return null
    // Every element takes at least one byte.
    checkCount(reader, layout, length, 1)
    const result = new Array<unknown>(length)
    for (let index = 0; index < length; index++) result[index] = readItem(reader)
    return result
  }
  const write: WriteValue = (writer, value) => {
    if (value === null) {
      writeNull(writer, prefix, layout)
      return
    }
    const array = value as readonly unknown[]
    const length = array.length
    writeLength(writer, prefix, length)
    for (let index = 0; index < length; index++) writeItem(writer, array[index])
  }
  return { read, write }
}

/**
 * Arrays of int32 (replica and ISR lists, partition indexes) are the most common arrays in Kafka; this loop
 * checks the bytes once for the whole array and reads each element without a call.
 */
function compileInt32Array(layout: FieldLayout): ValueCodec {
  const prefix = lengthPrefix(layout, 'int32')
  const read: ReadValue = (reader) => {
    const length = readLength(reader, prefix, layout)
    if (length === -1) return null
    checkCount(reader, layout, length, 4)
    const buffer = reader.buffer
    let offset = reader.offset
    const result = new Array<number>(length)
    for (let index = 0; index < length; index++) {
      result[index] =
        (buffer[offset]! << 24) |
        (buffer[offset + 1]! << 16) |
        (buffer[offset + 2]! << 8) |
        buffer[offset + 3]!
      offset += 4
    }
    reader.offset = offset
    return result
  }
  const write: WriteValue = (writer, value) => {
    if (value === null) {
      writeNull(writer, prefix, layout)
      return
    }
    const array = value as readonly number[]
    const length = array.length
    writeLength(writer, prefix, length)
    writer.ensure(length * 4)
    for (let index = 0; index < length; index++) writer.writeInt32(array[index]!)
  }
  return { read, write }
}

/** A struct-typed field (not an array). Nullable ones carry an int8 marker: -1 for null, 1 otherwise. */
function compileNestedStruct(
  struct: StructType,
  layout: FieldLayout,
  compileStruct: CompileStruct,
): ValueCodec {
  const codec = compileStruct(struct, layout.version, layout.flexible)
  if (!layout.nullable) return codec
  return {
    read: (reader) => (reader.readInt8() < 0 ? null : codec.read(reader)),
    write: (writer, value) => {
      if (value === null) {
        writer.writeInt8(-1)
        return
      }
      writer.writeInt8(1)
      codec.write(writer, value)
    },
  }
}

export function fieldLayout(
  field: FieldSchema,
  parentPath: string,
  version: number,
  flexible: boolean,
): FieldLayout {
  return {
    path: `${parentPath}.${field.name}`,
    nullable: inRange(version, field.nullableVersions),
    compact: field.flexibleVersions !== undefined ? inRange(version, field.flexibleVersions) : flexible,
    version,
    flexible,
  }
}
