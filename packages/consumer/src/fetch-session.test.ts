import { ErrorCode } from '@kafkite/protocol'
import { type SaslContext, Secret, toOAuthBearerTokenProvider } from '@kafkite/transport'
import { describe, expect, it } from 'vitest'
import { clusterOptionsFor } from './consumer-cluster.js'
import { resolveConsumerOptions } from './consumer-options.js'
import { FetchSession, type SessionPartition } from './fetch-session.js'
import { TP, TP1 } from './test-support/batches.js'
import { TopicPartitionMap } from './topic-partition.js'

const at = (fetchOffset: bigint): SessionPartition => ({ fetchOffset, maxBytes: 100, currentLeaderEpoch: 0 })

describe('FetchSession', () => {
  it('sends everything first, then only what changed, and forgets what is no longer wanted', () => {
    const session = new FetchSession()
    const first = session.build(
      new TopicPartitionMap([
        [TP, at(0n)],
        [TP1, at(0n)],
      ]),
    )
    expect(first).toMatchObject({ sessionId: 0, sessionEpoch: 0, full: true, forget: [] })
    expect(first.send).toHaveLength(2)
    expect(session.onResponse(ErrorCode.NONE, 42)).toBe(true)
    expect([session.sessionId, session.epoch]).toEqual([42, 1])

    const second = session.build(
      new TopicPartitionMap([
        [TP, at(5n)],
        [TP1, at(0n)],
      ]),
    )
    expect(second).toMatchObject({ sessionId: 42, sessionEpoch: 1, full: false, forget: [] })
    expect(second.send.map(([tp]) => tp)).toEqual([TP])
    expect(session.onResponse(ErrorCode.NONE, 42)).toBe(true)

    const third = session.build(new TopicPartitionMap([[TP, at(5n)]]))
    expect(third.send).toEqual([])
    expect(third.forget).toEqual([TP1])
    expect(third.sessionEpoch).toBe(2)
    session.onResponse(ErrorCode.NONE, 42)
    expect(session.epoch).toBe(3)
  })

  it('starts over after a session error, a failure or a closed session', () => {
    const session = new FetchSession()
    session.build(new TopicPartitionMap([[TP, at(0n)]]))
    session.onResponse(ErrorCode.NONE, 7)
    session.build(new TopicPartitionMap([[TP, at(1n)]]))
    expect(session.onResponse(ErrorCode.INVALID_FETCH_SESSION_EPOCH, 0)).toBe(false)
    expect([session.sessionId, session.epoch]).toEqual([0, 0])
    // No answer expected: a response without a request is refused.
    expect(session.onResponse(ErrorCode.NONE, 7)).toBe(false)
    session.build(new TopicPartitionMap([[TP, at(0n)]]))
    session.onResponse(ErrorCode.NONE, 9)
    session.build(new TopicPartitionMap([[TP, at(2n)]]))
    // The broker answered without the session: it closed it.
    expect(session.onResponse(ErrorCode.NONE, 0)).toBe(true)
    expect(session.sessionId).toBe(0)
    // A broker that makes no session leaves every fetch full.
    session.build(new TopicPartitionMap([[TP, at(2n)]]))
    session.onResponse(ErrorCode.NONE, 0)
    expect(session.build(new TopicPartitionMap([[TP, at(2n)]])).full).toBe(true)
  })

  it('counts epochs up and stays sessionless when disabled', () => {
    const session = new FetchSession()
    session.build(new TopicPartitionMap([[TP, at(0n)]]))
    session.onResponse(ErrorCode.NONE, 3)
    for (let index = 0; index < 3; index++) {
      session.build(new TopicPartitionMap([[TP, at(0n)]]))
      session.onResponse(ErrorCode.NONE, 3)
    }
    expect(session.epoch).toBe(4)
    const off = new FetchSession(false)
    expect(off.build(new TopicPartitionMap([[TP, at(0n)]]))).toMatchObject({ sessionId: 0, sessionEpoch: -1 })
    expect(off.onResponse(ErrorCode.NONE, 5)).toBe(true)
    expect(off.build(new TopicPartitionMap([[TP, at(0n)]]))).toMatchObject({ sessionId: 0, sessionEpoch: -1 })
    off.reset()
    expect(off.epoch).toBe(-1)
  })
})

describe('clusterOptionsFor', () => {
  it('maps aiokafka connection options to the cluster client', async () => {
    const plain = clusterOptionsFor(
      resolveConsumerOptions({
        bootstrapServers: ['a:1', 'b:2'],
        securityProtocol: 'SASL_SSL',
        saslMechanism: 'SCRAM-SHA-512',
        saslPlainUsername: 'u',
        saslPlainPassword: 'p',
        sslContext: { rejectUnauthorized: false },
        connectionsMaxIdleMs: null,
      }),
    )
    expect(plain).toMatchObject({
      bootstrapServers: ['a:1', 'b:2'],
      securityProtocol: 'SASL_SSL',
      allowAutoTopicCreation: false,
      ssl: { rejectUnauthorized: false },
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'u', password: expect.any(Secret) },
      connectionsMaxIdleMs: 2_147_483_647,
    })
    const oauth = clusterOptionsFor(
      resolveConsumerOptions({
        securityProtocol: 'SASL_PLAINTEXT',
        saslMechanism: 'OAUTHBEARER',
        saslOauthTokenProvider: { token: async () => 't', extensions: () => ({ a: 'b' }) },
      }),
    )
    const provider = toOAuthBearerTokenProvider((oauth.sasl as { tokenProvider: never }).tokenProvider)
    expect(await provider({} as SaslContext)).toEqual({ token: 't', extensions: { a: 'b' } })
    const bare = clusterOptionsFor(
      resolveConsumerOptions({
        securityProtocol: 'SASL_PLAINTEXT',
        saslMechanism: 'OAUTHBEARER',
        saslOauthTokenProvider: { token: async () => 't' },
      }),
    )
    const bareProvider = toOAuthBearerTokenProvider((bare.sasl as { tokenProvider: never }).tokenProvider)
    expect(await bareProvider({} as SaslContext)).toEqual({ token: 't' })
    expect(clusterOptionsFor(resolveConsumerOptions({})).sasl).toBeUndefined()
  })
})
