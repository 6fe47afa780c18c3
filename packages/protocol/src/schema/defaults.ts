import { ZERO_UUID } from '../wire/uuid.js'
import type { FieldSchema, FieldType, MessageSchema, StructType } from './types.js'

// A Buffer, like every bytes value decoding returns, so defaults and decoded values compare equal.
const EMPTY_BYTES: Uint8Array = Buffer.alloc(0)

/** The value a field takes when the chosen version does not carry it, or when the caller left it out. */
export function defaultValueOf(field: FieldSchema): unknown {
  if (field.default !== undefined) return field.default
  return defaultForType(field.type)
}

function defaultForType(type: FieldType): unknown {
  if (typeof type === 'string') {
    switch (type) {
      case 'bool':
        return false
      case 'int64':
        return 0n
      case 'string':
        return ''
      case 'bytes':
        return EMPTY_BYTES
      case 'records':
        return null
      case 'uuid':
        return ZERO_UUID
      default:
        return 0
    }
  }
  if (type.kind === 'array') return []
  return defaultStruct(type)
}

/** A struct whose every field holds its default. */
export function defaultStruct(struct: StructType): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (const field of struct.fields) result[field.name] = defaultValueOf(field)
  return result
}

/** True when `value` equals the field's default, so a tagged field may be left out of the wire. */
export function isDefaultValue(field: FieldSchema, value: unknown): boolean {
  if (value === undefined) return true
  const defaultValue = field.default !== undefined ? field.default : undefined
  if (defaultValue !== undefined) {
    // Explicit defaults are primitives or null.
    return value === defaultValue
  }
  return isTypeDefault(field.type, value)
}

function isTypeDefault(type: FieldType, value: unknown): boolean {
  if (typeof type === 'string') {
    switch (type) {
      case 'bytes':
        return value instanceof Uint8Array && value.byteLength === 0
      case 'records':
        return value === null
      default:
        return value === defaultForType(type)
    }
  }
  if (type.kind === 'array') return Array.isArray(value) && value.length === 0
  if (value === null || typeof value !== 'object') return false
  const record = value as Record<string, unknown>
  // Unknown tags are part of the value (Kafka's equals() compares them): a struct carrying some is not the
  // default, or a tagged struct field would drop them on re-encoding.
  const unknownTags = record.unknownTags as ReadonlyMap<number, Uint8Array> | undefined
  if (unknownTags !== undefined && unknownTags.size > 0) return false
  return type.fields.every((field) => isDefaultValue(field, record[field.name]))
}

/** Deep partial input for `createMessage`: every field may be left out and takes its schema default. */
export type MessageInit<T> = T extends
  | bigint
  | number
  | string
  | boolean
  | Uint8Array
  | ReadonlyMap<unknown, unknown>
  | null
  | undefined
  ? T
  : T extends readonly (infer Item)[]
    ? MessageInit<Item>[]
    : { [Key in keyof T]?: MessageInit<T[Key]> }

/**
 * Builds a complete message from a partial one, filling every left-out field (at any depth) with its
 * schema default, so a field added by a newer schema never silently takes a meaningful zero.
 */
export function createMessage<T>(
  schema: MessageSchema<T>,
  init: MessageInit<NoInfer<T>> = {} as MessageInit<NoInfer<T>>,
): T {
  return fillStruct(schema.fields, init as Record<string, unknown>) as T
}

function fillStruct(fields: readonly FieldSchema[], init: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (const field of fields) {
    const given = init[field.name]
    result[field.name] = given === undefined ? defaultValueOf(field) : fillValue(field.type, given)
  }
  if (init.unknownTags !== undefined) result.unknownTags = init.unknownTags
  return result
}

function fillValue(type: FieldType, given: unknown): unknown {
  if (typeof type === 'string' || given === null) return given
  if (type.kind === 'array') {
    const items = type.items
    if (typeof items === 'string' || !Array.isArray(given)) return given
    return given.map((item: Record<string, unknown>) => fillStruct(items.fields, item))
  }
  return fillStruct(type.fields, given as Record<string, unknown>)
}
