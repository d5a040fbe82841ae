/**
 * @module
 */
import type { MessagingTransport } from '../amqp';
import { Notifier, type NotifierOptions } from '../notify/notifier';

/** A transport for notifiers that never send: using it is a bug. */
const NO_TRANSPORT = new Proxy({} as MessagingTransport, {
  get(_target, property) {
    throw new Error(`a test notifier has no transport (it read "${String(property)}")`);
  },
});

/**
 * A {@link Notifier} that sends nothing and keeps every notification in `sent`
 * (oslo's `test` driver), to hand to the code under test in place of a real one.
 *
 * ## Example
 * ```ts
 * import { testNotifier } from 'oslo-rx/testing';
 *
 * const notifier = testNotifier({ publisherId: 'compute.host1' });
 * await createInstance(notifier);            // the code under test calls notifier.info(...)
 * expect(notifier.sent.map((n) => n.eventType)).to.deep.equal(['compute.instance.create.end']);
 * ```
 *
 * @param options publisher id (default `test`) and topics
 */
export function testNotifier(options: Partial<Pick<NotifierOptions, 'publisherId' | 'topics'>> = {}): Notifier {
  return new Notifier(NO_TRANSPORT, { publisherId: 'test', ...options, driver: 'test' });
}
