/**
 * Works around rhea writing mixed dispositions of one tick as one range.
 * @module
 */

/**
 * Serialises dispositions of one link so that a tick only carries one kind of outcome.
 *
 * rhea (3.x) batches the dispositions made in one tick into ranges and, when a range
 * starts with a single delivery, extends it over the next one without comparing their
 * outcomes: `release(a); reject(b)` goes out as `released` for both. The gate lets the
 * first kind of a tick through and defers other kinds to the following ticks, in order.
 */
export class DispositionGate {
  private kind: string | undefined;
  private readonly deferred: Array<{ kind: string; write: () => void }> = [];

  /** Runs `write` now if the tick has no other kind of outcome yet, else on a later tick. */
  submit(kind: string, write: () => void): void {
    if (this.deferred.length === 0 && (this.kind === undefined || this.kind === kind)) {
      this.open(kind);
      write();
    } else {
      this.deferred.push({ kind, write });
    }
  }

  private open(kind: string): void {
    if (this.kind === undefined) setImmediate(() => this.nextTick());
    this.kind = kind;
  }

  private nextTick(): void {
    this.kind = undefined;
    while (this.deferred.length > 0 && (this.kind === undefined || this.deferred[0].kind === this.kind)) {
      const { kind, write } = this.deferred.shift()!;
      this.open(kind);
      write();
    }
  }
}
