/**
 * The addresser of a connection.
 * @module
 */
import type { AddressingOptions } from './addressing-options';
import type { Addresser } from './addresser';
import { chooseAddressingMode } from './choose-addressing-mode';
import { legacyAddresser } from './legacy-addresser';
import { routableAddresser } from './routable-addresser';

/**
 * The addresser to use on a connection: the syntax from `chooseAddressingMode`, built
 * with the options and the transport URL's vhost (oslo does this on every connect).
 *
 * ```ts
 * const addresser = createAddresser(options, connection.remoteProperties, url.virtualHost);
 * const address = addresser.resolve(target, 'rpc');
 * ```
 * @param options the addressing options
 * @param remoteProperties the properties of the peer's Open frame
 * @param vhost the virtual host of the transport URL, if any
 */
export function createAddresser(
  options: AddressingOptions,
  remoteProperties: Readonly<Record<string, unknown>> | undefined,
  vhost?: string,
): Addresser {
  return chooseAddressingMode(options.addressingMode, remoteProperties) === 'legacy'
    ? legacyAddresser(options, vhost)
    : routableAddresser(options, vhost);
}
