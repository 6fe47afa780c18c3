// Records suite: encode and decode throughput of v2 record batches for each codec, kafkite next to the
// record batch encoders and decoders of KafkaJS and @platformatic/kafka.
//
// One operation is one producer batch: as many records as fit Java's default batch.size (16384 bytes),
// records of 100 B and 1 KiB (key + value). Encoding starts from the records with key and value already
// serialized (Buffers) and ends with the batch's bytes; decoding starts from the batch's bytes and ends
// with every record's key and value available. MB/s counts key + value bytes (uncompressed), the same
// measure for every codec and library.
//
// Before anything is timed, every batch a library encodes is decoded by kafkite, and kafkite's batch
// (the decoders' shared input) is decoded by every library, all compared with the records put in.

import { type CompressionName, type DecodeOptions, RecordBatchBuilder, readBatches } from '@kafkite/records'
import type { MessageRecord } from '@platformatic/kafka'
import { formatBytes } from '../harness/report.js'
import type { BenchCase, BenchSuite, Contender } from '../harness/suite.js'
import { BATCH_BYTES, type BenchRecord, makeRecords, RECORD_SIZES, recordsPerBatch } from './fixtures.js'
import { type KafkaJsMessage, kafkajs, platformatic } from './peers.js'

export const CODECS: readonly CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd']

const KAFKAJS = `kafkajs ${kafkajs.version}`
const PLATFORMATIC = `@platformatic/kafka ${platformatic.version}`
const KAFKITE_CODECS: Record<CompressionName, string> = {
  none: 'none',
  gzip: 'node:zlib gzipSync/gunzipSync',
  snappy: 'snappy-wasm 0.3.0 (xerial-framed, as Java writes)',
  lz4: 'lz4-wasm 0.9.2 blocks in its own Kafka LZ4 frame code',
  zstd: '@toondepauw/node-zstd 2.0.0 (level 3)',
}

/** A decoded record, reduced to what every library must agree on. */
interface RecordDigest {
  offsetDelta: number
  timestamp: number
  key: Buffer | null
  value: Buffer | null
  headers: number
}

function sameBytes(left: Buffer | null, right: Buffer | null): boolean {
  return left === null || right === null ? left === right : left.equals(right)
}

/** Throws unless `decoded` holds exactly `expected`, in order. */
export function checkRecords(
  what: string,
  decoded: readonly RecordDigest[],
  expected: readonly BenchRecord[],
) {
  if (decoded.length !== expected.length) {
    throw new Error(`Cross-check failed for ${what}: ${decoded.length} records, expected ${expected.length}`)
  }
  for (const [index, record] of decoded.entries()) {
    const want = expected[index]!
    if (
      record.offsetDelta !== index ||
      record.timestamp !== want.timestamp ||
      !sameBytes(record.key, want.key) ||
      !sameBytes(record.value, want.value) ||
      record.headers !== 0
    ) {
      throw new Error(`Cross-check failed for ${what}: record ${index} differs`)
    }
  }
}

const NO_CRC_CHECK: DecodeOptions = { checkCrcs: false }

// ---- each library's encode and decode, on its own input form ------------------------------------------

function kafkiteEncode(records: readonly BenchRecord[], compression: CompressionName): Buffer {
  const builder = new RecordBatchBuilder({ compression, maxBytes: BATCH_BYTES })
  for (const record of records) builder.append(record)
  return builder.build()
}

/** Walks every record (key and value views): the work a consumer's loop does before its own code. */
function kafkiteDecode(batch: Buffer, options?: DecodeOptions): number {
  let bytes = 0
  for (const recordBatch of readBatches(batch, options)) {
    for (const record of recordBatch) bytes += (record.key?.length ?? 0) + (record.value?.length ?? 0)
  }
  return bytes
}

function kafkiteDigest(batch: Buffer): RecordDigest[] {
  const digests: RecordDigest[] = []
  for (const recordBatch of readBatches(batch)) {
    for (const record of recordBatch) {
      digests.push({
        offsetDelta: record.offsetDelta,
        timestamp: record.timestamp,
        key: record.key,
        value: record.value,
        headers: record.headers.length,
      })
    }
  }
  return digests
}

async function kafkajsDigest(batch: Buffer): Promise<RecordDigest[]> {
  const decoded = await kafkajs.decode(batch)
  return decoded.records.map((record) => ({
    offsetDelta: Number(record.offset),
    timestamp: Number(record.timestamp),
    key: record.key,
    value: record.value,
    headers: Object.keys(record.headers).length,
  }))
}

function platformaticDigest(batch: Buffer): RecordDigest[] {
  const decoded = platformatic.decode(batch)
  return decoded.records.map((record) => ({
    offsetDelta: record.offsetDelta,
    timestamp: Number(decoded.firstTimestamp + record.timestampDelta),
    key: record.key,
    value: record.value,
    headers: record.headers.length,
  }))
}

/** Runs `check` and turns a failure into the reason shown in the table, so one library's gap is visible. */
async function attempt(check: () => unknown): Promise<string | undefined> {
  try {
    await check()
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

// ---- cases ---------------------------------------------------------------------------------------------

async function codecCase(
  recordSize: number,
  count: number,
  records: readonly BenchRecord[],
  compression: CompressionName,
): Promise<BenchCase> {
  const payload = recordSize * count
  const kafkajsMessages: KafkaJsMessage[] = records.map(({ key, value, timestamp }) => ({
    key,
    value,
    timestamp,
  }))
  const platformaticMessages: MessageRecord[] = records.map(({ key, value, timestamp }) => ({
    key,
    value,
    topic: 'bench',
    partition: 0,
    timestamp: BigInt(timestamp),
  }))

  // kafkite's batch is every decoder's input; it must read back to the records first.
  const batch = kafkiteEncode(records, compression)
  checkRecords(`kafkite ${compression} round trip`, kafkiteDigest(batch), records)

  const contenders: Contender[] = [
    { library: 'kafkite', operation: 'encode', run: () => kafkiteEncode(records, compression) },
  ]
  const kafkajsEncodeProblem = await attempt(async () =>
    checkRecords(
      `kafkite reading KafkaJS's ${compression} batch`,
      kafkiteDigest(await kafkajs.encode(kafkajsMessages, compression)),
      records,
    ),
  )
  contenders.push(
    kafkajsEncodeProblem === undefined
      ? { library: KAFKAJS, operation: 'encode', run: () => kafkajs.encode(kafkajsMessages, compression) }
      : { library: KAFKAJS, operation: 'encode', unavailable: kafkajsEncodeProblem },
  )
  if (platformatic.supports(compression)) {
    const problem = await attempt(() =>
      checkRecords(
        `kafkite reading @platformatic/kafka's ${compression} batch`,
        kafkiteDigest(platformatic.encode(platformaticMessages, compression)),
        records,
      ),
    )
    contenders.push(
      problem === undefined
        ? {
            library: PLATFORMATIC,
            operation: 'encode',
            run: () => platformatic.encode(platformaticMessages, compression),
          }
        : { library: PLATFORMATIC, operation: 'encode', unavailable: problem },
    )
  } else {
    contenders.push({ library: PLATFORMATIC, operation: 'encode', unavailable: platformaticUnsupported() })
  }

  contenders.push({ library: 'kafkite', operation: 'decode', run: () => kafkiteDecode(batch) })
  if (compression === 'none') {
    // The other two skip the checksum; this line shows kafkite doing the same work as they do.
    contenders.push({
      library: 'kafkite',
      note: 'checkCrcs: false',
      operation: 'decode',
      run: () => kafkiteDecode(batch, NO_CRC_CHECK),
    })
  }
  const kafkajsDecodeProblem = await attempt(async () =>
    checkRecords(`KafkaJS reading kafkite's ${compression} batch`, await kafkajsDigest(batch), records),
  )
  contenders.push(
    kafkajsDecodeProblem === undefined
      ? { library: KAFKAJS, operation: 'decode', run: () => kafkajs.decode(batch) }
      : { library: KAFKAJS, operation: 'decode', unavailable: kafkajsDecodeProblem },
  )
  if (platformatic.supports(compression)) {
    const problem = await attempt(() =>
      checkRecords(
        `@platformatic/kafka reading kafkite's ${compression} batch`,
        platformaticDigest(batch),
        records,
      ),
    )
    contenders.push(
      problem === undefined
        ? { library: PLATFORMATIC, operation: 'decode', run: () => platformatic.decode(batch) }
        : { library: PLATFORMATIC, operation: 'decode', unavailable: decodeFailure(compression, problem) },
    )
  } else {
    contenders.push({ library: PLATFORMATIC, operation: 'decode', unavailable: platformaticUnsupported() })
  }

  if (compression === 'snappy') contenders.push(...(await rawSnappyDecoders(records, platformaticMessages)))

  const notes = [
    `Codecs: kafkite: ${KAFKITE_CODECS[compression]}; KafkaJS: ${kafkajs.codecs[compression]}; @platformatic/kafka: ${platformatic.codecs[compression]}.`,
  ]
  if (compression === 'none') {
    notes.push(
      'Decoding: kafkite verifies the batch CRC-32C (its default, `checkCrcs`); KafkaJS and @platformatic/kafka do not.',
    )
  }
  return {
    title: `Record batch, ${count} records of ${formatBytes(recordSize)} (key + value), ${compression}: ${formatBytes(batch.length)} on the wire; MB/s of key + value bytes`,
    bytes: payload,
    contenders,
    notes,
  }
}

/**
 * Java producers (and kafkite) frame snappy the xerial way; KafkaJS and @platformatic/kafka write raw
 * snappy. @platformatic/kafka reads only raw snappy, so the decoders are measured on its raw batch too.
 */
async function rawSnappyDecoders(
  records: readonly BenchRecord[],
  platformaticMessages: MessageRecord[],
): Promise<Contender[]> {
  const operation = 'decode raw snappy'
  const raw = platformatic.encode(platformaticMessages, 'snappy')
  checkRecords("kafkite reading @platformatic/kafka's raw snappy batch", kafkiteDigest(raw), records)
  const kafkajsProblem = await attempt(async () =>
    checkRecords("KafkaJS reading @platformatic/kafka's raw snappy batch", await kafkajsDigest(raw), records),
  )
  const platformaticProblem = await attempt(() =>
    checkRecords('@platformatic/kafka reading its own raw snappy batch', platformaticDigest(raw), records),
  )
  return [
    { library: 'kafkite', operation, run: () => kafkiteDecode(raw) },
    kafkajsProblem === undefined
      ? { library: KAFKAJS, operation, run: () => kafkajs.decode(raw) }
      : { library: KAFKAJS, operation, unavailable: kafkajsProblem },
    platformaticProblem === undefined
      ? { library: PLATFORMATIC, operation, run: () => platformatic.decode(raw) }
      : { library: PLATFORMATIC, operation, unavailable: platformaticProblem },
  ]
}

/** The reason shown when @platformatic/kafka fails on kafkite's batch. */
function decodeFailure(compression: CompressionName, problem: string): string {
  if (compression !== 'snappy') return problem
  return `cannot read xerial-framed snappy (what Java producers write): its WASM decoder fails ("${problem}")`
}

function platformaticUnsupported(): string {
  return `zstd needs node:zlib zstd (Node >= 22.15); this is Node ${process.versions.node}`
}

export const suite: BenchSuite = {
  name: 'records',
  description:
    'v2 record batches: encode and decode per codec, one producer batch (16384-byte batch.size) per operation',
  async cases() {
    const cases: BenchCase[] = []
    for (const recordSize of RECORD_SIZES) {
      const count = recordsPerBatch(recordSize)
      const records = makeRecords(recordSize, count)
      for (const compression of CODECS) cases.push(await codecCase(recordSize, count, records, compression))
    }
    return cases
  },
}
