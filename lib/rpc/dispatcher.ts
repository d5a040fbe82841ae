/**
 * oslo's dispatch rule: which endpoint method serves a request.
 * @module
 */
import { type VersionParts, partsAreCompatible, versionParts } from '../wire';
import { InvalidTarget, NoSuchMethod, UnsupportedVersion } from './errors';
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

/** What a request asks of the dispatcher. */
type Wanted = Pick<RpcRequestFields, 'method' | 'namespace' | 'version'>;

/** Distinct requested versions remembered per namespace (more are still served, just not remembered). */
const MAX_REMEMBERED_VERSIONS = 64;

const NONE: readonly object[] = [];

/** The endpoints serving one namespace, in their order, and which of them serve each version asked for. */
interface NamespaceEntry {
  readonly endpoints: { readonly endpoint: object; readonly version: VersionParts }[];
  readonly byVersion: Map<string, readonly object[]>;
}

/**
 * oslo's dispatch rule over a fixed list of endpoints, read once: each endpoint's `target`
 * (namespace, legacy namespaces, version) is read and parsed when the table is made, and
 * the endpoints compatible with each (namespace, requested version) are remembered, so a
 * request costs two map lookups and a property read per candidate endpoint.
 *
 * What is looked up per request: the method itself (a property read, so methods on a
 * class's prototype, inherited ones, and ones added or replaced later, such as test stubs,
 * are all seen) and the access policy, which is called with `(endpoint, method)` for every
 * request as oslo does (so a policy need not be pure; the default is a prefix test). A
 * `target` changed after the table is made is not seen.
 */
export class EndpointTable {
  private readonly namespaces = new Map<string | undefined, NamespaceEntry>();

  /**
   * @param endpoints the endpoints, in the order they are tried
   * @param policy which methods may be called (default {@link defaultAccessPolicy})
   * @throws InvalidTarget when an endpoint's `target` has a namespace, version or legacy namespaces of the wrong type
   */
  constructor(
    endpoints: readonly object[],
    private readonly policy: AccessPolicy = defaultAccessPolicy,
  ) {
    for (const endpoint of endpoints) {
      const target = endpointTarget(endpoint);
      const version = versionParts(target.version ?? '1.0');
      for (const namespace of new Set([target.namespace, ...(target.legacyNamespaces ?? [])])) {
        let entry = this.namespaces.get(namespace);
        if (!entry) this.namespaces.set(namespace, (entry = { endpoints: [], byVersion: new Map() }));
        entry.endpoints.push({ endpoint, version });
      }
    }
  }

  /**
   * The endpoint whose method serves `request`: the first endpoint whose namespace matches,
   * whose version is compatible (same major, minor not above) and that has the method the
   * policy allows.
   * @throws NoSuchMethod when a compatible endpoint exists but none has the method, UnsupportedVersion when none is compatible
   */
  endpointFor(request: Wanted): object {
    const version = request.version ?? '1.0';
    const candidates = this.compatible(request.namespace, version);
    const method = request.method;
    if (!NEVER_CALLABLE.has(method)) {
      for (const endpoint of candidates) {
        if (typeof (endpoint as Record<string, unknown>)[method] === 'function' && this.policy(endpoint, method)) return endpoint;
      }
    }
    if (candidates.length > 0) throw new NoSuchMethod(method);
    throw new UnsupportedVersion(version, method);
  }

  /** The endpoints of `namespace` that can serve `version`, in order (remembered per version). */
  private compatible(namespace: string | undefined, version: string): readonly object[] {
    const entry = this.namespaces.get(namespace);
    if (!entry) return NONE;
    const known = entry.byVersion.get(version);
    if (known) return known;
    const requested = versionParts(version);
    const found = entry.endpoints.filter((e) => partsAreCompatible(e.version, requested)).map((e) => e.endpoint);
    if (entry.byVersion.size < MAX_REMEMBERED_VERSIONS) entry.byVersion.set(version, found);
    return found;
  }
}

/** Calls `method` of `endpoint` (one {@link EndpointTable.endpointFor} returned) with its `this`. */
export function callEndpoint(endpoint: object, method: string, context: unknown, args: unknown): unknown {
  return ((endpoint as Record<string, unknown>)[method] as (c: unknown, a: unknown) => unknown).call(endpoint, context, args);
}

function endpointTarget(endpoint: object): EndpointTarget {
  const target = (endpoint as Endpoint).target ?? {};
  const optionalString = (v: unknown) => v === undefined || typeof v === 'string';
  const legacy = target.legacyNamespaces;
  if (!optionalString(target.namespace) || !optionalString(target.version) || (legacy !== undefined && !(Array.isArray(legacy) && legacy.every((n) => typeof n === 'string')))) {
    throw new InvalidTarget('an endpoint target wants a string namespace and version and an array of string legacyNamespaces', target);
  }
  return target;
}

/**
 * The endpoint method that serves `request`, per oslo's dispatcher (see
 * {@link EndpointTable.endpointFor}), bound to its endpoint. For many requests, make an
 * {@link EndpointTable} once instead.
 * @throws NoSuchMethod when a compatible endpoint exists but none has the method, UnsupportedVersion when none is compatible
 */
export function findEndpointMethod(endpoints: readonly object[], request: Wanted, policy: AccessPolicy = defaultAccessPolicy): EndpointMethod {
  const endpoint = new EndpointTable(endpoints, policy).endpointFor(request);
  return (context, args) => callEndpoint(endpoint, request.method, context, args);
}
