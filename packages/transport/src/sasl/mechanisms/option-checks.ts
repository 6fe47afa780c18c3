import { IllegalArgumentError, KafkaConfigurationError } from '@kafkite/protocol'
import { Secret } from '../../secret.js'

// Checks shared by the mechanisms' constructors. Options often come from untyped config files or
// environment variables, so the types alone do not guarantee anything at run time. A missing field is a
// configuration mistake (KafkaConfigurationError); a field that is present with a wrong type or value is a
// bad argument (IllegalArgumentError). Messages name the field, never its value: the value may be a secret.

/**
 * Reads a required, non-empty string field — given as is or wrapped in a {@link Secret} — that must not
 * contain NUL (RFC 4616 and RFC 5802 both exclude it).
 */
export function requireCredential(options: object, field: string, mechanism: string): string {
  const given: unknown = Reflect.get(options, field)
  const value = given instanceof Secret ? given.reveal() : given
  if (value === undefined || value === null) {
    throw new KafkaConfigurationError({ message: `SASL ${mechanism} needs \`${field}\`` })
  }
  if (typeof value !== 'string') {
    throw new IllegalArgumentError({
      message: `SASL ${mechanism}: \`${field}\` must be a string, not ${describeType(value)}`,
    })
  }
  if (value.length === 0) {
    throw new IllegalArgumentError({ message: `SASL ${mechanism}: \`${field}\` must not be empty` })
  }
  if (value.includes('\0')) {
    throw new IllegalArgumentError({
      message: `SASL ${mechanism}: \`${field}\` must not contain a NUL character`,
    })
  }
  return value
}

/** Names a value's type without printing the value (it may be a password). */
export function describeType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  const type = typeof value
  if (type === 'undefined') return type
  return type === 'object' ? 'an object' : `a ${type}`
}
