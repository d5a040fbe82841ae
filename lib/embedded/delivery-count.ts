/**
 * Rewrites the `delivery-count` of an encoded message's header section, leaving
 * every other byte of the message as it came.
 * @module
 */
import { codec, decodeMessage, messageBuilders } from './rhea-internals';

const HEADER_CODE = 0x70;
const HEADER_SYMBOL = 'amqp:header:list';

const HEADER_FIELDS = ['durable', 'priority', 'ttl', 'first_acquirer', 'delivery_count'] as const;

/** Byte length of the header section at the start of `raw`, or 0 when it has none. */
function headerLength(raw: Buffer): number {
  if (raw.length === 0) return 0;
  const reader = new codec.Reader(raw);
  const section = reader.read();
  const descriptor = section.descriptor?.value;
  const isHeader = descriptor === HEADER_SYMBOL || Number(descriptor) === HEADER_CODE;
  return isHeader ? reader.position : 0;
}

/**
 * Returns `raw` with its header's delivery-count raised by one (a header is added
 * when the message has none). Every section after the header is copied unchanged.
 */
export function incrementDeliveryCount(raw: Buffer): Buffer {
  const length = headerLength(raw);
  const fields: Record<string, unknown> = {};
  if (length > 0) {
    const header = decodeMessage(raw.subarray(0, length)) as unknown as Record<string, unknown>;
    for (const name of HEADER_FIELDS) {
      if (header[name] !== undefined && header[name] !== null) fields[name] = header[name];
    }
  }
  fields.delivery_count = (typeof fields.delivery_count === 'number' ? fields.delivery_count : 0) + 1;
  const writer = new codec.Writer();
  writer.write(messageBuilders.header(fields).described());
  return Buffer.concat([writer.toBuffer(), raw.subarray(length)]);
}
