/**
 * oslo-rx: oslo.messaging RPC and notifications as RxJS streams over AMQP 1.0.
 *
 * The public API; everything not exported here is internal.
 * @module oslo-rx
 */
export { MessagingError, isMessagingError, type MessagingErrorCode } from './errors';

// config
export {
  InvalidOption,
  InvalidTransportURL,
  TransportUrl,
  parseTransportUrl,
  formatTransportUrl,
  redactTransportUrl,
  resolveAmqpOptions,
  DEFAULT_AMQP_OPTIONS,
  type AmqpOptions,
  type PreSettledKind,
  type TransportHost,
  type TransportScheme,
  type TransportUrlFields,
} from './config';

// transport and the AMQP core
export { Transport, createTransport } from './transport';
export {
  AuthenticationFailed,
  ConnectionLost,
  IncomingDelivery,
  LinkRefused,
  MessageDeliveryFailure,
  MessagingTimeout,
  TlsHandshakeFailed,
  TransportClosed,
  DELIVERY_LIMIT_CONDITION,
  type Health,
  type LatencySummary,
  type TransportMetrics,
  type ConnectionState,
  type DeliveryOutcomeLike,
  type MessagingTransport,
  type DeliveryOutcome,
  type Disposition,
  type ModifyOptions,
  type ReceiverSpec,
  type RejectCondition,
  type SendOptions,
  type Outgoing,
  type OutgoingBuilder,
} from './amqp';

// tracing (spans only while an OpenTelemetry tracer provider is registered)
export { type MessageSpan } from './tracing/message-span';

// addressing
export { addressingPresets, type AddressingMode, type AddressingOptions, type AddressingPresetName } from './addressing';

// wire
export { InvalidMessage, type NotificationBody, type NotificationMessage, type NotificationVersion, type FailureInfo, type InvalidMessageCondition, type MessageId, type PythonExceptionInfo } from './wire';

// rpc
export { Target, type TargetFields } from './rpc/target';
export { RpcClient, type RpcClientOptions, type PrepareOptions, type RpcContext } from './rpc/rpc-client';
export { rpcServer, type RpcServerOptions } from './rpc/rpc-server';
export { IncomingRequest, type RpcRequestFields } from './rpc/incoming-request';
export { InvalidTarget, NoSuchMethod, RemoteError, RpcVersionCapError, UnsupportedVersion, type RemoteFailure } from './rpc/errors';
export { defaultAccessPolicy, type AccessPolicy, type Endpoint, type EndpointTarget } from './rpc/dispatcher';

// notifications
export { Notifier, type NotifierDriver, type NotifierOptions, type NotificationContext, type SentNotification } from './notify/notifier';
export { notificationListener, type NotificationListenerOptions, type NotificationTopic } from './notify/notification-listener';
export { IncomingNotification, type NotificationMetadata } from './notify/incoming-notification';
export { PRIORITIES, Priority, priorityNamed } from './notify/priority';
export { notificationMatcher, type NotificationFilterSpec } from './notify/notification-filter';

// operators
export { dispatch, type DispatchOptions, type Dispatched, type MethodCodecs } from './operators/dispatch';
export { ack, type Ackable } from './operators/ack';
export { requeue, type Requeueable } from './operators/requeue';
export { filterNotifications } from './operators/filter-notifications';
export { ackBatch, type AckBatchOptions } from './operators/ack-batch';
export { HANDLER_FAILED_CONDITION, type FailureOutcome, type FailureSettleable, type FailureStrategy } from './operators/failure-strategy';
export { retryBackoff, type RetryBackoffOptions } from './operators/retry-backoff';

// messenger
export {
  ListenFailed,
  MESSENGER_DEFAULTS,
  Messenger,
  createMessenger,
  parseMessengerAddress,
  type ListenAddress,
  type Listening,
  type MessengerAddress,
  type MessengerMessage,
  type MessengerOptions,
  type MessengerSendOptions,
  type MessengerSubscribeOptions,
  type OutgoingWindowState,
  type RemoteAddress,
  type ResolvedMessengerOptions,
} from './messenger';

// The embedded intermediary and test helpers are in `oslo-rx/testing` (lib/testing).
