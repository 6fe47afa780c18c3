import { IllegalArgumentError } from '@kafkite/protocol'

// Checks on what the caller passed, made before any request: a wrong type or shape is a bug in the caller,
// which an IllegalArgumentError names at once. Values only the broker can judge (a topic name with bad
// characters, a replication factor above the broker count, a group that does not exist) are sent, and come
// back as that item's typed broker error.

export function checkStringList(
  value: unknown,
  what: string,
  options: { allowEmpty?: boolean } = {},
): string[] {
  if (!Array.isArray(value))
    throw new IllegalArgumentError({ message: `${what} must be an array of strings` })
  if (value.length === 0 && options.allowEmpty !== true) {
    throw new IllegalArgumentError({ message: `${what} must not be empty` })
  }
  const seen = new Set<string>()
  for (const item of value) {
    if (typeof item !== 'string') {
      throw new IllegalArgumentError({ message: `${what} must hold strings, got ${typeof item}` })
    }
    if (seen.has(item))
      throw new IllegalArgumentError({ message: `${what} names ${JSON.stringify(item)} twice` })
    seen.add(item)
  }
  return value as string[]
}

export function checkString(value: unknown, what: string): string {
  if (typeof value !== 'string') {
    throw new IllegalArgumentError({ message: `${what} must be a string, got ${typeof value}` })
  }
  return value
}

export function checkInt(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new IllegalArgumentError({
      message: `${what} must be an integer from ${min} to ${max}, got ${String(value)}`,
    })
  }
  return value
}

/** A `timeoutMs` option: positive and finite, or the default. */
export function checkTimeout(value: unknown, fallback: number, what = 'timeoutMs'): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new IllegalArgumentError({ message: `${what} must be a positive number, got ${String(value)}` })
  }
  return Math.min(value, 0x7fffffff)
}

export function checkBoolean(value: unknown, fallback: boolean, what: string): boolean {
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') {
    throw new IllegalArgumentError({ message: `${what} must be a boolean, got ${typeof value}` })
  }
  return value
}

export function checkObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new IllegalArgumentError({ message: `${what} must be an object` })
  }
  return value as Record<string, unknown>
}

export function checkBigint(value: unknown, what: string, min: bigint): bigint {
  const big = typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : value
  if (typeof big !== 'bigint' || big < min || big > 0x7fffffffffffffffn) {
    throw new IllegalArgumentError({
      message: `${what} must be a bigint (or safe integer) of at least ${min}, got ${String(value)}`,
    })
  }
  return big
}
