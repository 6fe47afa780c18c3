// aiokafka's way of configuring TLS, `ssl_context=create_ssl_context(cafile=…)`, against the real SSL
// listener: `sslContext: createSslContext({ cafile })` must make the producer, consumer and admin client
// trust exactly that CA (and present that client certificate), with host names checked. A context built
// on another CA must fail closed, at once, with a non-retriable TlsHandshakeError.
import { fileURLToPath } from 'node:url'
import { KafkaAdminClient } from '@kafkite/admin'
import { ClusterClient } from '@kafkite/cluster'
import { KafkaConsumer, topicPartition } from '@kafkite/consumer'
import { KafkaProducer } from '@kafkite/producer'
import { KafkaError } from '@kafkite/protocol'
import { createSslContext, type SslContext, TlsHandshakeError } from '@kafkite/transport'
import { describe, expect, it } from 'vitest'
import { kafka, uniqueTopic } from '../src/index.js'

const info = kafka()
const bootstrapServers = info.bootstrap.SSL ?? ''
const otherCa = fileURLToPath(
  new URL('../../packages/transport/src/__fixtures__/tls/other-ca.pem', import.meta.url),
)

/** Starts, sends one record, and reads it back with a consumer: every client over the same context. */
async function roundTrip(sslContext: SslContext): Promise<void> {
  const topic = uniqueTopic()
  const admin = new KafkaAdminClient({ bootstrapServers, securityProtocol: 'SSL', sslContext })
  const producer = new KafkaProducer({ bootstrapServers, securityProtocol: 'SSL', sslContext })
  const consumer = new KafkaConsumer({
    bootstrapServers,
    securityProtocol: 'SSL',
    sslContext,
    fetchMaxWaitMs: 100,
  })
  try {
    await admin.start()
    ;(await admin.createTopics([{ name: topic, numPartitions: 1, replicationFactor: 1 }])).orThrow()
    expect(await admin.listTopics()).toContain(topic)

    await producer.start()
    const metadata = await (await producer.send(topic, 'over TLS', { key: 'k' })).delivery
    expect(metadata?.offset).toBe(0n)

    await consumer.start()
    const tp = topicPartition(topic, 0)
    consumer.assign([tp])
    await consumer.seekToBeginning(tp)
    const record = await consumer.getone(tp)
    expect(record.value?.toString()).toBe('over TLS')
  } finally {
    await Promise.allSettled([consumer.stop(), producer.stop(), admin.close()])
  }
}

/** The error a client's start() rejects with, checked to be kafkite's non-retriable TLS error. */
async function tlsFailure(start: () => Promise<void>): Promise<TlsHandshakeError> {
  const startedAt = performance.now()
  const error: unknown = await start().then(
    () => new Error('the handshake unexpectedly succeeded'),
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(TlsHandshakeError)
  expect(KafkaError.isInstance(error) && error.retriable).toBe(false)
  // Fails closed at once: no reconnect loop until a timeout.
  expect(performance.now() - startedAt).toBeLessThan(10_000)
  return error as TlsHandshakeError
}

describe.runIf(info.tls !== undefined && bootstrapServers !== '')('sslContext: createSslContext(…)', () => {
  it('connects the admin client, producer and consumer with the harness CA (cafile)', async () => {
    await roundTrip(createSslContext({ cafile: info.tls?.caPem ?? '' }))
  })

  it('connects with a client certificate too (mTLS: certfile, keyfile)', async () => {
    const tls = info.tls
    if (tls === undefined) throw new Error('no TLS material')
    await roundTrip(
      createSslContext({ cafile: tls.caPem, certfile: tls.clientCertPem, keyfile: tls.clientKeyPem }),
    )
    // The files are really read: a keyfile without the certificate's key is refused when building the context.
    expect(() =>
      createSslContext({ cafile: tls.caPem, certfile: tls.clientCertPem, keyfile: otherCa }),
    ).toThrow()
  })

  it('fails closed with TlsHandshakeError when the context trusts another CA', async () => {
    const sslContext = createSslContext({ cafile: otherCa })
    const options = { bootstrapServers, securityProtocol: 'SSL', sslContext } as const
    const producer = new KafkaProducer(options)
    const consumer = new KafkaConsumer(options)
    const admin = new KafkaAdminClient(options)
    const cluster = new ClusterClient({ bootstrapServers, securityProtocol: 'SSL', ssl: sslContext })
    try {
      const error = await tlsFailure(() => producer.start())
      expect(error.code).toMatch(/CERT|SIGNED|ISSUER/)
      await tlsFailure(() => consumer.start())
      await tlsFailure(() => admin.start())
      await tlsFailure(() => cluster.bootstrap())
    } finally {
      await Promise.allSettled([producer.stop(), consumer.stop(), admin.close(), cluster.close()])
    }
  })

  it('fails closed without a CA: Node roots do not trust the harness CA', async () => {
    const producer = new KafkaProducer({
      bootstrapServers,
      securityProtocol: 'SSL',
      sslContext: createSslContext(),
    })
    try {
      await tlsFailure(() => producer.start())
    } finally {
      await producer.stop()
    }
  })
})
