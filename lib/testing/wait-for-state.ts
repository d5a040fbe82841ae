/**
 * @module
 */
import { type Observable, filter, firstValueFrom, timeout } from 'rxjs';
import type { ConnectionState } from '../amqp';
import { MessagingTimeout } from '../amqp';

/** The state names of {@link ConnectionState}. */
export type ConnectionStateName = ConnectionState['state'];

/** Something with a `state$`, such as a `Transport`. */
export interface HasState {
  /** The connection's health, replaying the latest state. */
  readonly state$: Observable<ConnectionState>;
  /** Connects (a `Transport` connects on first use); {@link waitForState} calls it to wait for `open`. */
  ready?(): Promise<unknown>;
}

/**
 * Resolves with the first state named `state` that `transport.state$` emits (the latest
 * one counts, as `state$` replays it), or rejects with `MessagingTimeout` after
 * `timeoutMs` (default 10 s). Use it in tests to wait for a reconnect instead of sleeping.
 * Waiting for `open` also starts connecting (`transport.ready()`), as a transport
 * connects only on first use.
 *
 * ## Example
 * ```ts
 * import { startBroker, waitForState } from 'oslo-rx/testing';
 *
 * await broker.stop();
 * await waitForState(transport, 'disconnected');
 * broker = await startBroker({ port: broker.port });
 * await waitForState(transport, 'open', { timeoutMs: 30_000 });
 * ```
 *
 * @param transport the transport (anything with `state$`)
 * @param state the state to wait for
 * @param options `timeoutMs`: how long to wait
 * @returns the state, narrowed to its kind
 */
export function waitForState<S extends ConnectionStateName>(
  transport: HasState,
  state: S,
  options: { readonly timeoutMs?: number } = {},
): Promise<Extract<ConnectionState, { state: S }>> {
  const ms = options.timeoutMs ?? 10_000;
  // a failure to connect shows as the timeout (or the `closed` state), not as this promise
  if (state === 'open') transport.ready?.().catch(() => undefined);
  return firstValueFrom(
    transport.state$.pipe(
      filter((s): s is Extract<ConnectionState, { state: S }> => s.state === state),
      timeout({ first: ms, with: () => { throw new MessagingTimeout(`the transport was not ${state} within ${ms} ms`, ms); } }),
    ),
  );
}
