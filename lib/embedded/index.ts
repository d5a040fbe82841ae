/**
 * The embedded AMQP 1.0 intermediary: a broker or a router in the same process,
 * for tests, demos and the `oslo-rx broker` command.
 * @module
 */
export { startEmbeddedIntermediary, type EmbeddedIntermediary } from './intermediary';
export {
  EMBEDDED_INTERMEDIARY_DEFAULTS,
  InvalidIntermediaryOption,
  type EmbeddedIntermediaryOptions,
  type IntermediaryLogger,
  type IntermediaryMode,
  type IntermediaryTlsOptions,
} from './intermediary-options';
export { INTERMEDIARY_SASL_MECHANISMS, type IntermediarySaslMechanism } from './sasl';
export type { IntermediaryStats } from './intermediary-stats';
export { DEFAULT_QUEUE_PATTERNS, DEFAULT_TOPIC_PATTERNS, compileAddressPattern, type AddressKind } from './address-patterns';
