/** Loads the wire fixtures made by spec/unit/fixtures-gen/gen_fixtures.py from Python oslo.messaging. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Message, message as rheaMessage } from 'rhea-promise';

/** A fixture file of this folder, parsed. */
export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', `${name}.json`), 'utf8')) as T;
}

/** The failure dict as Python writes it. */
export interface PythonFailureDict {
  class: string;
  module: string;
  message: string;
  tb: string[];
  args: unknown[];
  kwargs: Record<string, unknown>;
}

/** rpc.json. */
export interface RpcFixtures {
  requests: Array<{
    method: string; args: Record<string, unknown>; context: Record<string, unknown> | null;
    namespace: string | null; version: string | null; callMonitorTimeout: number | null; body: string; castHex: string;
  }>;
  call: { to: string; messageId: string; replyTo: string; ttlMs: number; body: string; hex: string };
  replies: Array<{ result: unknown; body: string; hex: string }>;
  heartbeat: { to: string; correlationId: string; ttlMs: number; hex: string };
  failures: Array<{ name: string; raisedClass: string; raisedModule: string; failure: string; parsed: PythonFailureDict; body: string }>;
}

/** notifications.json. */
export interface NotificationFixtures {
  cases: Array<{
    method: string; context: Record<string, unknown>; sanitizedContext: Record<string, unknown>;
    message: { message_id: string; publisher_id: string; event_type: string; priority: string; payload: unknown; timestamp: string };
    priority: string; address: string; v1: string; v2: string;
  }>;
  timestamps: Array<{ epochMs: number; text: string }>;
  envelope: { 'oslo.version': string; 'oslo.message': string };
}

/** The bytes rhea writes for a body alone, without the empty header and properties sections before it. */
export function bodySectionHex(encoded: Buffer): string {
  const hex = encoded.toString('hex');
  const i = hex.indexOf('005377');
  return i < 0 ? '' : hex.slice(i);
}

/** A message as a peer receives it: encoded by rhea and decoded again. */
export function overTheWire(m: object): Message {
  return rheaMessage.decode(rheaMessage.encode(m)) as unknown as Message;
}

/** A message from bytes written by proton (Python's side), decoded by rhea. */
export function fromHex(hex: string): Message {
  return rheaMessage.decode(Buffer.from(hex, 'hex')) as unknown as Message;
}
