/**
 * JavaScript stacks written as Python tracebacks.
 * @module
 */

/** A V8 stack frame line: `at name (location)` or `at location`. */
const FRAME = /^\s*at (?:(.*?) \((.*)\)|(.*))$/;
/** The end of a frame location: `:line:column`. */
const LINE_COLUMN = /^(.*):(\d+):\d+$/;

/** At most this many frames cross the wire: the ones nearest the error, like V8's own default of 10, doubled. */
const MAX_FRAMES = 20;

/** The frames of `error`'s V8 stack as Python traceback entries, oldest call first. */
function pythonFrames(error: unknown): string[] {
  let stack: unknown;
  try {
    stack = (error as { stack?: unknown } | null)?.stack;
  } catch {
    return [];
  }
  if (typeof stack !== 'string') return [];
  const frames: string[] = [];
  for (const line of stack.split('\n')) {
    if (frames.length === MAX_FRAMES) break;
    const m = FRAME.exec(line);
    if (!m) continue;
    const name = m[1] ?? '<module>';
    const location = (m[2] ?? m[3] ?? '').trim();
    const lc = LINE_COLUMN.exec(location);
    frames.push(lc ? `  File "${lc[1]}", line ${lc[2]}, in ${name}\n` : `  File "${location}", in ${name}\n`);
  }
  return frames.reverse();
}

/**
 * A traceback in the form of Python's `traceback.format_exception`: a list of lines, each
 * ending in `"\n"`, that Python peers show as they show their own.
 *
 * ```text
 * Traceback (most recent call last):
 *   File "/srv/app/service.js", line 12, in Service.resize
 * ValueError: bad size
 * ```
 * Python also prints each frame's source line; these frames have none.
 *
 * @param error the error whose `stack` gives the frames (none: only `exceptionLine`)
 * @param exceptionLine the last line, `<qualified class>: <message>\n`
 */
export function pythonTraceback(error: unknown, exceptionLine: string): string[] {
  const frames = pythonFrames(error);
  return frames.length ? ['Traceback (most recent call last):\n', ...frames, exceptionLine] : [exceptionLine];
}
