/** The oslo-rx transport a role uses, with the intermediary's addressing preset applied. */
import type { Transport } from '../../lib';
import { osloRx } from '../oslo-rx';
import type { RoleOptions } from '../role';
import { enableBenchTracing } from './bench-tracing';

const { addressingPresets, Transport: OsloTransport } = osloRx;

/**
 * A transport to `options.url` with `options.preset` spread in; counting nothing with
 * `counting: false` (an internal switch), and with tracing on in this process with `tracing`.
 */
export function benchTransport(options: RoleOptions): Transport {
  if (options.tracing) enableBenchTracing();
  return new OsloTransport(options.url, options.preset ? { ...addressingPresets[options.preset] } : {}, { counting: options.counting ?? true });
}
