/**
 * oslo's failure format: how an exception crosses the wire in an RPC reply.
 * @module
 */
import { type Either, left, right } from 'fp-ts/Either';
import * as t from 'io-ts';
import { decodeWith } from './decode-with';
import { InvalidMessage } from './errors';
import { jsonLoads, pythonJsonDumps } from './python-json';
import { pythonTraceback } from './traceback';

/**
 * Optional fields an error can carry to say which Python exception it stands for. A Python
 * peer that allows the module (`allowed_remote_exmods`, or `builtins`) rebuilds the exception
 * as `pythonClass(*pythonArgs, **pythonKwargs)`; any other gets a `RemoteError`.
 *
 * ```ts
 * throw Object.assign(new Error('bad size'), { pythonClass: 'ValueError', pythonModule: 'builtins' });
 * ```
 */
export interface PythonExceptionInfo {
  /** The Python class name (default: the error's `name`). */
  readonly pythonClass?: string;
  /** The Python module of the class (default `oslo_rx`). */
  readonly pythonModule?: string;
  /** The exception's `args` (default: `[message]`, or `[]` for an empty message). */
  readonly pythonArgs?: readonly unknown[];
  /** The exception's `kwargs` (default `{}`). */
  readonly pythonKwargs?: Readonly<Record<string, unknown>>;
  /** Traceback lines, each ending in `"\n"` (default: the error's stack, see {@link pythonTraceback}). */
  readonly pythonTraceback?: readonly string[];
}

/** The module named in failures of errors that name none. */
export const DEFAULT_FAILURE_MODULE = 'oslo_rx';

/** The suffix oslo gives classes and modules of exceptions rebuilt from a failure. */
const REMOTE_SUFFIX = '_Remote';
/** Python 2's name of the builtins module, still read by oslo. */
const PY2_BUILTINS = 'exceptions';

/** An exception as oslo's failure dict describes it. */
export interface FailureInfo {
  /** `class`: the exception's class name. */
  readonly className: string;
  /** `module`: the class's module (`builtins` for Python's own exceptions). */
  readonly module: string;
  /** `message`: `str(exception)`. */
  readonly message: string;
  /** `tb`: the formatted traceback, lines ending in `"\n"`. */
  readonly traceback: readonly string[];
  /** `args`: the exception's args. */
  readonly args: readonly unknown[];
  /** `kwargs`: the exception's kwargs (oslo's own exceptions keep them). */
  readonly kwargs: Readonly<Record<string, unknown>>;
}

function field<T>(error: unknown, key: keyof PythonExceptionInfo | 'name' | 'message', guard: (v: unknown) => v is T): T | undefined {
  try {
    const v = (error as Record<string, unknown> | null | undefined)?.[key];
    return guard(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
const isString = (v: unknown): v is string => typeof v === 'string';
const isArray = (v: unknown): v is readonly unknown[] => Array.isArray(v);
const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> => typeof v === 'object' && v !== null && !Array.isArray(v);

function messageOf(error: unknown): string {
  if (error instanceof Error) return field(error, 'message', isString) ?? '';
  try {
    return String(error);
  } catch {
    return '';
  }
}

/**
 * The failure info of `error`: its {@link PythonExceptionInfo} fields where present, otherwise
 * class = the error's `name`, module `oslo_rx`, args `[message]`,
 * kwargs `{}`, traceback from its stack. As in oslo, a class and module that both end in
 * `_Remote` (an exception rebuilt from another failure) lose that suffix.
 */
export function failureFromError(error: unknown): FailureInfo {
  const message = messageOf(error);
  let className = field(error, 'pythonClass', isString) ?? field(error, 'name', isString) ?? 'Error';
  let module = field(error, 'pythonModule', isString) ?? DEFAULT_FAILURE_MODULE;
  if (className.endsWith(REMOTE_SUFFIX) && module.endsWith(REMOTE_SUFFIX)) {
    className = className.slice(0, -REMOTE_SUFFIX.length);
    module = module.slice(0, -REMOTE_SUFFIX.length);
  }
  const qualified = module === 'builtins' || module === '__main__' ? className : `${module}.${className}`;
  const traceback = field(error, 'pythonTraceback', isArray)?.map(String) ??
    pythonTraceback(error, message ? `${qualified}: ${message}\n` : `${qualified}\n`);
  return {
    className,
    module,
    message,
    traceback,
    args: field(error, 'pythonArgs', isArray) ?? (message ? [message] : []),
    kwargs: field(error, 'pythonKwargs', isRecord) ?? {},
  };
}

/**
 * The failure string oslo puts in a reply's `"failure"`: the failure dict as JSON text, keys
 * in oslo's order (`class`, `module`, `message`, `tb`, `args`, `kwargs`), always in Python's
 * exact `json.dumps` form (failures are rare; the reply around it follows `pythonExactJson`).
 * Never throws: args or kwargs that cannot be written as JSON are replaced by `[message]` and `{}`.
 */
export function serializeFailure(info: FailureInfo): string {
  const dict = (args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): string => pythonJsonDumps({
    class: info.className, module: info.module, message: info.message, tb: info.traceback, args, kwargs,
  });
  try {
    return dict(info.args, info.kwargs);
  } catch {
    return dict(info.message ? [info.message] : [], {});
  }
}

const FailureDict = t.intersection([
  t.type({ class: t.string, module: t.string }),
  t.partial({ message: t.string, tb: t.array(t.string), args: t.UnknownArray, kwargs: t.UnknownRecord }),
], 'FailureDict');
type FailureDictWire = t.TypeOf<typeof FailureDict>;

/**
 * Reads a failure string (a reply's `"failure"`). As oslo does, a missing message, traceback,
 * args or kwargs default to `""`, `[]`, `[]` and `{}`, and module `exceptions` (Python 2)
 * reads as `builtins`. Never throws: text that is not a failure dict is a `Left`.
 */
export function parseFailure(text: string): Either<InvalidMessage, FailureInfo> {
  let value: unknown;
  try {
    value = jsonLoads(text);
  } catch (e) {
    return left(new InvalidMessage(`RPC failure: not valid JSON${e instanceof SyntaxError ? `: ${e.message}` : ''}`, { cause: e }));
  }
  let d: FailureDictWire;
  // the codec's plain check first; its decoder only to say what is wrong
  if (FailureDict.is(value)) d = value;
  else {
    const decoded = decodeWith(FailureDict, value, 'RPC failure');
    if (decoded._tag === 'Left') return decoded;
    d = decoded.right;
  }
  return right({
    className: d.class,
    module: d.module === PY2_BUILTINS ? 'builtins' : d.module,
    message: d.message ?? '',
    traceback: d.tb ?? [],
    args: d.args ?? [],
    kwargs: d.kwargs ?? {},
  });
}
