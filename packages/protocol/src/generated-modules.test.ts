import { describe, expect, it } from 'vitest'
import { BrokerResponseError } from './errors/broker-response-error.js'
import { KafkaError } from './errors/kafka-error.js'
import * as generated from './generated/index.js'
import { errorFromCode, errorInfo } from './generated/index.js'
import { decodeMessage, encodeMessage } from './schema/codec.js'
import type { ApiSchema, MessageSchema } from './schema/types.js'

interface ApiModule {
  api: ApiSchema
  createRequest(): unknown
  createResponse(): unknown
}

interface StandaloneModule {
  schema: MessageSchema
  create(): unknown
}

const modules = Object.entries(generated as Record<string, unknown>).filter(
  (entry): entry is [string, Record<string, unknown>] => typeof entry[1] === 'object' && entry[1] !== null,
)
const apiModules = modules.filter(
  (entry): entry is [string, ApiModule & Record<string, unknown>] => 'api' in entry[1],
)
const standaloneModules = modules.filter(
  (entry): entry is [string, StandaloneModule & Record<string, unknown>] =>
    'schema' in entry[1] && 'create' in entry[1],
)

function versionsOf(schema: MessageSchema): number[] {
  const [min, max] = schema.validVersions
  return Array.from({ length: max - min + 1 }, (_, index) => min + index)
}

describe('generated modules', () => {
  it('exports one module per API, each listed by key', () => {
    expect(apiModules.length).toBe(generated.allApis.length)
    for (const [name, module] of apiModules) {
      expect(module.api.name).toBe(name)
      expect(generated.apiByKey.get(module.api.apiKey)).toBe(module.api)
      expect(generated.ApiKey[name as keyof typeof generated.ApiKey]).toBe(module.api.apiKey)
      expect(module.api.requestHeaderVersions.length).toBe(module.api.request.validVersions[1] + 1)
    }
  })

  it.each(apiModules)(
    '%s: a request and a response made of defaults encode and decode at every version',
    (_, module) => {
      const request = module.createRequest()
      const response = module.createResponse()
      for (const version of versionsOf(module.api.request)) {
        const bytes = encodeMessage(module.api.request, version, request)
        expect(decodeMessage(module.api.request, version, bytes)).toEqual(request)
      }
      for (const version of versionsOf(module.api.response)) {
        const bytes = encodeMessage(module.api.response, version, response)
        expect(decodeMessage(module.api.response, version, bytes)).toEqual(response)
      }
    },
  )

  it.each(standaloneModules)(
    '%s: a message made of defaults encodes and decodes at every version',
    (_, module) => {
      const message = module.create()
      for (const version of versionsOf(module.schema)) {
        expect(decodeMessage(module.schema, version, encodeMessage(module.schema, version, message))).toEqual(
          message,
        )
      }
    },
  )
})

describe('generated error classes', () => {
  it.each([...errorInfo.values()].filter((info) => info.code !== 0))('$name ($code)', (info) => {
    const error = errorFromCode(info.code, { path: '/topics/0' })
    expect(error).toBeInstanceOf(BrokerResponseError)
    expect(KafkaError.isInstance(error)).toBe(true)
    expect(error?.code).toBe(info.code)
    expect(error?.errorName).toBe(info.name)
    expect(error?.retriable).toBe(info.retriable)
    expect(error?.path).toBe('/topics/0')
    expect(error?.message).toContain(`[Error ${info.code}] ${info.name}`)
  })

  it('maps code 0 to no error', () => {
    expect(errorFromCode(0)).toBeUndefined()
  })
})
