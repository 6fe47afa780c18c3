import { IllegalArgumentError } from '@kafkite/protocol'

/** Where a broker listens. */
export interface BrokerAddress {
  readonly host: string
  readonly port: number
}

/** Kafka's default client port, used when a bootstrap entry names only a host (as aiokafka does). */
export const DEFAULT_KAFKA_PORT = 9092

/**
 * Parses `bootstrapServers` as aiokafka takes it: `'h1:9092,h2:9092'` or a list of `'host[:port]'`
 * entries. IPv6 literals go in brackets (`'[::1]:9092'`). Whitespace around entries is ignored; an empty
 * entry, a bad port or no entry at all throws `IllegalArgumentError` naming the culprit, so a typo fails
 * at construction rather than as a connection error minutes later.
 */
export function parseBootstrapServers(servers: string | readonly string[]): BrokerAddress[] {
  const entries = typeof servers === 'string' ? servers.split(',') : [...servers]
  if (!Array.isArray(entries)) {
    throw new IllegalArgumentError({ message: 'bootstrapServers must be a string or a list of strings' })
  }
  const addresses: BrokerAddress[] = []
  for (const entry of entries) {
    if (typeof entry !== 'string') {
      throw new IllegalArgumentError({
        message: `bootstrapServers entries must be strings, got ${typeof entry}`,
      })
    }
    addresses.push(parseAddress(entry.trim()))
  }
  if (addresses.length === 0) {
    throw new IllegalArgumentError({ message: 'bootstrapServers must name at least one broker' })
  }
  return addresses
}

function parseAddress(entry: string): BrokerAddress {
  if (entry === '') {
    throw new IllegalArgumentError({ message: 'bootstrapServers has an empty entry' })
  }
  let host: string
  let portText: string | undefined
  if (entry.startsWith('[')) {
    const end = entry.indexOf(']')
    if (end < 0)
      throw new IllegalArgumentError({ message: `bootstrapServers entry "${entry}": no closing ]` })
    host = entry.slice(1, end)
    const rest = entry.slice(end + 1)
    if (rest !== '' && !rest.startsWith(':')) {
      throw new IllegalArgumentError({ message: `bootstrapServers entry "${entry}": expected :port after ]` })
    }
    portText = rest === '' ? undefined : rest.slice(1)
  } else {
    const colon = entry.lastIndexOf(':')
    // More than one colon without brackets is an IPv6 literal with no port.
    if (colon < 0 || entry.indexOf(':') !== colon) {
      host = entry
    } else {
      host = entry.slice(0, colon)
      portText = entry.slice(colon + 1)
    }
  }
  if (host === '') throw new IllegalArgumentError({ message: `bootstrapServers entry "${entry}": no host` })
  const port = portText === undefined ? DEFAULT_KAFKA_PORT : Number(portText)
  if (portText !== undefined && (!/^\d+$/.test(portText) || port < 1 || port > 65535)) {
    throw new IllegalArgumentError({
      message: `bootstrapServers entry "${entry}": port must be a number from 1 to 65535`,
    })
  }
  return { host, port }
}

/** `host:port`, with brackets around an IPv6 literal. */
export function formatAddress(address: BrokerAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`
}
