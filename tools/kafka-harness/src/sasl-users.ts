// The SASL users every broker knows. The password is generated per cluster: it only has to match between
// the broker's config and the test that reads it from the cluster description.
import { randomBytes } from 'node:crypto'

export type SaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512'

export const SASL_MECHANISMS: readonly SaslMechanism[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']

export interface SaslUser {
  readonly username: string
  readonly password: string
  /** Mechanisms this user can log in with (PLAIN via JAAS config, SCRAM via credentials in the metadata log). */
  readonly mechanisms: readonly SaslMechanism[]
}

export function makeSaslUsers(): SaslUser[] {
  // Alphanumeric only: the password goes into JAAS config and into the storage tool's SCRAM argument syntax.
  const password = randomBytes(12).toString('hex')
  return [{ username: 'kafkite', password, mechanisms: SASL_MECHANISMS }]
}
