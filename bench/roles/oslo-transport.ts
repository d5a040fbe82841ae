/** The oslo-rx transport a role uses, with the intermediary's addressing preset applied. */
import type { Transport } from '../../lib';
import { osloRx } from '../oslo-rx';
import type { RoleOptions } from '../role';

const { addressingPresets, createTransport } = osloRx;

/** A transport to `options.url` with `options.preset` spread in. */
export function benchTransport(options: RoleOptions): Transport {
  return createTransport(options.url, options.preset ? { ...addressingPresets[options.preset] } : {});
}
