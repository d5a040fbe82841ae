/**
 * Where a message goes and what a server listens to.
 * @module
 */
import { InvalidTarget } from './errors';

/** The fields of a {@link Target}; a plain object with these works wherever a Target does. */
export interface TargetFields {
  /** The exchange (scope of topics); default: the `controlExchange` option (`openstack`). */
  readonly exchange?: string;
  /** The topic: the name of the service. Required for clients and servers. */
  readonly topic?: string;
  /** A server name: a client sends to that one server; a server listens under it. */
  readonly server?: string;
  /** Client only: send to every server of the topic (casts only). */
  readonly fanout?: boolean;
  /** The endpoint namespace a request is meant for. */
  readonly namespace?: string;
  /** The API version (`major.minor`) a request needs, or an endpoint implements. */
  readonly version?: string;
  /** Endpoint only: further namespaces the endpoint also answers to. */
  readonly legacyNamespaces?: readonly string[];
}

/**
 * oslo's Target: the destination of a client's messages, or what a server listens to.
 *
 * ```ts
 * const target = new Target({ topic: 'compute', server: 'host-1', version: '1.2' });
 * ```
 */
export class Target implements TargetFields {
  /** @inheritDoc */
  declare readonly exchange?: string;
  /** @inheritDoc */
  declare readonly topic?: string;
  /** @inheritDoc */
  declare readonly server?: string;
  /** @inheritDoc */
  declare readonly fanout?: boolean;
  /** @inheritDoc */
  declare readonly namespace?: string;
  /** @inheritDoc */
  declare readonly version?: string;
  /** @inheritDoc */
  declare readonly legacyNamespaces?: readonly string[];

  /** @param fields the target's fields */
  constructor(fields: TargetFields = {}) {
    for (const [k, v] of Object.entries(fields)) {
      if (v !== undefined && v !== null) (this as Record<string, unknown>)[k] = v;
    }
    Object.freeze(this);
  }

  /** A copy with `overrides` applied (undefined values keep the current field). */
  with(overrides: TargetFields): Target {
    return new Target({ ...this, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) });
  }

  /** A readable form for logs and errors, e.g. `Target(topic=compute, server=host-1)`. */
  toString(): string {
    const parts = Object.entries(this).map(([k, v]) => `${k}=${String(v)}`);
    return `Target(${parts.join(', ')})`;
  }
}

const VERSION = /^\d+\.\d+(\.\d+)?$/;

function checkCommon(t: TargetFields): void {
  for (const k of ['exchange', 'topic', 'server', 'namespace', 'version'] as const) {
    const v = t[k];
    if (v !== undefined && typeof v !== 'string') throw new InvalidTarget(`${k} must be a string`, t);
  }
  if (t.fanout !== undefined && typeof t.fanout !== 'boolean') throw new InvalidTarget('fanout must be a boolean', t);
  if (t.version !== undefined && !VERSION.test(t.version)) {
    throw new InvalidTarget(`version "${t.version}" is not "major.minor"`, t);
  }
}

/** Checks what a client needs (a topic), returning the Target; throws {@link InvalidTarget}. */
export function clientTarget(t: TargetFields | Target): Target {
  checkCommon(t);
  if (!t.topic) throw new InvalidTarget('a client target needs a topic', t);
  return t instanceof Target ? t : new Target(t);
}

/** Checks what a server needs (a topic and a server name), returning the Target; throws {@link InvalidTarget}. */
export function serverTarget(t: TargetFields | Target): Target {
  checkCommon(t);
  if (!t.topic || !t.server) throw new InvalidTarget('a server target needs a topic and a server', t);
  if (t.fanout) throw new InvalidTarget('a server target cannot be fanout', t);
  return t instanceof Target ? t : new Target(t);
}
