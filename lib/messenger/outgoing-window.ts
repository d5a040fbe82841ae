/**
 * The outgoing window: at most N sends in flight, the rest waiting in order.
 * @module
 */
import { Observable, type Subscription } from 'rxjs';

/** How full a messenger's outgoing window is. */
export interface OutgoingWindowState {
  /** Sends holding a slot: written or being written, outcome not back yet. */
  readonly unsettled: number;
  /** Sends waiting for a slot. */
  readonly queued: number;
}

/**
 * Bounds how many operations run at once. {@link run} starts its operation when a
 * slot is free and holds the slot until the operation ends (completes, errors or is
 * unsubscribed); otherwise it waits in a FIFO queue, leaving it when unsubscribed.
 */
export class OutgoingWindow {
  private active = 0;
  private readonly waiting = new Set<() => void>();

  /** @param size how many operations may hold a slot at once */
  constructor(readonly size: number) {}

  /** How many hold a slot and how many wait. */
  get state(): OutgoingWindowState {
    return { unsettled: this.active, queued: this.waiting.size };
  }

  /** Subscribes to `operation()` once a slot is free, and frees the slot when it ends. */
  run<T>(operation: () => Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      let holding = false;
      let inner: Subscription | undefined;
      const start = () => {
        this.waiting.delete(start);
        holding = true;
        this.active++;
        inner = operation().subscribe(subscriber);
      };
      if (this.active < this.size && this.waiting.size === 0) start();
      else this.waiting.add(start);
      return () => {
        this.waiting.delete(start);
        inner?.unsubscribe();
        if (!holding) return;
        holding = false;
        this.active--;
        this.admitNext();
      };
    });
  }

  private admitNext(): void {
    // a Set iterates in insertion order: the oldest waiter first
    const next = this.waiting.values().next();
    if (!next.done && this.active < this.size) next.value();
  }
}
