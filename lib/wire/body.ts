/**
 * Message bodies: JSON text in an AMQP string, as oslo's AMQP 1.0 driver sends them.
 * @module
 */
import { type Either, left, right } from 'fp-ts/Either';
import { message as rheaMessage } from 'rhea-promise';
import { InvalidMessage } from './errors';
import { type JsonEncodingOptions, jsonDumps } from './json-dumps';
import { jsonLoads } from './python-json';

/** Section code of an AMQP `data` section (rhea's body `Section.typecode`). */
const DATA_SECTION = 0x75;
/** Section code of an AMQP `amqp-sequence` section. */
const SEQUENCE_SECTION = 0x76;
/** rhea's class for data and sequence body sections (not exported by rhea, so taken from an instance). */
const SectionClass = (rheaMessage.data_section(Buffer.alloc(0)) as object).constructor;
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A rhea body section (data or sequence), as rhea decodes it. */
interface RheaSection {
  readonly typecode: number;
  readonly content: unknown;
  readonly multiple?: boolean;
}

function isSection(body: object): body is RheaSection {
  return body.constructor === SectionClass;
}

/**
 * A body that makes rhea write no body section at all (rhea otherwise writes an `amqp-value`
 * null for a missing body). oslo's RPC heartbeats carry no body section.
 */
export const NO_BODY: object = Object.freeze({ collect_sections(): void { /* no section */ } });

/**
 * The rhea message body for `value`: JSON text that Python's `json.loads` reads as the value
 * (compact, or with `pythonExactJson` exactly what Python's `json.dumps` writes), which rhea
 * sends as one `amqp-value` section holding an AMQP string (what oslo sends).
 * @throws TypeError on a circular structure (see {@link jsonDumps})
 */
export function encodeBody(value: unknown, options?: JsonEncodingOptions): string {
  return jsonDumps(value, options);
}

function utf8(bytes: Uint8Array, what: string): Either<InvalidMessage, string> {
  try {
    return right(UTF8.decode(bytes));
  } catch (e) {
    return left(new InvalidMessage(`${what} is not valid UTF-8`, { cause: e }));
  }
}

function describeBody(body: unknown): string {
  if (body === undefined) return 'the message has no body';
  if (body === null) return 'the body is an AMQP null';
  if (Array.isArray(body)) return 'the body is an AMQP list';
  if (typeof body === 'object') {
    if (isSection(body) && body.typecode === SEQUENCE_SECTION) return 'the body is an amqp-sequence section';
    return 'the body is an AMQP map';
  }
  return `the body is an AMQP ${typeof body === 'number' || typeof body === 'bigint' ? 'number' : typeof body}`;
}

/**
 * The JSON text of a received rhea body: an `amqp-value` string (what oslo sends), an
 * `amqp-value` binary or one or more `data` sections holding UTF-8 JSON (what oslo accepts).
 */
export function bodyText(body: unknown): Either<InvalidMessage, string> {
  if (typeof body === 'string') return right(body);
  if (body instanceof Uint8Array) return utf8(body, 'the binary body');
  if (typeof body === 'object' && body !== null && isSection(body) && body.typecode === DATA_SECTION) {
    const parts = body.multiple ? body.content : [body.content];
    if (Array.isArray(parts) && parts.every((p) => p instanceof Uint8Array)) {
      return utf8(Buffer.concat(parts as Uint8Array[]), 'the data section');
    }
  }
  return left(new InvalidMessage(`${describeBody(body)}; expected an AMQP string or a data section holding JSON text`));
}

/**
 * Parses a received rhea body into the JSON value it carries (see {@link bodyText} for the
 * accepted sections), reading Python's `NaN` and `Infinity` too. Never throws: anything else
 * (an AMQP map, a number, no body, text that is not JSON) is a `Left` saying what was wrong.
 */
export function decodeBody(body: unknown): Either<InvalidMessage, unknown> {
  const text = bodyText(body);
  return text._tag === 'Left' ? text : parseBodyText(text.right);
}

/**
 * Parses the JSON text of a body (as {@link bodyText} gives it), reading Python's `NaN` and
 * `Infinity` too. Never throws: text that is not JSON is a `Left` saying where.
 */
export function parseBodyText(text: string): Either<InvalidMessage, unknown> {
  try {
    return right(jsonLoads(text));
  } catch (e) {
    const why = e instanceof SyntaxError ? `: ${e.message}` : '';
    return left(new InvalidMessage(`the body is not valid JSON${why}`, { cause: e }));
  }
}
