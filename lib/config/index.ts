/**
 * The config layer: the transport URL and the AMQP options.
 * @module
 */
export { InvalidOption, InvalidTransportURL } from './errors';
export {
  DEFAULT_PORTS,
  TransportUrl,
  formatTransportUrl,
  parseTransportUrl,
  redactTransportUrl,
  type TransportHost,
  type TransportScheme,
  type TransportUrlFields,
} from './transport-url';
export {
  OPTION_TABLE,
  isSecretOption,
  optionNamed,
  type OptionGroup,
  type OptionName,
  type OptionSpec,
  type OptionTable,
} from './option-table';
export type { AmqpOptions, PreSettledKind } from './amqp-options';
export { AmqpOptionsCodec, DEFAULT_AMQP_OPTIONS, optionsFromText, redactOptions, resolveAmqpOptions, unknownQueryOptions } from './options';
export { reconnectDelays } from './backoff';
export { REDACTED } from './redact';
export { SUPPORTED_SASL_MECHANISMS, parseSaslMechanisms, type SaslMechanismName } from './sasl-mechanisms';
