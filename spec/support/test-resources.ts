/**
 * The transports and subscriptions a test opens, released together by its clean-up hook.
 */
import type { Subscription } from 'rxjs';
import { type AmqpOptions, type Transport, createTransport } from '../../lib';

/** What {@link testResources} returns. */
export interface TestResources {
  /** Creates a transport for `url` (the defaults, then `options`) that {@link release} closes. */
  open(url: string, options?: Partial<AmqpOptions>): Transport;
  /** Keeps `subscription` for {@link release} to unsubscribe; returns it. */
  keep(subscription: Subscription): Subscription;
  /** Unsubscribes what was kept, then closes every transport opened. */
  release(): Promise<void>;
}

/**
 * Transports (with `defaults` for their options) and subscriptions for one suite.
 *
 * @example
 * const res = testResources({ connectionRetryIntervalMaxMs: 1000 });
 * afterEach(() => res.release());
 * const t = res.open(broker.url);
 */
export function testResources(defaults: Partial<AmqpOptions> = {}): TestResources {
  const transports: Transport[] = [];
  const subscriptions: Subscription[] = [];
  return {
    open: (url, options = {}) => {
      const t = createTransport(url, { ...defaults, ...options });
      transports.push(t);
      return t;
    },
    keep: (subscription) => {
      subscriptions.push(subscription);
      return subscription;
    },
    release: async () => {
      subscriptions.splice(0).forEach((s) => s.unsubscribe());
      await Promise.all(transports.splice(0).map((t) => t.close()));
    },
  };
}
