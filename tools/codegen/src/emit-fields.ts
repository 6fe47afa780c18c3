import type { RawField } from './load-schemas.js'
import { camelCase } from './names.js'
import { resolveType } from './struct-registry.js'
import { formatRange, isEmpty, parseRange, rangeLiteral } from './versions.js'

/** True when a field can hold null at some version, so its TypeScript type includes `| null`. */
export function isNullable(field: RawField): boolean {
  const nullable = parseRange(field.nullableVersions)
  if (nullable !== undefined && !isEmpty(nullable)) return true
  return resolveType(field.type).base === 'records' && !resolveType(field.type).isArray
}

const tsPrimitive: Readonly<Record<string, string>> = {
  bool: 'boolean',
  int8: 'number',
  int16: 'number',
  uint16: 'number',
  int32: 'number',
  uint32: 'number',
  int64: 'bigint',
  float64: 'number',
  string: 'string',
  bytes: 'Uint8Array',
  records: 'Uint8Array',
  uuid: 'Uuid',
}

export function tsFieldType(field: RawField, structTypeName: (structName: string) => string): string {
  const { base, isArray, isStruct } = resolveType(field.type)
  const element = isStruct ? structTypeName(base) : tsPrimitive[base]
  if (element === undefined) throw new Error(`Unknown type ${field.type}`)
  const type = isArray ? `${element}[]` : element
  return isNullable(field) ? `${type} | null` : type
}

/** Converts a JSON default to the JavaScript literal of the field's type. */
export function defaultLiteral(field: RawField): string | undefined {
  if (field.default === undefined) return undefined
  const raw = String(field.default).trim()
  const { base, isArray, isStruct } = resolveType(field.type)
  if (raw === 'null') {
    if (!isNullable(field)) throw new Error(`${field.name}: default null on a non-nullable field`)
    return 'null'
  }
  if (isArray || isStruct) throw new Error(`${field.name}: only null may be the default of ${field.type}`)
  switch (base) {
    case 'bool':
      if (raw !== 'true' && raw !== 'false') throw new Error(`${field.name}: bad bool default ${raw}`)
      return raw
    case 'int64':
      return `${BigInt(raw)}n`
    case 'int8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32': {
      const value = raw.startsWith('0x') ? Number.parseInt(raw, 16) : Number(raw)
      if (!Number.isInteger(value)) throw new Error(`${field.name}: bad integer default ${raw}`)
      return String(value)
    }
    case 'float64':
      return String(Number(raw))
    case 'string':
    case 'uuid':
      return JSON.stringify(raw)
    default:
      throw new Error(`${field.name}: no default allowed for ${base}`)
  }
}

export function fieldDoc(field: RawField): string {
  const parts: string[] = []
  if (field.about !== undefined && field.about !== '') parts.push(field.about.trim())
  const tags: string[] = [`@versions ${field.versions ?? '0+'}`]
  const nullable = parseRange(field.nullableVersions)
  if (nullable !== undefined && !isEmpty(nullable)) tags.push(`@nullable ${formatRange(nullable)}`)
  if (field.tag !== undefined) tags.push(`@tag ${field.tag} (tagged in ${field.taggedVersions ?? 'none'})`)
  if (field.default !== undefined) tags.push(`@default ${String(field.default)}`)
  if (field.ignorable) tags.push('@ignorable')
  if (field.mapKey) tags.push('@mapKey')
  if (field.entityType !== undefined) tags.push(`@entityType ${field.entityType}`)
  parts.push(tags.join(' '))
  return jsDoc(parts.join('\n'), '  ')
}

export function jsDoc(text: string, indent: string): string {
  const safe = text.replace(/\*\//g, '*\\/')
  const lines = safe.split('\n')
  if (lines.length === 1) return `${indent}/** ${lines[0]} */`
  return [
    `${indent}/**`,
    ...lines.map((line) => (line === '' ? `${indent} *` : `${indent} * ${line}`)),
    `${indent} */`,
  ].join('\n')
}

/** The schema literal of one field, as `@kafkite/protocol`'s FieldSchema. */
export function fieldSchemaLiteral(field: RawField, structConstName: (structName: string) => string): string {
  const { base, isArray, isStruct } = resolveType(field.type)
  const element = isStruct ? structConstName(base) : `'${base}'`
  const type = isArray ? `{ kind: 'array', items: ${element} }` : element
  const parts = [`name: '${camelCase(field.name)}'`, `type: ${type}`]
  const versions = parseRange(field.versions ?? '0+')!
  parts.push(`versions: ${rangeLiteral(versions)}`)
  const nullable = parseRange(field.nullableVersions)
  if (nullable !== undefined && !isEmpty(nullable)) parts.push(`nullableVersions: ${rangeLiteral(nullable)}`)
  const tagged = parseRange(field.taggedVersions)
  if (tagged !== undefined && field.tag !== undefined) {
    parts.push(`taggedVersions: ${rangeLiteral(tagged)}`, `tag: ${field.tag}`)
  }
  const defaultValue = defaultLiteral(field)
  if (defaultValue !== undefined) parts.push(`default: ${defaultValue}`)
  if (field.ignorable === true) parts.push('ignorable: true')
  const flexible = parseRange(field.flexibleVersions)
  if (flexible !== undefined) parts.push(`flexibleVersions: ${rangeLiteral(flexible)}`)
  if (field.mapKey === true) parts.push('mapKey: true')
  return `{ ${parts.join(', ')} }`
}
