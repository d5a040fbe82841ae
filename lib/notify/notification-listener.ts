/**
 * Notification listeners as streams.
 * @module
 */
import { EMPTY, type Observable, defer, merge, mergeMap, of } from 'rxjs';
import { type AmqpConnection, type IncomingDelivery, type MessagingTransport, checkMaxDeliveries, decodeOrReject } from '../amqp';
import { addresserFor, notificationTarget } from '../addressing';
import { decodeNotificationMessage } from '../wire';
import { IncomingNotification } from './incoming-notification';
import { PRIORITIES, type Priority, priorityNamed } from './priority';
import { logger } from '../log';
import { startReceiveSpan } from '../tracing';

const log = logger('listener');

/** What a listener listens to: a notification topic (oslo ignores the exchange here). */
export interface NotificationTopic {
  /** The topic, e.g. `notifications`. */
  readonly topic: string;
  /** Accepted for oslo compatibility and ignored: notifications always use the default exchange. */
  readonly exchange?: string;
}

/** Options of {@link notificationListener}. */
export interface NotificationListenerOptions {
  /**
   * A listener pool name (an oslo-rx addition; Python's AMQP 1.0 driver refuses pools).
   * Listeners on the same address always share its notifications, each message to one
   * member, so one pool works everywhere. Separate pools that each get every notification
   * need per-pool queues, which no intermediary gives for oslo's notification addresses:
   * see the README.
   */
  readonly pool?: string;
  /** Unsettled notifications each link may hold. Default: the `notifyServerCredit` option (100). */
  readonly credit?: number;
  /** The priorities to listen to (any case; `warning` means `warn`); default all of them. */
  readonly priorities?: readonly (Priority | string)[];
  /**
   * The redelivery budget: a message whose header's delivery-count shows it was delivered
   * this many times already is rejected with `amqp:precondition-failed` ("delivered N times,
   * the limit is ...") instead of being handed to the application again, and requeues are
   * sent as `modified` with delivery-failed so the intermediary counts them. Needs an
   * intermediary that keeps delivery-count (RabbitMQ 3.x does not: see the README). Default: none.
   */
  readonly maxDeliveries?: number;
}

/**
 * Listens to `<topic>.<priority>` for every target and priority, as oslo's listener does,
 * and emits each notification (v1 and v2 bodies). A message that is not a notification is
 * rejected with an AMQP error condition that says why, and the stream goes on.
 *
 * ```ts
 * notificationListener(transport, [{ topic: 'notifications' }])
 *   .pipe(bufferTime(1000, null, 100), mergeMap((batch) => store(batch).pipe(ackBatch(batch))))
 *   .subscribe();
 * ```
 */
export function notificationListener(
  transport: MessagingTransport,
  targets: readonly NotificationTopic[],
  options: NotificationListenerOptions = {},
): Observable<IncomingNotification> {
  return defer(() => {
    const credit = options.credit ?? transport.options.notifyServerCredit;
    const maxDeliveries = checkMaxDeliveries(options.maxDeliveries);
    const priorities = [...new Set((options.priorities ?? PRIORITIES).map((p) => priorityNamed(p) ?? p.toLowerCase()))];
    const links = targets.flatMap(({ topic }) =>
      priorities.map((priority) =>
        transport
          .receive((c: AmqpConnection) => ({
            address: addresserFor(transport, c).resolve(notificationTarget(topic, priority), 'notify'),
            credit,
            // as the Notifier attaches (RabbitMQ refuses a link whose durability differs from its queue's)
            durable: transport.options.durableNotificationQueues,
            ...(options.pool ? { name: `oslo-rx/pool/${options.pool}/${topic}.${priority}/${Math.random().toString(36).slice(2)}` } : {}),
          }))
          .pipe(mergeMap((delivery) => toNotification(delivery, `${topic}.${priority}`, maxDeliveries))),
      ),
    );
    return merge(...links);
  });
}

/** The notification in `delivery` from `<topic>.<priority>` (`source`), or nothing for one rejected here. */
function toNotification(delivery: IncomingDelivery, source: string, maxDeliveries: number | undefined): Observable<IncomingNotification> {
  const body = decodeOrReject(delivery, maxDeliveries, decodeNotificationMessage, log);
  if (!body) return EMPTY;
  const span = startReceiveSpan('process', body.message.eventType ?? '', source, delivery.message);
  return of(new IncomingNotification(body, delivery, maxDeliveries !== undefined, span));
}
