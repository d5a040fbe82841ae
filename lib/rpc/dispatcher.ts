/**
 * oslo's dispatch rule: which endpoint method serves a request.
 * @module
 */
import { versionIsCompatible } from '../wire';
import { NoSuchMethod, UnsupportedVersion } from './errors';
import type { RpcRequestFields } from './incoming-request';

/** What an endpoint serves: its namespace and the version it implements. */
export interface EndpointTarget {
  /** The namespace; requests for another namespace skip this endpoint. Default: none. */
  readonly namespace?: string;
  /** The version implemented (`major.minor`); default `1.0`. */
  readonly version?: string;
  /** Further namespaces the endpoint answers to (oslo's `legacy_namespaces`). */
  readonly legacyNamespaces?: readonly string[];
}

/**
 * What an RPC endpoint may declare: a plain object or class instance whose methods are
 * called as `method(context, args)` and return a value, a Promise or an Observable, with an
 * optional `target`; `dispatch` takes any objects and reads `target` when present.
 */
export interface Endpoint {
  /** The namespace and version this endpoint serves. */
  readonly target?: EndpointTarget;
}

/** Decides whether `method` of `endpoint` may be called remotely (oslo's access policy). */
export type AccessPolicy = (endpoint: object, method: string) => boolean;

const NEVER_CALLABLE = new Set(['constructor', 'target', ...Object.getOwnPropertyNames(Object.prototype)]);

/** oslo's default policy: every public method; names starting with `_` are never callable. */
export const defaultAccessPolicy: AccessPolicy = (_endpoint, method) => !method.startsWith('_');

/** A method found for a request, bound to its endpoint. */
export type EndpointMethod = (context: unknown, args: unknown) => unknown;

/**
 * The endpoint method that serves `request`, per oslo's dispatcher: the first endpoint
 * whose namespace matches and whose version is compatible (same major, minor not above)
 * and that has the method the policy allows. Throws {@link NoSuchMethod} when a compatible
 * endpoint exists but none has the method, {@link UnsupportedVersion} when none is compatible.
 */
export function findEndpointMethod(
  endpoints: readonly object[],
  request: Pick<RpcRequestFields, 'method' | 'namespace' | 'version'>,
  policy: AccessPolicy = defaultAccessPolicy,
): EndpointMethod {
  const version = request.version ?? '1.0';
  let foundCompatible = false;
  for (const endpoint of endpoints) {
    const target = (endpoint as Endpoint).target ?? {};
    const namespaces = [target.namespace, ...(target.legacyNamespaces ?? [])];
    if (!namespaces.includes(request.namespace)) continue;
    if (!versionIsCompatible(target.version ?? '1.0', version)) continue;
    const fn = NEVER_CALLABLE.has(request.method) ? undefined : (endpoint as Record<string, unknown>)[request.method];
    if (typeof fn === 'function' && policy(endpoint, request.method)) {
      return (context, args) => (fn as (c: unknown, a: unknown) => unknown).call(endpoint, context, args);
    }
    foundCompatible = true;
  }
  if (foundCompatible) throw new NoSuchMethod(request.method);
  throw new UnsupportedVersion(version, request.method);
}
