/**
 * A first-in first-out list with O(1) removal at the front.
 * @module
 */

/** A FIFO list: push at the back, shift from the front, and put an item back at the front. */
export class Fifo<T> {
  private items: Array<T | undefined> = [];
  private head = 0;

  /** Number of items. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Adds `item` at the back. */
  push(item: T): void {
    this.items.push(item);
  }

  /** Puts `item` back at the front. */
  unshift(item: T): void {
    if (this.head > 0) this.items[--this.head] = item;
    else this.items.unshift(item);
  }

  /**
   * Puts `item` back near the front: before the first item that `comesBefore(item, other)`
   * says it precedes (scanning from the front), or at the back if none.
   */
  putBack(item: T, comesBefore: (item: T, other: T) => boolean): void {
    let i = this.head;
    while (i < this.items.length && !comesBefore(item, this.items[i] as T)) i++;
    if (i === this.head) this.unshift(item);
    else this.items.splice(i, 0, item);
  }

  /** Removes and returns the front item. */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Removes and returns every item, front first. */
  drain(): T[] {
    const all = this.items.slice(this.head) as T[];
    this.items = [];
    this.head = 0;
    return all;
  }
}
