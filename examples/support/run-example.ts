/**
 * How every example starts and ends: `--url URL` picks an intermediary, else an embedded
 * broker starts in the process; the example's body gets the URL; the process exits 0 when
 * the body resolves and 1 when it throws, after the embedded broker stops.
 */
import { parseArgs } from 'node:util';
import { type EmbeddedIntermediary, startEmbeddedIntermediary } from '../../lib/testing';

/** What an example's body is given. */
export interface ExampleContext {
  /** The transport URL to use. */
  readonly url: string;
  /** The embedded broker, when no --url was given (the reconnect example stops and restarts it). */
  readonly embedded?: EmbeddedIntermediary;
  /** The example's own options, as strings. */
  readonly options: Readonly<Record<string, string | undefined>>;
}

/**
 * Runs `body` on the intermediary the command line names.
 *
 * @param options the example's own string options (besides --url), with their defaults
 */
export function runExample(body: (context: ExampleContext) => Promise<void>, options: Record<string, string> = {}): void {
  const { values } = parseArgs({
    options: { url: { type: 'string' }, ...Object.fromEntries(Object.entries(options).map(([name, value]) => [name, { type: 'string' as const, default: value }])) },
  });
  const main = async () => {
    const embedded = values.url ? undefined : await startEmbeddedIntermediary({ mode: 'broker' });
    try {
      await body({ url: values.url ?? embedded!.url, embedded, options: values as Record<string, string | undefined> });
    } finally {
      await embedded?.stop();
    }
  };
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
