// Unique topic and group names per test, so tests sharing one broker never see each other's data, and a
// rerun against a long-lived broker (KAFKA_BOOTSTRAP) never sees the previous run's.
import { randomBytes } from 'node:crypto'
import { expect } from 'vitest'

const RUN = randomBytes(3).toString('hex')
let counter = 0

function unique(kind: string, hint: string | undefined): string {
  counter += 1
  const testName = hint ?? expect.getState().currentTestName ?? 'test'
  // Kafka allows [a-zA-Z0-9._-] and 249 characters; keep names short enough to read in broker logs.
  const slug = testName
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
  return `kafkite-${kind}-${slug}-${RUN}-${counter}`
}

export function uniqueTopic(hint?: string): string {
  return unique('t', hint)
}

export function uniqueGroup(hint?: string): string {
  return unique('g', hint)
}
