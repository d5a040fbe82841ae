/**
 * `--config KEY VALUE` / `--config KEY=VALUE`: AMQP options by oslo's names, as oslo's
 * own sample client and server take them.
 * @module
 */
import { type AmqpOptions, InvalidOption, optionNamed, optionsFromText } from '../config';
import { UsageError } from './usage-error';

/** oslo's sample tools prefix the `[oslo_messaging_amqp]` options with this. */
const AMQP_PREFIX = 'amqp_';

/**
 * Rewrites `--config KEY VALUE` as `--config KEY=VALUE`, so the option takes one value
 * either way; arguments after `--` are left alone.
 */
export function joinConfigPairs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return [...out, ...argv.slice(i)];
    const key = argv[i + 1];
    const value = argv[i + 2];
    if (arg === '--config' && key !== undefined && !key.includes('=') && !key.startsWith('-') && value !== undefined) {
      out.push(arg, `${key}=${value}`);
      i += 2;
    } else out.push(arg);
  }
  return out;
}

/** The oslo name `key` stands for: itself, or itself without `amqp_`; undefined when neither is an option. */
function osloName(key: string): string | undefined {
  if (optionNamed(key)) return key;
  const bare = key.startsWith(AMQP_PREFIX) ? key.slice(AMQP_PREFIX.length) : undefined;
  return bare !== undefined && optionNamed(bare) ? bare : undefined;
}

/**
 * The AMQP options `--config` gives, in TypeScript names and units.
 *
 * @param pairs each `KEY=VALUE` as given
 * @throws UsageError naming the key, for a pair without `=`, an unknown key (its value is
 *   not shown: it may be a misspelt password) or a bad value
 */
export function configOptions(pairs: readonly string[]): Partial<AmqpOptions> {
  const entries = pairs.map((pair): [string, string] => {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--config expects KEY VALUE or KEY=VALUE, got "${pair}"`);
    const key = pair.slice(0, eq);
    const name = osloName(key);
    if (name === undefined) throw new UsageError(`--config: unknown AMQP option "${key}" (oslo's names, e.g. idle_timeout or amqp_idle_timeout)`);
    return [name, pair.slice(eq + 1)];
  });
  try {
    return optionsFromText(entries);
  } catch (e) {
    if (e instanceof InvalidOption) throw new UsageError(`--config: ${e.message}`);
    throw e;
  }
}
