/**
 * A receiver link's credit, tied to settlement and refilled at a low-water mark.
 * @module
 */

/**
 * How long settled-but-not-returned credit may wait while the link still has more than half
 * its window (the sender is not held up meanwhile): long enough to gather the settlements of
 * a slow trickle of messages into one flow frame, short enough that an idle link soon shows
 * its whole window again.
 */
export const CREDIT_IDLE_FLUSH_MS = 20;

/** Runs `run` after `ms` (without keeping the process alive); returns what cancels it. */
export type IdleScheduler = (run: () => void, ms: number) => () => void;

const unrefTimer: IdleScheduler = (run, ms) => {
  const timer = setTimeout(run, ms);
  timer.unref?.();
  return () => clearTimeout(timer);
};

/**
 * The credit of one receiver link. It starts with `window` units; each settlement owes one
 * unit back. Owed credit goes back at once (gathered per microtask, so the settlements of
 * one turn make one flow frame) when the link's unused credit is at or below half the
 * window, else after {@link CREDIT_IDLE_FLUSH_MS}: the sender always has credit while the
 * application has room, the link never holds more than `window` unsettled deliveries plus
 * unused credit, and at low rates most settlements cost no flow frame of their own.
 */
export class CreditWindow {
  /** Credit granted on the link and not used by a delivery yet. */
  private unused = 0;
  /** Settlements whose credit has not gone back yet. */
  private owed = 0;
  private stopped = false;
  private flushQueued = false;
  private cancelIdle: (() => void) | undefined;
  private readonly lowWater: number;

  /**
   * @param window the most unsettled deliveries the link may hold (its credit)
   * @param grant gives the link `n` more units of credit
   * @param canGrant false once the link is gone (owed credit is then dropped)
   * @param idleFlushMs see {@link CREDIT_IDLE_FLUSH_MS}
   * @param later how the idle flush is scheduled (a Node timer; tests pass their own clock)
   */
  constructor(
    readonly window: number,
    private readonly grant: (n: number) => void,
    private readonly canGrant: () => boolean,
    private readonly idleFlushMs = CREDIT_IDLE_FLUSH_MS,
    private readonly later: IdleScheduler = unrefTimer,
  ) {
    this.lowWater = Math.floor(window / 2);
  }

  /** Credit granted and not used yet. */
  get outstanding(): number {
    return this.unused;
  }

  /** Grants the whole window (once the link is attached). */
  open(): void {
    this.give(this.window);
  }

  /** A delivery used one unit. */
  received(): void {
    this.unused--;
    if (this.owed > 0) this.schedule();
  }

  /** The application settled a delivery: one unit is owed back. */
  settled(): void {
    if (this.stopped) return;
    this.owed++;
    this.schedule();
  }

  /** Returns no more credit (draining before a close, or the link is gone). */
  stop(): void {
    this.stopped = true;
    this.owed = 0;
    this.clearIdle();
  }

  private schedule(): void {
    if (this.unused <= this.lowWater) {
      if (!this.flushQueued) {
        this.flushQueued = true;
        queueMicrotask(() => this.flush());
      }
    } else if (this.cancelIdle === undefined) {
      this.cancelIdle = this.later(() => this.flush(), this.idleFlushMs);
    }
  }

  private flush(): void {
    this.flushQueued = false;
    this.clearIdle();
    const owed = this.owed;
    this.owed = 0;
    if (owed > 0 && !this.stopped && this.canGrant()) this.give(owed);
  }

  private give(n: number): void {
    this.grant(n);
    this.unused += n;
  }

  private clearIdle(): void {
    this.cancelIdle?.();
    this.cancelIdle = undefined;
  }
}
