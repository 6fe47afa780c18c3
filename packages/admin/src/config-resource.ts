import { IllegalArgumentError } from '@kafkite/protocol'
import { checkObject, checkString } from './arguments.js'

/** Kafka's config resource types (same numbers as aiokafka's `ConfigResourceType` and Java's). */
export const ConfigResourceType = {
  TOPIC: 2,
  BROKER: 4,
  BROKER_LOGGER: 8,
  CLIENT_METRICS: 16,
  GROUP: 32,
} as const
export type ConfigResourceType = (typeof ConfigResourceType)[keyof typeof ConfigResourceType]

/** How `alterConfigs` changes one key (IncrementalAlterConfigs' operations). */
export type AlterConfigOpType = 'set' | 'delete' | 'append' | 'subtract'

/** One incremental change: `append`/`subtract` work on list-valued keys such as `cleanup.policy`. */
export interface AlterConfigOp {
  readonly op: AlterConfigOpType
  /** Needed for every op except `delete`. */
  readonly value?: string
}

/**
 * aiokafka's `ConfigResource`: what `describeConfigs` and `alterConfigs` work on. `resourceType` also takes
 * aiokafka's `'topic'`/`'broker'` strings. A broker resource is named by its node id (`'1'`); the empty name
 * means the cluster-wide broker default.
 *
 * `configs`: for `describeConfigs`, its keys choose which configs to return (left out: all); for
 * `alterConfigs`, each value is a change: a string sets the key, null deletes it (back to its default), an
 * `AlterConfigOp` says exactly what to do.
 */
export interface ConfigResource {
  readonly resourceType:
    | ConfigResourceType
    | 'topic'
    | 'broker'
    | 'broker_logger'
    | 'group'
    | 'client_metrics'
  readonly name: string
  readonly configs?: Readonly<Record<string, string | null | AlterConfigOp>> | readonly string[]
}

/** A resource as results are keyed: type and name. */
export interface ConfigResourceKey {
  readonly resourceType: ConfigResourceType
  readonly name: string
}

const TYPE_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(ConfigResourceType).map(([name, value]) => [value, name]),
)

/** `TOPIC:orders`, `BROKER:1`: the key results are stored under and the text error messages use. */
export function formatConfigResource(key: ConfigResourceKey): string {
  return `${TYPE_NAMES.get(key.resourceType) ?? String(key.resourceType)}:${key.name}`
}

export function checkResourceType(value: unknown, what: string): ConfigResourceType {
  if (typeof value === 'string') {
    const byName = Reflect.get(ConfigResourceType, value.toUpperCase()) as ConfigResourceType | undefined
    if (byName !== undefined) return byName
  }
  if (typeof value === 'number' && TYPE_NAMES.has(value)) return value as ConfigResourceType
  throw new IllegalArgumentError({
    message: `${what} must be one of ${[...TYPE_NAMES.values()].join(', ')} (or its number), got ${String(value)}`,
  })
}

/** A checked copy of a caller's resource. Resources named twice are refused (their answers would collide). */
export function checkResources(
  resources: readonly ConfigResource[],
  operation: string,
): Array<ConfigResourceKey & { readonly configs: ConfigResource['configs'] }> {
  if (!Array.isArray(resources) || resources.length === 0) {
    throw new IllegalArgumentError({ message: `${operation} needs a non-empty array of ConfigResource` })
  }
  const seen = new Set<string>()
  return resources.map((resource: unknown, index) => {
    const fields = checkObject(resource, `resources[${index}]`)
    const resourceType = checkResourceType(fields.resourceType, `resources[${index}].resourceType`)
    const name = checkString(fields.name, `resources[${index}].name`)
    const key = formatConfigResource({ resourceType, name })
    if (seen.has(key)) throw new IllegalArgumentError({ message: `${operation} names ${key} twice` })
    seen.add(key)
    if (
      (resourceType === ConfigResourceType.BROKER || resourceType === ConfigResourceType.BROKER_LOGGER) &&
      name !== '' &&
      !/^\d+$/.test(name)
    ) {
      throw new IllegalArgumentError({ message: `${key}: a broker resource is named by its node id` })
    }
    return { resourceType, name, configs: fields.configs as ConfigResource['configs'] }
  })
}

/**
 * The broker a request about `key` must go to: a specific broker's (or broker logger's) configs live on that
 * broker, as Kafka's Java Admin routes them; -1 for everything else (topics, the broker default, groups),
 * which the API's own route serves.
 */
export function configTarget(key: ConfigResourceKey): number {
  const perBroker =
    key.resourceType === ConfigResourceType.BROKER || key.resourceType === ConfigResourceType.BROKER_LOGGER
  return perBroker && key.name !== '' ? Number(key.name) : -1
}
