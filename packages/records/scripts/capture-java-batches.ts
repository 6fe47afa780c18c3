// Captures record batches written by Kafka's own Java producer, one topic per compression type, and
// saves them as hex fixtures for the golden tests (src/__fixtures__/java-<codec>.hex).
//
// Needs a running harness broker (`pnpm kafka:fetch && pnpm kafka:start`) and a JDK. Run from the
// repository root: npx tsx --conditions=source packages/records/scripts/capture-java-batches.ts
//
// The console producer reads tab-separated "headers<TAB>key<TAB>value" lines; NULL stands for null. One
// linger window holds every line, so each topic gets one batch. The bytes are fetched back raw with the
// protocol package's Fetch codec over a plain socket, exactly as a broker serves them.

import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { createMessage, decodeResponse, encodeRequest, Fetch } from '@kafkite/protocol'

const FIXTURES = new URL('../src/__fixtures__/', import.meta.url)
const state = JSON.parse(readFileSync(join(homedir(), '.cache/kafkite/run/cluster.json'), 'utf8')) as {
  kafkaVersion: string
  nodes: { ports: { PLAINTEXT: number } }[]
}
const port = state.nodes[0]!.ports.PLAINTEXT
const libs = join(homedir(), `.cache/kafkite/kafka/${state.kafkaVersion}/libs/*`)

/** The records every fixture holds: headers, null keys and values, empty value, non-ASCII. */
export const INPUT_LINES = [
  'trace:abc,source:java\tkey-1\tvalue one',
  'NULL\tNULL\tvalue with a null key',
  'h:NULL\tkey-3\tNULL',
  'x:1\tkey-4\t',
  'émoji:✓\tключ\t値 ✓',
]

function produce(topic: string, compression: string): void {
  const result = spawnSync(
    'java',
    [
      '-cp',
      libs,
      'org.apache.kafka.tools.ConsoleProducer',
      '--bootstrap-server',
      `127.0.0.1:${port}`,
      '--topic',
      topic,
      // Not compression.type: the tool's own --compression-codec (default none) overrides it.
      '--compression-codec',
      compression,
      '--command-property',
      'linger.ms=2000',
      '--command-property',
      'batch.size=1000000',
      '--reader-property',
      'parse.key=true',
      '--reader-property',
      'parse.headers=true',
      '--reader-property',
      'null.marker=NULL',
    ],
    { input: `${INPUT_LINES.join('\n')}\n`, encoding: 'utf8', timeout: 120_000 },
  )
  if (result.status !== 0) throw new Error(`console producer failed: ${result.stderr}`)
}

function fetchRecords(topic: string): Promise<Buffer> {
  const version = 12 // the last version that names topics instead of ids
  const body = createMessage(Fetch.api.request, {
    replicaId: -1,
    maxWaitMs: 1000,
    minBytes: 1,
    maxBytes: 10_000_000,
    topics: [{ topic, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 10_000_000 }] }],
  })
  const request = encodeRequest(Fetch.api, version, { correlationId: 1, clientId: 'golden-capture' }, body)
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(request))
    let received = Buffer.alloc(0)
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
      if (received.length < 4 || received.length < 4 + received.readInt32BE(0)) return
      socket.end()
      const response = decodeResponse(Fetch.api, version, received.subarray(4)).body
      const partition = response.responses[0]?.partitions[0]
      if (partition === undefined || partition.errorCode !== 0 || partition.records === null) {
        reject(new Error(`fetch of ${topic} failed: ${JSON.stringify(partition?.errorCode)}`))
        return
      }
      resolve(Buffer.from(partition.records))
    })
    socket.on('error', reject)
  })
}

for (const compression of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) {
  const topic = `golden-${compression}-${Date.now()}`
  produce(topic, compression)
  const records = await fetchRecords(topic)
  writeFileSync(new URL(`java-${compression}.hex`, FIXTURES), `${records.toString('hex')}\n`)
  console.log(`${compression}: ${records.length} bytes`)
}
