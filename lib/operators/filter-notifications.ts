/**
 * @module
 */
import { type MonoTypeOperatorFunction, filter } from 'rxjs';
import type { IncomingNotification } from '../notify/incoming-notification';
import { type NotificationFilterSpec, notificationMatcher } from '../notify/notification-filter';

/**
 * Passes on the notifications that match `spec` (oslo's NotificationFilter) and
 * acknowledges the others, so filtered-out notifications never hold credit.
 *
 * ```ts
 * listener$.pipe(filterNotifications({ eventType: /^compute\.instance\./, context: { project_id: 'p1' } }))
 * ```
 */
export function filterNotifications(spec: NotificationFilterSpec): MonoTypeOperatorFunction<IncomingNotification> {
  const matches = notificationMatcher(spec);
  return filter((n) => {
    if (matches(n)) return true;
    n.ack();
    return false;
  });
}
