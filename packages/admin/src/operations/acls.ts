import {
  CreateAcls,
  DeleteAcls,
  DescribeAcls,
  IllegalArgumentError,
  type KafkaError,
} from '@kafkite/protocol'
import {
  type AclBinding,
  type AclBindingFilter,
  type AclFilterFields,
  bindingFields,
  type DescribedAclBinding,
  describedBinding,
  filterFields,
  formatAcl,
} from '../acl-binding.js'
import type { AdminResults } from '../admin-results.js'
import { brokerError } from '../broker-error.js'
import { type AdminContext, type Answers, runBatch } from '../run-batch.js'

/**
 * CreateAcls, sent to the controller. One outcome per binding, keyed by the binding's value. A cluster
 * without an authorizer answers each with `SecurityDisabled`.
 */
export function createAcls(
  context: AdminContext,
  acls: readonly AclBinding[],
): Promise<AdminResults<AclBinding, DescribedAclBinding>> {
  const fields = checkList(acls, 'acls').map((acl, index) => bindingFields(acl, `acls[${index}]`))
  const byKey = new Map(acls.map((acl, index) => [keyOfBinding(acl), fields[index] as AclFilterFields]))
  refuseDuplicates(byKey.size, acls.length, 'acls')
  return runBatch(context, {
    operation: 'createAcls',
    items: acls,
    keyOf: keyOfBinding,
    timeoutMs: context.requestTimeoutMs,
    attempt: async (pending) => {
      const pendingFields = pending.map((acl) => byKey.get(keyOfBinding(acl)) as AclFilterFields)
      const response = await context.cluster.send(
        CreateAcls.api,
        CreateAcls.createRequest({
          creations: pendingFields.map((acl) => ({
            resourceType: acl.resourceType,
            resourceName: acl.resourceName as string,
            resourcePatternType: acl.patternType,
            principal: acl.principal as string,
            host: acl.host as string,
            operation: acl.operation,
            permissionType: acl.permissionType,
          })),
        }),
      )
      // Results come in the order of the creations.
      const answers: Answers<DescribedAclBinding> = new Map()
      response.results.forEach((result, index) => {
        const acl = pending[index]
        const field = pendingFields[index]
        if (acl === undefined || field === undefined) return
        const error = brokerError(
          result.errorCode,
          result.errorMessage,
          `/results/${index}/errorCode`,
          `create ACL ${formatAcl(field)}`,
        )
        answers.set(
          keyOfBinding(acl),
          error !== undefined ? { ok: false, error } : { ok: true, value: describedBinding(field) },
        )
      })
      return answers
    },
  })
}

/** DescribeAcls from any broker: the ACLs matching `filter` (every ACL when left out). Errors are thrown typed. */
export async function describeAcls(
  context: AdminContext,
  filter: AclBindingFilter = {},
): Promise<DescribedAclBinding[]> {
  const fields = filterFields(filter, 'filter')
  return context.cluster.withRetries(async () => {
    const response = await context.cluster.send(
      DescribeAcls.api,
      DescribeAcls.createRequest({
        resourceTypeFilter: fields.resourceType,
        resourceNameFilter: fields.resourceName,
        patternTypeFilter: fields.patternType,
        principalFilter: fields.principal,
        hostFilter: fields.host,
        operation: fields.operation,
        permissionType: fields.permissionType,
      }),
    )
    const error = brokerError(
      response.errorCode,
      response.errorMessage,
      '/errorCode',
      `describe ACLs ${formatAcl(fields)}`,
    )
    if (error !== undefined) throw error
    return response.resources.flatMap((resource) =>
      resource.acls.map((acl) =>
        describedBinding({
          resourceType: resource.resourceType,
          resourceName: resource.resourceName,
          patternType: resource.patternType,
          principal: acl.principal,
          host: acl.host,
          operation: acl.operation,
          permissionType: acl.permissionType,
        }),
      ),
    )
  })
}

/** What one delete filter did. */
export interface DeletedAcls {
  /** The ACLs the filter matched and the broker deleted. */
  readonly deleted: readonly DescribedAclBinding[]
  /** Matched ACLs whose deletion failed, with the typed error. */
  readonly failed: ReadonlyArray<{ readonly binding: DescribedAclBinding; readonly error: KafkaError }>
}

/** DeleteAcls, sent to the controller. One outcome per filter, keyed by the filter's value. */
export function deleteAcls(
  context: AdminContext,
  filters: readonly AclBindingFilter[],
): Promise<AdminResults<AclBindingFilter, DeletedAcls>> {
  const fields = checkList(filters, 'filters').map((filter, index) =>
    filterFields(filter, `filters[${index}]`),
  )
  const keyOf = (filter: AclBindingFilter): string => formatAcl(filterFields(filter, 'filter'))
  const byKey = new Map(filters.map((filter, index) => [keyOf(filter), fields[index] as AclFilterFields]))
  refuseDuplicates(byKey.size, filters.length, 'filters')
  return runBatch(context, {
    operation: 'deleteAcls',
    items: filters,
    keyOf,
    timeoutMs: context.requestTimeoutMs,
    attempt: async (pending) => {
      const pendingFields = pending.map((filter) => byKey.get(keyOf(filter)) as AclFilterFields)
      const response = await context.cluster.send(
        DeleteAcls.api,
        DeleteAcls.createRequest({
          filters: pendingFields.map((filter) => ({
            resourceTypeFilter: filter.resourceType,
            resourceNameFilter: filter.resourceName,
            patternTypeFilter: filter.patternType,
            principalFilter: filter.principal,
            hostFilter: filter.host,
            operation: filter.operation,
            permissionType: filter.permissionType,
          })),
        }),
      )
      const answers: Answers<DeletedAcls> = new Map()
      response.filterResults.forEach((result, index) => {
        const filter = pending[index]
        const field = pendingFields[index]
        if (filter === undefined || field === undefined) return
        const path = `/filterResults/${index}`
        const error = brokerError(
          result.errorCode,
          result.errorMessage,
          `${path}/errorCode`,
          `delete ACLs ${formatAcl(field)}`,
        )
        if (error !== undefined) {
          answers.set(keyOf(filter), { ok: false, error })
          return
        }
        const deleted: DescribedAclBinding[] = []
        const failed: Array<{ binding: DescribedAclBinding; error: KafkaError }> = []
        result.matchingAcls.forEach((match, matchIndex) => {
          const binding = describedBinding({
            resourceType: match.resourceType,
            resourceName: match.resourceName,
            patternType: match.patternType,
            principal: match.principal,
            host: match.host,
            operation: match.operation,
            permissionType: match.permissionType,
          })
          const matchError = brokerError(
            match.errorCode,
            match.errorMessage,
            `${path}/matchingAcls/${matchIndex}/errorCode`,
            'delete ACL',
          )
          if (matchError !== undefined) failed.push({ binding, error: matchError })
          else deleted.push(binding)
        })
        answers.set(keyOf(filter), { ok: true, value: { deleted, failed } })
      })
      return answers
    },
  })
}

function checkList<T>(list: readonly T[], what: string): readonly T[] {
  if (!Array.isArray(list) || list.length === 0) {
    throw new IllegalArgumentError({ message: `${what} must be a non-empty array` })
  }
  return list
}

/** Two equal entries would share one outcome: the caller could not tell which answer is whose. */
function refuseDuplicates(unique: number, total: number, what: string): void {
  if (unique !== total) throw new IllegalArgumentError({ message: `${what} holds the same entry twice` })
}

function keyOfBinding(binding: AclBinding): string {
  return formatAcl(bindingFields(binding, 'acl'))
}
