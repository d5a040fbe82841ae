/**
 * From io-ts decode errors to {@link InvalidMessage}.
 * @module
 */
import { type Either, left, right } from 'fp-ts/Either';
import * as t from 'io-ts';
import { InvalidMessage } from './errors';

/** A short name for the kind of a value, never the value itself (bodies may hold secrets). */
function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Where an error is (dotted path from the root), and what was expected there. */
function describe(error: t.ValidationError): string {
  const keys: string[] = [];
  let expected = error.context[error.context.length - 1]?.type.name ?? 'a value';
  let actual = error.value;
  for (let i = 1; i < error.context.length; i++) {
    const parent = error.context[i - 1]!.type;
    const entry = error.context[i]!;
    if (parent instanceof t.UnionType) {
      // report a union as a whole, not each member's failure
      expected = parent.name;
      actual = error.context[i - 1]!.actual;
      break;
    }
    if (entry.key !== '' && !(parent instanceof t.IntersectionType)) keys.push(entry.key);
  }
  const where = keys.length ? keys.join('.') : 'body';
  return error.message ? `${where}: ${error.message}` : `${where}: expected ${expected}, got ${kindOf(actual)}`;
}

/**
 * Decodes `value` with `codec`, turning failures into one {@link InvalidMessage} whose reason
 * lists where the value is wrong (`what` names the message kind, e.g. `RPC request`).
 * Never throws.
 */
export function decodeWith<A>(codec: t.Decoder<unknown, A>, value: unknown, what: string): Either<InvalidMessage, A> {
  let result: t.Validation<A>;
  try {
    result = codec.decode(value);
  } catch (e) {
    return left(new InvalidMessage(`${what}: cannot be decoded`, { cause: e }));
  }
  if (result._tag === 'Right') return right(result.right);
  const reasons = [...new Set(result.left.map(describe))];
  const shown = reasons.slice(0, 3).join('; ') + (reasons.length > 3 ? `; and ${reasons.length - 3} more` : '');
  return left(new InvalidMessage(`${what}: ${shown}`));
}
