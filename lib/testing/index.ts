/**
 * `oslo-rx/testing`: what an application's own tests need: the embedded AMQP 1.0
 * intermediary (a broker or a router in the test's process), a wait for a transport
 * state, and a notifier that records instead of sending.
 *
 * ## Example
 * ```ts
 * import { createTransport } from 'oslo-rx';
 * import { startBroker, waitForState } from 'oslo-rx/testing';
 *
 * const broker = await startBroker();
 * const transport = createTransport(broker.url);
 * await waitForState(transport, 'open');
 * ```
 * @module oslo-rx/testing
 */
export {
  startEmbeddedIntermediary,
  InvalidIntermediaryOption,
  type EmbeddedIntermediary,
  type EmbeddedIntermediaryOptions,
  type IntermediaryLogger,
  type IntermediaryMode,
  type IntermediarySaslMechanism,
  type IntermediaryStats,
  type IntermediaryTlsOptions,
} from '../embedded';
export { startBroker, startRouter, type TestIntermediaryOptions } from './start-broker';
export { waitForState, type ConnectionStateName, type HasState } from './wait-for-state';
export { testNotifier } from './test-notifier';
