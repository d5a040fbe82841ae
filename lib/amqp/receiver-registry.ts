/**
 * Which receivers a transport wants, which of them have a link attached now, and which
 * failed for good.
 * @module
 */
import { BehaviorSubject, type Observable, distinctUntilChanged } from 'rxjs';

/** A receiver whose link stream ended in an error it will not retry (a link refused for good). */
export interface FailedReceiver {
  /** Its address (or the label it had before one was known). */
  readonly address: string;
  /** Why it failed. */
  readonly reason: string;
}

/** The receivers of a transport: how many are wanted, how many are attached, and the addresses of those that are not. */
export interface ReceiversStatus {
  /** Receivers subscribed to (an RPC server has three, the reply stream one, a listener one per topic and priority). */
  readonly wanted: number;
  /** Of those, how many have a link attached now. */
  readonly attached: number;
  /** The addresses of the wanted receivers without a link now (`(dynamic)` for a dynamic source not yet assigned). */
  readonly detached: readonly string[];
  /**
   * Receivers that failed for good, kept after their streams ended (so the transport is not
   * ready with a dead receiver) until a receiver attaches on the same address again.
   */
  readonly failed: readonly FailedReceiver[];
}

/** One wanted receiver; {@link ReceiverRegistry.want} hands it out. */
export interface ReceiverSlot {
  /** Its link attached on `address`; returns a function to call when that link goes. */
  attached(address: string): () => void;
  /**
   * It failed for good (its stream errors with `reason`) on `address` (default: the last
   * address it attached on, or its label); call before {@link release}.
   */
  failed(reason: string, address?: string): void;
  /** It is no longer wanted (the stream was unsubscribed or ended). */
  release(): void;
}

function sameStatus(a: ReceiversStatus, b: ReceiversStatus): boolean {
  const failures = (s: ReceiversStatus) => s.failed.map((f) => `${f.address}\n${f.reason}`).join('\n');
  return a.wanted === b.wanted && a.attached === b.attached && a.detached.join('\n') === b.detached.join('\n') && failures(a) === failures(b);
}

/** Keeps the receivers a transport wants and whether each is attached; {@link status$} tells. */
export class ReceiverRegistry {
  private readonly slots = new Map<object, { label: string; link: object | undefined }>();
  private readonly failures = new Map<object, FailedReceiver>();
  private readonly subject = new BehaviorSubject<ReceiversStatus>({ wanted: 0, attached: 0, detached: [], failed: [] });

  /** The status now and on every change. */
  readonly status$: Observable<ReceiversStatus> = this.subject.pipe(distinctUntilChanged(sameStatus));

  /** The status now. */
  get status(): ReceiversStatus {
    return this.subject.value;
  }

  /** Registers a wanted receiver reading `label` (its address, or `(dynamic)`), not attached yet. */
  want(label: string): ReceiverSlot {
    const key = {};
    const entry = { label, link: undefined as object | undefined };
    this.slots.set(key, entry);
    this.publish();
    return {
      attached: (address) => {
        const link = {};
        entry.link = link;
        entry.label = address;
        // a receiver on a failed one's address works now: the application recovered it
        for (const [k, f] of this.failures) if (f.address === address) this.failures.delete(k);
        this.publish();
        return () => {
          if (entry.link !== link) return;
          entry.link = undefined;
          this.publish();
        };
      },
      failed: (reason, address) => {
        this.failures.set(key, { address: address ?? entry.label, reason });
        this.publish();
      },
      release: () => {
        if (this.slots.delete(key)) this.publish();
      },
    };
  }

  private publish(): void {
    let attached = 0;
    const detached: string[] = [];
    for (const [key, { label, link }] of this.slots) {
      if (link) attached++;
      else if (!this.failures.has(key)) detached.push(label);
    }
    this.subject.next({ wanted: this.slots.size, attached, detached, failed: [...this.failures.values()] });
  }
}
