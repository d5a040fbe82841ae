/**
 * @module
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './usage-error';

/**
 * `node:util`'s `parseArgs`, strict, with its errors turned into {@link UsageError}.
 *
 * @param argv the arguments after the subcommand's name
 * @param config the options, and whether positionals are allowed
 */
export function parseCommandLine<T extends Omit<ParseArgsConfig, 'args' | 'strict'>>(
  argv: readonly string[],
  config: T,
): ReturnType<typeof parseArgs<T & { args: string[]; strict: true }>> {
  try {
    return parseArgs({ ...config, args: [...argv], strict: true as const });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}
