/**
 * The span attribute names and values oslo-rx sets (OpenTelemetry's messaging and RPC
 * semantic conventions, plus a few `oslo.*` ones).
 * @module
 */

/** Attribute names. */
export const ATTR = {
  messagingSystem: 'messaging.system',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  destinationName: 'messaging.destination.name',
  messageId: 'messaging.message.id',
  protocolName: 'network.protocol.name',
  protocolVersion: 'network.protocol.version',
  rpcSystem: 'rpc.system',
  rpcService: 'rpc.service',
  rpcMethod: 'rpc.method',
  errorType: 'error.type',
  eventType: 'oslo.event_type',
  cancelled: 'oslo.cancelled',
} as const;

/** `messaging.system` and `rpc.system`: the messaging model, whatever the intermediary. */
export const SYSTEM = 'oslo.messaging';

/** What every oslo-rx span carries. */
export const COMMON_ATTRIBUTES = {
  [ATTR.messagingSystem]: SYSTEM,
  [ATTR.protocolName]: 'amqp',
  [ATTR.protocolVersion]: '1.0',
} as const;

/** The RPC attributes of a call, cast or dispatch of `method` on `topic`. */
export function rpcAttributes(topic: string, method: string): Record<string, string> {
  return { [ATTR.rpcSystem]: SYSTEM, [ATTR.rpcService]: topic, [ATTR.rpcMethod]: method };
}
