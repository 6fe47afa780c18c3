// `pnpm --filter @kafkite/integration fixtures:capture`: runs the protocol smoke against a real broker
// (KAFKA_BOOTSTRAP, or a local one started for the purpose) and stores every request and response frame as
// golden fixtures of @kafkite/protocol, which its unit tests decode and re-encode byte for byte.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startCluster } from '@kafkite/kafka-harness'
import { protocolSmoke } from '../src/broker-exchanges.js'

const fixturesRoot = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../packages/protocol/src/__fixtures__/broker',
)

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()
}

function hexLines(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex')
  return `${hex.match(/.{1,64}/g)?.join('\n') ?? ''}\n`
}

const cluster = await startCluster({ nodes: 1, listeners: ['PLAINTEXT'] })
try {
  const [host = '', port = ''] = cluster.bootstrap('PLAINTEXT').split(',')[0]!.split(':')
  const smoke = await protocolSmoke(
    { host, port: Number(port) },
    { topic: 'kafkite-fixtures', group: 'kafkite-fixtures' },
  )
  rmSync(fixturesRoot, { recursive: true, force: true })
  mkdirSync(fixturesRoot, { recursive: true })
  const manifest = []
  for (const exchange of smoke.exchanges.values()) {
    const base = `${kebab(exchange.api)}-v${exchange.version}`
    writeFileSync(join(fixturesRoot, `${base}-request.hex`), hexLines(exchange.requestFrame))
    writeFileSync(join(fixturesRoot, `${base}-response.hex`), hexLines(exchange.responseFrame))
    manifest.push({
      api: exchange.api,
      version: exchange.version,
      request: `${base}-request.hex`,
      response: `${base}-response.hex`,
    })
  }
  writeFileSync(
    join(fixturesRoot, 'manifest.json'),
    `${JSON.stringify({ kafkaVersion: cluster.info.kafkaVersion, exchanges: manifest }, null, 2)}\n`,
  )
  console.log(
    `Stored ${manifest.length} exchanges from Kafka ${cluster.info.kafkaVersion} in ${fixturesRoot}`,
  )
} finally {
  await cluster.stop()
}
