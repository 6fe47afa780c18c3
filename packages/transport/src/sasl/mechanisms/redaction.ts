import { type InspectOptions, inspect } from 'node:util'

// Secrets (passwords, tokens, derived SCRAM keys) live in #private fields, which neither `util.inspect()`
// nor `JSON.stringify()` nor `Object.keys()` can reach. The classes that hold them still define both hooks
// below, so that what *is* printed is deliberate and says plainly that a secret was left out — the way
// Java's `Password.toString()` prints "[hidden]" and librdkafka prints "(REDACTED)".

/** What a secret reads as in logs, `util.inspect()` and `JSON.stringify()`. */
export const REDACTED = '[redacted]'

/** The symbol `util.inspect()` looks up; `Symbol.for` gives the same one Node uses. */
export const inspectCustom: unique symbol = Symbol.for('nodejs.util.inspect.custom')

/** Renders `ClassName { ...fields }` for an `[inspectCustom]` hook, honouring the caller's inspect options. */
export function inspectAs(className: string, fields: object, options: InspectOptions | undefined): string {
  return `${className} ${inspect(fields, options)}`
}
