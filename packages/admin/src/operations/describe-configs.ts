import { DescribeConfigs, IllegalArgumentError } from '@kafkite/protocol'
import type { AdminResults } from '../admin-results.js'
import { checkBoolean } from '../arguments.js'
import { brokerError } from '../broker-error.js'
import {
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

/** Where a config value comes from (Kafka's `ConfigEntry.ConfigSource`). */
export type ConfigSource =
  | 'UNKNOWN'
  | 'DYNAMIC_TOPIC_CONFIG'
  | 'DYNAMIC_BROKER_CONFIG'
  | 'DYNAMIC_DEFAULT_BROKER_CONFIG'
  | 'STATIC_BROKER_CONFIG'
  | 'DEFAULT_CONFIG'
  | 'DYNAMIC_BROKER_LOGGER_CONFIG'
  | 'CLIENT_METRICS_CONFIG'
  | 'GROUP_CONFIG'

const SOURCES: readonly ConfigSource[] = [
  'UNKNOWN',
  'DYNAMIC_TOPIC_CONFIG',
  'DYNAMIC_BROKER_CONFIG',
  'DYNAMIC_DEFAULT_BROKER_CONFIG',
  'STATIC_BROKER_CONFIG',
  'DEFAULT_CONFIG',
  'DYNAMIC_BROKER_LOGGER_CONFIG',
  'CLIENT_METRICS_CONFIG',
  'GROUP_CONFIG',
]

/** A config's data type, when the broker says (DescribeConfigs v3+ with `includeDocumentation`). */
export type ConfigType =
  | 'UNKNOWN'
  | 'BOOLEAN'
  | 'STRING'
  | 'INT'
  | 'SHORT'
  | 'LONG'
  | 'DOUBLE'
  | 'LIST'
  | 'CLASS'
  | 'PASSWORD'

const TYPES: readonly ConfigType[] = [
  'UNKNOWN',
  'BOOLEAN',
  'STRING',
  'INT',
  'SHORT',
  'LONG',
  'DOUBLE',
  'LIST',
  'CLASS',
  'PASSWORD',
]

export interface ConfigSynonym {
  readonly name: string
  readonly value: string | null
  readonly source: ConfigSource
}

/** One config of a resource. */
export interface ConfigEntry {
  readonly name: string
  /** null for sensitive configs and for configs with no value. */
  readonly value: string | null
  readonly source: ConfigSource
  readonly isDefault: boolean
  readonly isReadOnly: boolean
  readonly isSensitive: boolean
  /** Where else the value could come from, most specific first; empty unless `includeSynonyms`. */
  readonly synonyms: readonly ConfigSynonym[]
  /** 'UNKNOWN' unless `includeDocumentation` and the broker says. */
  readonly type: ConfigType
  /** null unless `includeDocumentation`. */
  readonly documentation: string | null
}

/** One described resource. */
export interface ConfigResourceDescription extends ConfigResourceKey {
  /** By config name, in the broker's order. */
  readonly entries: ReadonlyMap<string, ConfigEntry>
}

export interface DescribeConfigsOptions {
  /** Also list each config's synonyms (aiokafka's `include_synonyms`). Default false. */
  readonly includeSynonyms?: boolean
  /** Also return each config's type and documentation (DescribeConfigs v3+). Default false. */
  readonly includeDocumentation?: boolean
}

/**
 * DescribeConfigs. A specific broker's configs are asked of that broker (only it knows its dynamic and
 * static values); topics and the broker default go to any broker. One outcome per resource, keyed by
 * `{ resourceType, name }`: an unknown topic fails with `UnknownTopicOrPartitionError`.
 */
export function describeConfigs(
  context: AdminContext,
  resources: readonly ConfigResource[],
  options: DescribeConfigsOptions = {},
): Promise<AdminResults<ConfigResourceKey, ConfigResourceDescription>> {
  const checked = checkResources(resources, 'describeConfigs')
  const includeSynonyms = checkBoolean(options.includeSynonyms, false, 'includeSynonyms')
  const includeDocumentation = checkBoolean(options.includeDocumentation, false, 'includeDocumentation')
  const filters = new Map(
    checked.map((resource) => [formatConfigResource(resource), configFilter(resource.configs)]),
  )
  const keys: ConfigResourceKey[] = checked.map(({ resourceType, name }) => ({ resourceType, name }))
  return runBatch(context, {
    operation: 'describeConfigs',
    items: keys,
    keyOf: formatConfigResource,
    timeoutMs: context.requestTimeoutMs,
    retryItem: retriableUnlessUnknownTopic,
    attempt: (pending) => {
      const groups = new Map<number, ConfigResourceKey[]>()
      for (const key of pending) addToGroup(groups, configTarget(key), key)
      return fanOut(groups, formatConfigResource, async (nodeId, items) => {
        const request = DescribeConfigs.createRequest({
          resources: items.map((key) => ({
            resourceType: key.resourceType,
            resourceName: key.name,
            configurationKeys: filters.get(formatConfigResource(key)) ?? null,
          })),
          includeSynonyms,
          includeDocumentation,
        })
        const response =
          nodeId < 0
            ? await context.cluster.send(DescribeConfigs.api, request)
            : await context.cluster.sendToBroker(nodeId, DescribeConfigs.api, request)
        return toAnswers(response)
      })
    },
  })
}

function configFilter(configs: ConfigResource['configs']): string[] | null {
  if (configs === undefined || configs === null) return null
  if (Array.isArray(configs)) {
    if (!configs.every((name) => typeof name === 'string')) {
      throw new IllegalArgumentError({ message: 'configs of describeConfigs must name configs with strings' })
    }
    return [...(configs as readonly string[])]
  }
  return Object.keys(configs)
}

function toAnswers(response: DescribeConfigs.Response): Answers<ConfigResourceDescription> {
  const answers: Answers<ConfigResourceDescription> = new Map()
  response.results.forEach((result, index) => {
    const key = { resourceType: result.resourceType as ConfigResourceType, name: result.resourceName }
    const text = formatConfigResource(key)
    const error = brokerError(
      result.errorCode,
      result.errorMessage,
      `/results/${index}/errorCode`,
      `describe ${text}`,
    )
    if (error !== undefined) {
      answers.set(text, { ok: false, error })
      return
    }
    const entries = new Map<string, ConfigEntry>()
    for (const config of result.configs) {
      const source = SOURCES[config.configSource] ?? 'UNKNOWN'
      entries.set(config.name, {
        name: config.name,
        value: config.value,
        source,
        // v0 has only isDefault; v1+ only the source.
        isDefault: config.isDefault || source === 'DEFAULT_CONFIG',
        isReadOnly: config.readOnly,
        isSensitive: config.isSensitive,
        synonyms: config.synonyms.map((synonym) => ({
          name: synonym.name,
          value: synonym.value,
          source: SOURCES[synonym.source] ?? 'UNKNOWN',
        })),
        type: TYPES[config.configType] ?? 'UNKNOWN',
        documentation: config.documentation,
      })
    }
    answers.set(text, { ok: true, value: { ...key, entries } })
  })
  return answers
}
