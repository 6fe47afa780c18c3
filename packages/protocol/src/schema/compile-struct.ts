import { ProtocolError } from '../errors/protocol-error.js'
import { UnsupportedVersionError } from '../generated/error-codes.js'
import { Reader } from '../wire/reader.js'
import { Writer } from '../wire/writer.js'
import {
  compileFieldValue,
  fieldLayout,
  type ReadValue,
  type ValueCodec,
  type WriteValue,
} from './compile-field.js'
import { isDefaultValue } from './defaults.js'
import { buildStructFunctions, canInline, type FieldStep } from './struct-function-builder.js'
import type { FieldSchema, StructType } from './types.js'
import { inRange } from './version-range.js'

interface TaggedField {
  readonly tag: number
  readonly field: FieldSchema
  readonly read: ReadValue
  readonly write: WriteValue
}

/** Struct codecs per struct schema, indexed by version (flexible and classic kept apart). */
const structCache = new WeakMap<object, Map<number, ValueCodec>>()

/**
 * Compiles one struct at one version into a pair of closures. The field list is filtered for the version
 * once here, so encoding and decoding do no version checks at all.
 */
export function compileStruct(struct: StructType, version: number, flexible: boolean): ValueCodec {
  let byVersion = structCache.get(struct)
  if (byVersion === undefined) {
    byVersion = new Map()
    structCache.set(struct, byVersion)
  }
  const key = flexible ? version : -1 - version
  let codec = byVersion.get(key)
  if (codec === undefined) {
    codec = buildStructCodec(struct.name, struct.fields, version, flexible)
    byVersion.set(key, codec)
  }
  return codec
}

export function buildStructCodec(
  path: string,
  fields: readonly FieldSchema[],
  version: number,
  flexible: boolean,
): ValueCodec {
  const steps: FieldStep[] = []
  const absentFields: FieldSchema[] = []
  const taggedFields: TaggedField[] = []
  const unusedRead: ReadValue = () => undefined
  const unusedWrite: WriteValue = () => undefined

  for (const field of fields) {
    if (!inRange(version, field.versions)) {
      absentFields.push(field)
      steps.push({ field, mode: 'default', read: unusedRead, write: unusedWrite, inline: false })
      continue
    }
    const layout = fieldLayout(field, path, version, flexible)
    const value = compileFieldValue(field, layout, compileStruct)
    if (flexible && field.tag !== undefined && inRange(version, field.taggedVersions)) {
      taggedFields.push({ tag: field.tag, field, read: value.read, write: value.write })
      // The tag section, read last, overwrites this default when the field is present.
      steps.push({ field, mode: 'default', read: unusedRead, write: unusedWrite, inline: false })
      continue
    }
    steps.push({ field, mode: 'present', read: value.read, write: value.write, inline: canInline(field) })
  }
  taggedFields.sort((left, right) => left.tag - right.tag)
  const taggedByTag = new Map(taggedFields.map((tagged) => [tagged.tag, tagged]))

  const checkAbsent = (record: Record<string, unknown>): void => {
    for (const field of absentFields) {
      const fieldValue = record[field.name]
      if (fieldValue !== undefined && !field.ignorable && !isDefaultValue(field, fieldValue)) {
        throw new UnsupportedVersionError({
          message: `${path}.${field.name} holds a non-default value that version ${version} cannot carry`,
          path: `${path}.${field.name}`,
        })
      }
    }
  }

  return buildStructFunctions(steps, {
    readTags: flexible ? (reader, result) => readTagSection(reader, result, taggedByTag, path) : undefined,
    writeTags: flexible ? (writer, record) => writeTagSection(writer, record, taggedFields) : undefined,
    hasKnownTags: taggedFields.length > 0,
    checkAbsent: absentFields.some((field) => !field.ignorable) ? checkAbsent : undefined,
  })
}

function readTagSection(
  reader: Reader,
  result: Record<string, unknown>,
  taggedByTag: ReadonlyMap<number, TaggedField>,
  path: string,
): void {
  const count = reader.readUVarint()
  if (count === 0) return
  // Each tagged field takes at least two bytes (tag and size).
  if (count > reader.remaining) {
    throw new ProtocolError({ message: `${path} claims ${count} tagged fields`, path, offset: reader.offset })
  }
  let unknownTags: Map<number, Uint8Array> | undefined
  for (let index = 0; index < count; index++) {
    const tag = reader.readUVarint()
    const size = reader.readUVarint()
    reader.ensure(size)
    const end = reader.offset + size
    const known = taggedByTag.get(tag)
    if (known === undefined) {
      unknownTags ??= new Map()
      unknownTags.set(tag, reader.readRaw(size))
      continue
    }
    const fieldReader = new Reader(reader.buffer, reader.offset, end)
    result[known.field.name] = known.read(fieldReader)
    if (fieldReader.offset !== end) {
      throw new ProtocolError({
        message: `${path}.${known.field.name} (tag ${tag}) used ${fieldReader.offset - reader.offset} of ${size} bytes`,
        path: `${path}.${known.field.name}`,
        offset: reader.offset,
      })
    }
    reader.offset = end
  }
  if (unknownTags !== undefined) result.unknownTags = unknownTags
}

function writeTagSection(
  writer: Writer,
  record: Record<string, unknown>,
  taggedFields: readonly TaggedField[],
): void {
  const unknownTags = record.unknownTags as ReadonlyMap<number, Uint8Array> | undefined
  let present: TaggedField[] | undefined
  for (const tagged of taggedFields) {
    if (isDefaultValue(tagged.field, record[tagged.field.name])) continue
    present ??= []
    present.push(tagged)
  }
  const unknownCount = unknownTags?.size ?? 0
  if (present === undefined && unknownCount === 0) {
    writer.writeUVarint(0)
    return
  }
  // Kafka writes tags in ascending order; known and unknown tags are merged to keep that order.
  const entries: { tag: number; bytes: Uint8Array }[] = []
  for (const tagged of present ?? []) {
    const fieldWriter = new Writer(64)
    tagged.write(fieldWriter, record[tagged.field.name])
    entries.push({ tag: tagged.tag, bytes: fieldWriter.finish() })
  }
  if (unknownTags !== undefined) {
    for (const [tag, bytes] of unknownTags) {
      if (!taggedFields.some((tagged) => tagged.tag === tag)) entries.push({ tag, bytes })
    }
  }
  entries.sort((left, right) => left.tag - right.tag)
  writer.writeUVarint(entries.length)
  for (const entry of entries) {
    writer.writeUVarint(entry.tag)
    writer.writeUVarint(entry.bytes.byteLength)
    writer.writeRaw(entry.bytes)
  }
}
