import { IllegalArgumentError } from '@kafkite/protocol'
import { checkObject } from './arguments.js'

// Kafka's ACL enums by their Java names; the numbers are what the protocol carries.

export const AclResourceType = {
  UNKNOWN: 0,
  ANY: 1,
  TOPIC: 2,
  GROUP: 3,
  CLUSTER: 4,
  TRANSACTIONAL_ID: 5,
  DELEGATION_TOKEN: 6,
  USER: 7,
} as const
export type AclResourceType = keyof typeof AclResourceType

export const AclPatternType = { UNKNOWN: 0, ANY: 1, MATCH: 2, LITERAL: 3, PREFIXED: 4 } as const
export type AclPatternType = keyof typeof AclPatternType

export const AclOperation = {
  UNKNOWN: 0,
  ANY: 1,
  ALL: 2,
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
  CREATE_TOKENS: 13,
  DESCRIBE_TOKENS: 14,
  TWO_PHASE_COMMIT: 15,
} as const
export type AclOperation = keyof typeof AclOperation

export const AclPermissionType = { UNKNOWN: 0, ANY: 1, DENY: 2, ALLOW: 3 } as const
export type AclPermissionType = keyof typeof AclPermissionType

/** One ACL: who (`principal`, e.g. `'User:alice'`, from `host`, `'*'` for any) may or may not do what on which resource. */
export interface AclBinding {
  readonly resourceType: Exclude<AclResourceType, 'ANY' | 'UNKNOWN'>
  readonly resourceName: string
  /** `'LITERAL'` (the default): exactly this name; `'PREFIXED'`: every name starting with it. */
  readonly patternType?: 'LITERAL' | 'PREFIXED'
  readonly principal: string
  /** Default `'*'`. */
  readonly host?: string
  readonly operation: Exclude<AclOperation, 'ANY' | 'UNKNOWN'>
  readonly permissionType: 'ALLOW' | 'DENY'
}

/** A binding as the broker reports it: every field filled in. */
export interface DescribedAclBinding {
  readonly resourceType: AclResourceType
  readonly resourceName: string
  readonly patternType: AclPatternType
  readonly principal: string
  readonly host: string
  readonly operation: AclOperation
  readonly permissionType: AclPermissionType
}

/**
 * Which ACLs to describe or delete. Left-out fields match anything: `resourceType` `'ANY'`, names,
 * principal and host any value, `patternType` `'ANY'` (`'MATCH'`: every pattern that would apply to
 * `resourceName`), operation and permission `'ANY'`.
 */
export interface AclBindingFilter {
  readonly resourceType?: AclResourceType
  readonly resourceName?: string | null
  readonly patternType?: AclPatternType
  readonly principal?: string | null
  readonly host?: string | null
  readonly operation?: AclOperation
  readonly permissionType?: AclPermissionType
}

/** The numbers a request carries for a filter, every field filled in. */
export interface AclFilterFields {
  readonly resourceType: number
  readonly resourceName: string | null
  readonly patternType: number
  readonly principal: string | null
  readonly host: string | null
  readonly operation: number
  readonly permissionType: number
}

function code<T extends Record<string, number>>(
  table: T,
  value: unknown,
  what: string,
  fallback?: keyof T,
): number {
  const name = value === undefined ? fallback : value
  if (typeof name === 'string' && Object.hasOwn(table, name)) return table[name] as number
  throw new IllegalArgumentError({
    message: `${what} must be one of ${Object.keys(table).join(', ')}, got ${String(value)}`,
  })
}

function nameOf<T extends Record<string, number>>(table: T, value: number): keyof T {
  for (const [name, number] of Object.entries(table)) if (number === value) return name
  return 'UNKNOWN'
}

function optionalString(value: unknown, what: string): string | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'string')
    throw new IllegalArgumentError({ message: `${what} must be a string or null` })
  return value
}

/** A binding's request fields; throws IllegalArgumentError for a wrong or wildcard value. */
export function bindingFields(binding: AclBinding, what: string): AclFilterFields {
  const fields = checkObject(binding, what)
  const resourceType = code(AclResourceType, fields.resourceType, `${what}.resourceType`)
  const operation = code(AclOperation, fields.operation, `${what}.operation`)
  const permissionType = code(AclPermissionType, fields.permissionType, `${what}.permissionType`)
  const patternType = code(AclPatternType, fields.patternType, `${what}.patternType`, 'LITERAL')
  if (
    resourceType <= 1 ||
    operation <= 1 ||
    permissionType <= 1 ||
    (patternType !== 3 && patternType !== 4)
  ) {
    throw new IllegalArgumentError({
      message: `${what}: an ACL needs a concrete resource type, LITERAL or PREFIXED pattern, operation and permission (no ANY)`,
    })
  }
  const resourceName = optionalString(fields.resourceName, `${what}.resourceName`)
  const principal = optionalString(fields.principal, `${what}.principal`)
  if (resourceName === null || principal === null) {
    throw new IllegalArgumentError({ message: `${what} needs resourceName and principal` })
  }
  return {
    resourceType,
    resourceName,
    patternType,
    principal,
    host: optionalString(fields.host, `${what}.host`) ?? '*',
    operation,
    permissionType,
  }
}

/** A filter's request fields, wildcards filled in. */
export function filterFields(filter: AclBindingFilter, what: string): AclFilterFields {
  const fields = checkObject(filter, what)
  return {
    resourceType: code(AclResourceType, fields.resourceType, `${what}.resourceType`, 'ANY'),
    resourceName: optionalString(fields.resourceName, `${what}.resourceName`),
    patternType: code(AclPatternType, fields.patternType, `${what}.patternType`, 'ANY'),
    principal: optionalString(fields.principal, `${what}.principal`),
    host: optionalString(fields.host, `${what}.host`),
    operation: code(AclOperation, fields.operation, `${what}.operation`, 'ANY'),
    permissionType: code(AclPermissionType, fields.permissionType, `${what}.permissionType`, 'ANY'),
  }
}

/** A binding from a response's numbers. */
export function describedBinding(fields: AclFilterFields): DescribedAclBinding {
  return {
    resourceType: nameOf(AclResourceType, fields.resourceType),
    resourceName: fields.resourceName ?? '',
    patternType: nameOf(AclPatternType, fields.patternType),
    principal: fields.principal ?? '',
    host: fields.host ?? '',
    operation: nameOf(AclOperation, fields.operation),
    permissionType: nameOf(AclPermissionType, fields.permissionType),
  }
}

/** One text per binding or filter, for result keys and messages: `TOPIC:LITERAL:orders User:alice@* READ ALLOW`. */
export function formatAcl(fields: AclFilterFields): string {
  const binding = describedBinding(fields)
  const any = (value: string | null): string => value ?? '<any>'
  return `${binding.resourceType}:${binding.patternType}:${any(fields.resourceName)} ${any(fields.principal)}@${any(fields.host)} ${binding.operation} ${binding.permissionType}`
}
