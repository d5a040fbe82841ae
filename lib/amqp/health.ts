/**
 * A transport's health as liveness and readiness.
 * @module
 */
import type { ConnectionState } from './connection-state';
import type { ReceiversStatus } from './receiver-registry';

/**
 * A transport's health, for liveness and readiness probes.
 *
 * - `live`: false once the transport has failed for good (bad credentials) or was closed;
 *   a process whose transport is not live must be restarted to work again.
 * - `ready`: true only while connected with every receiver (RPC servers, listeners, the
 *   RPC reply link when calls are made) attached, and none failed for good (a link the
 *   intermediary refuses for good stays a reason until a receiver attaches on its address again).
 * - `reason`: why it is not ready (or not live), e.g. `disconnected from 127.0.0.1:5672: ...`.
 */
export interface Health {
  /** False once the transport failed for good or was closed. */
  readonly live: boolean;
  /** True while connected with every receiver attached. */
  readonly ready: boolean;
  /** Why it is not ready or not live; absent when ready. */
  readonly reason?: string;
}

/** The health that connection state `state` (undefined: never connected yet) and `receivers` add up to. */
export function healthOf(state: ConnectionState | undefined, receivers: ReceiversStatus): Health {
  if (state === undefined) return { live: true, ready: false, reason: 'not connected yet (nothing has used the transport)' };
  switch (state.state) {
    case 'connecting':
      return { live: true, ready: false, reason: `connecting to ${state.host} (attempt ${state.attempt})` };
    case 'disconnected':
      return { live: true, ready: false, reason: `disconnected from ${state.host}: ${state.error.message}; retry in ${state.retryInMs} ms` };
    case 'closed':
      return { live: false, ready: false, reason: state.error ? `failed for good: ${state.error.message}` : 'closed' };
    case 'open': {
      const failed = receivers.failed[0];
      if (failed) {
        const more = receivers.failed.length > 1 ? ` (and ${receivers.failed.length - 1} more)` : '';
        return { live: true, ready: false, reason: `receiver "${failed.address}" failed for good: ${failed.reason}${more}` };
      }
      if (receivers.detached.length === 0) return { live: true, ready: true };
      return {
        live: true,
        ready: false,
        reason: `${receivers.detached.length} of ${receivers.wanted} receivers not attached: ${receivers.detached.map((a) => `"${a}"`).join(', ')}`,
      };
    }
  }
}

/** True when `a` and `b` say the same. */
export function sameHealth(a: Health, b: Health): boolean {
  return a.live === b.live && a.ready === b.ready && a.reason === b.reason;
}
