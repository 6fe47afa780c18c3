import { IllegalArgumentError, IncrementalAlterConfigs } from '@kafkite/protocol'
import type { AdminResults } from '../admin-results.js'
import { checkBoolean } from '../arguments.js'
import { brokerError } from '../broker-error.js'
import {
  type AlterConfigOpType,
  type ConfigResource,
  type ConfigResourceKey,
  type ConfigResourceType,
  checkResources,
  configTarget,
  formatConfigResource,
} from '../config-resource.js'
import {
  type AdminContext,
  type Answers,
  addToGroup,
  fanOut,
  retriableUnlessUnknownTopic,
  runBatch,
} from '../run-batch.js'

export interface AlterConfigsOptions {
  /** Only check that the changes would be accepted. Default false. */
  readonly validateOnly?: boolean
}

/** IncrementalAlterConfigs' operation numbers. */
const OPERATIONS: Readonly<Record<AlterConfigOpType, number>> = { set: 0, delete: 1, append: 2, subtract: 3 }

/**
 * IncrementalAlterConfigs: changes only the keys listed (aiokafka sends AlterConfigs, which replaces a
 * resource's whole dynamic config; see docs/api-mapping.md). A specific broker's configs go to that broker,
 * everything else to the controller route. One outcome per resource: `InvalidConfigError`,
 * `UnknownTopicOrPartitionError`, `InvalidRequestError` (e.g. append on a non-list key), ….
 */
export function alterConfigs(
  context: AdminContext,
  resources: readonly ConfigResource[],
  options: AlterConfigsOptions = {},
): Promise<AdminResults<ConfigResourceKey, ConfigResourceKey>> {
  const checked = checkResources(resources, 'alterConfigs')
  const validateOnly = checkBoolean(options.validateOnly, false, 'validateOnly')
  const changes = new Map(checked.map((resource) => [formatConfigResource(resource), toChanges(resource)]))
  const keys: ConfigResourceKey[] = checked.map(({ resourceType, name }) => ({ resourceType, name }))
  return runBatch(context, {
    operation: 'alterConfigs',
    items: keys,
    keyOf: formatConfigResource,
    timeoutMs: context.requestTimeoutMs,
    retryItem: retriableUnlessUnknownTopic,
    attempt: (pending) => {
      const groups = new Map<number, ConfigResourceKey[]>()
      for (const key of pending) addToGroup(groups, configTarget(key), key)
      return fanOut(groups, formatConfigResource, async (nodeId, items) => {
        const request = IncrementalAlterConfigs.createRequest({
          resources: items.map((key) => ({
            resourceType: key.resourceType,
            resourceName: key.name,
            configs: changes.get(formatConfigResource(key)) ?? [],
          })),
          validateOnly,
        })
        const response =
          nodeId < 0
            ? await context.cluster.send(IncrementalAlterConfigs.api, request)
            : await context.cluster.sendToBroker(nodeId, IncrementalAlterConfigs.api, request)
        const answers: Answers<ConfigResourceKey> = new Map()
        response.responses.forEach((result, index) => {
          const key = { resourceType: result.resourceType as ConfigResourceType, name: result.resourceName }
          const text = formatConfigResource(key)
          const error = brokerError(
            result.errorCode,
            result.errorMessage,
            `/responses/${index}/errorCode`,
            `alter ${text}`,
          )
          answers.set(text, error !== undefined ? { ok: false, error } : { ok: true, value: key })
        })
        return answers
      })
    },
  })
}

function toChanges(
  resource: ConfigResourceKey & { readonly configs: ConfigResource['configs'] },
): Array<{ name: string; configOperation: number; value: string | null }> {
  const text = formatConfigResource(resource)
  const { configs } = resource
  if (configs === undefined || configs === null || Array.isArray(configs) || typeof configs !== 'object') {
    throw new IllegalArgumentError({ message: `${text}: alterConfigs needs configs as { name: change }` })
  }
  const entries = Object.entries(configs)
  if (entries.length === 0) throw new IllegalArgumentError({ message: `${text}: no config to change` })
  return entries.map(([name, change]) => {
    if (change === null) return { name, configOperation: OPERATIONS.delete, value: null }
    if (typeof change === 'string') return { name, configOperation: OPERATIONS.set, value: change }
    const op: unknown = typeof change === 'object' ? Reflect.get(change, 'op') : undefined
    if (typeof op !== 'string' || !(op in OPERATIONS)) {
      throw new IllegalArgumentError({
        message: `${text}: the change of ${name} must be a string, null or { op: set|delete|append|subtract, value }`,
      })
    }
    const value: unknown = Reflect.get(change, 'value')
    if (op !== 'delete' && typeof value !== 'string') {
      throw new IllegalArgumentError({ message: `${text}: ${op} of ${name} needs a string value` })
    }
    return {
      name,
      configOperation: OPERATIONS[op as AlterConfigOpType],
      value: op === 'delete' ? null : (value as string),
    }
  })
}
