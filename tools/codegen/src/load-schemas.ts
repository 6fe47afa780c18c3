import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** A field as Kafka's JSON writes it. */
export interface RawField {
  name: string
  type: string
  versions?: string
  nullableVersions?: string
  taggedVersions?: string
  tag?: number
  default?: string | number | boolean
  ignorable?: boolean
  flexibleVersions?: string
  mapKey?: boolean
  about?: string
  entityType?: string
  zeroCopy?: boolean
  fields?: RawField[]
}

export interface RawStruct {
  name: string
  versions?: string
  fields: RawField[]
}

/** One message file as Kafka's JSON writes it. */
export interface RawMessage {
  apiKey?: number
  type: 'request' | 'response' | 'header' | 'data'
  listeners?: string[]
  name: string
  validVersions: string
  flexibleVersions: string
  deprecatedVersions?: string
  latestVersionUnstable?: boolean
  fields: RawField[]
  commonStructs?: RawStruct[]
  /** The `//` comment lines inside the top-level object: Kafka's version history notes. */
  notes: string[]
  fileName: string
}

export interface RawError {
  code: number
  name: string
  retriable: boolean
  exception: string | null
  message: string | null
}

/** Kafka's JSON files carry `//` line comments; strip them (never inside strings: no string starts a line with //). */
function stripComments(text: string): { json: string; notes: string[] } {
  const notes: string[] = []
  let insideObject = false
  const lines = text.split('\n').map((line) => {
    const trimmed = line.trim()
    if (trimmed.startsWith('//')) {
      if (insideObject) notes.push(trimmed.replace(/^\/\/ ?/, ''))
      return ''
    }
    if (trimmed.startsWith('{')) insideObject = true
    return line
  })
  return { json: lines.join('\n'), notes }
}

export function loadMessages(directory: string): RawMessage[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((fileName) => {
      const { json, notes } = stripComments(readFileSync(join(directory, fileName), 'utf8'))
      const parsed = JSON.parse(json) as Omit<RawMessage, 'notes' | 'fileName'>
      return { ...parsed, notes: trimNotes(notes), fileName }
    })
}

function trimNotes(notes: string[]): string[] {
  while (notes.length > 0 && notes[notes.length - 1] === '') notes.pop()
  while (notes.length > 0 && notes[0] === '') notes.shift()
  return notes
}

export function loadErrors(file: string): RawError[] {
  return JSON.parse(readFileSync(file, 'utf8')) as RawError[]
}
