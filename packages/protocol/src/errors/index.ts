// Every error class, for `@kafkite/protocol/errors` and the umbrella's re-export: the kafkite counterpart of
// `aiokafka.errors`.
export * from '../generated/error-codes.js'
export { BrokerResponseError, type BrokerResponseErrorOptions } from './broker-response-error.js'
export * from './client-errors.js'
export { KafkaError, type KafkaErrorOptions } from './kafka-error.js'
export {
  CorrelationIdError,
  ProtocolError,
  ProtocolError as KafkaProtocolError,
  type ProtocolErrorOptions,
} from './protocol-error.js'
