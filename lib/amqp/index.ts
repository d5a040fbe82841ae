/**
 * The reactive AMQP 1.0 core: connections, links, deliveries and dispositions as Observables.
 * @module
 */
export { AmqpConnection, connect } from './amqp-connection';
export { ConnectionManager, type ConnectionManagerConfig } from './connection-manager';
export { connectionAttempt, connectionOptions, defaultContainerId, wantsTls, type ConnectionAttempt, type ConnectionTarget } from './connection-options';
export type { ConnectionState } from './connection-state';
export { outcomeFromRemoteState, type DeliveryOutcome } from './delivery-outcome';
export {
  AuthenticationFailed,
  ConnectionLost,
  LinkRefused,
  MessageDeliveryFailure,
  MessagingTimeout,
  TlsHandshakeFailed,
  TransportClosed,
  translateConnectionError,
  type DeliveryOutcomeLike,
  type OpeningFailure,
  type SaslProgress,
} from './errors';
export { IncomingDelivery, type Disposition, type ModifyOptions, type RejectCondition } from './incoming-delivery';
export type { MessagingTransport } from './messaging-transport';
export { peerRefusesDynamicSources, peerRefusesModified, type PeerProperties } from './peer-quirks';
export { openReceiver, type ReceiverLink, type ReceiverSpec } from './receiver-link';
export { reconnecting, type ReconnectEvent, type ReconnectPlan } from './reconnect';
export { redactHost } from './redact-host';
export { SenderLink, type LinkSendOptions, type PendingSend } from './sender-link';
export { deliver, type DeliverContext, type Outgoing, type OutgoingBuilder, type SendOptions } from './deliver';
export { armDeadline, deadline, timerDelay, MAX_TIMER_MS, type DeadlineOptions } from './deadline';
export { Released, retryDelayMs, retryWhen, withJitter, JITTER, type RetryRules, type RetryWhenOptions } from './retry-policy';
export { DELIVERY_LIMIT_CONDITION, checkMaxDeliveries, deliveryBudgetSpent, rejectIfBudgetSpent, requeueDelivery } from './redelivery-budget';
export { decodeOrReject, type DecodeRefusal } from './decode-or-reject';
export { healthOf, sameHealth, type Health } from './health';
export { ReceiverRegistry, type FailedReceiver, type ReceiverSlot, type ReceiversStatus } from './receiver-registry';
export { TransportCounters, callEndFor, type CallEnd, type LatencySummary, type TransportMetrics } from './metrics';
