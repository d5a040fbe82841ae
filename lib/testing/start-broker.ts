/**
 * @module
 */
import { type EmbeddedIntermediary, type EmbeddedIntermediaryOptions, startEmbeddedIntermediary } from '../embedded';

/** Options of {@link startBroker} and {@link startRouter}: those of the embedded intermediary but its mode. */
export type TestIntermediaryOptions = Omit<EmbeddedIntermediaryOptions, 'mode'>;

/**
 * Starts the embedded intermediary as a broker (store and forward, legacy addresses) on
 * a free loopback port, for a test. Stop it in the test's teardown.
 *
 * ## Example
 * ```ts
 * import { startBroker } from 'oslo-rx/testing';
 *
 * const broker = await startBroker();
 * const transport = createTransport(broker.url);
 * // ... the code under test
 * await transport.close();
 * await broker.stop();
 * ```
 *
 * @param options port (default: any free one), host (default: 127.0.0.1), users, limits
 */
export function startBroker(options: TestIntermediaryOptions = {}): Promise<EmbeddedIntermediary> {
  return startEmbeddedIntermediary({ port: 0, ...options, mode: 'broker' });
}

/**
 * Starts the embedded intermediary as a router (no storage, end-to-end acknowledgement,
 * routable addresses as with qpid-dispatch-router) on a free loopback port, for a test.
 *
 * ## Example
 * ```ts
 * const router = await startRouter();
 * const transport = createTransport(router.url); // oslo-rx picks routable addresses
 * ```
 *
 * @param options port (default: any free one), host (default: 127.0.0.1), users, limits
 */
export function startRouter(options: TestIntermediaryOptions = {}): Promise<EmbeddedIntermediary> {
  return startEmbeddedIntermediary({ port: 0, ...options, mode: 'router' });
}
