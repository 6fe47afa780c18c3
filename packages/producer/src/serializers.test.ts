import { IllegalArgumentError } from '@kafkite/protocol'
import { describe, expect, it } from 'vitest'
import {
  applySerializer,
  defaultKeySerializer,
  defaultValueSerializer,
  type Serializer,
} from './serializers.js'

describe('default serializers', () => {
  it('pass bytes through without copying', () => {
    const bytes = Buffer.from('abc')
    expect(defaultValueSerializer(bytes)).toBe(bytes)
    expect(defaultKeySerializer(bytes)).toBe(bytes)
    const plain = new Uint8Array([1, 2])
    expect(defaultValueSerializer(plain)).toBe(plain)
  })

  it('keep null and map undefined to null', () => {
    expect(defaultValueSerializer(null)).toBeNull()
    expect(defaultValueSerializer(undefined)).toBeNull()
    expect(defaultKeySerializer(null)).toBeNull()
    expect(defaultKeySerializer(undefined)).toBeNull()
  })

  it('leave string values for the builder and encode string keys as UTF-8', () => {
    expect(defaultValueSerializer('héllo')).toBe('héllo')
    expect(defaultKeySerializer('héllo')).toEqual(Buffer.from('héllo', 'utf8'))
  })

  it.each([
    [42, 'number'],
    [{ a: 1 }, 'Object'],
    [new Date(0), 'Date'],
    [Object.create(null), 'object'],
    [10n, 'bigint'],
    [true, 'boolean'],
  ])('refuse %o with a typed error naming the type and the option', (value, type) => {
    expect(() => defaultValueSerializer(value)).toThrow(IllegalArgumentError)
    expect(() => defaultValueSerializer(value)).toThrow(`of type ${type} without a valueSerializer`)
    expect(() => defaultKeySerializer(value)).toThrow(`without a keySerializer`)
  })
})

describe('applySerializer', () => {
  const json: Serializer<object> = (value) => Buffer.from(JSON.stringify(value))

  it('returns what the serializer returns', () => {
    expect(applySerializer(json, { a: 1 }, 'value')).toEqual(Buffer.from('{"a":1}'))
    expect(applySerializer(() => null, 'x', 'key')).toBeNull()
  })

  it('refuses a serializer that returns something other than bytes or null', () => {
    const wrong = ((value: object) => JSON.stringify(value)) as unknown as Serializer<object>
    expect(() => applySerializer(wrong, {}, 'value')).toThrow(
      'the value serializer returned string; it must return a Uint8Array or null',
    )
    const missing = (() => undefined) as unknown as Serializer<string>
    expect(() => applySerializer(missing, 'k', 'key')).toThrow('the key serializer returned undefined')
  })
})
