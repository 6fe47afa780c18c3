/** One log call: a fixed message and a few plain fields (host, port, api...). Never a secret. */
export type LogFunction = (message: string, fields?: Readonly<Record<string, unknown>>) => void

/**
 * The optional logger hook. Any method may be left out; a console, pino or winston logger fits as it is.
 * The transport logs connection life (debug), re-authentication (debug) and security downgrades (warn).
 */
export interface Logger {
  readonly debug?: LogFunction
  readonly info?: LogFunction
  readonly warn?: LogFunction
  readonly error?: LogFunction
}

export const silentLogger: Logger = Object.freeze({})
