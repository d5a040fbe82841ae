/**
 * The `dynamic` addressing rule.
 * @module
 */
import type { AddressingMode } from './addressing-options';
import type { AddressSyntax } from './addresser';

/** The `product` oslo assumes when the peer advertises none: it means a broker. */
const ASSUMED_PRODUCT = 'qpid-cpp';

/**
 * The address syntax to use on a connection. `legacy` and `routable` are used as they are;
 * `dynamic` gives legacy only when the peer's Open `product` property is `qpid-cpp` or absent,
 * and routable for anything else (ActiveMQ, RabbitMQ, qdrouterd...).
 *
 * As in oslo (`remote_properties.get('product', 'qpid-cpp')`), only a missing `product` counts
 * as `qpid-cpp`: a `product` present with a null value gives routable.
 *
 * @param mode the `addressingMode` option
 * @param remoteProperties the properties of the peer's Open frame (not the local ones)
 */
export function chooseAddressingMode(
  mode: AddressingMode,
  remoteProperties: Readonly<Record<string, unknown>> | undefined,
): AddressSyntax {
  if (mode !== 'dynamic') return mode;
  const props = remoteProperties ?? {};
  const product = Object.prototype.hasOwnProperty.call(props, 'product') && props.product !== undefined
    ? props.product
    : ASSUMED_PRODUCT;
  return product === ASSUMED_PRODUCT ? 'legacy' : 'routable';
}
