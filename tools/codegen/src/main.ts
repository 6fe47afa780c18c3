import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { emitErrors } from './emit-errors.js'
import { emitIndex, type ModuleEntry } from './emit-index.js'
import { emitApiModule, emitStandaloneModule } from './emit-module.js'
import { loadErrors, loadMessages, type RawMessage } from './load-schemas.js'
import { kebabCase } from './names.js'

const toolRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const repositoryRoot = resolve(toolRoot, '../..')
const schemaRoot = join(toolRoot, 'kafka-protocol')
const outputRoot = join(repositoryRoot, 'packages/protocol/src/generated')

/** Every generated file by name, from the schema copy kept in this tool. */
export function generate(): Map<string, string> {
  const messages = loadMessages(join(schemaRoot, 'messages'))
  const files = new Map<string, string>()
  const requests = new Map<string, RawMessage>()
  const responses = new Map<string, RawMessage>()
  const apis: ModuleEntry[] = []
  const standalone: ModuleEntry[] = []
  for (const message of messages) {
    if (message.type === 'request') requests.set(message.name.replace(/Request$/, ''), message)
    else if (message.type === 'response') responses.set(message.name.replace(/Response$/, ''), message)
    else {
      const file = kebabCase(message.name)
      files.set(`${file}.ts`, emitStandaloneModule(message))
      standalone.push({ namespace: message.name, file })
    }
  }
  for (const [name, request] of requests) {
    const response = responses.get(name)
    if (response === undefined) throw new Error(`${name}: request without response`)
    const file = kebabCase(name)
    files.set(`${file}.ts`, emitApiModule(name, request, response))
    apis.push({ namespace: name, file, ...(request.apiKey === undefined ? {} : { apiKey: request.apiKey }) })
  }
  files.set('error-codes.ts', emitErrors(loadErrors(join(schemaRoot, 'errors.json'))))
  files.set('index.ts', emitIndex(apis, standalone))
  return files
}

/** Copies a newer schema set into the tool (from ../shared/kafka-protocol or $KAFKA_PROTOCOL_DIR). */
function sync(): void {
  const source = process.env.KAFKA_PROTOCOL_DIR ?? resolve(repositoryRoot, '../shared/kafka-protocol')
  if (!existsSync(join(source, 'messages'))) throw new Error(`No schemas at ${source}`)
  rmSync(join(schemaRoot, 'messages'), { recursive: true, force: true })
  cpSync(join(source, 'messages'), join(schemaRoot, 'messages'), { recursive: true })
  cpSync(join(source, 'errors.json'), join(schemaRoot, 'errors.json'))
  console.log(`Copied schemas from ${source}`)
}

function write(files: Map<string, string>): void {
  mkdirSync(outputRoot, { recursive: true })
  for (const name of readdirSync(outputRoot)) {
    if (!files.has(name)) rmSync(join(outputRoot, name))
  }
  for (const [name, text] of files) writeFileSync(join(outputRoot, name), text)
  console.log(`Wrote ${files.size} files to ${outputRoot}`)
}

/** Fails when a committed generated file differs from what the schemas produce. */
function check(files: Map<string, string>): boolean {
  const stale: string[] = []
  const present = existsSync(outputRoot) ? readdirSync(outputRoot) : []
  for (const [name, text] of files) {
    const path = join(outputRoot, name)
    if (!existsSync(path) || readFileSync(path, 'utf8') !== text) stale.push(name)
  }
  for (const name of present) if (!files.has(name)) stale.push(`${name} (not generated any more)`)
  if (stale.length > 0) {
    console.error(`Generated protocol files are stale; run \`pnpm codegen\`:\n  ${stale.join('\n  ')}`)
    return false
  }
  console.log(`Generated protocol files are current (${files.size} files).`)
  return true
}

const args = new Set(process.argv.slice(2))
if (args.has('--sync')) sync()
const files = generate()
if (args.has('--check')) {
  if (!check(files)) process.exitCode = 1
} else {
  write(files)
}
