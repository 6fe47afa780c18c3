import { DeleteGroups, ErrorCode } from '@kafkite/protocol'
import type { AdminResults } from '../admin-results.js'
import { checkStringList } from '../arguments.js'
import { brokerError } from '../broker-error.js'
import { groupsByCoordinator } from '../group-coordinator.js'
import { type AdminContext, type Answers, fanOut, runBatch } from '../run-batch.js'

export interface DeleteConsumerGroupsOptions {
  /** Ask this node instead of looking up each group's coordinator. */
  readonly groupCoordinatorId?: number
}

/**
 * DeleteGroups, sent to each group's coordinator. One outcome per group: `NonEmptyGroup` while it has
 * members, `GroupIdNotFound` for one that does not exist.
 */
export function deleteConsumerGroups(
  context: AdminContext,
  groupIds: readonly string[],
  options: DeleteConsumerGroupsOptions = {},
): Promise<AdminResults<string, string>> {
  const ids = checkStringList(groupIds, 'groupIds')
  const fixed = options.groupCoordinatorId
  return runBatch(context, {
    operation: 'deleteConsumerGroups',
    items: ids,
    keyOf: (id) => id,
    timeoutMs: context.requestTimeoutMs,
    attempt: async (pending, { attempt }) => {
      const { byNode, failures } =
        fixed === undefined
          ? await groupsByCoordinator<string>(context, pending)
          : { byNode: new Map([[fixed, [...pending]]]), failures: new Map() }
      const answers = await fanOut(
        byNode,
        (id) => id,
        async (nodeId, groups) => {
          const response = await context.cluster.sendToBroker(
            nodeId,
            DeleteGroups.api,
            DeleteGroups.createRequest({ groupsNames: [...groups] }),
            { lane: 'group' },
          )
          const result: Answers<string> = new Map()
          response.results.forEach((group, index) => {
            if (
              group.errorCode === ErrorCode.NOT_COORDINATOR ||
              group.errorCode === ErrorCode.COORDINATOR_NOT_AVAILABLE
            ) {
              context.cluster.invalidateCoordinator('group', group.groupId)
            }
            const error = brokerError(
              group.errorCode,
              null,
              `/results/${index}/errorCode`,
              `delete group ${group.groupId}`,
            )
            // A retried deletion may find the group gone: the earlier attempt did it before its answer was lost.
            const gone = attempt > 1 && group.errorCode === ErrorCode.GROUP_ID_NOT_FOUND
            result.set(
              group.groupId,
              error !== undefined && !gone ? { ok: false, error } : { ok: true, value: group.groupId },
            )
          })
          return result
        },
      )
      for (const [id, outcome] of failures) answers.set(id, outcome)
      return answers
    },
  })
}
