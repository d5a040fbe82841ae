/**
 * A listening subscription: the embedded intermediary's listener serving a
 * {@link PeerInbox}, as an Observable of the messages peers send.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { Observable } from 'rxjs';
import type { IncomingDelivery } from '../amqp';
import { AddressPatterns } from '../embedded/address-patterns';
import { type AmqpListener, startAmqpListener } from '../embedded/amqp-listener';
import { resolveIntermediaryOptions } from '../embedded/intermediary-options';
import { StatsCounters } from '../embedded/intermediary-stats';
import { logger } from '../log';
import { ListenFailed } from './errors';
import type { ListenAddress } from './messenger-address';
import { PeerInbox } from './peer-inbox';

const log = logger('messenger');

/** Where a listening subscription listens, once it does. */
export interface Listening {
  /** The bound host. */
  readonly host: string;
  /** The bound port (the one picked for port 0). */
  readonly port: number;
  /** `amqp://host:port`: peers send to `${url}/any-node`. */
  readonly url: string;
}

/** Settings of {@link listenForPeers}. */
export interface ListenSettings {
  /** Unsettled messages allowed per incoming link. */
  readonly credit: number;
  /** How long stopping waits for a peer to answer its Close, in ms. */
  readonly closeGraceMs: number;
  /** Called once listening. */
  readonly onListening?: (listening: Listening) => void;
  /** Called with the promise of each stop, so the owner can wait for ports to be freed. */
  readonly onStop: (stopped: Promise<void>) => void;
}

/**
 * Listens on `address` when subscribed and emits every message peers send, to any
 * node (its `to` holds the node). Errors with {@link ListenFailed} when it cannot listen.
 * Unsubscribing releases what the application still holds, closes every accepted
 * connection and stops listening.
 */
export function listenForPeers(address: ListenAddress, settings: ListenSettings): Observable<IncomingDelivery> {
  return new Observable<IncomingDelivery>((subscriber) => {
    const where = `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
    const line = (text: string) => log('listener %s: %s', where, text);
    const inbox = new PeerInbox(settings.credit, (d) => subscriber.next(d));
    let options;
    try {
      options = resolveIntermediaryOptions({ mode: 'router', host: address.host, port: address.port, users: address.users, creditWindow: settings.credit, logger: line });
    } catch (e) {
      subscriber.error(e);
      return;
    }
    const patterns = new AddressPatterns(options);
    let listener: AmqpListener | undefined;
    let unsubscribed = false;
    const started = startAmqpListener({
      options,
      personality: inbox,
      patterns,
      openProperties: { product: 'oslo-rx-messenger' },
      containerId: `oslo-rx-messenger-${randomUUID()}`,
      stats: new StatsCounters(),
      log: line,
    }).then(
      (l) => {
        listener = l;
        if (unsubscribed) return;
        line(`listening on ${l.url}`);
        try {
          settings.onListening?.({ host: l.host, port: l.port, url: l.url });
        } catch (e) {
          subscriber.error(e);
        }
      },
      (e: unknown) => {
        if (!unsubscribed) subscriber.error(new ListenFailed(where, e));
      },
    );
    return () => {
      unsubscribed = true;
      settings.onStop(
        started.then(async () => {
          await listener?.stop(settings.closeGraceMs);
          line('stopped');
        }),
      );
    };
  });
}
