/**
 * The options the addressing layer reads.
 * @module
 */
import type { AmqpOptions } from '../config';

/**
 * How addresses are spelled: `legacy` (broker syntax), `routable` (router syntax), or
 * `dynamic` (chosen on each connection from the peer's `product`, see `chooseAddressingMode`).
 * Mirrors oslo's `addressing_mode`.
 */
export type AddressingMode = 'legacy' | 'routable' | 'dynamic';

/**
 * The subset of the transport options that shapes addresses (oslo's `[oslo_messaging_amqp]`
 * names camelCased; see `AmqpOptions` for each field's meaning and default).
 */
export type AddressingOptions = Pick<
  AmqpOptions,
  | 'addressingMode'
  | 'pseudoVhost'
  | 'serverRequestPrefix'
  | 'broadcastPrefix'
  | 'groupRequestPrefix'
  | 'rpcAddressPrefix'
  | 'notifyAddressPrefix'
  | 'multicastAddress'
  | 'unicastAddress'
  | 'anycastAddress'
  | 'defaultNotificationExchange'
  | 'defaultRpcExchange'
  | 'controlExchange'
>;
