/**
 * The shape RPC requests and notifications share on the wire.
 * @module
 */
import * as t from 'io-ts';
import { unwrapEnvelope } from './envelope';
import { JsonObject } from './json-codecs';

/** A body validated by {@link validateEnvelopedBody}: its outer fields and its inner dict. */
export interface EnvelopedBody<B, D> {
  /** The outer body (`{"request": ..., "context": ...}` and friends). */
  readonly body: B;
  /** The `"request"` dict, out of its oslo envelope if it had one. */
  readonly dict: D;
  /** True when the dict came in an oslo envelope (format 2). */
  readonly enveloped: boolean;
}

/**
 * Validates `{"request": <dict, or an oslo envelope holding it>, ...}`: the outer body with
 * `body`, the request (unwrapped) with `dict`. For use inside an io-ts `validate`.
 */
export function validateEnvelopedBody<B extends { readonly request: unknown }, D>(
  u: unknown,
  c: t.Context,
  body: t.Decoder<unknown, B>,
  dict: t.Decoder<unknown, D>,
): t.Validation<EnvelopedBody<B, D>> {
  if (!JsonObject.is(u)) return t.failure(u, c);
  const outer = body.validate(u, t.appendContext(c, '', body, u));
  if (outer._tag === 'Left') return outer;
  const raw = outer.right.request;
  const unwrapped = unwrapEnvelope(raw);
  if (unwrapped._tag === 'Left') return t.failure(raw, t.appendContext(c, 'request', dict, raw), unwrapped.left);
  const inner = unwrapped.right.message;
  if (!JsonObject.is(inner)) return t.failure(inner, t.appendContext(c, 'request', JsonObject, inner));
  const validated = dict.validate(inner, t.appendContext(c, 'request', dict, inner));
  if (validated._tag === 'Left') return validated;
  return t.success({ body: outer.right, dict: validated.right, enveloped: unwrapped.right.enveloped });
}

/**
 * The plain-check twin of {@link validateEnvelopedBody}: the same result for a body both
 * codecs accept (by their `is` checks), undefined for anything else. The fast path of the
 * decoders, which fall back to {@link validateEnvelopedBody} to explain a bad body.
 */
export function readEnvelopedBody<B extends { readonly request: unknown }, D>(
  u: unknown,
  body: { readonly is: t.Is<B> },
  dict: { readonly is: t.Is<D> },
): EnvelopedBody<B, D> | undefined {
  if (!body.is(u)) return undefined;
  const unwrapped = unwrapEnvelope(u.request);
  if (unwrapped._tag === 'Left') return undefined;
  const inner = unwrapped.right.message;
  return dict.is(inner) ? { body: u, dict: inner, enveloped: unwrapped.right.enveloped } : undefined;
}
