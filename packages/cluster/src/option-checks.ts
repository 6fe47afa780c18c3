import { IllegalArgumentError, KafkaConfigurationError } from '@kafkite/protocol'

// Checks the clients' option resolvers share, so the producer, consumer and admin client word and type
// their option errors alike: one bad value is an IllegalArgumentError (aiokafka's ValueError), options that
// cannot work together a KafkaConfigurationError.

/** One bad option value. */
export function invalidOption(message: string): never {
  throw new IllegalArgumentError({ message })
}

/** Options that cannot work together. */
export function conflictingOptions(message: string): never {
  throw new KafkaConfigurationError({ message })
}

/** A non-negative safe integer option, or the fallback when left out. */
export function nonNegativeIntegerOption(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isSafeInteger(value) || value < 0) {
    invalidOption(`${name} must be a non-negative integer, not ${String(value)}`)
  }
  return value
}

/** A positive safe integer option, or the fallback when left out. */
export function positiveIntegerOption(name: string, value: number | undefined, fallback: number): number {
  const result = nonNegativeIntegerOption(name, value, fallback)
  if (result === 0) invalidOption(`${name} must be positive`)
  return result
}

/**
 * `bootstrapServers` as a list. aiokafka (kafka-python's collect_hosts) also takes 'host1:port,host2:port'
 * as one string: each address is its own bootstrap server.
 */
export function bootstrapServerList(
  servers: string | readonly string[] | undefined,
  fallback: string,
): readonly string[] {
  const list =
    servers === undefined
      ? [fallback]
      : typeof servers === 'string'
        ? servers.split(',').map((server) => server.trim())
        : [...servers]
  if (list.length === 0 || list.some((server) => typeof server !== 'string' || server.trim() === '')) {
    invalidOption('bootstrapServers must be a non-empty host[:port] string or list of them')
  }
  return Object.freeze(list)
}
