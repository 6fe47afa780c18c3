// SASL mechanisms for the transport's SaslHandshake/SaslAuthenticate flow: PLAIN, SCRAM-SHA-256,
// SCRAM-SHA-512 and OAUTHBEARER, and the factory that picks one from a client's options.

export {
  createSaslMechanism,
  type OAuthBearerSaslOptions,
  type PlainSaslOptions,
  redactSaslOptions,
  SASL_MECHANISMS,
  type SaslMechanismName,
  type SaslOptions,
  type ScramSaslOptions,
} from './create-sasl-mechanism.js'
export {
  type AbstractTokenProvider,
  OAuthBearerExchange,
  OAuthBearerMechanism,
  type OAuthBearerMechanismOptions,
  type OAuthBearerToken,
  type OAuthBearerTokenProvider,
  type SaslOauthTokenProvider,
  toOAuthBearerTokenProvider,
} from './oauthbearer-mechanism.js'
export { PlainMechanism, type PlainMechanismOptions } from './plain-mechanism.js'
export { REDACTED } from './redaction.js'
export {
  SCRAM_DEFAULT_MAX_ITERATIONS,
  SCRAM_MIN_ITERATIONS,
  ScramMechanism,
  type ScramMechanismName,
  type ScramMechanismOptions,
} from './scram-mechanism.js'
