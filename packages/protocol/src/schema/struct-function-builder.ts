import type { Reader } from '../wire/reader.js'
import type { Writer } from '../wire/writer.js'
import type { ReadValue, WriteValue } from './compile-field.js'
import { defaultValueOf } from './defaults.js'
import type { FieldSchema, PrimitiveType } from './types.js'

/** One field of a struct at one version, as the compiler planned it. */
export interface FieldStep {
  readonly field: FieldSchema
  /** `present`: on the wire in order; `default`: absent at this version or travelling as a tag. */
  readonly mode: 'present' | 'default'
  readonly read: ReadValue
  readonly write: WriteValue
  /** True when the value is a non-nullable fixed-width primitive the builder may inline. */
  readonly inline: boolean
}

export interface StructFunctions {
  readonly read: ReadValue
  readonly write: WriteValue
}

const readMethods: Partial<Record<PrimitiveType, string>> = {
  bool: 'readBool',
  int8: 'readInt8',
  int16: 'readInt16',
  uint16: 'readUint16',
  int32: 'readInt32',
  uint32: 'readUint32',
  int64: 'readInt64',
  float64: 'readFloat64',
}

const writeMethods: Partial<Record<PrimitiveType, string>> = {
  bool: 'writeBool',
  int8: 'writeInt8',
  int16: 'writeInt16',
  uint16: 'writeUint16',
  int32: 'writeInt32',
  uint32: 'writeUint32',
  int64: 'writeInt64',
  float64: 'writeFloat64',
}

export function canInline(field: FieldSchema): boolean {
  return typeof field.type === 'string' && readMethods[field.type] !== undefined
}

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** A JavaScript literal for a default that is a primitive, or undefined when it must be built per call. */
function defaultLiteral(field: FieldSchema): string | undefined {
  const value = defaultValueOf(field)
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value)
    case 'bigint':
      return `${value}n`
    case 'boolean':
      return String(value)
    case 'string':
      return JSON.stringify(value)
    default:
      return value === null ? 'null' : undefined
  }
}

/**
 * Builds a struct's read and write functions as straight-line JavaScript (one object literal per decode,
 * fields in declaration order), so V8 sees one object shape per struct and no loop over field closures.
 * Only field names checked to be identifiers and literals made here go into the source; everything else
 * (nested codecs, defaults, the tag section) is passed in as arguments.
 */
export function buildStructFunctions(
  steps: readonly FieldStep[],
  tail: {
    readonly readTags: ((reader: Reader, result: Record<string, unknown>) => void) | undefined
    readonly writeTags: ((writer: Writer, record: Record<string, unknown>) => void) | undefined
    readonly checkAbsent: ((record: Record<string, unknown>) => void) | undefined
    /** False when the struct has no tagged fields: an empty tag section is then handled inline. */
    readonly hasKnownTags: boolean
  },
): StructFunctions {
  const names: string[] = []
  const values: unknown[] = []
  const reference = (value: unknown): string => {
    names.push(`ref${names.length}`)
    values.push(value)
    return names[names.length - 1]!
  }

  const members: string[] = []
  const writes: string[] = []
  for (const step of steps) {
    const name = step.field.name
    if (!identifier.test(name)) throw new Error(`Field name ${name} is not an identifier`)
    const literal = defaultLiteral(step.field)
    const defaultExpression = literal ?? `${reference(() => defaultValueOf(step.field))}()`
    if (step.mode === 'default') {
      members.push(`${name}: ${defaultExpression}`)
      continue
    }
    const type = step.field.type as PrimitiveType
    if (step.inline) {
      members.push(`${name}: reader.${readMethods[type]}()`)
      writes.push(
        `value = record.${name}; writer.${writeMethods[type]}(value === undefined ? ${defaultExpression} : value)`,
      )
    } else {
      const read = reference(step.read)
      const write = reference(step.write)
      members.push(`${name}: ${read}(reader)`)
      writes.push(
        `value = record.${name}; ${write}(writer, value === undefined ? ${defaultExpression} : value)`,
      )
    }
  }
  // Most flexible structs carry an empty tag section (one zero byte); skip the call for it.
  const readTags =
    tail.readTags === undefined
      ? ''
      : `if (reader.offset < reader.end && reader.buffer[reader.offset] === 0) reader.offset++
    else ${reference(tail.readTags)}(reader, result)\n`
  const writeTags =
    tail.writeTags === undefined
      ? ''
      : tail.hasKnownTags
        ? `${reference(tail.writeTags)}(writer, record)\n`
        : `if (record.unknownTags === undefined) writer.writeInt8(0)
    else ${reference(tail.writeTags)}(writer, record)\n`
  const checkAbsent = tail.checkAbsent === undefined ? '' : `${reference(tail.checkAbsent)}(record)\n`

  const source = `'use strict'
return {
  read(reader) {
    const result = { ${members.join(', ')} }
    ${readTags}return result
  },
  write(writer, record) {
    let value
    ${writes.join('\n    ')}
    ${checkAbsent}${writeTags}
  },
}`
  // The source is built above from checked identifiers and literals only.
  const factory = new Function(...names, source) as (...args: unknown[]) => StructFunctions
  return factory(...values)
}
