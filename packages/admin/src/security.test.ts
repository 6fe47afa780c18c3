import { pbkdf2Sync } from 'node:crypto'
import {
  AlterUserScramCredentials,
  CreateAcls,
  DeleteAcls,
  DescribeAcls,
  DescribeUserScramCredentials,
  ErrorCode,
  IllegalArgumentError,
  SecurityDisabled,
} from '@kafkite/protocol'
import { describe, expect, it } from 'vitest'
import type { AclBinding } from './acl-binding.js'
import { adminOnFake } from './test-support/admin-on-fake.js'

const readOrders: AclBinding = {
  resourceType: 'TOPIC',
  resourceName: 'orders',
  principal: 'User:alice',
  operation: 'READ',
  permissionType: 'ALLOW',
}

describe('ACLs', () => {
  it('creates ACLs at the controller with one outcome per binding, matched by position', async () => {
    const { admin, fake } = await adminOnFake({ nodes: 2 })
    fake.controllerId = 2
    fake.handler = (request) => {
      if (request.api.apiKey !== CreateAcls.api.apiKey) return undefined
      const body = request.body as CreateAcls.Request
      return CreateAcls.createResponse({
        results: body.creations.map((creation) => ({
          errorCode: creation.operation === 4 ? ErrorCode.SECURITY_DISABLED : 0,
          errorMessage: creation.operation === 4 ? 'No Authorizer is configured.' : null,
        })),
      })
    }
    const writeOrders: AclBinding = {
      ...readOrders,
      operation: 'WRITE',
      patternType: 'PREFIXED',
      host: '10.0.0.1',
    }
    const results = await admin.createAcls([readOrders, writeOrders])
    expect(results.value(readOrders)).toEqual({
      resourceType: 'TOPIC',
      resourceName: 'orders',
      patternType: 'LITERAL',
      principal: 'User:alice',
      host: '*',
      operation: 'READ',
      permissionType: 'ALLOW',
    })
    const error = results.error({ ...writeOrders })
    expect(error).toBeInstanceOf(SecurityDisabled)
    expect(error?.message).toMatch(/No Authorizer is configured/)
    const sent = fake.appRequests(CreateAcls.api)
    expect(sent.map((request) => request.nodeId)).toEqual([2])
    expect((sent[0]!.body as CreateAcls.Request).creations[1]).toMatchObject({
      resourceType: 2,
      resourcePatternType: 4,
      host: '10.0.0.1',
      operation: 4,
      permissionType: 3,
    })
  })

  it('describes ACLs by filter and throws a top-level error typed', async () => {
    const { admin, fake } = await adminOnFake()
    let disabled = false
    fake.handler = (request) => {
      if (request.api.apiKey !== DescribeAcls.api.apiKey) return undefined
      if (disabled) return DescribeAcls.createResponse({ errorCode: ErrorCode.SECURITY_DISABLED })
      return DescribeAcls.createResponse({
        resources: [
          {
            resourceType: 2,
            resourceName: 'orders',
            patternType: 3,
            acls: [{ principal: 'User:alice', host: '*', operation: 3, permissionType: 3 }],
          },
        ],
      })
    }
    expect(await admin.describeAcls({ resourceType: 'TOPIC', principal: 'User:alice' })).toEqual([
      { ...readOrders, patternType: 'LITERAL', host: '*' },
    ])
    const body = fake.appRequests(DescribeAcls.api)[0]?.body as DescribeAcls.Request
    expect(body).toMatchObject({
      resourceTypeFilter: 2,
      resourceNameFilter: null,
      patternTypeFilter: 1,
      principalFilter: 'User:alice',
      hostFilter: null,
      operation: 1,
      permissionType: 1,
    })
    disabled = true
    await expect(admin.describeAcls()).rejects.toBeInstanceOf(SecurityDisabled)
  })

  it('deletes ACLs per filter, listing what each deleted and what failed', async () => {
    const { admin, fake } = await adminOnFake()
    fake.handler = (request) => {
      if (request.api.apiKey !== DeleteAcls.api.apiKey) return undefined
      const body = request.body as DeleteAcls.Request
      return DeleteAcls.createResponse({
        filterResults: body.filters.map((filter) =>
          filter.resourceTypeFilter === 3
            ? { errorCode: ErrorCode.SECURITY_DISABLED }
            : {
                errorCode: 0,
                matchingAcls: [
                  {
                    errorCode: 0,
                    resourceType: 2,
                    resourceName: 'orders',
                    patternType: 3,
                    principal: 'User:alice',
                    host: '*',
                    operation: 3,
                    permissionType: 3,
                  },
                  {
                    errorCode: ErrorCode.UNKNOWN_SERVER_ERROR,
                    resourceType: 2,
                    resourceName: 'orders',
                    patternType: 3,
                    principal: 'User:bob',
                    host: '*',
                    operation: 3,
                    permissionType: 3,
                  },
                ],
              },
        ),
      })
    }
    const results = await admin.deleteAcls([
      { resourceType: 'TOPIC', resourceName: 'orders' },
      { resourceType: 'GROUP' },
    ])
    const topic = results.value({ resourceType: 'TOPIC', resourceName: 'orders' })
    expect(topic?.deleted.map((binding) => binding.principal)).toEqual(['User:alice'])
    expect(topic?.failed.map((failure) => [failure.binding.principal, failure.error.name])).toEqual([
      ['User:bob', 'UnknownError'],
    ])
    expect(results.error({ resourceType: 'GROUP' })).toBeInstanceOf(SecurityDisabled)
  })

  it.each([
    ['no bindings', []],
    ['a wildcard operation', [{ ...readOrders, operation: 'ANY' }]],
    ['an unknown resource type', [{ ...readOrders, resourceType: 'TABLE' }]],
    ['a MATCH pattern', [{ ...readOrders, patternType: 'MATCH' }]],
    ['a binding without principal', [{ ...readOrders, principal: undefined }]],
    ['a host that is not a string', [{ ...readOrders, host: 5 }]],
  ])('refuses %s', async (_, acls) => {
    const { admin } = await adminOnFake()
    await expect(admin.createAcls(acls as never)).rejects.toBeInstanceOf(IllegalArgumentError)
  })

  it('refuses an empty or wrong filter list', async () => {
    const { admin } = await adminOnFake()
    await expect(admin.deleteAcls([])).rejects.toBeInstanceOf(IllegalArgumentError)
    await expect(admin.deleteAcls([{ operation: 'JUMP' as never }])).rejects.toBeInstanceOf(
      IllegalArgumentError,
    )
    await expect(admin.describeAcls(null as never)).rejects.toBeInstanceOf(IllegalArgumentError)
  })
})

describe('SCRAM credentials', () => {
  it('salts passwords client side with PBKDF2 of the mechanism’s hash and sends salt + salted password', async () => {
    const { admin, fake } = await adminOnFake()
    fake.controllerId = 1
    fake.handler = (request) => {
      if (request.api.apiKey !== AlterUserScramCredentials.api.apiKey) return undefined
      const body = request.body as AlterUserScramCredentials.Request
      const users = new Set([...body.upsertions, ...body.deletions].map((entry) => entry.name))
      return AlterUserScramCredentials.createResponse({
        results: [...users].map((user) => ({
          user,
          errorCode: user === 'ghost' ? ErrorCode.RESOURCE_NOT_FOUND : 0,
          errorMessage: user === 'ghost' ? 'Attempt to delete a user credential that does not exist' : null,
        })),
      })
    }
    const salt = Buffer.from('fixed-salt')
    const results = await admin.alterUserScramCredentials([
      { op: 'upsert', user: 'alice', mechanism: 'SCRAM-SHA-256', password: 'pässword', salt },
      { op: 'upsert', user: 'alice', mechanism: 'SCRAM-SHA-512', password: 'pässword', iterations: 8192 },
      { op: 'delete', user: 'ghost', mechanism: 'SCRAM-SHA-256' },
    ])
    expect(results.value('alice')).toBe('alice')
    expect(results.error('ghost')?.name).toBe('ResourceNotFoundError')
    const body = fake.appRequests(AlterUserScramCredentials.api)[0]?.body as AlterUserScramCredentials.Request
    const [sha256, sha512] = body.upsertions
    expect(sha256).toMatchObject({ name: 'alice', mechanism: 1, iterations: 4096 })
    expect(Buffer.from(sha256?.salt ?? []).toString()).toBe('fixed-salt')
    expect(Buffer.from(sha256?.saltedPassword ?? [])).toEqual(
      pbkdf2Sync(Buffer.from('pässword', 'utf8'), salt, 4096, 32, 'sha256'),
    )
    expect(sha512).toMatchObject({ mechanism: 2, iterations: 8192 })
    expect(sha512?.salt.length).toBe(32)
    expect(Buffer.from(sha512?.saltedPassword ?? [])).toEqual(
      pbkdf2Sync(Buffer.from('pässword', 'utf8'), Buffer.from(sha512?.salt ?? []), 8192, 64, 'sha512'),
    )
    expect(body.deletions).toEqual([expect.objectContaining({ name: 'ghost', mechanism: 1 })])
  })

  it.each([
    ['no alterations', []],
    [
      'too few iterations',
      [{ op: 'upsert', user: 'u', mechanism: 'SCRAM-SHA-256', password: 'p', iterations: 1000 }],
    ],
    ['an unknown mechanism', [{ op: 'upsert', user: 'u', mechanism: 'PLAIN', password: 'p' }]],
    ['an empty password', [{ op: 'upsert', user: 'u', mechanism: 'SCRAM-SHA-256', password: '' }]],
    ['an empty user', [{ op: 'delete', user: '', mechanism: 'SCRAM-SHA-256' }]],
    ['an unknown op', [{ op: 'rename', user: 'u', mechanism: 'SCRAM-SHA-256' }]],
    [
      'an empty salt',
      [{ op: 'upsert', user: 'u', mechanism: 'SCRAM-SHA-256', password: 'p', salt: new Uint8Array() }],
    ],
  ])('refuses %s, never quoting a password', async (_, alterations) => {
    const { admin, fake } = await adminOnFake()
    const error = await admin
      .alterUserScramCredentials(alterations as never)
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(IllegalArgumentError)
    expect((error as Error).message).not.toContain("'p'")
    expect(fake.appRequests(AlterUserScramCredentials.api)).toEqual([])
  })

  it('describes users’ mechanisms and iterations; an unknown user fails alone', async () => {
    const { admin, fake } = await adminOnFake()
    let topLevel = 0
    fake.handler = (request) => {
      if (request.api.apiKey !== DescribeUserScramCredentials.api.apiKey) return undefined
      const body = request.body as DescribeUserScramCredentials.Request
      const users = body.users?.map((user) => user.name) ?? ['alice']
      return DescribeUserScramCredentials.createResponse({
        errorCode: topLevel,
        results: users.map((user) =>
          user === 'alice'
            ? {
                user,
                errorCode: 0,
                credentialInfos: [
                  { mechanism: 2, iterations: 8192 },
                  { mechanism: 9, iterations: 1 },
                ],
              }
            : {
                user,
                errorCode: ErrorCode.RESOURCE_NOT_FOUND,
                errorMessage: 'Attempt to describe a user credential that does not exist',
              },
        ),
      })
    }
    const some = await admin.describeUserScramCredentials(['alice', 'nobody'])
    expect(some.value('alice')).toEqual([
      { mechanism: 'SCRAM-SHA-512', iterations: 8192 },
      { mechanism: 'UNKNOWN', iterations: 1 },
    ])
    expect(some.error('nobody')?.name).toBe('ResourceNotFoundError')
    const all = await admin.describeUserScramCredentials()
    expect(all.keys()).toEqual(['alice'])
    topLevel = ErrorCode.CLUSTER_AUTHORIZATION_FAILED
    await expect(admin.describeUserScramCredentials()).rejects.toMatchObject({
      name: 'ClusterAuthorizationFailedError',
    })
  })
})
