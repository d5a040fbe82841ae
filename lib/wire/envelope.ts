/**
 * oslo's message envelope (format 2.0), used by `messagingv2` notifications.
 * @module
 */
import { type Either, left, right } from 'fp-ts/Either';
import { type JsonEncodingOptions, jsonDumps } from './json-dumps';
import { jsonLoads } from './python-json';
import { versionIsCompatible } from './version';

/** The envelope version oslo writes. */
export const ENVELOPE_VERSION = '2.0';
const VERSION_KEY = 'oslo.version';
const MESSAGE_KEY = 'oslo.message';

/** oslo's envelope: the version and the message as JSON text. */
export interface Envelope {
  /** `oslo.version`: always `2.0` when written. */
  readonly 'oslo.version': string;
  /** `oslo.message`: the enveloped message as JSON text. */
  readonly 'oslo.message': string;
}

/**
 * `message` in oslo's envelope (`serialize_msg`): `{"oslo.version": "2.0", "oslo.message": "<json>"}`,
 * the inner JSON written as `options` ask (see {@link jsonDumps}).
 */
export function wrapEnvelope(message: unknown, options?: JsonEncodingOptions): Envelope {
  return { [VERSION_KEY]: ENVELOPE_VERSION, [MESSAGE_KEY]: jsonDumps(message, options) } as Envelope;
}

/** The result of {@link unwrapEnvelope}: the message and whether it was enveloped. */
export interface Unwrapped {
  /** The message, unwrapped if it was in an envelope. */
  readonly message: unknown;
  /** True when `message` came out of an envelope. */
  readonly enveloped: boolean;
}

/**
 * oslo's `deserialize_msg`: a dict holding both envelope keys is an envelope, whose version
 * must be compatible with 2.0 and whose message is parsed; anything else is returned as it is.
 * Returns a `Left` with the reason when an envelope is unusable; never throws.
 */
export function unwrapEnvelope(value: unknown): Either<string, Unwrapped> {
  const has = (key: string): boolean => Object.prototype.hasOwnProperty.call(value, key);
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !has(VERSION_KEY) || !has(MESSAGE_KEY)) {
    return right({ message: value, enveloped: false });
  }
  const { [VERSION_KEY]: version, [MESSAGE_KEY]: text } = value as Record<string, unknown>;
  if (typeof version !== 'string' || !versionIsCompatible(ENVELOPE_VERSION, version)) {
    return left(`unsupported oslo envelope version (expected one compatible with ${ENVELOPE_VERSION})`);
  }
  if (typeof text !== 'string') return left(`the envelope's ${MESSAGE_KEY} is not a string`);
  try {
    return right({ message: jsonLoads(text), enveloped: true });
  } catch (e) {
    return left(`the envelope's ${MESSAGE_KEY} is not valid JSON${e instanceof SyntaxError ? `: ${e.message}` : ''}`);
  }
}
