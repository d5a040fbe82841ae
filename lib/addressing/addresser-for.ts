/**
 * @module
 */
import type { AmqpConnection, MessagingTransport } from '../amqp';
import type { Addresser } from './addresser';
import { createAddresser } from './create-addresser';

const byConnection = new WeakMap<AmqpConnection, Addresser>();

/**
 * The addresser for `connection` of `transport`: the transport's addressing options, the
 * URL's vhost and, in `dynamic` mode, the peer's Open properties. Made once per connection.
 */
export function addresserFor(transport: Pick<MessagingTransport, 'options' | 'url'>, connection: AmqpConnection): Addresser {
  let addresser = byConnection.get(connection);
  if (!addresser) {
    addresser = createAddresser(transport.options, connection.remoteProperties, transport.url.virtualHost);
    byConnection.set(connection, addresser);
  }
  return addresser;
}
