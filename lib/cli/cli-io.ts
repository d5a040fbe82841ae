/**
 * What every `oslo-rx` subcommand is: a function of its arguments and its output streams.
 * @module
 */

/** Something text can be written to (`process.stdout` is one). */
export interface TextSink {
  /** Writes `text` as it is (callers end lines with `\n`). */
  write(text: string): unknown;
  /** True when it is a terminal (`process.stderr.isTTY`): progress bars and pretty output need one. */
  readonly isTTY?: boolean;
}

/**
 * Where a command writes, and what stops it. stdout carries the command's data (a call's
 * result, the notifications heard, the broker's URL, the requests served); stderr carries
 * status lines, errors and usage.
 */
export interface CliIo {
  /** The command's data. */
  readonly stdout: TextSink;
  /** Status lines, errors and usage. */
  readonly stderr: TextSink;
  /**
   * Stops a long-running command (`broker`, `serve`, `listen`) as SIGINT or SIGTERM do,
   * which they also obey. For running commands in-process.
   */
  readonly signal?: AbortSignal;
}

/** The exit codes of `oslo-rx`. */
export const ExitCode = Object.freeze({
  /** Done. */
  ok: 0,
  /** Failed: a remote error, a refused message, a connection that failed for good. */
  failure: 1,
  /** No reply or no acknowledgement in time (`MessagingTimeout`). */
  timeout: 2,
  /** Bad command line (sysexits' `EX_USAGE`). */
  usage: 64,
  /** What the command needs is not there, e.g. `bench` outside a checkout (sysexits' `EX_UNAVAILABLE`). */
  unavailable: 69,
} as const);
