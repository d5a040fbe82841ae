/**
 * @module
 */
import type { Observable } from 'rxjs';
import type { Message } from 'rhea-promise';
import type { AmqpOptions, TransportUrl } from '../config';
import type { AmqpConnection } from './amqp-connection';
import type { ConnectionState } from './connection-state';
import type { DeliveryOutcome } from './delivery-outcome';
import type { IncomingDelivery } from './incoming-delivery';
import type { ReceiverLink, ReceiverSpec } from './receiver-link';
import type { OutgoingBuilder, SendOptions } from './deliver';
import type { TransportCounters } from './metrics';

/**
 * What the RPC and notification layers need from a transport. `Transport` (from
 * `createTransport`) implements it; the layers depend on this shape only.
 */
export interface MessagingTransport {
  /** The parsed URL (redacted `toString()`). */
  readonly url: TransportUrl;
  /** The resolved options. */
  readonly options: AmqpOptions;
  /** Connection health. */
  readonly state$: Observable<ConnectionState>;
  /** The open connection, now and after every reconnect. */
  readonly connection$: Observable<AmqpConnection>;
  /** The open connection, once; errors with `TransportClosed` after `close()`. */
  nextConnection(): Observable<AmqpConnection>;
  /** The addressing syntax in use on a connection. */
  addressingFor(connection: AmqpConnection): 'legacy' | 'routable';
  /** Sends one message; emits its outcome (see `deliver.ts`). */
  send(address: string, message: Message, options?: SendOptions): Observable<DeliveryOutcome>;
  /** Sends what `build` makes for the connection it goes out on; emits its outcome (see `deliver.ts`). */
  deliver(build: OutgoingBuilder, options?: SendOptions): Observable<DeliveryOutcome>;
  /** Receiver links on every connection. */
  receiverLinks(spec: ReceiverSpec | ((connection: AmqpConnection) => ReceiverSpec)): Observable<ReceiverLink>;
  /** Deliveries from a source across reconnects. */
  receive(spec: ReceiverSpec | ((connection: AmqpConnection) => ReceiverSpec)): Observable<IncomingDelivery>;
  /** The transport's metrics counters, where it keeps them (`Transport` does). @internal */
  readonly counters?: TransportCounters;
  /** One instance per transport of something built on it. */
  shared<T>(key: symbol, create: () => T): T;
  /** Closes the transport. */
  close(options?: { drainMs?: number }): Promise<void>;
}
