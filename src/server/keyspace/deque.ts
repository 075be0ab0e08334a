// A growable ring buffer for lists: O(1) push and pop at both ends and O(1) indexing.
// Middle insertions (LINSERT) shift the shorter side, so they stay cheap near either end as on
// Redis's quicklist; LREM compacts in one pass.
//
// The capacity is always a power of two so positions wrap with a mask instead of a modulo.

const MIN_CAPACITY = 8;

export class Deque<T> {
  private items: (T | undefined)[];
  private mask: number;
  private head = 0;
  private count = 0;

  constructor(capacity = MIN_CAPACITY) {
    const size = roundUpToPowerOfTwo(Math.max(MIN_CAPACITY, capacity));
    this.items = new Array(size);
    this.mask = size - 1;
  }

  static from<T>(values: Iterable<T>): Deque<T> {
    const array = Array.isArray(values) ? (values as readonly T[]) : [...values];
    const deque = new Deque<T>(array.length);
    for (let i = 0; i < array.length; i++) deque.items[i] = array[i];
    deque.count = array.length;
    return deque;
  }

  get length(): number {
    return this.count;
  }

  /** Moves the content to a fresh array of the given power-of-two size, starting at slot 0. */
  private resize(size: number): void {
    const next = new Array<T | undefined>(size);
    for (let i = 0; i < this.count; i++) next[i] = this.items[(this.head + i) & this.mask];
    this.items = next;
    this.mask = size - 1;
    this.head = 0;
  }

  /** Gives memory back after a list shrank a lot (LTRIM, popping most of a long list). */
  private maybeShrink(): void {
    const capacity = this.items.length;
    if (capacity > 64 && this.count < capacity >>> 2) this.resize(roundUpToPowerOfTwo(Math.max(MIN_CAPACITY, this.count * 2)));
  }

  pushBack(value: T): void {
    if (this.count === this.items.length) this.resize(this.items.length * 2);
    this.items[(this.head + this.count) & this.mask] = value;
    this.count++;
  }

  pushFront(value: T): void {
    if (this.count === this.items.length) this.resize(this.items.length * 2);
    this.head = (this.head - 1) & this.mask;
    this.items[this.head] = value;
    this.count++;
  }

  popFront(): T | undefined {
    if (this.count === 0) return undefined;
    const value = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.count--;
    if (this.count < this.items.length >>> 2) this.maybeShrink();
    return value;
  }

  popBack(): T | undefined {
    if (this.count === 0) return undefined;
    const index = (this.head + this.count - 1) & this.mask;
    const value = this.items[index];
    this.items[index] = undefined;
    this.count--;
    if (this.count < this.items.length >>> 2) this.maybeShrink();
    return value;
  }

  /** Element at a 0-based index from the front, or undefined when out of range. */
  at(index: number): T | undefined {
    if (index < 0 || index >= this.count) return undefined;
    return this.items[(this.head + index) & this.mask];
  }

  /** Replaces the element at an index the caller checked to be in range. */
  set(index: number, value: T): void {
    this.items[(this.head + index) & this.mask] = value;
  }

  /** Elements from start to end inclusive (already clamped by the caller). */
  slice(start: number, end: number): T[] {
    const out = new Array<T>(Math.max(0, end - start + 1));
    for (let i = start, o = 0; i <= end; i++, o++) out[o] = this.items[(this.head + i) & this.mask] as T;
    return out;
  }

  toArray(): T[] {
    return this.slice(0, this.count - 1);
  }

  /** Drops n elements from the front (n already clamped to the length). */
  removeFront(n: number): void {
    for (let i = 0; i < n; i++) this.items[(this.head + i) & this.mask] = undefined;
    this.head = (this.head + n) & this.mask;
    this.count -= n;
    this.maybeShrink();
  }

  /** Drops n elements from the back (n already clamped to the length). */
  removeBack(n: number): void {
    for (let i = this.count - n; i < this.count; i++) this.items[(this.head + i) & this.mask] = undefined;
    this.count -= n;
    this.maybeShrink();
  }

  /** Inserts before the element at index (index === length appends), shifting the shorter side. */
  insertAt(index: number, value: T): void {
    if (index <= 0) return this.pushFront(value);
    if (index >= this.count) return this.pushBack(value);
    if (this.count === this.items.length) this.resize(this.items.length * 2);
    const items = this.items;
    const mask = this.mask;
    if (index < this.count - index) {
      // Shift the first `index` elements one slot towards the front.
      this.head = (this.head - 1) & mask;
      for (let i = 0; i < index; i++) items[(this.head + i) & mask] = items[(this.head + i + 1) & mask];
    } else {
      for (let i = this.count; i > index; i--) items[(this.head + i) & mask] = items[(this.head + i - 1) & mask];
    }
    items[(this.head + index) & mask] = value;
    this.count++;
  }

  /**
   * Removes up to `limit` elements equal to `value` (0 = all), scanning from the front or from
   * the back as LREM does, in one compacting pass. Returns how many were removed.
   */
  removeMatching(value: T, limit: number, fromBack: boolean): number {
    const items = this.items;
    const mask = this.mask;
    const n = this.count;
    let removed = 0;
    if (!fromBack) {
      let write = 0;
      for (let read = 0; read < n; read++) {
        const item = items[(this.head + read) & mask];
        if (item === value && (limit === 0 || removed < limit)) {
          removed++;
          continue;
        }
        if (write !== read) items[(this.head + write) & mask] = item;
        write++;
      }
      for (let i = write; i < n; i++) items[(this.head + i) & mask] = undefined;
    } else {
      let write = n - 1;
      for (let read = n - 1; read >= 0; read--) {
        const item = items[(this.head + read) & mask];
        if (item === value && (limit === 0 || removed < limit)) {
          removed++;
          continue;
        }
        if (write !== read) items[(this.head + write) & mask] = item;
        write--;
      }
      for (let i = 0; i <= write; i++) items[(this.head + i) & mask] = undefined;
      this.head = (this.head + removed) & mask;
    }
    this.count -= removed;
    if (removed > 0) this.maybeShrink();
    return removed;
  }

  /** Replaces the whole content. */
  replaceAll(values: readonly T[]): void {
    const size = roundUpToPowerOfTwo(Math.max(MIN_CAPACITY, values.length));
    this.items = new Array(size);
    this.mask = size - 1;
    this.head = 0;
    this.count = values.length;
    for (let i = 0; i < values.length; i++) this.items[i] = values[i];
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.count; i++) yield this.items[(this.head + i) & this.mask] as T;
  }
}

function roundUpToPowerOfTwo(n: number): number {
  let size = MIN_CAPACITY;
  while (size < n) size *= 2;
  return size;
}
