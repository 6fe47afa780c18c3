// Kafka's console consumer and console producer as reference clients for interop tests, in the option
// dialect of the cluster's Kafka line (4.x renamed --property to --formatter-property/--reader-property and
// --producer-property to --command-property, and moved the producer out of the Scala core).
import { spawn } from 'node:child_process'
import { type ClusterInfo, fetchKafka, kafkaVersion, runKafkaTool } from '@kafkite/kafka-harness'

/** Separators of the console consumer's output; none of them occurs in the test data. */
export const CONSOLE_FORMAT = {
  column: '\t',
  headers: ',',
  /** The consumer writes `key:value` per header; the colon is fixed by the formatter. */
  headerKeyValue: ':',
  nullLiteral: '<null>',
  noHeaders: 'NO_HEADERS',
} as const

/** The console producer's null marker, for keys, values and header values. */
export const CONSOLE_NULL_MARKER = 'NULL'

function isKafka4(info: ClusterInfo): boolean {
  return kafkaVersion(info.kafkaVersion).line === '4'
}

export interface ConsoleConsumeOptions {
  readonly maxMessages: number
  readonly timeoutMs?: number
}

/**
 * Reads partition 0 of `topic` from the earliest offset with `ConsoleConsumer` (assigned, so no group
 * join) and returns the lines it printed: `headers<TAB>key<TAB>value` per record, headers as
 * `k:v,k:v` or `NO_HEADERS`, nulls as `<null>`.
 */
export async function consoleConsume(
  info: ClusterInfo,
  topic: string,
  options: ConsoleConsumeOptions,
): Promise<string[]> {
  const bootstrap = info.bootstrap.PLAINTEXT
  if (bootstrap === undefined) throw new Error('the cluster offers no PLAINTEXT listener')
  const formatterOption = isKafka4(info) ? '--formatter-property' : '--property'
  const formatter = {
    'print.headers': 'true',
    'print.key': 'true',
    'print.value': 'true',
    'key.separator': CONSOLE_FORMAT.column,
    'headers.separator': CONSOLE_FORMAT.headers,
    'null.literal': CONSOLE_FORMAT.nullLiteral,
  }
  const { stdout } = await runKafkaTool(info, 'org.apache.kafka.tools.consumer.ConsoleConsumer', [
    '--bootstrap-server',
    bootstrap,
    '--topic',
    topic,
    '--partition',
    '0',
    '--offset',
    'earliest',
    '--max-messages',
    String(options.maxMessages),
    '--timeout-ms',
    String(options.timeoutMs ?? 20_000),
    ...Object.entries(formatter).flatMap(([key, value]) => [formatterOption, `${key}=${value}`]),
  ])
  const lines = stdout.split('\n')
  if (lines.at(-1) === '') lines.pop()
  return lines
}

export interface ConsoleProduceOptions {
  /** `none`, `gzip`, `snappy`, `lz4` or `zstd` (the tool's --compression-codec). */
  readonly compression: string
  readonly timeoutMs?: number
}

/**
 * Writes `lines` (each `headers<TAB>key<TAB>value`, headers as `k:v,k:v`, `NULL` for null) to `topic` with
 * `ConsoleProducer`, all in one batch: a long linger and a large batch size hold every line until the
 * producer closes at the end of its input.
 */
export async function consoleProduce(
  info: ClusterInfo,
  topic: string,
  lines: readonly string[],
  options: ConsoleProduceOptions,
): Promise<void> {
  const bootstrap = info.bootstrap.PLAINTEXT
  if (bootstrap === undefined) throw new Error('the cluster offers no PLAINTEXT listener')
  const kafka4 = isKafka4(info)
  const readerOption = kafka4 ? '--reader-property' : '--property'
  const producerOption = kafka4 ? '--command-property' : '--producer-property'
  const reader = {
    'parse.key': 'true',
    'parse.headers': 'true',
    'null.marker': CONSOLE_NULL_MARKER,
  }
  const producer = { 'linger.ms': '5000', 'batch.size': '1000000', acks: 'all' }
  await runJavaWithInput(
    info,
    kafka4 ? 'org.apache.kafka.tools.ConsoleProducer' : 'kafka.tools.ConsoleProducer',
    [
      '--bootstrap-server',
      bootstrap,
      '--topic',
      topic,
      // Not compression.type: the tool's own --compression-codec (default none) overrides it.
      '--compression-codec',
      options.compression,
      ...Object.entries(reader).flatMap(([key, value]) => [readerOption, `${key}=${value}`]),
      ...Object.entries(producer).flatMap(([key, value]) => [producerOption, `${key}=${value}`]),
    ],
    `${lines.join('\n')}\n`,
    options.timeoutMs ?? 60_000,
  )
}

/** The harness's flags for one-shot tool JVMs (C1 only, serial GC): they start faster on small machines. */
const SHORT_LIVED_JVM = ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC']

/**
 * Like the harness's `runKafkaTool`, with `input` written to the tool's stdin (the console producer reads
 * its records there).
 */
async function runJavaWithInput(
  info: ClusterInfo,
  mainClass: string,
  args: readonly string[],
  input: string,
  timeoutMs: number,
): Promise<{ stdout: string; stderr: string }> {
  const { libs } = await fetchKafka(kafkaVersion(info.kafkaVersion))
  const home = process.env.JAVA_HOME
  const java = home !== undefined && home !== '' ? `${home}/bin/java` : 'java'
  return new Promise((resolve, reject) => {
    const child = spawn(java, [...SHORT_LIVED_JVM, '-cp', `${libs}/*`, mainClass, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(new Error(`cannot run ${java}: ${error.message}`))
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) {
        resolve({ stdout, stderr })
        return
      }
      const why = signal !== null ? `killed by ${signal} (timeout ${timeoutMs} ms?)` : `exit code ${code}`
      reject(new Error(`${mainClass} failed: ${why}\n${(stdout + stderr).slice(-4000)}`))
    })
    child.stdin.end(input, 'utf8')
  })
}
