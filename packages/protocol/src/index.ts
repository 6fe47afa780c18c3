// @kafkite/protocol: Kafka's wire protocol for every API at every version, generated from Kafka's schemas.

export * from './errors/index.js'
export * from './generated/index.js'
export {
  type DecodedRequest,
  type DecodedResponse,
  decodeRequest,
  decodeResponse,
  type EncodeRequestOptions,
  encodeRequest,
  encodeResponse,
  peekCorrelationId,
  type RequestHeaderFields,
} from './headers.js'
export { type BrokerVersionRange, negotiateVersion, type VersionPins } from './negotiate-version.js'
export { type Codec, codecFor, type DecodeOptions, decodeMessage, encodeMessage } from './schema/codec.js'
export { createMessage, defaultValueOf, isDefaultValue, type MessageInit } from './schema/defaults.js'
export {
  type ApiSchema,
  type ArrayType,
  type DefaultValue,
  type FieldSchema,
  type FieldType,
  MAX_VERSION,
  type MessageKind,
  type MessageSchema,
  type PrimitiveType,
  type RouteKind,
  type StructType,
  type TaggedStruct,
  type UnknownTags,
  type Uuid,
  type VersionRange,
} from './schema/types.js'
export { formatRange, inRange } from './schema/version-range.js'
export { Reader } from './wire/reader.js'
export { uuidFromBytes, uuidToBytes, ZERO_UUID } from './wire/uuid.js'
export { Writer } from './wire/writer.js'
