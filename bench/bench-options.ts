/** The benchmark's command line (also what `oslo-rx bench` passes on). */
import { Command, InvalidArgumentError } from 'commander';

/** What one run measures and where its results go. */
export interface BenchOptions {
  readonly quick: boolean;
  /** Intermediaries the benchmark starts or attaches to, in order: `proton`, `embedded`, `rabbitmq`. */
  readonly intermediaries: readonly string[];
  /** One intermediary of the user's instead (`--url`). */
  readonly url?: string;
  readonly repetitions: number;
  readonly calls: number;
  /** Casts and notifications per repetition, whole batches of 100. */
  readonly messages: number;
  readonly warmup: number;
  /** Whether to measure oslo-rx memory (on the first intermediary). */
  readonly memory: boolean;
  readonly inFlightCalls: number;
  readonly soakCalls: number;
  /** The long heap run stops after the slice that passes this, so a loaded machine cannot stretch the run. */
  readonly soakMaxSeconds: number;
  /** Where the JSON and the chart go; RESULTS.md is regenerated only for the default. */
  readonly out?: string;
  /** First port of the range the benchmark's own intermediaries use. */
  readonly basePort: number;
}

function integer(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`not an integer of at least ${min}`);
    return n;
  };
}

/** Parses `argv` (as `process.argv`); prints help or a usage error and exits on bad input. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const o = new Command('npm run bench --')
    .description('oslo-rx beside raw rhea-promise and Python oslo.messaging, each client and server in its own process')
    .option('--quick', 'fewer calls, the Proton broker only: under 2 minutes', false)
    .option('--intermediaries <names>', 'comma-separated, of proton, embedded, rabbitmq (default: all; --quick: proton)')
    .option('--url <URL>', 'one intermediary of yours instead (memory figures only with --memory)')
    .option('--memory', 'with --url: measure oslo-rx memory there too')
    .option('--runs <N>', 'repetitions of each figure, the median is kept', integer(1), 3)
    .option('--calls <N>', 'RPC calls per repetition at 1 in flight, twice as many at 10 and 100 (default 1000; --quick 200)', integer(1))
    .option('--notifications <N>', 'casts and notifications per repetition, rounded up to a multiple of 100 (default 2000; --quick 500)', integer(1))
    .option('--out <DIR>', 'where the results go (default: bench/results, and bench/RESULTS.md is regenerated)')
    .option('--base-port <N>', 'first port for the intermediaries the benchmark starts', integer(1), 27900)
    .parse(argv)
    .opts<{ quick: boolean; intermediaries?: string; url?: string; memory?: boolean; runs: number; calls?: number; notifications?: number; out?: string; basePort: number }>();
  const quick = o.quick;
  const calls = o.calls ?? (quick ? 200 : 1000);
  const names = o.intermediaries ?? (quick ? 'proton' : 'proton,embedded,rabbitmq');
  return {
    quick,
    intermediaries: names.split(',').map((s) => s.trim()).filter(Boolean),
    url: o.url,
    repetitions: o.runs,
    calls,
    messages: Math.ceil((o.notifications ?? (quick ? 500 : 2000)) / 100) * 100,
    // enough calls for V8 to optimise the hot paths of every contender before anything counts
    warmup: Math.min(calls * 2, quick ? 1000 : 2000),
    memory: o.url === undefined || o.memory === true,
    inFlightCalls: quick ? 1000 : 10_000,
    soakCalls: quick ? 5000 : 200_000,
    soakMaxSeconds: quick ? 15 : 150,
    out: o.out,
    basePort: o.basePort,
  };
}
