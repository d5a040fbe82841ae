/**
 * Where notifications of one priority go.
 * @module
 */
import type { AddressTarget } from './address-target';

/**
 * The target of the notifications of `priority` on `topic`: topic `<topic>.<priority>` with the
 * priority lower-cased and no exchange (oslo's notifier and listener both drop the exchange, so
 * notifications always use the default one). Resolve it with service `'notify'`.
 *
 * ```ts
 * notificationTarget('notifications', 'INFO') // { topic: 'notifications.info' }
 * ```
 * @param topic the notification topic, e.g. `notifications`
 * @param priority the priority, any case (`warn`, not its alias `warning`)
 */
export function notificationTarget(topic: string, priority: string): AddressTarget {
  return { topic: `${topic}.${priority.toLowerCase()}` };
}
