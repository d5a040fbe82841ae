/**
 * The one choice of how message bodies are written: compact and fast (the default) or byte
 * for byte what Python's `json.dumps` writes.
 * @module
 */
import { fastJsonDumps } from './fast-json';
import { pythonJsonDumps } from './python-json';

/** How the JSON text of a message is written. */
export interface JsonEncodingOptions {
  /**
   * Write exactly the text Python's `json.dumps` writes (`", "` and `": "` separators,
   * see {@link pythonJsonDumps}) instead of the compact {@link fastJsonDumps} form (default
   * false). Python's `json.loads` reads both as the same value; the exact form costs
   * several times more CPU and is for peers that compare bodies byte for byte.
   */
  readonly pythonExactJson?: boolean;
}

/**
 * `value` as JSON text, the way `options` ask (see {@link JsonEncodingOptions}).
 * @throws TypeError on a circular structure or an unsupported `Map` key
 */
export function jsonDumps(value: unknown, options?: JsonEncodingOptions): string {
  return options?.pythonExactJson ? pythonJsonDumps(value) : fastJsonDumps(value);
}
