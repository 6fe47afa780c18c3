import { IllegalArgumentError, ListGroups } from '@kafkite/protocol'
import { checkStringList } from '../arguments.js'
import { brokerError } from '../broker-error.js'
import type { AdminContext } from '../run-batch.js'

/** A group as ListGroups names it: aiokafka's `(group_id, protocol_type)` tuple as an object. */
export interface ListedGroup {
  readonly groupId: string
  /** `'consumer'` for consumer groups, `''` for groups that only commit offsets, `'connect'`, …. */
  readonly protocolType: string
  /** `'Stable'`, `'Empty'`, …; null when the broker does not say (before ListGroups v4). */
  readonly state: string | null
  /** `'classic'`, `'consumer'`, `'share'`; null when the broker does not say (before v5). */
  readonly type: string | null
}

export interface ListConsumerGroupsOptions {
  /** Ask only these brokers (aiokafka's `broker_ids`). Default: every broker. */
  readonly brokerIds?: readonly number[]
  /** Only groups in these states (ListGroups v4+), e.g. `['Stable', 'Empty']`. */
  readonly states?: readonly string[]
  /** Only groups of these types (ListGroups v5+), e.g. `['classic']`. */
  readonly types?: readonly string[]
}

/**
 * ListGroups asked of every broker (each one lists the groups it coordinates), merged and sorted by id.
 * Like aiokafka, it lists every group whatever its protocol type. A broker that cannot answer within
 * `requestTimeoutMs` fails the call with its typed error: a silently shorter list would look complete.
 */
export async function listConsumerGroups(
  context: AdminContext,
  options: ListConsumerGroupsOptions = {},
): Promise<ListedGroup[]> {
  const states =
    options.states === undefined ? [] : checkStringList(options.states, 'states', { allowEmpty: true })
  const types =
    options.types === undefined ? [] : checkStringList(options.types, 'types', { allowEmpty: true })
  const { cluster } = context
  await cluster.bootstrap()
  let brokerIds: readonly number[]
  if (options.brokerIds === undefined) {
    brokerIds = [...(await cluster.refreshMetadata()).brokers.keys()]
  } else {
    if (!Array.isArray(options.brokerIds) || !options.brokerIds.every((id) => Number.isInteger(id))) {
      throw new IllegalArgumentError({ message: 'brokerIds must be an array of node ids' })
    }
    brokerIds = options.brokerIds
  }
  const perBroker = await Promise.all(
    brokerIds.map((nodeId) =>
      cluster.withRetries(async () => {
        const response = await cluster.sendToBroker(
          nodeId,
          ListGroups.api,
          ListGroups.createRequest({ statesFilter: [...states], typesFilter: [...types] }),
        )
        const error = brokerError(
          response.errorCode,
          null,
          '/errorCode',
          `listConsumerGroups on node ${nodeId}`,
        )
        if (error !== undefined) throw error
        return response.groups
      }),
    ),
  )
  const groups = new Map<string, ListedGroup>()
  for (const listed of perBroker.flat()) {
    groups.set(listed.groupId, {
      groupId: listed.groupId,
      protocolType: listed.protocolType,
      state: listed.groupState === '' ? null : listed.groupState,
      type: listed.groupType === '' ? null : listed.groupType,
    })
  }
  return [...groups.values()].sort((left, right) =>
    left.groupId < right.groupId ? -1 : left.groupId > right.groupId ? 1 : 0,
  )
}
