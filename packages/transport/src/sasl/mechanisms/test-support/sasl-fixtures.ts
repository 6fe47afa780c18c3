import type { SaslContext } from '../../sasl-mechanism.js'

export const context: SaslContext = { host: 'broker-1.example', port: 9096, clientId: 'kafkite-test' }

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)
export const text = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes)
