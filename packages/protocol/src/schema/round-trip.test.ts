import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as ConsumerProtocolAssignment from '../generated/consumer-protocol-assignment.js'
import * as ConsumerProtocolSubscription from '../generated/consumer-protocol-subscription.js'
import * as DefaultPrincipalData from '../generated/default-principal-data.js'
import { allApis } from '../generated/index.js'
import * as KRaftVersionRecord from '../generated/k-raft-version-record.js'
import * as LeaderChangeMessage from '../generated/leader-change-message.js'
import * as RequestHeader from '../generated/request-header.js'
import * as ResponseHeader from '../generated/response-header.js'
import * as SnapshotFooterRecord from '../generated/snapshot-footer-record.js'
import * as SnapshotHeaderRecord from '../generated/snapshot-header-record.js'
import * as VotersRecord from '../generated/voters-record.js'
import { arbitraryMessage } from '../test-support/arbitrary-message.js'
import { decodeMessage, encodeMessage } from './codec.js'
import type { MessageSchema } from './types.js'

const standalone: MessageSchema[] = [
  RequestHeader.schema,
  ResponseHeader.schema,
  ConsumerProtocolAssignment.schema,
  ConsumerProtocolSubscription.schema,
  DefaultPrincipalData.schema,
  KRaftVersionRecord.schema,
  LeaderChangeMessage.schema,
  SnapshotFooterRecord.schema,
  SnapshotHeaderRecord.schema,
  VotersRecord.schema,
]

const schemas: MessageSchema[] = [...allApis.flatMap((api) => [api.request, api.response]), ...standalone]

const cases = schemas.flatMap((schema) => {
  const [min, max] = schema.validVersions
  return Array.from({ length: max - min + 1 }, (_, index) => ({
    schema,
    name: schema.name,
    version: min + index,
  }))
})

// Each case draws this many random messages; the whole matrix stays in seconds.
const runsPerCase = Number(process.env.KAFKITE_ROUND_TRIP_RUNS ?? 12)

describe('every message schema at every valid version', () => {
  it('covers every (message, version) pair the schemas define', () => {
    const expected = schemas.reduce(
      (sum, schema) => sum + schema.validVersions[1] - schema.validVersions[0] + 1,
      0,
    )
    expect(cases.length).toBe(expected)
    expect(allApis.length).toBeGreaterThan(80)
  })

  it.each(cases)(
    '$name v$version: decode(encode(x)) equals x and re-encodes to the same bytes',
    ({ schema, version }) => {
      fc.assert(
        fc.property(arbitraryMessage(schema, version), (value) => {
          const bytes = encodeMessage(schema, version, value)
          const decoded = decodeMessage(schema, version, bytes)
          expect(decoded).toEqual(value)
          expect(encodeMessage(schema, version, decoded)).toEqual(bytes)
        }),
        { numRuns: runsPerCase },
      )
    },
  )
})
