// A growable ring buffer: O(1) push and pop at both ends and O(1) indexing, for lists.

export class Deque<T> {
  private items: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(capacity = 8) {
    this.items = new Array(capacity);
  }

  static from<T>(values: readonly T[]): Deque<T> {
    const deque = new Deque<T>(Math.max(8, values.length));
    for (const value of values) deque.pushBack(value);
    return deque;
  }

  get length(): number {
    return this.count;
  }

  private grow(): void {
    const next = new Array<T | undefined>(this.items.length * 2);
    for (let i = 0; i < this.count; i++) next[i] = this.items[(this.head + i) % this.items.length];
    this.items = next;
    this.head = 0;
  }

  pushBack(value: T): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) % this.items.length] = value;
    this.count++;
  }

  pushFront(value: T): void {
    if (this.count === this.items.length) this.grow();
    this.head = (this.head - 1 + this.items.length) % this.items.length;
    this.items[this.head] = value;
    this.count++;
  }

  popFront(): T | undefined {
    if (this.count === 0) return undefined;
    const value = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this.count--;
    return value;
  }

  popBack(): T | undefined {
    if (this.count === 0) return undefined;
    const index = (this.head + this.count - 1) % this.items.length;
    const value = this.items[index];
    this.items[index] = undefined;
    this.count--;
    return value;
  }

  /** Element at a 0-based index from the front, or undefined when out of range. */
  at(index: number): T | undefined {
    if (index < 0 || index >= this.count) return undefined;
    return this.items[(this.head + index) % this.items.length];
  }

  set(index: number, value: T): void {
    this.items[(this.head + index) % this.items.length] = value;
  }

  /** Elements from start to end inclusive (already clamped by the caller). */
  slice(start: number, end: number): T[] {
    const out: T[] = [];
    for (let i = start; i <= end; i++) out.push(this.items[(this.head + i) % this.items.length] as T);
    return out;
  }

  toArray(): T[] {
    return this.slice(0, this.count - 1);
  }

  /** Replaces the whole content; used by operations that rebuild the list (LREM, LINSERT, LTRIM). */
  replaceAll(values: readonly T[]): void {
    this.items = new Array(Math.max(8, values.length));
    this.head = 0;
    this.count = 0;
    for (const value of values) this.pushBack(value);
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.count; i++) yield this.items[(this.head + i) % this.items.length] as T;
  }
}
