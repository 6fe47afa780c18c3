// `kafkite/errors`: every error class, as `aiokafka.errors` holds aiokafka's. Broker error codes have one
// class each, named as aiokafka names them; all extend `KafkaError` (check with `KafkaError.isInstance`).
export { FetchOffsetOutOfRangeError, IllegalOperation, RecordDeserializationError } from '@kafkite/consumer'
export * from '@kafkite/protocol/errors'
export { DecompressionLimitError } from '@kafkite/records'
export { FrameSizeError, TlsHandshakeError } from '@kafkite/transport'
