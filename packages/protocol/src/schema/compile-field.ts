import { ProtocolError } from '../errors/protocol-error.js'
import type { Reader } from '../wire/reader.js'
import { isUuid } from '../wire/uuid.js'
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
  const { nullable, compact } = layout
  const read: ReadValue = compact
    ? (reader) => {
        const length = reader.readCompactLength()
        if (length === -1) {
          if (!nullable) throw nullOnWire(layout, reader)
          return null
        }
        return reader.readUtf8(length)
      }
    : (reader) => {
        const length = reader.readStringLength()
        if (length === -1) {
          if (!nullable) throw nullOnWire(layout, reader)
          return null
        }
        return reader.readUtf8(length)
      }
  const write: WriteValue = (writer, value) => {
    if (value === null) {
      if (!nullable) throw nullNotAllowed(layout)
      if (compact) writer.writeUVarint(0)
      else writer.writeInt16(-1)
      return
    }
    const text = value as string
    const byteLength = asciiLength(text) ?? Buffer.byteLength(text)
    if (compact) {
      writer.writeUVarint(byteLength + 1)
    } else {
      if (byteLength > 0x7fff) {
        throw new ProtocolError({ message: `${layout.path} is longer than 32767 bytes`, path: layout.path })
      }
      writer.writeInt16(byteLength)
    }
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
  const { nullable, compact } = layout
  const read: ReadValue = (reader) => {
    const length = compact ? reader.readCompactLength() : reader.readInt32Length()
    if (length === -1) {
      if (!nullable) throw nullOnWire(layout, reader)
      return null
    }
    return reader.readRaw(length)
  }
  const write: WriteValue = (writer, value) => {
    if (value === null) {
      if (!nullable) throw nullNotAllowed(layout)
      if (compact) writer.writeUVarint(0)
      else writer.writeInt32(-1)
      return
    }
    const bytes = value as Uint8Array
    if (compact) writer.writeUVarint(bytes.byteLength + 1)
    else writer.writeInt32(bytes.byteLength)
    writer.writeRaw(bytes)
  }
  return { read, write }
}

function compileArray(
  items: PrimitiveType | StructType,
  layout: FieldLayout,
  compileStruct: CompileStruct,
): ValueCodec {
  const { nullable, compact } = layout
  const item =
    typeof items === 'string'
      ? compilePrimitive(items, { ...layout, nullable: false })
      : compileStruct(items, layout.version, layout.flexible)
  const readItem = item.read
  const writeItem = item.write
  if (items === 'int32') return compileInt32Array(layout)
  const read: ReadValue = (reader) => {
    const length = compact ? reader.readCompactLength() : reader.readInt32Length()
    if (length === -1) {
      if (!nullable) throw nullOnWire(layout, reader)
      return null
    }
    // Every element takes at least one byte, so a count above the bytes left is hostile: refuse it before
    // allocating anything sized by it.
    if (length > reader.remaining) {
      throw new ProtocolError({
        message: `${layout.path} claims ${length} elements with ${reader.remaining} bytes left`,
        path: layout.path,
        offset: reader.offset,
      })
    }
    const result = new Array<unknown>(length)
    for (let index = 0; index < length; index++) result[index] = readItem(reader)
    return result
  }
  const write: WriteValue = (writer, value) => {
    if (value === null) {
      if (!nullable) throw nullNotAllowed(layout)
      if (compact) writer.writeUVarint(0)
      else writer.writeInt32(-1)
      return
    }
    const array = value as readonly unknown[]
    const length = array.length
    if (compact) writer.writeUVarint(length + 1)
    else writer.writeInt32(length)
    for (let index = 0; index < length; index++) writeItem(writer, array[index])
  }
  return { read, write }
}

/**
 * Arrays of int32 (replica and ISR lists, partition indexes) are the most common arrays in Kafka; this loop
 * checks the bytes once for the whole array and reads each element without a call.
 */
function compileInt32Array(layout: FieldLayout): ValueCodec {
  const { nullable, compact } = layout
  const read: ReadValue = (reader) => {
    const length = compact ? reader.readCompactLength() : reader.readInt32Length()
    if (length === -1) {
      if (!nullable) throw nullOnWire(layout, reader)
      return null
    }
    if (length * 4 > reader.remaining) {
      throw new ProtocolError({
        message: `${layout.path} claims ${length} int32 elements with ${reader.remaining} bytes left`,
        path: layout.path,
        offset: reader.offset,
      })
    }
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
      if (!nullable) throw nullNotAllowed(layout)
      if (compact) writer.writeUVarint(0)
      else writer.writeInt32(-1)
      return
    }
    const array = value as readonly number[]
    const length = array.length
    if (compact) writer.writeUVarint(length + 1)
    else writer.writeInt32(length)
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
