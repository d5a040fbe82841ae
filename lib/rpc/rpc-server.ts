/**
 * An RPC server as a stream of incoming requests.
 * @module
 */
import { type Observable, defer, filter, map, merge } from 'rxjs';
import { type AmqpConnection, type IncomingDelivery, type MessagingTransport, checkMaxDeliveries, decodeOrReject } from '../amqp';
import { type AddressTarget, addresserFor } from '../addressing';
import { decodeRequestMessage } from '../wire';
import { IncomingRequest } from './incoming-request';
import { startReceiveSpan } from '../tracing';
import { logger } from '../log';

const log = logger('rpc-server');
import { type Target, type TargetFields, serverTarget } from './target';

/** Options of {@link rpcServer}. */
export interface RpcServerOptions {
  /** Unsettled requests each of the three links may hold. Default: the `rpcServerCredit` option (100). */
  readonly credit?: number;
  /**
   * The redelivery budget: a message whose header's delivery-count shows it was delivered
   * this many times already is rejected with `amqp:precondition-failed` ("delivered N times,
   * the limit is ...") instead of being handed to the application again, and requeues are
   * sent as `modified` with delivery-failed so the intermediary counts them. Needs an
   * intermediary that keeps delivery-count (RabbitMQ 3.x does not: see the README). Default: none.
   */
  readonly maxDeliveries?: number;
}

type Kind = 'unicast' | 'multicast' | 'anycast';

/**
 * Listens as the server `target.server` of `target.topic`, on the three addresses oslo
 * servers use (its own unicast address, the topic's fanout address and the topic's shared
 * address), and emits each request. A message that is not a valid request is rejected
 * with an AMQP error condition saying why, and the stream goes on.
 *
 * ```ts
 * rpcServer(transport, { topic: 'compute', server: 'host-1' })
 *   .pipe(dispatch([new ComputeEndpoint()]))
 *   .subscribe();
 * ```
 * @throws InvalidTarget (on subscribe) when the target lacks a topic or server, InvalidOption for a bad `maxDeliveries`
 */
export function rpcServer(transport: MessagingTransport, target: TargetFields, options: RpcServerOptions = {}): Observable<IncomingRequest> {
  return defer(() => {
    const t: Target = serverTarget(target);
    const credit = options.credit ?? transport.options.rpcServerCredit;
    const maxDeliveries = checkMaxDeliveries(options.maxDeliveries);
    const addressOf = (kind: Kind) => (c: AmqpConnection) => {
      const addresser = addresserFor(transport, c);
      const address = addresser[kind](t as AddressTarget, 'rpc');
      return { address, credit };
    };
    const links = (['unicast', 'multicast', 'anycast'] as const).map((kind) => transport.receive(addressOf(kind)));
    const countRequeues = maxDeliveries !== undefined;
    return merge(...links).pipe(
      map((d) => toRequest(transport, t, d, maxDeliveries, countRequeues)),
      filter((r): r is IncomingRequest => r !== undefined),
    );
  });
}

/** The request a delivery carries, or undefined for one that was rejected (over its budget, or not a request). */
function toRequest(transport: MessagingTransport, target: Target, delivery: IncomingDelivery, maxDeliveries: number | undefined, countRequeues: boolean): IncomingRequest | undefined {
  const decoded = decodeOrReject(delivery, maxDeliveries, decodeRequestMessage, log);
  if (!decoded) return undefined;
  const { request, messageId, replyTo } = decoded;
  return new IncomingRequest(
    {
      method: request.method,
      args: request.args,
      context: request.context ?? {},
      namespace: request.namespace,
      version: request.version,
      callMonitorTimeoutMs: request.callMonitorTimeoutMs,
    },
    delivery,
    transport,
    messageId,
    replyTo,
    countRequeues,
    startReceiveSpan('dispatch', request.method, target.topic ?? '', delivery.message),
  );
}
