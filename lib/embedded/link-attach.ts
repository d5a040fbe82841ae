/**
 * How the intermediary answers a client's attach: which address the link uses, and
 * the source and target it sends back (or the error that refuses the link).
 * @module
 */
import type { AmqpError, Receiver, Sender } from 'rhea';
import type { AddressKind } from './address-patterns';
import { AMQP_CONDITIONS } from './amqp-conditions';
import { newDynamicAddress } from './dynamic-address';
import { setMaxMessageSize, setSettleModes } from './rhea-internals';

/** The outcome of answering an attach. */
export type AttachAnswer =
  /** Accepted; `address` undefined means an anonymous-relay sender. `dynamic`: a new temporary address. */
  | { readonly ok: true; readonly address: string | undefined; readonly dynamic: boolean }
  /** Refused with `error`. */
  | { readonly ok: false; readonly error: AmqpError };

/** What answering an attach needs to know about addresses. */
export interface AddressRules {
  /** Why `address` is refused for a consumer or a producer, or undefined. */
  refusal(address: string, role: 'consumer' | 'producer'): AmqpError | undefined;
  /** Whether `address` is a queue or a topic. */
  kindOf(address: string): AddressKind;
}

const SETTLED = 1;
const MIXED = 2;
const RCV_FIRST = 0;

interface RemoteTerminus {
  readonly address?: string | null;
  readonly durable?: number | null;
  readonly expiry_policy?: string | null;
  readonly timeout?: number | null;
  readonly dynamic?: boolean | null;
  readonly capabilities?: string | string[] | null;
}

const isUint = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
const isSymbols = (v: unknown): boolean => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));

/**
 * The fields of a peer's terminus worth echoing, each only when it has the right
 * type (a malformed value must not reach rhea's frame writer).
 */
function echo(terminus: RemoteTerminus | null | undefined): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (!terminus) return fields;
  if (typeof terminus.address === 'string') fields.address = terminus.address;
  if (isUint(terminus.durable)) fields.durable = terminus.durable;
  if (typeof terminus.expiry_policy === 'string') fields.expiry_policy = terminus.expiry_policy;
  if (isUint(terminus.timeout)) fields.timeout = terminus.timeout;
  if (isSymbols(terminus.capabilities)) fields.capabilities = terminus.capabilities;
  return fields;
}

/** A settle mode the peer asked for, if it is one AMQP defines. */
function settleMode(value: unknown, max: number): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max ? value : undefined;
}

function refused(condition: string, description: string): AttachAnswer {
  return { ok: false, error: { condition, description } };
}

/**
 * Answers the attach of a client receiver (an intermediary sender): its source
 * address, or a new temporary address for a dynamic source. Sets the source
 * (with distribution-mode), target and settle modes it answers with.
 */
export function answerConsumerAttach(sender: Sender, rules: AddressRules): AttachAnswer {
  const source = sender.source as RemoteTerminus | null | undefined;
  if (!source) return refused(AMQP_CONDITIONS.invalidField, 'a receiving link needs a source');
  const dynamic = source.dynamic === true;
  const address = dynamic ? newDynamicAddress() : typeof source.address === 'string' ? source.address : '';
  if (!dynamic) {
    if (address === '') return refused(AMQP_CONDITIONS.invalidField, 'a receiving link needs a source address (or a dynamic source)');
    const refusal = rules.refusal(address, 'consumer');
    if (refusal) return { ok: false, error: refusal };
  }
  const distribution = !dynamic && rules.kindOf(address) === 'topic' ? 'copy' : 'move';
  sender.set_source({ ...echo(source), address, dynamic, distribution_mode: distribution, ...(dynamic ? { expiry_policy: 'link-detach' } : {}) });
  sender.set_target(echo(sender.target as RemoteTerminus) as { address: string });
  // Pre-settled only when asked; otherwise mixed (multicast copies go pre-settled). The client picks rcv-settle-mode.
  setSettleModes(sender, sender.snd_settle_mode === SETTLED ? SETTLED : MIXED, settleMode(sender.rcv_settle_mode, 1));
  return { ok: true, address, dynamic };
}

/**
 * Answers the attach of a client sender (an intermediary receiver): its target
 * address, or none for an anonymous-relay link (a target without an address). Sets
 * the target, source, settle modes and max-message-size it answers with.
 */
export function answerProducerAttach(receiver: Receiver, rules: AddressRules, maxMessageSize: number): AttachAnswer {
  const target = receiver.target as RemoteTerminus | null | undefined;
  if (!target) return refused(AMQP_CONDITIONS.invalidField, 'a sending link needs a target');
  if (target.dynamic === true) return refused(AMQP_CONDITIONS.notImplemented, 'dynamic targets are not supported');
  if (target.address !== undefined && target.address !== null && typeof target.address !== 'string') {
    return refused(AMQP_CONDITIONS.invalidField, 'the target address is not a string');
  }
  const address = target.address ?? undefined;
  if (address === '') return refused(AMQP_CONDITIONS.invalidField, 'empty target address (leave the address out for anonymous relay)');
  if (address !== undefined) {
    const refusal = rules.refusal(address, 'producer');
    if (refusal) return { ok: false, error: refusal };
  }
  receiver.set_target(echo(target) as { address: string });
  receiver.set_source(echo(receiver.source as RemoteTerminus) as { address: string });
  // The client picks snd-settle-mode; the intermediary settles first, always.
  setSettleModes(receiver, settleMode(receiver.snd_settle_mode, 2), RCV_FIRST);
  if (maxMessageSize > 0) setMaxMessageSize(receiver, maxMessageSize);
  return { ok: true, address, dynamic: false };
}
