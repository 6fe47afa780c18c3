// @kafkite/records against Kafka's own Java clients, through the run's real broker, for every codec:
// batches we build (RecordBatchBuilder, then a Produce request) are printed back by Kafka's console
// consumer, and batches Kafka's console producer writes are fetched raw and decoded by `readBatches`.
// Both directions carry keys, a null key, a null value, an empty value, headers (one with a null value),
// non-ASCII text and one value large enough to span several compression blocks.

import { createHash } from 'node:crypto'
import {
  type CompressionName,
  CompressionType,
  RecordBatchBuilder,
  type RecordInput,
  readBatches,
} from '@kafkite/records'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BrokerSession, type TopicPartitionLeader } from '../src/broker-session.js'
import { CONSOLE_FORMAT, CONSOLE_NULL_MARKER, consoleConsume, consoleProduce } from '../src/console-tools.js'
import { firstBroker, kafka, uniqueTopic } from '../src/index.js'

const CODECS: readonly CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd']

/**
 * About 93 KB of text that compresses to roughly half: more than one LZ4 frame block (64 KiB) and more than
 * one xerial snappy block (32 KiB, as Java writes them), so the multi-block paths of the codecs run.
 */
const LARGE_VALUE = Array.from(
  { length: 12_000 },
  (_, index) => `${index.toString(36)}-${(index * 7919) % 1000}`,
)
  .join(' ')
  .concat(' ✓ fin')

interface TextRecord {
  readonly key: string | null
  readonly value: string | null
  readonly headers: readonly { readonly key: string; readonly value: string | null }[]
}

/** What kafkite writes. */
const KAFKITE_RECORDS: readonly TextRecord[] = [
  {
    key: 'key-1',
    value: 'value one',
    headers: [
      { key: 'trace', value: 'abc' },
      { key: 'source', value: 'kafkite' },
    ],
  },
  { key: null, value: 'value with a null key', headers: [{ key: 'h', value: '1' }] },
  { key: 'key-3', value: null, headers: [] },
  { key: 'key-4', value: '', headers: [{ key: 'nullable', value: null }] },
  { key: 'ключ', value: '値 ✓ ünïcödé 🚀', headers: [{ key: 'émoji', value: '✓🚀' }] },
  { key: 'large', value: LARGE_VALUE, headers: [] },
]

/** What Kafka's console producer writes, as the records a reader must see. */
const JAVA_RECORDS: readonly TextRecord[] = [
  {
    key: 'key-1',
    value: 'value one',
    headers: [
      { key: 'trace', value: 'abc' },
      { key: 'source', value: 'java' },
    ],
  },
  { key: null, value: 'value with a null key', headers: [] },
  { key: 'key-3', value: null, headers: [{ key: 'h', value: null }] },
  { key: 'key-4', value: '', headers: [{ key: 'x', value: '1' }] },
  { key: 'ключ', value: '値 ✓ ünïcödé 🚀', headers: [{ key: 'émoji', value: '✓🚀' }] },
  { key: 'large', value: LARGE_VALUE, headers: [] },
]

/** Long texts compared by size and digest, so a failure shows a readable diff instead of 93 KB of text. */
function shown(text: string): string
function shown(text: string | null): string | null
function shown(text: string | null): string | null {
  if (text === null || text.length <= 200) return text
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 16)
  return `<${Buffer.byteLength(text)} bytes, sha256 ${digest}…>`
}

function shownRecord(record: TextRecord): TextRecord {
  return { ...record, value: shown(record.value) }
}

/** A record as the console consumer prints it (see CONSOLE_FORMAT). */
function consoleLine(record: TextRecord): string {
  const orNull = (text: string | null): string => text ?? CONSOLE_FORMAT.nullLiteral
  const headers =
    record.headers.length === 0
      ? CONSOLE_FORMAT.noHeaders
      : record.headers
          .map((header) => `${header.key}${CONSOLE_FORMAT.headerKeyValue}${orNull(header.value)}`)
          .join(CONSOLE_FORMAT.headers)
  return [headers, orNull(record.key), orNull(record.value)].join(CONSOLE_FORMAT.column)
}

/** A record as the console producer reads it: `headers<TAB>key<TAB>value`, NULL for null. */
function producerLine(record: TextRecord): string {
  const orNull = (text: string | null): string => text ?? CONSOLE_NULL_MARKER
  const headers =
    record.headers.length === 0
      ? CONSOLE_NULL_MARKER
      : record.headers.map((header) => `${header.key}:${orNull(header.value)}`).join(',')
  return [headers, orNull(record.key), orNull(record.value)].join('\t')
}

/** Every record of the fetched chunks as text, with the compression of the batch that held it. */
function decodeText(chunks: readonly Buffer[]): { records: TextRecord[]; compressions: Set<number> } {
  const records: TextRecord[] = []
  const compressions = new Set<number>()
  for (const chunk of chunks) {
    for (const batch of readBatches(chunk)) {
      if (batch.isControl) continue
      compressions.add(batch.compression)
      for (const record of batch) {
        records.push({
          key: record.key === null ? null : record.key.toString('utf8'),
          value: record.value === null ? null : record.value.toString('utf8'),
          headers: record.headers.map((header) => ({
            key: header.key,
            value: header.value === null ? null : header.value.toString('utf8'),
          })),
        })
      }
    }
  }
  return { records, compressions }
}

describe('record batches between kafkite and Kafka’s Java clients, through the real broker', () => {
  let session: BrokerSession
  const toJava = new Map<CompressionName, TopicPartitionLeader>()
  const fromJava = new Map<CompressionName, TopicPartitionLeader>()

  beforeAll(async () => {
    session = await BrokerSession.open(firstBroker(kafka()))
    const names = CODECS.flatMap((codec) => [
      uniqueTopic(`records-interop-${codec}-to-java`),
      uniqueTopic(`records-interop-${codec}-from-java`),
    ])
    // compression.type=producer (the default, stated here): the broker keeps each batch's own codec, so
    // what the other side reads is what the writer compressed.
    const leaders = await session.createTopics(names, { 'compression.type': 'producer' })
    for (const [index, codec] of CODECS.entries()) {
      toJava.set(codec, leaders[2 * index]!)
      fromJava.set(codec, leaders[2 * index + 1]!)
    }
  })

  afterAll(async () => {
    await session?.close()
  })

  describe.each(CODECS)('%s', (codec) => {
    it('Kafka’s console consumer prints exactly the keys, values and headers of a kafkite batch', async () => {
      const partition = toJava.get(codec)!
      const builder = new RecordBatchBuilder({ compression: codec, maxBytes: 1 << 20 })
      for (const record of KAFKITE_RECORDS) {
        const input: RecordInput = { key: record.key, value: record.value, headers: record.headers }
        expect(builder.append(input)).not.toBeNull()
      }
      const batch = builder.build()
      expect(await session.produce(partition, batch)).toBe(0n)

      const printed = await consoleConsume(kafka(), partition.topic, { maxMessages: KAFKITE_RECORDS.length })
      expect(printed.map((line) => shown(line))).toEqual(
        KAFKITE_RECORDS.map((record) => shown(consoleLine(record))),
      )

      // The broker stored the batch with our codec, not a recompressed copy: the consumer decoded our bytes.
      const stored = await session.fetch(partition, 0n, BigInt(KAFKITE_RECORDS.length))
      const decoded = decodeText(stored.chunks)
      expect(stored.highWatermark).toBe(BigInt(KAFKITE_RECORDS.length))
      expect([...decoded.compressions]).toEqual([CompressionType[codec]])
      expect(decoded.records.map(shownRecord)).toEqual(KAFKITE_RECORDS.map(shownRecord))
    })

    it('kafkite decodes the batch Kafka’s console producer wrote', async () => {
      const partition = fromJava.get(codec)!
      await consoleProduce(kafka(), partition.topic, JAVA_RECORDS.map(producerLine), { compression: codec })

      const fetched = await session.fetch(partition, 0n, BigInt(JAVA_RECORDS.length))
      expect(fetched.highWatermark).toBe(BigInt(JAVA_RECORDS.length))
      const decoded = decodeText(fetched.chunks)
      expect([...decoded.compressions]).toEqual([CompressionType[codec]])
      expect(decoded.records.map(shownRecord)).toEqual(JAVA_RECORDS.map(shownRecord))
    })
  })
})
