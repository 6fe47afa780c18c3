// When the negotiated version cannot carry a field, a non-default value of a non-ignorable field must fail
// loudly (Kafka's UnsupportedVersionException) rather than vanish; ignorable fields and default values
// are dropped silently.
import { describe, expect, it } from 'vitest'
import { KafkaError } from '../errors/kafka-error.js'
import { UnsupportedVersionError } from '../generated/error-codes.js'
import * as Fetch from '../generated/fetch.js'
import * as Metadata from '../generated/metadata.js'
import * as Produce from '../generated/produce.js'
import { encodeRequest } from '../headers.js'
import { encodeMessage } from './codec.js'

function thrownBy(action: () => unknown): unknown {
  try {
    action()
  } catch (error) {
    return error
  }
  throw new Error('expected an error')
}

const produceBody = {
  acks: 1,
  timeoutMs: 1000,
  topicData: [{ name: 'orders', partitionData: [{ index: 0, records: null }] }],
}

describe('non-default, non-ignorable fields the version cannot carry', () => {
  it('Produce v2 cannot carry a transactional id (added in v3)', () => {
    const request = Produce.createRequest({ ...produceBody, transactionalId: 'tx-1' })
    const error = thrownBy(() => encodeMessage(Produce.request, 2, request))
    expect(error).toBeInstanceOf(UnsupportedVersionError)
    expect(KafkaError.isInstance(error)).toBe(true)
    const unsupported = error as UnsupportedVersionError
    expect(unsupported.code).toBe(35)
    expect(unsupported.retriable).toBe(false)
    expect(unsupported.path).toBe('ProduceRequest.transactionalId')
    expect(unsupported.message).toContain('ProduceRequest v2')
    // v3 carries it.
    expect(() => encodeMessage(Produce.request, 3, request)).not.toThrow()
  })

  it('also throws through encodeRequest', () => {
    const request = Produce.createRequest({ ...produceBody, transactionalId: 'tx-1' })
    expect(() => encodeRequest(Produce.api, 2, { correlationId: 1, clientId: null }, request)).toThrow(
      UnsupportedVersionError,
    )
  })

  it('Metadata below v4 cannot say allowAutoTopicCreation=false (the default is true)', () => {
    const request = Metadata.createRequest({ topics: [{ name: 'orders' }], allowAutoTopicCreation: false })
    expect(() => encodeMessage(Metadata.request, 3, request)).toThrow(UnsupportedVersionError)
    expect(() => encodeMessage(Metadata.request, 4, request)).not.toThrow()
  })

  it('Metadata v11+ cannot carry includeClusterAuthorizedOperations (removed after v10)', () => {
    const request = Metadata.createRequest({ includeClusterAuthorizedOperations: true })
    expect(() => encodeMessage(Metadata.request, 10, request)).not.toThrow()
    expect(() => encodeMessage(Metadata.request, 11, request)).toThrow(UnsupportedVersionError)
    expect(() => encodeMessage(Metadata.request, 12, request)).toThrow(UnsupportedVersionError)
  })

  it('checks nested structs: Fetch v11 cannot carry a partition lastFetchedEpoch', () => {
    const request = Fetch.createRequest({
      topics: [{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: 5n, lastFetchedEpoch: 3 }] }],
    })
    const error = thrownBy(() => encodeMessage(Fetch.request, 11, request))
    expect(error).toBeInstanceOf(UnsupportedVersionError)
    expect((error as UnsupportedVersionError).path).toBe('FetchPartition.lastFetchedEpoch')
    expect(() => encodeMessage(Fetch.request, 12, request)).not.toThrow()
  })

  it('checks fields that are tagged in later versions: Produce v9 response cannot carry currentLeader', () => {
    const response = Produce.createResponse({
      responses: [
        {
          name: 'orders',
          partitionResponses: [{ index: 0, errorCode: 6, currentLeader: { leaderId: 2, leaderEpoch: 7 } }],
        },
      ],
    })
    expect(() => encodeMessage(Produce.response, 9, response)).toThrow(UnsupportedVersionError)
    expect(() => encodeMessage(Produce.response, 10, response)).not.toThrow()
    const withEndpoints = Produce.createResponse({ nodeEndpoints: [{ nodeId: 2, host: 'b2', port: 9092 }] })
    expect(() => encodeMessage(Produce.response, 9, withEndpoints)).toThrow(UnsupportedVersionError)
  })
})

describe('ignorable fields the version cannot carry', () => {
  it('drops Fetch isolationLevel below v4 silently', () => {
    const base = { topics: [{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: 5n }] }] }
    const readCommitted = encodeMessage(Fetch.request, 3, Fetch.createRequest({ ...base, isolationLevel: 1 }))
    const readUncommitted = encodeMessage(
      Fetch.request,
      3,
      Fetch.createRequest({ ...base, isolationLevel: 0 }),
    )
    expect(readCommitted).toEqual(readUncommitted)
  })

  it('drops Fetch topic ids below v13 and topic names from v13 on', () => {
    const request = Fetch.createRequest({
      topics: [{ topic: 'orders', topicId: 'AAECAwQFBgcICQoLDA0ODw', partitions: [] }],
    })
    expect(() => encodeMessage(Fetch.request, 12, request)).not.toThrow()
    expect(() => encodeMessage(Fetch.request, 13, request)).not.toThrow()
  })

  it('drops Produce response throttle time and log append time at v0', () => {
    const response = Produce.createResponse({
      responses: [
        { name: 'orders', partitionResponses: [{ index: 0, baseOffset: 1n, logAppendTimeMs: 99n }] },
      ],
      throttleTimeMs: 250,
    })
    const bytes = encodeMessage(Produce.response, 0, response)
    const plain = encodeMessage(
      Produce.response,
      0,
      Produce.createResponse({
        responses: [{ name: 'orders', partitionResponses: [{ index: 0, baseOffset: 1n }] }],
      }),
    )
    expect(bytes).toEqual(plain)
  })
})

describe('default values the version cannot carry', () => {
  it('passes a null transactional id at Produce v0-v2', () => {
    const request = Produce.createRequest({ ...produceBody, transactionalId: null })
    for (const version of [0, 1, 2])
      expect(() => encodeMessage(Produce.request, version, request)).not.toThrow()
  })

  it('passes a field left out (undefined) as if it held its default', () => {
    const { transactionalId: _, ...withoutId } = Produce.createRequest(produceBody)
    expect(() => encodeMessage(Produce.request, 2, withoutId as Produce.Request)).not.toThrow()
  })

  it('passes default structs and empty arrays for fields added later', () => {
    const response = Produce.createResponse({
      responses: [
        {
          name: 'orders',
          partitionResponses: [{ index: 0, currentLeader: { leaderId: -1, leaderEpoch: -1 } }],
        },
      ],
      nodeEndpoints: [],
    })
    expect(() => encodeMessage(Produce.response, 9, response)).not.toThrow()
  })

  it('passes allowAutoTopicCreation=true (its default) at Metadata v1', () => {
    expect(() => encodeMessage(Metadata.request, 1, Metadata.createRequest({ topics: null }))).not.toThrow()
  })
})
