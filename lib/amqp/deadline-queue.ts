/**
 * Every deadline of the process on one timer: calls, sends and replies each add an entry,
 * not a `setTimeout` of their own.
 * @module
 */
import { performance } from 'node:perf_hooks';

/** The longest delay Node's timers take (2^31 - 1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

interface Entry {
  readonly due: number;
  readonly fire: () => void;
  readonly list: DueList;
  prev: Entry | undefined;
  next: Entry | undefined;
}

/** The entries of one duration, oldest first: each is due no earlier than the one before. */
interface DueList {
  readonly ms: number;
  head: Entry | undefined;
  tail: Entry | undefined;
}

/**
 * Deadlines kept in one list per duration, like Node's own timer lists: adding and cancelling
 * are O(1) (most operations share a handful of durations, so their entries arrive in due
 * order), and one `setTimeout`, armed for the earliest head, serves them all. A timer is
 * pending only while some deadline is, so the queue never keeps a process alive on its own.
 */
export class DeadlineQueue {
  private readonly lists = new Map<number, DueList>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private armedFor = Infinity;

  /** How many deadlines are pending. */
  get size(): number {
    let n = 0;
    for (const list of this.lists.values()) for (let e = list.head; e; e = e.next) n++;
    return n;
  }

  /**
   * Runs `fire` once `ms` milliseconds from now have passed (0 or less: on the next turn of
   * the event loop). Returns how to cancel it; cancelling after it fired does nothing.
   */
  add(ms: number, fire: () => void): () => void {
    const delay = Math.max(ms, 0);
    let list = this.lists.get(delay);
    if (!list) {
      list = { ms: delay, head: undefined, tail: undefined };
      this.lists.set(delay, list);
    }
    const entry: Entry = { due: performance.now() + delay, fire, list, prev: list.tail, next: undefined };
    if (list.tail) list.tail.next = entry;
    else list.head = entry;
    list.tail = entry;
    if (entry.due < this.armedFor) this.arm(entry.due);
    return () => this.remove(entry);
  }

  private remove(entry: Entry): void {
    const list = entry.list;
    if (entry.prev) entry.prev.next = entry.next;
    else if (list.head === entry) list.head = entry.next;
    else return; // fired or cancelled already
    if (entry.next) entry.next.prev = entry.prev;
    else list.tail = entry.prev;
    entry.prev = undefined;
    entry.next = undefined;
    if (!list.head) this.lists.delete(list.ms);
    if (this.lists.size === 0) this.disarm();
    // an earlier head gone leaves the timer early: it re-arms for the next one when it fires
  }

  private arm(due: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = due;
    this.timer = setTimeout(() => this.run(), Math.min(Math.max(Math.ceil(due - performance.now()), 0), MAX_TIMER_MS));
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
  }

  /** Fires what is due (a callback may add or cancel entries), then arms for the earliest left. */
  private run(): void {
    this.timer = undefined;
    this.armedFor = Infinity;
    // Node may fire a timer up to a millisecond before performance.now() reaches its due time
    const now = performance.now() + 1;
    for (const list of [...this.lists.values()]) {
      while (list.head && list.head.due <= now) {
        const entry = list.head;
        this.remove(entry);
        entry.fire();
      }
    }
    let earliest = Infinity;
    for (const list of this.lists.values()) if (list.head && list.head.due < earliest) earliest = list.head.due;
    if (earliest < this.armedFor) this.arm(earliest);
  }
}

/** The process's deadline queue. */
export const deadlines = new DeadlineQueue();
