/**
 * Finds frames larger than the max-frame-size in a connection's incoming bytes,
 * from their size field, before rhea buffers them whole.
 * @module
 */

/** What {@link FrameSizeGuard.check} found in a chunk. */
export type FrameCheck =
  | { readonly ok: true }
  /** `safeBytes`: how many leading bytes of the chunk belong to earlier, valid frames. */
  | { readonly ok: false; readonly safeBytes: number; readonly frameSize: number };

const HEADER = Buffer.from('AMQP', 'ascii');
const MIN_FRAME = 8;

/**
 * Follows the frame boundaries of one connection's byte stream (protocol headers,
 * SASL frames, AMQP frames) and reports the first frame whose size field is above
 * `maxFrameSize` or below the 8-byte minimum. Feed it every chunk in order.
 */
export class FrameSizeGuard {
  private skip = 0;
  private readonly size = Buffer.alloc(4);
  private sizeBytes = 0;

  /** @param maxFrameSize the largest frame allowed, in bytes */
  constructor(private readonly maxFrameSize: number) {}

  /** Scans `chunk`; after a failure, the stream is broken and must not be fed again. */
  check(chunk: Buffer): FrameCheck {
    let at = 0;
    while (at < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - at);
        this.skip -= n;
        at += n;
        continue;
      }
      const frameStart = at - this.sizeBytes;
      while (this.sizeBytes < 4 && at < chunk.length) this.size[this.sizeBytes++] = chunk[at++];
      if (this.sizeBytes < 4) break;
      this.sizeBytes = 0;
      if (this.size.equals(HEADER)) {
        this.skip = 4;
        continue;
      }
      const frameSize = this.size.readUInt32BE(0);
      if (frameSize > this.maxFrameSize || frameSize < MIN_FRAME) {
        return { ok: false, safeBytes: Math.max(0, frameStart), frameSize };
      }
      this.skip = frameSize - 4;
    }
    return { ok: true };
  }
}
