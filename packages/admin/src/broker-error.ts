import { type BrokerResponseError, ErrorCode, errorFromCode } from '@kafkite/protocol'

/**
 * The typed error for a non-zero code found at `path` of a response, with the broker's own message when it
 * sent one (it often says more than the code: "Replication factor: 3 larger than available brokers: 1").
 * Returns undefined for 0.
 */
export function brokerError(
  code: number,
  brokerMessage: string | null | undefined,
  path: string,
  context: string,
): BrokerResponseError | undefined {
  if (code === ErrorCode.NONE) return undefined
  // The class's own message already names the code, the path and Kafka's description.
  const plain = errorFromCode(code, { path }) as BrokerResponseError
  if (brokerMessage === null || brokerMessage === undefined || brokerMessage === '') {
    return errorFromCode(code, { path, message: `${context}: ${plain.message}` })
  }
  return errorFromCode(code, {
    path,
    message: `${context}: [Error ${code}] ${plain.errorName} at ${path}: ${brokerMessage}`,
  })
}
