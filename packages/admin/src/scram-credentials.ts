import { pbkdf2, randomBytes } from 'node:crypto'
import { promisify } from 'node:util'
import { IllegalArgumentError } from '@kafkite/protocol'
import { checkObject, checkString } from './arguments.js'

const pbkdf2Async = promisify(pbkdf2)

export type ScramMechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512'

/** The protocol's mechanism numbers. */
export const SCRAM_MECHANISMS: Readonly<Record<ScramMechanism, number>> = {
  'SCRAM-SHA-256': 1,
  'SCRAM-SHA-512': 2,
}

const HASHES: Readonly<
  Record<ScramMechanism, { readonly name: 'sha256' | 'sha512'; readonly bytes: number }>
> = {
  'SCRAM-SHA-256': { name: 'sha256', bytes: 32 },
  'SCRAM-SHA-512': { name: 'sha512', bytes: 64 },
}

/** Kafka's bounds for SCRAM iterations (brokers refuse others with UNACCEPTABLE_CREDENTIAL). */
export const SCRAM_MIN_ITERATIONS = 4096
export const SCRAM_MAX_ITERATIONS = 16384

/** Sets (or replaces) a user's credential for one mechanism. */
export interface ScramUpsertion {
  readonly op: 'upsert'
  readonly user: string
  readonly mechanism: ScramMechanism
  readonly password: string
  /** PBKDF2 rounds, 4096 to 16384. Default 4096 (Kafka's minimum, what its tools use). */
  readonly iterations?: number
  /** For tests that need a fixed credential; by default 32 random bytes per upsertion. */
  readonly salt?: Uint8Array
}

/** Removes a user's credential for one mechanism. */
export interface ScramDeletion {
  readonly op: 'delete'
  readonly user: string
  readonly mechanism: ScramMechanism
}

export type ScramAlteration = ScramUpsertion | ScramDeletion

/** One of a user's credentials, as DescribeUserScramCredentials lists it (never the secret). */
export interface ScramCredentialInfo {
  readonly mechanism: ScramMechanism | 'UNKNOWN'
  readonly iterations: number
}

export function mechanismName(code: number): ScramMechanism | 'UNKNOWN' {
  if (code === SCRAM_MECHANISMS['SCRAM-SHA-256']) return 'SCRAM-SHA-256'
  if (code === SCRAM_MECHANISMS['SCRAM-SHA-512']) return 'SCRAM-SHA-512'
  return 'UNKNOWN'
}

export function checkMechanism(value: unknown, what: string): ScramMechanism {
  if (value === 'SCRAM-SHA-256' || value === 'SCRAM-SHA-512') return value
  throw new IllegalArgumentError({
    message: `${what} must be SCRAM-SHA-256 or SCRAM-SHA-512, got ${String(value)}`,
  })
}

/** A checked copy of one alteration. The password never appears in a message. */
export function checkAlteration(value: unknown, what: string): ScramAlteration {
  const fields = checkObject(value, what)
  const user = checkString(fields.user, `${what}.user`)
  if (user === '') throw new IllegalArgumentError({ message: `${what}.user must not be empty` })
  const mechanism = checkMechanism(fields.mechanism, `${what}.mechanism`)
  if (fields.op === 'delete') return { op: 'delete', user, mechanism }
  if (fields.op !== 'upsert') {
    throw new IllegalArgumentError({ message: `${what}.op must be 'upsert' or 'delete'` })
  }
  if (typeof fields.password !== 'string' || fields.password === '') {
    throw new IllegalArgumentError({ message: `${what}.password must be a non-empty string` })
  }
  const iterations = fields.iterations ?? SCRAM_MIN_ITERATIONS
  if (
    typeof iterations !== 'number' ||
    !Number.isInteger(iterations) ||
    iterations < SCRAM_MIN_ITERATIONS ||
    iterations > SCRAM_MAX_ITERATIONS
  ) {
    throw new IllegalArgumentError({
      message: `${what}.iterations must be an integer from ${SCRAM_MIN_ITERATIONS} to ${SCRAM_MAX_ITERATIONS}`,
    })
  }
  if (fields.salt !== undefined && (!(fields.salt instanceof Uint8Array) || fields.salt.length === 0)) {
    throw new IllegalArgumentError({ message: `${what}.salt must be a non-empty Uint8Array` })
  }
  return {
    op: 'upsert',
    user,
    mechanism,
    password: fields.password,
    iterations,
    ...(fields.salt === undefined ? {} : { salt: fields.salt as Uint8Array }),
  }
}

/**
 * What the broker stores for an upsertion: the salt and SCRAM's SaltedPassword = Hi(password, salt, i),
 * i.e. PBKDF2 with HMAC of the mechanism's hash and the hash's output length (RFC 5802). Kafka takes the
 * password as UTF-8 without SASLprep, as its own tools do, so the same password logs in from any client.
 * PBKDF2 runs on libuv's thread pool: thousands of rounds must not block the event loop.
 */
export async function saltedCredential(
  upsertion: ScramUpsertion,
): Promise<{ readonly salt: Buffer; readonly saltedPassword: Buffer; readonly iterations: number }> {
  const hash = HASHES[upsertion.mechanism]
  const iterations = upsertion.iterations ?? SCRAM_MIN_ITERATIONS
  const salt = upsertion.salt === undefined ? randomBytes(32) : Buffer.from(upsertion.salt)
  const saltedPassword = await pbkdf2Async(
    Buffer.from(upsertion.password, 'utf8'),
    salt,
    iterations,
    hash.bytes,
    hash.name,
  )
  return { salt, saltedPassword, iterations }
}
