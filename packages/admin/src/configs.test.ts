import { DescribeConfigs, ErrorCode, IllegalArgumentError, IncrementalAlterConfigs } from '@kafkite/protocol'
import { describe, expect, it } from 'vitest'
import { ConfigResourceType } from './config-resource.js'
import { adminOnFake } from './test-support/admin-on-fake.js'

describe('describeConfigs', () => {
  it('asks a broker about its own configs and any broker about topics; decodes entries and synonyms', async () => {
    const { admin, fake } = await adminOnFake({ nodes: 3 })
    fake.handler = (request) => {
      if (request.api.apiKey !== DescribeConfigs.api.apiKey) return undefined
      const body = request.body as DescribeConfigs.Request
      return DescribeConfigs.createResponse({
        results: body.resources.map((resource) => ({
          errorCode: resource.resourceName === 'missing' ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : 0,
          errorMessage: resource.resourceName === 'missing' ? 'Topic missing does not exist' : null,
          resourceType: resource.resourceType,
          resourceName: resource.resourceName,
          configs: [
            {
              name: 'retention.ms',
              value: '1000',
              readOnly: false,
              configSource: 1,
              isSensitive: false,
              synonyms: [{ name: 'log.retention.ms', value: null, source: 5 }],
              configType: 5,
              documentation: 'How long',
            },
            { name: 'secret', value: null, readOnly: true, configSource: 42, isSensitive: true },
          ],
        })),
      })
    }
    const results = await admin.describeConfigs(
      [
        { resourceType: 'topic', name: 't', configs: ['retention.ms'] },
        { resourceType: ConfigResourceType.BROKER, name: '2' },
        { resourceType: 'broker', name: '' },
        { resourceType: ConfigResourceType.TOPIC, name: 'missing', configs: { 'retention.ms': null } },
      ],
      { includeSynonyms: true, includeDocumentation: true },
    )
    const topic = results.value({ resourceType: ConfigResourceType.TOPIC, name: 't' })
    expect(topic?.entries.get('retention.ms')).toEqual({
      name: 'retention.ms',
      value: '1000',
      source: 'DYNAMIC_TOPIC_CONFIG',
      isDefault: false,
      isReadOnly: false,
      isSensitive: false,
      synonyms: [{ name: 'log.retention.ms', value: null, source: 'DEFAULT_CONFIG' }],
      type: 'LONG',
      documentation: 'How long',
    })
    expect(topic?.entries.get('secret')).toMatchObject({
      source: 'UNKNOWN',
      isSensitive: true,
      type: 'UNKNOWN',
    })
    expect(results.value({ resourceType: ConfigResourceType.BROKER, name: '2' })).toBeDefined()
    const missing = results.error({ resourceType: ConfigResourceType.TOPIC, name: 'missing' })
    expect(missing?.message).toMatch(
      /describe TOPIC:missing: \[Error 3\] UNKNOWN_TOPIC_OR_PARTITION .*Topic missing does not exist/,
    )
    const sent = fake.appRequests(DescribeConfigs.api)
    const toNode2 = sent
      .filter((request) => request.nodeId === 2)
      .map((request) => request.body as DescribeConfigs.Request)
    expect(toNode2.some((body) => body.resources.some((resource) => resource.resourceName === '2'))).toBe(
      true,
    )
    for (const request of sent) {
      const body = request.body as DescribeConfigs.Request
      expect(body.includeSynonyms).toBe(true)
      expect(body.includeDocumentation).toBe(true)
      for (const resource of body.resources) {
        if (resource.resourceName === '2') expect(request.nodeId).toBe(2)
        if (resource.resourceName === 't') expect(resource.configurationKeys).toEqual(['retention.ms'])
        if (resource.resourceName === '') expect(resource.configurationKeys).toBeNull()
      }
    }
    // One request for the broker's own resource, one for the rest: no retry of the unknown topic.
    expect(sent).toHaveLength(2)
  })

  it.each([
    ['no resources', []],
    ['an unknown type', [{ resourceType: 'queue', name: 'x' }]],
    ['a broker named by a word', [{ resourceType: 'broker', name: 'one' }]],
    [
      'a resource twice',
      [
        { resourceType: 'topic', name: 'x' },
        { resourceType: 2, name: 'x' },
      ],
    ],
    ['config names that are not strings', [{ resourceType: 'topic', name: 'x', configs: [1] }]],
  ])('refuses %s', async (_, resources) => {
    const { admin } = await adminOnFake()
    await expect(admin.describeConfigs(resources as never)).rejects.toBeInstanceOf(IllegalArgumentError)
  })
})

describe('alterConfigs', () => {
  it('sends set, delete, append and subtract incrementally, a broker’s configs to that broker', async () => {
    const { admin, fake } = await adminOnFake({ nodes: 2 })
    fake.controllerId = 1
    fake.handler = (request) => {
      if (request.api.apiKey !== IncrementalAlterConfigs.api.apiKey) return undefined
      const body = request.body as IncrementalAlterConfigs.Request
      return IncrementalAlterConfigs.createResponse({
        responses: body.resources.map((resource) => ({
          resourceType: resource.resourceType,
          resourceName: resource.resourceName,
          errorCode: resource.resourceName === 'bad' ? ErrorCode.INVALID_CONFIG : 0,
          errorMessage:
            resource.resourceName === 'bad' ? 'Invalid value x for configuration retention.ms' : null,
        })),
      })
    }
    const results = await admin.alterConfigs(
      [
        {
          resourceType: 'topic',
          name: 't',
          configs: {
            'retention.ms': '1000',
            'segment.ms': null,
            'cleanup.policy': { op: 'append', value: 'compact' },
            'x.list': { op: 'subtract', value: 'a' },
            'y.key': { op: 'delete' },
          },
        },
        { resourceType: 'broker', name: '2', configs: { 'log.cleaner.threads': '2' } },
        { resourceType: 'topic', name: 'bad', configs: { 'retention.ms': 'x' } },
      ],
      { validateOnly: true },
    )
    expect(results.value({ resourceType: 2, name: 't' })).toEqual({ resourceType: 2, name: 't' })
    expect(results.error({ resourceType: 2, name: 'bad' })?.name).toBe('InvalidConfigurationError')
    const sent = fake.appRequests(IncrementalAlterConfigs.api)
    const byResource = new Map(
      sent.flatMap((request) =>
        (request.body as IncrementalAlterConfigs.Request).resources.map((resource) => [
          resource.resourceName,
          {
            nodeId: request.nodeId,
            configs: resource.configs,
            validateOnly: (request.body as IncrementalAlterConfigs.Request).validateOnly,
          },
        ]),
      ),
    )
    expect(byResource.get('2')?.nodeId).toBe(2)
    expect(byResource.get('t')?.nodeId).toBe(1)
    expect(byResource.get('t')?.validateOnly).toBe(true)
    expect(
      byResource.get('t')?.configs.map((config) => [config.name, config.configOperation, config.value]),
    ).toEqual([
      ['retention.ms', 0, '1000'],
      ['segment.ms', 1, null],
      ['cleanup.policy', 2, 'compact'],
      ['x.list', 3, 'a'],
      ['y.key', 1, null],
    ])
  })

  it.each([
    ['no configs', { resourceType: 'topic', name: 't' }],
    ['an empty change set', { resourceType: 'topic', name: 't', configs: {} }],
    ['a list of names', { resourceType: 'topic', name: 't', configs: ['a'] }],
    ['an unknown op', { resourceType: 'topic', name: 't', configs: { a: { op: 'multiply', value: '2' } } }],
    ['append without a value', { resourceType: 'topic', name: 't', configs: { a: { op: 'append' } } }],
    ['a number value', { resourceType: 'topic', name: 't', configs: { a: 5 } }],
  ])('refuses %s', async (_, resource) => {
    const { admin } = await adminOnFake()
    await expect(admin.alterConfigs([resource as never])).rejects.toBeInstanceOf(IllegalArgumentError)
  })
})
