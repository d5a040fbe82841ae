/**
 * Errors of the RPC layer.
 * @module
 */
import { MessagingError } from '../errors';
import type { FailureInfo } from '../wire';

/** A target lacks what its use needs (a client needs a topic; a server a topic and a server; `call()` cannot fan out). */
export class InvalidTarget extends MessagingError {
  /**
   * @param reason what is wrong
   * @param target the offending target
   */
  constructor(
    reason: string,
    readonly target: unknown,
  ) {
    super('InvalidTarget', `invalid target: ${reason}`);
  }
}

/** What a peer said about an exception raised by a remote method (oslo's failure format). */
export type RemoteFailure = FailureInfo;

/**
 * A remote method raised an exception. Carries the peer's class name, module and
 * traceback, so a Python `ValueError` arrives as `RemoteError` with
 * `className === 'ValueError'` and `module === 'builtins'`.
 */
export class RemoteError extends MessagingError implements RemoteFailure {
  /** @inheritDoc */
  readonly className: string;
  /** @inheritDoc */
  readonly module: string;
  /** @inheritDoc */
  readonly traceback: readonly string[];
  /** @inheritDoc */
  readonly args: readonly unknown[];
  /** @inheritDoc */
  readonly kwargs: Readonly<Record<string, unknown>>;
  /** The remote message alone (`message` adds the class name). */
  readonly remoteMessage: string;

  /** @param failure the decoded failure */
  constructor(failure: RemoteFailure) {
    super('RemoteError', `Remote error: ${failure.className} ${failure.message}`);
    this.className = failure.className;
    this.module = failure.module;
    this.traceback = failure.traceback;
    this.args = failure.args;
    this.kwargs = failure.kwargs;
    this.remoteMessage = failure.message;
  }
}

/** The module Python's dispatcher errors live in; their failures name it so Python callers get their own classes. */
export const OSLO_DISPATCHER_MODULE = 'oslo_messaging.rpc.dispatcher';

/** No endpoint for the request's namespace and version has the method (or it is private). */
export class NoSuchMethod extends MessagingError {
  /** Crosses the wire as Python's `oslo_messaging.rpc.dispatcher.NoSuchMethod`. */
  readonly pythonClass = 'NoSuchMethod';
  /** The Python module of {@link pythonClass}. */
  readonly pythonModule = OSLO_DISPATCHER_MODULE;

  /** @param method the requested method */
  constructor(readonly method: string) {
    super('NoSuchMethod', `Endpoint does not support RPC method ${method}`);
  }
}

/** No endpoint serves the request's namespace at a compatible version. */
export class UnsupportedVersion extends MessagingError {
  /** Crosses the wire as Python's `oslo_messaging.rpc.dispatcher.UnsupportedVersion`. */
  readonly pythonClass = 'UnsupportedVersion';
  /** The Python module of {@link pythonClass}. */
  readonly pythonModule = OSLO_DISPATCHER_MODULE;

  /**
   * @param version the requested version
   * @param method the requested method
   */
  constructor(
    readonly version: string,
    readonly method?: string,
  ) {
    super('UnsupportedVersion', `Endpoint does not support RPC version ${version}. Attempted method: ${method ?? ''}`);
  }
}

/** A client asked to send a version above its `versionCap`. */
export class RpcVersionCapError extends MessagingError {
  /**
   * @param version the requested version
   * @param versionCap the client's cap
   */
  constructor(
    readonly version: string,
    readonly versionCap: string,
  ) {
    super('RpcVersionCapError', `Requested message version, ${version} is incompatible. It needs to be equal in major version and less than or equal in minor version as the specified version cap ${versionCap}.`);
  }
}
