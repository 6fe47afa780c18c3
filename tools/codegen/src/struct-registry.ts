import type { RawField, RawMessage } from './load-schemas.js'

export const primitiveTypes = new Set([
  'bool',
  'int8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'float64',
  'string',
  'bytes',
  'records',
  'uuid',
])

export interface ResolvedType {
  /** The element or field type name: a primitive or a struct name. */
  readonly base: string
  readonly isArray: boolean
  readonly isStruct: boolean
}

export function resolveType(type: string): ResolvedType {
  const isArray = type.startsWith('[]')
  const base = isArray ? type.slice(2) : type
  return { base, isArray, isStruct: !primitiveTypes.has(base) }
}

/**
 * Every struct a message defines, inline (a field with `fields`) or shared (`commonStructs`), by name.
 * Kafka requires struct names to be unique within one message.
 */
export function collectStructs(message: RawMessage): Map<string, RawField[]> {
  const structs = new Map<string, RawField[]>()
  const visit = (fields: readonly RawField[]): void => {
    for (const field of fields) {
      if (field.fields === undefined) continue
      const { base } = resolveType(field.type)
      if (structs.has(base)) throw new Error(`${message.fileName}: struct ${base} defined twice`)
      structs.set(base, field.fields)
      visit(field.fields)
    }
  }
  for (const common of message.commonStructs ?? []) {
    structs.set(common.name, common.fields)
    visit(common.fields)
  }
  visit(message.fields)
  return structs
}
