import { type ApiSchema, allApis } from '@kafkite/protocol'

export function apiByName(name: string): ApiSchema {
  const api = allApis.find((candidate) => candidate.name === name)
  if (api === undefined) throw new Error(`No API named ${name}`)
  return api
}
