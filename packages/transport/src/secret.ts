import { inspect } from 'node:util'

const REDACTED = '[redacted]'

/**
 * Holds a secret (a password, a private key, a token, or the token provider that makes tokens) so that it
 * never shows in a log line, an error message, `util.inspect()` or `JSON.stringify()`: every way of printing
 * it prints `[redacted]`. Only `reveal()` gives the value back, which makes every place that needs it easy
 * to find. Clients keep every secret of their resolved options in one, so printing `client.options` is safe.
 */
export class Secret<Value = string | Uint8Array> {
  readonly #value: Value

  constructor(value: Value) {
    this.#value = value
  }

  reveal(): Value {
    return this.#value
  }

  toString(): string {
    return REDACTED
  }

  toJSON(): string {
    return REDACTED
  }

  [inspect.custom](): string {
    return REDACTED
  }

  /** The value of a plain value or a `Secret`, for the one place that hands it to Node. */
  static reveal<Value>(value: Value | Secret<Value>): Value {
    return value instanceof Secret ? value.reveal() : value
  }
}
