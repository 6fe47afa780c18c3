import fc from 'fast-check'
import { defaultValueOf } from '../schema/defaults.js'
import type { FieldSchema, FieldType, MessageSchema, PrimitiveType, StructType } from '../schema/types.js'
import { inRange } from '../schema/version-range.js'
import { uuidFromBytes } from '../wire/uuid.js'

/**
 * Values of a message at one version, derived from its schema: every field the version carries gets a
 * random value (null where the version allows it), every other field its default, and flexible structs
 * sometimes carry unknown tags. Decoding what we encode must give the same value back.
 */
export function arbitraryMessage(
  schema: MessageSchema,
  version: number,
): fc.Arbitrary<Record<string, unknown>> {
  return arbitraryStruct(schema.fields, version, inRange(version, schema.flexibleVersions))
}

const bytes = fc.uint8Array({ maxLength: 12 }).map((array) => Buffer.from(array))

const primitives: Record<PrimitiveType, fc.Arbitrary<unknown>> = {
  bool: fc.boolean(),
  int8: fc.integer({ min: -128, max: 127 }),
  int16: fc.integer({ min: -32768, max: 32767 }),
  uint16: fc.integer({ min: 0, max: 65535 }),
  int32: fc.integer({ min: -2147483648, max: 2147483647 }),
  uint32: fc.integer({ min: 0, max: 4294967295 }),
  int64: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  float64: fc.double(),
  string: fc.string({ unit: 'grapheme', maxLength: 8 }),
  bytes,
  records: bytes,
  uuid: fc.uint8Array({ minLength: 16, maxLength: 16 }).map((array) => uuidFromBytes(array)),
}

function arbitraryStruct(
  fields: readonly FieldSchema[],
  version: number,
  flexible: boolean,
): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {}
  for (const field of fields) {
    model[field.name] = inRange(version, field.versions)
      ? arbitraryField(field, version, flexible)
      : fc.constant(defaultValueOf(field))
  }
  const struct = fc.record(model)
  if (!flexible) return struct
  const knownTags = new Set(fields.flatMap((field) => (field.tag === undefined ? [] : [field.tag])))
  const unknownTags = fc
    .uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 2 })
    .map((tags) => tags.filter((tag) => !knownTags.has(tag)))
    .chain((tags) => fc.tuple(...tags.map((tag) => bytes.map((value) => [tag, value] as const))))
  return fc.tuple(struct, unknownTags).map(([value, tags]) => {
    if (tags.length > 0) value.unknownTags = new Map(tags)
    return value
  })
}

function arbitraryField(field: FieldSchema, version: number, flexible: boolean): fc.Arbitrary<unknown> {
  const value = arbitraryType(field.type, version, flexible)
  return inRange(version, field.nullableVersions) ? fc.option(value, { nil: null, freq: 4 }) : value
}

function arbitraryType(type: FieldType, version: number, flexible: boolean): fc.Arbitrary<unknown> {
  if (typeof type === 'string') return primitives[type]
  if (type.kind === 'array') {
    const item =
      typeof type.items === 'string' ? primitives[type.items] : arbitraryNested(type.items, version, flexible)
    return fc.array(item, { maxLength: 3 })
  }
  return arbitraryNested(type, version, flexible)
}

function arbitraryNested(struct: StructType, version: number, flexible: boolean): fc.Arbitrary<unknown> {
  return arbitraryStruct(struct.fields, version, flexible)
}
