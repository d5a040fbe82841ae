/**
 * Keeps the encoded bytes of each message a connection receives, so the
 * intermediary forwards messages exactly as they were sent.
 * @module
 */

/** The bytes of the last complete message of a link. */
export interface CapturedMessage {
  /** The encoded message, or undefined when it was larger than the limit (not kept). */
  readonly bytes: Buffer | undefined;
  /** Its size in bytes. */
  readonly size: number;
}

interface Assembling {
  chunks: Buffer[];
  size: number;
}

/**
 * Collects transfer payloads per link until a message is complete. Messages above
 * `maxMessageSize` (when non-zero) are measured but not kept.
 */
export class TransferCapture {
  private readonly partial = new WeakMap<object, Assembling>();
  private readonly complete = new WeakMap<object, CapturedMessage>();

  /** @param maxMessageSize bytes above which a message's bytes are not kept; 0 keeps all */
  constructor(private readonly maxMessageSize: number) {}

  /** Records one transfer frame's payload for `link`; `more` says whether the message continues. */
  onFrame(link: object, payload: Buffer | undefined, more: boolean): void {
    let p = this.partial.get(link);
    if (p === undefined) {
      p = { chunks: [], size: 0 };
      this.partial.set(link, p);
    }
    if (payload !== undefined) {
      p.size += payload.length;
      if (this.maxMessageSize > 0 && p.size > this.maxMessageSize) p.chunks = [];
      else p.chunks.push(payload);
    }
    if (more) return;
    this.partial.delete(link);
    const kept = this.maxMessageSize === 0 || p.size <= this.maxMessageSize;
    // A copy: the payloads are views of whole socket reads, which a stored message must not keep alive.
    const bytes = kept ? Buffer.concat(p.chunks, p.size) : undefined;
    this.complete.set(link, { bytes, size: p.size });
  }

  /** The last complete message of `link`, once. */
  take(link: object): CapturedMessage | undefined {
    const c = this.complete.get(link);
    this.complete.delete(link);
    return c;
  }
}
