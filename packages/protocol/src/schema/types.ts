import type { Uuid } from '../wire/uuid.js'

/**
 * A closed range of versions, both ends included. `[0, -1]` (min above max) means "no version".
 * Open ranges such as Kafka's `3+` are written with `MAX_VERSION` as the upper end.
 */
export type VersionRange = readonly [min: number, max: number]

/** Upper end of an open version range (`N+`). */
export const MAX_VERSION = 0x7fff

export type PrimitiveType =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'float64'
  | 'string'
  | 'bytes'
  | 'records'
  | 'uuid'

export interface StructType {
  readonly kind: 'struct'
  /** Kafka's struct name, e.g. `TopicProduceData`. */
  readonly name: string
  readonly fields: readonly FieldSchema[]
}

export interface ArrayType {
  readonly kind: 'array'
  readonly items: PrimitiveType | StructType
}

export type FieldType = PrimitiveType | StructType | ArrayType

/** An explicit default from the schema, already converted to the field's JavaScript type. */
export type DefaultValue = boolean | number | bigint | string | null

export interface FieldSchema {
  /** Kafka's field name in camelCase. */
  readonly name: string
  readonly type: FieldType
  readonly versions: VersionRange
  readonly nullableVersions?: VersionRange
  /** Versions in which the field travels in the tagged-field section, under `tag`. */
  readonly taggedVersions?: VersionRange
  readonly tag?: number
  readonly default?: DefaultValue
  /** A non-default value may be dropped silently when the chosen version cannot carry the field. */
  readonly ignorable?: boolean
  /** Field-level override of the message's flexible versions (only RequestHeader.ClientId has one). */
  readonly flexibleVersions?: VersionRange
  readonly mapKey?: boolean
}

export type MessageKind = 'request' | 'response' | 'header' | 'data'

/** The schema of one message (a request, a response, a header or a data record), at every version. */
export interface MessageSchema<T = unknown> {
  readonly name: string
  readonly kind: MessageKind
  readonly apiKey?: number
  readonly validVersions: VersionRange
  readonly flexibleVersions: VersionRange
  readonly fields: readonly FieldSchema[]
  /** Phantom member carrying the decoded type; never set at run time. */
  readonly __type?: T
}

/**
 * How a request finds its broker. `any`: any broker; `leader`: the partition leader; `controller`: the
 * active controller (in KRaft, any broker forwards); `group`/`txn`/`share`: that coordinator;
 * `internal`: broker-to-broker or controller-only, never sent by a client.
 */
export type RouteKind = 'any' | 'leader' | 'controller' | 'group' | 'txn' | 'share' | 'internal'

/** One Kafka API: its request and response schemas and the facts a client needs to send it. */
export interface ApiSchema<Request = unknown, Response = unknown> {
  /** The API's name without the Request/Response suffix, e.g. `Produce`. */
  readonly name: string
  readonly apiKey: number
  readonly route: RouteKind
  readonly request: MessageSchema<Request>
  readonly response: MessageSchema<Response>
  /** Request header version per API version (index = API version). */
  readonly requestHeaderVersions: readonly number[]
  /** Response header version per API version (index = API version). ApiVersions always uses 0. */
  readonly responseHeaderVersions: readonly number[]
  /** Versions Kafka marks deprecated. */
  readonly deprecatedVersions: VersionRange
  /** True when the newest version is still under development in Kafka and brokers may not enable it. */
  readonly latestVersionUnstable: boolean
}

/** Unknown tagged fields kept from decoding so that re-encoding writes them back unchanged. */
export type UnknownTags = ReadonlyMap<number, Uint8Array>

/** Members every decoded struct of a flexible version may carry. */
export interface TaggedStruct {
  /** Tagged fields this version of the schema does not know, kept to be written back. */
  unknownTags?: UnknownTags
}

export type { Uuid }
