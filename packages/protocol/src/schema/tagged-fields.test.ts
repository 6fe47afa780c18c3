// Tagged fields: unknown tags are kept on decode and written back unchanged, known tags round trip, and
// tags are written in ascending order with known and unknown ones merged.
import { describe, expect, it } from 'vitest'
import { hex, toHex } from '../__fixtures__/hex.js'
import * as ApiVersions from '../generated/api-versions.js'
import * as Fetch from '../generated/fetch.js'
import * as Metadata from '../generated/metadata.js'
import * as Produce from '../generated/produce.js'
import { decodeMessage, encodeMessage } from './codec.js'

describe('unknown tagged fields', () => {
  const metadataV12 = hex`
    00 00 00 00                    # throttle time 0
    02                             # brokers: 1
      00 00 00 01                  #   node id 1
      03 62 31                     #   host "b1"
      00 00 23 84                  #   port 9092
      00                           #   rack: null
      01                           #   tagged fields: 1
        0a 02 ab cd                #     tag 10 (unknown), 2 bytes
    00                             # cluster id: null
    00 00 00 01                    # controller id 1
    02                             # topics: 1
      00 00                        #   error code 0
      02 74                        #   name "t"
      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00   # topic id: zero
      00                           #   is internal: false
      01                           #   partitions: empty
      80 00 00 00                  #   topic authorized operations
      02                           #   tagged fields: 2
        00 00                      #     tag 0 (unknown here), 0 bytes
        ac 02 01 ff                #     tag 300 (uvarint ac 02, unknown), 1 byte
    01                             # tagged fields: 1
      01 03 01 02 03               #   tag 1 (unknown), 3 bytes
  `

  it('keeps unknown tags at every level in an unknownTags map', () => {
    const decoded = decodeMessage(Metadata.response, 12, metadataV12)
    expect(decoded.unknownTags).toEqual(new Map([[1, hex`01 02 03`]]))
    expect(decoded.brokers[0]?.unknownTags).toEqual(new Map([[10, hex`ab cd`]]))
    expect(decoded.topics[0]?.unknownTags).toEqual(
      new Map([
        [0, hex``],
        [300, hex`ff`],
      ]),
    )
    expect(decoded.brokers[0]?.host).toBe('b1')
    expect(decoded.topics[0]?.name).toBe('t')
  })

  it('writes unknown tags back byte for byte', () => {
    const decoded = decodeMessage(Metadata.response, 12, metadataV12)
    expect(toHex(encodeMessage(Metadata.response, 12, decoded))).toBe(toHex(metadataV12))
  })

  it('merges known and unknown tags in ascending tag order', () => {
    const body = hex`
      00 00                        # error code 0
      01                           # api keys: empty
      00 00 00 00                  # throttle time 0
      04                           # tagged fields: 4
        01 08 00 00 00 00 00 00 00 07   # tag 1 (FinalizedFeaturesEpoch, known): 7
        03 01 01                   #   tag 3 (ZkMigrationReady, known): true
        05 01 55                   #   tag 5 (unknown), 1 byte
        c8 01 02 66 67             #   tag 200 (unknown, uvarint c8 01), 2 bytes
    `
    const decoded = decodeMessage(ApiVersions.response, 3, body)
    expect(decoded.finalizedFeaturesEpoch).toBe(7n)
    expect(decoded.zkMigrationReady).toBe(true)
    expect(decoded.unknownTags).toEqual(
      new Map([
        [5, hex`55`],
        [200, hex`66 67`],
      ]),
    )
    expect(toHex(encodeMessage(ApiVersions.response, 3, decoded))).toBe(toHex(body))
  })

  it('writes unknown tags a caller supplies, sorted in among the known ones', () => {
    const response = ApiVersions.createResponse({ zkMigrationReady: true })
    const bytes = encodeMessage(ApiVersions.response, 3, {
      ...response,
      unknownTags: new Map([
        [9, hex`09`],
        [0x7f, hex``],
        [2 ** 20, hex`aa`],
      ]),
    })
    expect(toHex(bytes.subarray(7))).toBe(
      toHex(hex`
        04                         # tagged fields: 4
          03 01 01                 #   tag 3 (ZkMigrationReady): true
          09 01 09                 #   tag 9: 1 byte
          7f 00                    #   tag 127: empty
          80 80 40 01 aa           #   tag 2^20: 1 byte
      `),
    )
  })

  it('prefers a known field over an unknown tag with the same number', () => {
    const response = ApiVersions.createResponse({ zkMigrationReady: true })
    const bytes = encodeMessage(ApiVersions.response, 3, {
      ...response,
      unknownTags: new Map([[3, hex`00`]]),
    })
    expect(toHex(bytes.subarray(7))).toBe('01 03 01 01')
  })

  it('keeps unknown tags inside a tagged struct whose known fields hold their defaults', () => {
    // Kafka compares unknown tags in equals(), so such a struct is not "default" and must be written.
    const body = hex`
      02                           # responses: 1
        02 74                      #   name "t"
        02                         #   partitions: 1
          00 00 00 00              #     index 0
          00 00                    #     error code 0
          00 00 00 00 00 00 00 01  #     base offset 1
          ff ff ff ff ff ff ff ff  #     log append time -1
          ff ff ff ff ff ff ff ff  #     log start offset -1
          01                       #     record errors: empty
          00                       #     error message: null
          01                       #     tagged fields: 1
            00 0d                  #       tag 0 (CurrentLeader), 13 bytes
              ff ff ff ff          #         leader id -1 (default)
              ff ff ff ff          #         leader epoch -1 (default)
              01 04 02 aa bb       #         tagged fields: tag 4 (unknown), 2 bytes
        00                         #   topic tagged fields: none
      00 00 00 00                  # throttle time 0
      00                           # tagged fields: none
    `
    const decoded = decodeMessage(Produce.response, 10, body)
    expect(decoded.responses[0]?.partitionResponses[0]?.currentLeader.unknownTags).toEqual(
      new Map([[4, hex`aa bb`]]),
    )
    expect(toHex(encodeMessage(Produce.response, 10, decoded))).toBe(toHex(body))
  })
})

describe('known tagged fields', () => {
  const produceV10 = hex`
    02                             # responses: 1
      02 74                        #   name "t"
      02                           #   partitions: 1
        00 00 00 00                #     index 0
        00 06                      #     error code 6 NOT_LEADER_OR_FOLLOWER
        ff ff ff ff ff ff ff ff    #     base offset -1
        ff ff ff ff ff ff ff ff    #     log append time -1
        ff ff ff ff ff ff ff ff    #     log start offset -1
        01                         #     record errors: empty
        00                         #     error message: null
        01                         #     tagged fields: 1
          00 09                    #       tag 0 (CurrentLeader), 9 bytes
            00 00 00 02            #         leader id 2
            00 00 00 07            #         leader epoch 7
            00                     #         tagged fields: none
        00                         #   topic tagged fields: none
    00 00 00 00                    # throttle time 0
    01                             # tagged fields: 1
      00 0e                        #   tag 0 (NodeEndpoints), 14 bytes
        02                         #     compact array of 1
          00 00 00 02              #       node id 2
          03 62 32                 #       host "b2"
          00 00 23 84              #       port 9092
          00                       #       rack: null
          00                       #       tagged fields: none
  `
  const produceResponse = Produce.createResponse({
    responses: [
      {
        name: 't',
        partitionResponses: [
          { index: 0, errorCode: 6, baseOffset: -1n, currentLeader: { leaderId: 2, leaderEpoch: 7 } },
        ],
      },
    ],
    nodeEndpoints: [{ nodeId: 2, host: 'b2', port: 9092, rack: null }],
  })

  it('Produce v10 response: currentLeader and nodeEndpoints decode from the tag sections', () => {
    expect(decodeMessage(Produce.response, 10, produceV10)).toEqual(produceResponse)
  })

  it('Produce v10 response: currentLeader and nodeEndpoints encode into the tag sections', () => {
    expect(toHex(encodeMessage(Produce.response, 10, produceResponse))).toBe(toHex(produceV10))
  })

  it('Produce v10 response: leaves default tagged fields out', () => {
    const plain = Produce.createResponse({ responses: [{ name: 't', partitionResponses: [{ index: 0 }] }] })
    const bytes = encodeMessage(Produce.response, 10, plain)
    expect(toHex(bytes.subarray(-6))).toBe('00 00 00 00 00 00') // ..., topic tags, throttle 0, no tags
    expect(decodeMessage(Produce.response, 10, bytes)).toEqual(plain)
  })

  it('Fetch v12 request: clusterId (tag 0) round trips, including the empty string', () => {
    for (const clusterId of ['cluster-1', '', null]) {
      const request = Fetch.createRequest({ clusterId, topics: [] })
      const bytes = encodeMessage(Fetch.request, 12, request)
      expect(decodeMessage(Fetch.request, 12, bytes)).toEqual(request)
    }
    // The empty string is not the default (null), so it travels as tag 0 holding a compact "" (01).
    expect(toHex(encodeMessage(Fetch.request, 12, Fetch.createRequest({ clusterId: '' })).subarray(-4))).toBe(
      '01 00 01 01',
    )
  })

  it('Fetch v15 request: replicaState (tag 1, a struct) round trips', () => {
    const request = Fetch.createRequest({ replicaState: { replicaId: 3, replicaEpoch: 9n }, topics: [] })
    const bytes = encodeMessage(Fetch.request, 15, request)
    expect(decodeMessage(Fetch.request, 15, bytes)).toEqual(request)
  })
})
