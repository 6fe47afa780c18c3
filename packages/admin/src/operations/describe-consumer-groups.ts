import { DescribeGroups, ErrorCode, GroupIdNotFound } from '@kafkite/protocol'
import type { AdminResults } from '../admin-results.js'
import { checkBoolean, checkStringList } from '../arguments.js'
import { brokerError } from '../broker-error.js'
import {
  decodeAssignment,
  decodeSubscription,
  type MemberAssignment,
  type MemberSubscription,
} from '../consumer-protocol.js'
import { groupsByCoordinator } from '../group-coordinator.js'
import { type AdminContext, type Answers, fanOut, runBatch } from '../run-batch.js'

/** One member of a described group. */
export interface GroupMemberDescription {
  readonly memberId: string
  /** Static membership id (KIP-345), or null. */
  readonly groupInstanceId: string | null
  readonly clientId: string
  readonly clientHost: string
  /** Decoded from the ConsumerProtocol for `'consumer'` groups; null otherwise or when not decodable. */
  readonly subscription: MemberSubscription | null
  /** Decoded from the ConsumerProtocol for `'consumer'` groups; null before the first assignment. */
  readonly assignment: MemberAssignment | null
  /** The bytes as the coordinator holds them, for other protocol types. */
  readonly memberMetadata: Uint8Array
  readonly memberAssignment: Uint8Array
}

/** A group as DescribeGroups describes it. */
export interface ConsumerGroupDescription {
  readonly groupId: string
  /** `'Stable'`, `'Empty'`, `'PreparingRebalance'`, `'CompletingRebalance'`, …. */
  readonly state: string
  /** `'consumer'`, `''` (offsets only), …. */
  readonly protocolType: string
  /** The assignor in use (`'range'`, `'cooperative-sticky'`, …), `''` without members. */
  readonly protocol: string
  readonly members: readonly GroupMemberDescription[]
  /** The node that coordinates the group. */
  readonly coordinator: number
  /** Kafka's bit field of allowed operations; null unless asked for. */
  readonly authorizedOperations: number | null
}

export interface DescribeConsumerGroupsOptions {
  /** Ask this node instead of looking up each group's coordinator (aiokafka's `group_coordinator_id`). */
  readonly groupCoordinatorId?: number
  readonly includeAuthorizedOperations?: boolean
}

/**
 * DescribeGroups, sent to each group's coordinator. One outcome per group; a group that does not exist
 * fails with `GroupIdNotFound` (before DescribeGroups v6 the broker reports such a group as `Dead` without
 * an error code; Kafka's Java Admin turns that into the same error).
 */
export function describeConsumerGroups(
  context: AdminContext,
  groupIds: readonly string[],
  options: DescribeConsumerGroupsOptions = {},
): Promise<AdminResults<string, ConsumerGroupDescription>> {
  const ids = checkStringList(groupIds, 'groupIds')
  const authorized = checkBoolean(options.includeAuthorizedOperations, false, 'includeAuthorizedOperations')
  const fixed = options.groupCoordinatorId
  return runBatch(context, {
    operation: 'describeConsumerGroups',
    items: ids,
    keyOf: (id) => id,
    timeoutMs: context.requestTimeoutMs,
    attempt: async (pending) => {
      const { byNode, failures } =
        fixed === undefined
          ? await groupsByCoordinator<ConsumerGroupDescription>(context, pending)
          : { byNode: new Map([[fixed, [...pending]]]), failures: new Map() }
      const answers = await fanOut(
        byNode,
        (id) => id,
        async (nodeId, groups) => {
          const response = await context.cluster.sendToBroker(
            nodeId,
            DescribeGroups.api,
            DescribeGroups.createRequest({ groups: [...groups], includeAuthorizedOperations: authorized }),
            { lane: 'group' },
          )
          return toAnswers(context, response, nodeId, authorized)
        },
      )
      for (const [id, outcome] of failures) answers.set(id, outcome)
      return answers
    },
  })
}

function toAnswers(
  context: AdminContext,
  response: DescribeGroups.Response,
  nodeId: number,
  authorized: boolean,
): Answers<ConsumerGroupDescription> {
  const answers: Answers<ConsumerGroupDescription> = new Map()
  response.groups.forEach((group, index) => {
    const path = `/groups/${index}/errorCode`
    if (
      group.errorCode === ErrorCode.NOT_COORDINATOR ||
      group.errorCode === ErrorCode.COORDINATOR_NOT_AVAILABLE
    ) {
      context.cluster.invalidateCoordinator('group', group.groupId)
    }
    const error = brokerError(group.errorCode, null, path, `describe group ${group.groupId}`)
    if (error !== undefined) {
      answers.set(group.groupId, { ok: false, error })
      return
    }
    if (group.groupState === 'Dead') {
      answers.set(group.groupId, {
        ok: false,
        error: new GroupIdNotFound({
          path,
          message: `describe group ${group.groupId}: the group does not exist`,
        }),
      })
      return
    }
    const consumer = group.protocolType === 'consumer'
    answers.set(group.groupId, {
      ok: true,
      value: {
        groupId: group.groupId,
        state: group.groupState,
        protocolType: group.protocolType,
        protocol: group.protocolData,
        members: group.members.map((member) => ({
          memberId: member.memberId,
          groupInstanceId: member.groupInstanceId,
          clientId: member.clientId,
          clientHost: member.clientHost,
          subscription: consumer ? decodeSubscription(member.memberMetadata) : null,
          assignment: consumer ? decodeAssignment(member.memberAssignment) : null,
          memberMetadata: member.memberMetadata,
          memberAssignment: member.memberAssignment,
        })),
        coordinator: nodeId,
        authorizedOperations:
          authorized && group.authorizedOperations !== -2147483648 ? group.authorizedOperations : null,
      },
    })
  })
  return answers
}
