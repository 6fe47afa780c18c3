import { defaultLiteral, fieldDoc, fieldSchemaLiteral, jsDoc, tsFieldType } from './emit-fields.js'
import type { RawField, RawMessage } from './load-schemas.js'
import { camelCase } from './names.js'
import { collectStructs, resolveType } from './struct-registry.js'
import { formatRange, isEmpty, parseRange, rangeLiteral } from './versions.js'

export interface EmittedMessage {
  /** TypeScript interfaces of the message and its structs. */
  readonly types: string
  /** Struct schema constants and the message schema constant. */
  readonly schema: string
  readonly usesUuid: boolean
}

export interface MessageNaming {
  /** Name of the top-level interface (`Request`, `Response`, `Message`). */
  readonly topType: string
  /** Name of the exported schema constant (`request`, `response`, `schema`). */
  readonly schemaConst: string
  /** Prefix for the module-private struct schema constants, to keep request and response apart. */
  readonly constPrefix: string
  /** Maps a struct name to its exported interface name (renames collisions between request and response). */
  readonly structTypeName: (structName: string) => string
}

export function emitMessage(message: RawMessage, naming: MessageNaming): EmittedMessage {
  const structs = collectStructs(message)
  const flexible = parseRange(message.flexibleVersions)!
  const tagged = !isEmpty(flexible)
  const structConstName = (name: string): string => `${naming.constPrefix}${name}`
  let usesUuid = false

  const interfaceOf = (name: string, fields: readonly RawField[], doc: string): string => {
    const members = fields.map((field) => {
      const type = tsFieldType(field, naming.structTypeName)
      if (type.includes('Uuid')) usesUuid = true
      return `${fieldDoc(field)}\n  ${camelCase(field.name)}: ${type}`
    })
    const heritage = tagged ? ' extends TaggedStruct' : ''
    return `${doc}\nexport interface ${name}${heritage} {\n${members.join('\n')}\n}`
  }

  const typeBlocks: string[] = []
  typeBlocks.push(interfaceOf(naming.topType, message.fields, messageDoc(message)))
  for (const [name, fields] of structs)
    typeBlocks.push(
      interfaceOf(naming.structTypeName(name), fields, jsDoc(`${name}, part of ${message.name}.`, '')),
    )

  // Struct schemas are emitted children first, so every constant is defined before it is used.
  const emitted = new Set<string>()
  const schemaBlocks: string[] = []
  const emitStruct = (name: string): void => {
    if (emitted.has(name)) return
    emitted.add(name)
    const fields = structs.get(name)
    if (fields === undefined) throw new Error(`${message.fileName}: unknown struct ${name}`)
    visitStructs(fields, emitStruct)
    const literals = fields.map((field) => `    ${fieldSchemaLiteral(field, structConstName)},`)
    schemaBlocks.push(
      `const ${structConstName(name)}: StructType = {\n  kind: 'struct',\n  name: '${name}',\n  fields: [\n${literals.join('\n')}\n  ],\n}`,
    )
  }
  visitStructs(message.fields, emitStruct)
  for (const name of structs.keys()) emitStruct(name)

  validateDefaults(message.fields)
  const header = [
    `  name: '${message.name}',`,
    `  kind: '${message.type}',`,
    message.apiKey !== undefined ? `  apiKey: ${message.apiKey},` : undefined,
    `  validVersions: ${rangeLiteral(parseRange(message.validVersions)!)},`,
    `  flexibleVersions: ${rangeLiteral(flexible)},`,
  ].filter((line) => line !== undefined)
  const topFields = message.fields.map((field) => `    ${fieldSchemaLiteral(field, structConstName)},`)
  schemaBlocks.push(
    `export const ${naming.schemaConst}: MessageSchema<${naming.topType}> = {\n${header.join('\n')}\n  fields: [\n${topFields.join('\n')}\n  ],\n}`,
  )
  return { types: typeBlocks.join('\n\n'), schema: schemaBlocks.join('\n\n'), usesUuid }
}

function visitStructs(fields: readonly RawField[], emitStruct: (name: string) => void): void {
  for (const field of fields) {
    const { base, isStruct } = resolveType(field.type)
    if (isStruct) emitStruct(base)
  }
}

/** Fails the generation on a default the runtime could not honour (checked once, here). */
function validateDefaults(fields: readonly RawField[]): void {
  for (const field of fields) {
    defaultLiteral(field)
    if (field.tag !== undefined && field.taggedVersions === undefined) {
      throw new Error(`${field.name}: tag without taggedVersions`)
    }
    if (field.fields !== undefined) validateDefaults(field.fields)
  }
}

function messageDoc(message: RawMessage): string {
  const valid = formatRange(parseRange(message.validVersions)!)
  const flexible = formatRange(parseRange(message.flexibleVersions)!)
  const lines = [
    `${message.name}${message.apiKey !== undefined ? ` (API key ${message.apiKey})` : ''}. Versions ${valid}, flexible ${flexible}.`,
  ]
  if (message.deprecatedVersions !== undefined)
    lines.push(`Deprecated versions: ${message.deprecatedVersions}.`)
  if (message.latestVersionUnstable)
    lines.push('The latest version is unstable (under development in Kafka).')
  if (message.notes.length > 0) lines.push('', ...message.notes)
  return jsDoc(lines.join('\n'), '')
}
