import { IllegalArgumentError, KafkaConfigurationError } from '@kafkite/protocol'
import { describe, expect, it } from 'vitest'
import {
  bootstrapServerList,
  conflictingOptions,
  invalidOption,
  nonNegativeIntegerOption,
  positiveIntegerOption,
} from './option-checks.js'

describe('shared option checks', () => {
  it('reads bootstrapServers as aiokafka does', () => {
    expect(bootstrapServerList(undefined, 'localhost')).toEqual(['localhost'])
    expect(bootstrapServerList('a:1, b:2', 'localhost')).toEqual(['a:1', 'b:2'])
    expect(bootstrapServerList(['a:1'], 'localhost')).toEqual(['a:1'])
    expect(() => bootstrapServerList([], 'localhost')).toThrow(IllegalArgumentError)
    expect(() => bootstrapServerList('a:1,,b:2', 'localhost')).toThrow(IllegalArgumentError)
  })

  it('checks integers and types the two kinds of mistake apart', () => {
    expect(nonNegativeIntegerOption('lingerMs', undefined, 5)).toBe(5)
    expect(nonNegativeIntegerOption('lingerMs', 0, 5)).toBe(0)
    expect(() => nonNegativeIntegerOption('lingerMs', -1, 5)).toThrow(
      'lingerMs must be a non-negative integer',
    )
    expect(() => nonNegativeIntegerOption('lingerMs', 1.5, 5)).toThrow(IllegalArgumentError)
    expect(positiveIntegerOption('maxBatchSize', 7, 1)).toBe(7)
    expect(() => positiveIntegerOption('maxBatchSize', 0, 1)).toThrow('maxBatchSize must be positive')
    expect(() => invalidOption('bad')).toThrow(IllegalArgumentError)
    expect(() => conflictingOptions('clash')).toThrow(KafkaConfigurationError)
  })
})
