import { describe, expect, it } from 'vitest'
import { defaultLiteral } from './emit-fields.js'
import { kebabCase } from './names.js'
import { formatRange, MAX_VERSION, parseRange } from './versions.js'

describe('version ranges', () => {
  it('parses every form Kafka writes', () => {
    expect(parseRange('3+')).toEqual([3, MAX_VERSION])
    expect(parseRange('0-4')).toEqual([0, 4])
    expect(parseRange('2')).toEqual([2, 2])
    expect(parseRange('none')).toEqual([0, -1])
    expect(parseRange(undefined)).toBeUndefined()
    expect(() => parseRange('x')).toThrow('Bad version range')
    expect(formatRange([3, MAX_VERSION])).toBe('3+')
    expect(formatRange([0, -1])).toBe('none')
  })
})

describe('names', () => {
  it('turns API names into file names', () => {
    expect(kebabCase('DescribeUserScramCredentials')).toBe('describe-user-scram-credentials')
    expect(kebabCase('KRaftVersionRecord')).toBe('k-raft-version-record')
    expect(kebabCase('ApiVersions')).toBe('api-versions')
  })
})

describe('defaults', () => {
  it('converts JSON defaults to literals of the field type', () => {
    expect(defaultLiteral({ name: 'A', type: 'int64', default: '-1' })).toBe('-1n')
    expect(defaultLiteral({ name: 'A', type: 'int32', default: '0x7fffffff' })).toBe('2147483647')
    expect(defaultLiteral({ name: 'A', type: 'int32', default: -1 })).toBe('-1')
    expect(defaultLiteral({ name: 'A', type: 'bool', default: false })).toBe('false')
    expect(defaultLiteral({ name: 'A', type: 'string', default: 'null', nullableVersions: '0+' })).toBe(
      'null',
    )
    expect(defaultLiteral({ name: 'A', type: 'string', default: 'abc' })).toBe('"abc"')
    expect(defaultLiteral({ name: 'A', type: 'int32' })).toBeUndefined()
  })

  it('refuses defaults the runtime could not honour', () => {
    expect(() => defaultLiteral({ name: 'A', type: 'string', default: 'null' })).toThrow('non-nullable')
    expect(() => defaultLiteral({ name: 'A', type: '[]int32', default: '1' })).toThrow('only null')
    expect(() => defaultLiteral({ name: 'A', type: 'bool', default: 'yes' })).toThrow('bad bool')
  })
})
