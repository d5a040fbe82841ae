/**
 * The Notifier: one method per oslo priority.
 * @module
 */
import { type Observable, defer, forkJoin, map, of } from 'rxjs';
import type { MessagingTransport } from '../amqp';
import { addresserFor, notificationTarget } from '../addressing';
import { type NotificationBody, NotificationBodyCodec, buildNotificationMessage, newNotificationMessage, pythonJsonDumps, sanitizeNotificationContext } from '../wire';
import type { Priority } from './priority';
import { startSendSpan, tracedBy } from '../tracing';

/** The notification drivers (oslo's `[oslo_messaging_notifications] driver`). */
export type NotifierDriver = 'messagingv2' | 'messaging' | 'log' | 'noop' | 'test';

/** A notification the `test` driver kept, or the `log` driver wrote. */
export interface SentNotification {
  /** The topic it went to. */
  readonly topic: string;
  /** Its priority. */
  readonly priority: Priority;
  /** The publisher id. */
  readonly publisherId: string;
  /** The event type. */
  readonly eventType: string;
  /** The payload. */
  readonly payload: unknown;
  /** The sanitized context. */
  readonly context: Readonly<Record<string, unknown>>;
}

/** Options of a {@link Notifier}. */
export interface NotifierOptions {
  /** Who sends (e.g. `compute.host1`). */
  readonly publisherId: string;
  /** The topics to send to; default `['notifications']`. */
  readonly topics?: readonly string[];
  /** Default `messagingv2` (oslo's envelope); `messaging` sends v1 bodies. */
  readonly driver?: NotifierDriver;
  /** Resends allowed after a release or a connection loss; -1 (default) = until the deadline. */
  readonly retry?: number;
  /**
   * Mark messages durable so a persisting broker keeps them across its restart. An oslo-rx
   * addition: Python's driver never does. On RabbitMQ the queue must be durable too: see the
   * `durableNotificationQueues` option.
   */
  readonly durable?: boolean;
  /** Where the `log` driver writes; default `console.log`. */
  readonly logger?: (line: string) => void;
}

/** A request context: a plain JSON object; it is sanitized to oslo's whitelist before sending. */
export type NotificationContext = Readonly<Record<string, unknown>>;

/**
 * Sends notifications exactly as Python oslo.messaging's Notifier does over AMQP 1.0.
 * Each method returns a cold Observable that completes when the intermediary holds the
 * message (or errors with `MessagingTimeout` after the `defaultNotifyTimeoutMs` option).
 *
 * ```ts
 * const notifier = new Notifier(transport, { publisherId: 'compute.host1' });
 * await lastValueFrom(notifier.info({}, 'compute.instance.create.end', { id: 42 }), { defaultValue: undefined });
 * ```
 */
export class Notifier {
  /** What the `test` driver kept, oldest first (empty for other drivers). */
  readonly sent: SentNotification[] = [];

  /**
   * @param transport the transport to send on (unused by the `log`, `noop` and `test` drivers)
   * @param options publisher id, topics, driver, retry, durable
   */
  constructor(
    private readonly transport: MessagingTransport,
    readonly options: NotifierOptions,
  ) {}

  /** A notifier with another publisher id or retry (oslo's `prepare()`); it shares `sent`. */
  prepare(overrides: { publisherId?: string; retry?: number }): Notifier {
    const n = new Notifier(this.transport, { ...this.options, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) });
    (n as { sent: SentNotification[] }).sent = this.sent;
    return n;
  }

  /** Sends an `AUDIT` notification. */
  audit(context: NotificationContext, eventType: string, payload: unknown): Observable<void> {
    return this.notify('audit', context, eventType, payload);
  }
  /** Sends a `DEBUG` notification. */
  debug(context: NotificationContext, eventType: string, payload: unknown): Observable<void> {
    return this.notify('debug', context, eventType, payload);
  }
  /** Sends an `INFO` notification. */
  info(context: NotificationContext, eventType: string, payload: unknown): Observable<void> {
    return this.notify('info', context, eventType, payload);
  }
  /** Sends a `WARN` notification. */
  warn(context: NotificationContext, eventType: string, payload: unknown): Observable<void> {
    return this.notify('warn', context, eventType, payload);
  }
  /** Alias of {@link warn} (oslo sends `WARN` for both). */
  warning(context: NotificationContext, eventType: string, payload: unknown): Observable<void> {
    return this.notify('warn', context, eventType, payload);
  }
  /** Sends an `ERROR` notification. */
  error(context: NotificationContext, eventType: string, payload: unknown): Observable<void> {
    return this.notify('error', context, eventType, payload);
  }
  /** Sends a `CRITICAL` notification. */
  critical(context: NotificationContext, eventType: string, payload: unknown): Observable<void> {
    return this.notify('critical', context, eventType, payload);
  }
  /** Sends a `SAMPLE` notification. */
  sample(context: NotificationContext, eventType: string, payload: unknown): Observable<void> {
    return this.notify('sample', context, eventType, payload);
  }

  /** Sends a notification of `priority` to every topic. */
  notify(priority: Priority, context: NotificationContext, eventType: string, payload: unknown): Observable<void> {
    return defer(() => {
      const driver = this.options.driver ?? 'messagingv2';
      const topics = this.options.topics ?? ['notifications'];
      const { publisherId } = this.options;
      if (driver === 'noop') return of(undefined);
      if (driver === 'test' || driver === 'log') {
        for (const topic of topics) {
          const n: SentNotification = { topic, priority, publisherId, eventType, payload, context: sanitizeNotificationContext(context) };
          if (driver === 'test') this.sent.push(n);
          else {
            // oslo's log driver: the message dict as JSON, to logger oslo.messaging.notification.<event_type>
            const wire = NotificationBodyCodec.encode({ message: newNotificationMessage({ publisherId, eventType, priority, payload }), context: null, version: 1 });
            (this.options.logger ?? console.log)(`oslo.messaging.notification.${eventType} ${pythonJsonDumps(wire.request)}`);
          }
        }
        return of(undefined);
      }
      const message = newNotificationMessage({ publisherId, eventType, priority, payload });
      const body: NotificationBody = { message, context, version: driver === 'messaging' ? 1 : 2 };
      const o = this.transport.options;
      const sendTo = (topic: string) => {
        const span = startSendSpan('notify', eventType, `${topic}.${priority}`);
        return this.transport.deliver(
          (c) => {
            const to = addresserFor(this.transport, c).resolve(notificationTarget(topic, priority), 'notify');
            const rhea = buildNotificationMessage(body, { to, pythonExactJson: o.pythonExactJson });
            const message = this.options.durable ? { ...rhea, durable: true } : rhea;
            return { address: to, message: span ? span.inject(message) : message };
          },
          {
            preSettled: o.preSettled.includes('notify'),
            settlement: 'accepted',
            // RabbitMQ declares the queue durable from a durable attach (see the option)
            durableLink: o.durableNotificationQueues,
            timeoutMs: o.defaultNotifyTimeoutMs,
            retry: this.options.retry ?? -1,
            what: `notification ${eventType}`,
          },
        ).pipe(tracedBy(span));
      };
      return forkJoin(topics.map(sendTo)).pipe(map(() => undefined));
    });
  }
}
