import type { ApiSchema } from '@kafkite/protocol'
import type { Outcome } from './admin-results.js'
import { type AdminContext, type Answers, addToGroup, failed } from './run-batch.js'

/**
 * Finds the coordinator of each group (lookups made together go out as one FindCoordinator v4+) and groups
 * the ids by coordinator node. A group whose lookup fails gets that error as its outcome.
 */
export async function groupsByCoordinator<V>(
  context: AdminContext,
  groupIds: readonly string[],
): Promise<{ byNode: Map<number, string[]>; failures: Answers<V> }> {
  const byNode = new Map<number, string[]>()
  const failures: Answers<V> = new Map()
  const lookups = await Promise.all(
    groupIds.map(async (groupId): Promise<[string, number | Outcome<V>]> => {
      try {
        return [groupId, (await context.cluster.coordinatorFor('group', groupId)).nodeId]
      } catch (error) {
        return [groupId, failed<V>(error)]
      }
    }),
  )
  for (const [groupId, found] of lookups) {
    if (typeof found === 'number') addToGroup(byNode, found, groupId)
    else failures.set(groupId, found)
  }
  return { byNode, failures }
}

/**
 * Sends a request whose shape depends on the version (OffsetFetch moved to per-group entries in v8) to
 * the coordinator of `groupId`: asks the coordinator's connection which version it will use, builds the
 * body for it, and sends it with `sendToCoordinator` (which drops the cached coordinator and throws a
 * retriable error on NOT_COORDINATOR).
 */
export async function sendToGroup<Request, Response>(
  context: AdminContext,
  groupId: string,
  api: ApiSchema<Request, Response>,
  build: (version: number) => Request,
): Promise<Response> {
  const { cluster } = context
  const coordinator = await cluster.coordinatorFor('group', groupId)
  const connection = await cluster.brokerConnection(coordinator.nodeId, 'group')
  const version = connection.versionFor(api)
  return cluster.sendToCoordinator('group', groupId, api, build(version), { version })
}
