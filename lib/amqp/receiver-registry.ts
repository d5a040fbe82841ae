/**
 * Which receivers a transport wants and which of them have a link attached now.
 * @module
 */
import { BehaviorSubject, type Observable, distinctUntilChanged } from 'rxjs';

/** The receivers of a transport: how many are wanted, how many are attached, and the addresses of those that are not. */
export interface ReceiversStatus {
  /** Receivers subscribed to (an RPC server has three, the reply stream one, a listener one per topic and priority). */
  readonly wanted: number;
  /** Of those, how many have a link attached now. */
  readonly attached: number;
  /** The addresses of the wanted receivers without a link now (`(dynamic)` for a dynamic source not yet assigned). */
  readonly detached: readonly string[];
}

/** One wanted receiver; {@link ReceiverRegistry.want} hands it out. */
export interface ReceiverSlot {
  /** Its link attached on `address`; returns a function to call when that link goes. */
  attached(address: string): () => void;
  /** It is no longer wanted (the stream was unsubscribed or ended). */
  release(): void;
}

function sameStatus(a: ReceiversStatus, b: ReceiversStatus): boolean {
  return a.wanted === b.wanted && a.attached === b.attached && a.detached.join('\n') === b.detached.join('\n');
}

/** Keeps the receivers a transport wants and whether each is attached; {@link status$} tells. */
export class ReceiverRegistry {
  private readonly slots = new Map<object, { label: string; link: object | undefined }>();
  private readonly subject = new BehaviorSubject<ReceiversStatus>({ wanted: 0, attached: 0, detached: [] });

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
        this.publish();
        return () => {
          if (entry.link !== link) return;
          entry.link = undefined;
          this.publish();
        };
      },
      release: () => {
        if (this.slots.delete(key)) this.publish();
      },
    };
  }

  private publish(): void {
    let attached = 0;
    const detached: string[] = [];
    for (const { label, link } of this.slots.values()) {
      if (link) attached++;
      else detached.push(label);
    }
    this.subject.next({ wanted: this.slots.size, attached, detached });
  }
}
