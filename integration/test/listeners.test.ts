// Every listener the harness opens accepts a connection (TCP or TLS) and answers ApiVersions. The request is
// the harness's hand-built v0 frame until @kafkite/protocol can encode it.
import { connect as tlsConnect } from 'node:tls'
import { type ListenerName, probeApiVersions } from '@kafkite/kafka-harness'
import { describe, expect, it } from 'vitest'
import { firstBroker, kafka, tlsPem } from '../src/index.js'

const API_VERSIONS = 18
const info = kafka()
const offered = Object.keys(info.bootstrap) as ListenerName[]
const isSecure = (listener: ListenerName): boolean => listener === 'SSL' || listener === 'SASL_SSL'

describe.each(offered)('listener %s', (listener) => {
  const secure = isSecure(listener)

  it('answers ApiVersions on every node', async () => {
    for (const address of info.bootstrap[listener]?.split(',') ?? []) {
      const [host = '', port = ''] = address.split(':')
      const answer = await probeApiVersions({
        host,
        port: Number(port),
        ...(secure ? { tls: { ca: tlsPem(info).ca } } : {}),
      })
      expect(answer.errorCode).toBe(0)
      const apiVersions = answer.apis.find((api) => api.apiKey === API_VERSIONS)
      expect(apiVersions?.maxVersion).toBeGreaterThanOrEqual(3)
    }
  })
})

describe.each(offered.filter(isSecure))('TLS on listener %s', (listener) => {
  it('accepts a client certificate (mTLS)', async () => {
    const { ca, cert, key } = tlsPem(info)
    const answer = await probeApiVersions({ ...firstBroker(info, listener), tls: { ca, cert, key } })
    expect(answer.errorCode).toBe(0)
  })

  it('presents a certificate that only the cluster CA validates', async () => {
    const { host, port } = firstBroker(info, listener)
    // Without the CA, Node's default trust store must reject the broker: the TLS is real, not a pass-through.
    const error = await new Promise<Error>((resolve) => {
      const socket = tlsConnect({ host, port }, () => {
        socket.destroy()
        resolve(new Error('handshake unexpectedly succeeded'))
      })
      socket.on('error', resolve)
    })
    expect(error.message).toMatch(/self[- ]signed|unable to (get|verify)|certificate/i)
  })
})

it('offers all four client listeners when the harness started the broker', () => {
  if (info.kind !== 'local') return
  expect([...offered].sort()).toEqual(['PLAINTEXT', 'SASL_PLAINTEXT', 'SASL_SSL', 'SSL'])
  expect(info.saslUsers[0]?.mechanisms).toEqual(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'])
})
