/** The oslo-rx transport a role uses, with the intermediary's addressing preset applied. */
import { type Transport, addressingPresets, createTransport } from '../../lib';
import type { RoleOptions } from '../role';

/** A transport to `options.url` with `options.preset` spread in. */
export function benchTransport(options: RoleOptions): Transport {
  return createTransport(options.url, options.preset ? { ...addressingPresets[options.preset] } : {});
}
