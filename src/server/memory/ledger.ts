// Per database, what each key is charged (memory/estimate.ts) and its access field, plus the
// keys with a TTL. JS Maps have no random access, and eviction samples random keys the way Redis's
// dictGetSomeKeys does, so every key has a slot in dense arrays (swap-remove on delete keeps them
// dense). The per-key data sits in typed arrays indexed by slot rather than in an object per key:
// the ledger costs about 60 bytes a key instead of about 100, which matters next to values of 16 bytes.
//
// A ledger belongs to a Db's `data` Map, not to the Db: SWAPDB and FLUSHALL-with-snapshot swap or
// replace the maps, and the ledger follows what it describes. Code that fills a map directly
// (RDB loading) bypasses the hooks; the count check in `ledgerFor` notices and rebuilds. A map
// cleared in place is forgotten explicitly, since it may be refilled to the same count unnoticed.

import type { Db } from '../keyspace/db';
import type { Value } from '../keyspace/values';
import { keyEntrySize, keyspaceTableBytes } from './estimate';

const INITIAL_CAPACITY = 16;
const MAX_CHARGE = 0xffffffff;

function grown<T extends Uint32Array | Int32Array>(array: T, needed: number, make: (n: number) => T): T {
  if (needed <= array.length) return array;
  const next = make(Math.max(needed, array.length * 2));
  next.set(array);
  return next;
}

export class KeyLedger {
  private readonly slots = new Map<string, number>();
  private readonly keys: string[] = [];
  private charges = new Uint32Array(INITIAL_CAPACITY);
  /** Redis's `lru` field per slot: LRU clock seconds or LFU (minutes << 8 | counter), see access-clock.ts. */
  private access = new Uint32Array(INITIAL_CAPACITY);
  /** Position of the slot in `volatileSlots`, or -1 when the key has no TTL. */
  private volatileIndex = new Int32Array(INITIAL_CAPACITY);
  /** Slots of the keys that have a TTL, dense. */
  private volatileSlots = new Int32Array(INITIAL_CAPACITY);
  private volatileCount = 0;
  bytes = 0;

  get size(): number {
    return this.keys.length;
  }

  get volatileSize(): number {
    return this.volatileCount;
  }

  /** Entries plus the main and expires dicts' bucket tables. */
  get totalBytes(): number {
    return this.bytes + keyspaceTableBytes(this.keys.length) + keyspaceTableBytes(this.volatileCount);
  }

  has(key: string): boolean {
    return this.slots.has(key);
  }

  isVolatile(key: string): boolean {
    const slot = this.slots.get(key);
    return slot !== undefined && this.volatileIndex[slot] >= 0;
  }

  accessOf(key: string): number | undefined {
    const slot = this.slots.get(key);
    return slot === undefined ? undefined : this.access[slot];
  }

  slotOf(key: string): number | undefined {
    return this.slots.get(key);
  }

  accessAt(slot: number): number {
    return this.access[slot];
  }

  setAccessAt(slot: number, field: number): void {
    this.access[slot] = field;
  }

  /** Charges the key as it is now (value and TTL); a new key gets `initialAccess`. Returns its slot. */
  charge(key: string, value: Value, hasExpire: boolean, initialAccess: number): number {
    const bytes = Math.min(MAX_CHARGE, keyEntrySize(key, value, hasExpire));
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.keys.length;
      this.keys.push(key);
      this.slots.set(key, slot);
      this.charges = grown(this.charges, slot + 1, (n) => new Uint32Array(n));
      this.access = grown(this.access, slot + 1, (n) => new Uint32Array(n));
      this.volatileIndex = grown(this.volatileIndex, slot + 1, (n) => new Int32Array(n));
      this.charges[slot] = 0;
      this.access[slot] = initialAccess;
      this.volatileIndex[slot] = -1;
    }
    this.bytes += bytes - this.charges[slot];
    this.charges[slot] = bytes;
    const volatile = this.volatileIndex[slot] >= 0;
    if (hasExpire && !volatile) this.addVolatile(slot);
    else if (!hasExpire && volatile) this.removeVolatile(slot);
    return slot;
  }

  release(key: string): void {
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    this.bytes -= this.charges[slot];
    if (this.volatileIndex[slot] >= 0) this.removeVolatile(slot);
    this.slots.delete(key);
    const last = this.keys.length - 1;
    const moved = this.keys.pop() as string;
    if (slot === last) return;
    // The last slot moves into the freed one, with everything kept for it.
    this.keys[slot] = moved;
    this.slots.set(moved, slot);
    this.charges[slot] = this.charges[last];
    this.access[slot] = this.access[last];
    const position = this.volatileIndex[last];
    this.volatileIndex[slot] = position;
    if (position >= 0) this.volatileSlots[position] = slot;
  }

  private addVolatile(slot: number): void {
    this.volatileSlots = grown(this.volatileSlots, this.volatileCount + 1, (n) => new Int32Array(n));
    this.volatileIndex[slot] = this.volatileCount;
    this.volatileSlots[this.volatileCount++] = slot;
  }

  private removeVolatile(slot: number): void {
    const position = this.volatileIndex[slot];
    const lastSlot = this.volatileSlots[--this.volatileCount];
    this.volatileSlots[position] = lastSlot;
    this.volatileIndex[lastSlot] = position;
    this.volatileIndex[slot] = -1;
  }

  /**
   * `count` random keys (repeats possible), or every key when there are no more than `count`:
   * dictGetSomeKeys likewise returns the whole dict when asked for as many keys as it holds.
   */
  sample(fromVolatile: boolean, count: number, random: () => number): string[] {
    const total = fromVolatile ? this.volatileCount : this.keys.length;
    const keyAt = (i: number) => this.keys[fromVolatile ? this.volatileSlots[i] : i];
    const out: string[] = [];
    if (total <= count) {
      for (let i = 0; i < total; i++) out.push(keyAt(i));
      return out;
    }
    for (let i = 0; i < count; i++) out.push(keyAt(Math.floor(random() * total)));
    return out;
  }
}

/** The ledger of a db's current map, rebuilt when keys reached the map without the hooks. */
export class Ledgers {
  private readonly byMap = new WeakMap<Map<string, Value>, KeyLedger>();
  /** The last map asked about and its ledger: most commands touch one db, and WeakMap lookups are not free. */
  private lastMap: Map<string, Value> | null = null;
  private lastLedger: KeyLedger | null = null;

  constructor(private readonly initialAccess: () => number) {}

  /**
   * `changedKey`: the key a hook reports, already added to or removed from the map, so one record
   * more or less than the map holds is expected and is not a reason to rebuild.
   */
  ledgerFor(db: Db, changedKey?: string): KeyLedger {
    let ledger = db.data === this.lastMap ? (this.lastLedger as KeyLedger) : this.byMap.get(db.data);
    let expected = ledger ? ledger.size : -1;
    if (ledger && expected === db.data.size) return this.remember(db, ledger);
    if (ledger && changedKey !== undefined) {
      const recorded = ledger.has(changedKey);
      const present = db.data.has(changedKey);
      if (present && !recorded) expected++;
      else if (!present && recorded) expected--;
    }
    if (!ledger || expected !== db.data.size) {
      const previous = ledger;
      ledger = new KeyLedger();
      const fresh = this.initialAccess();
      for (const [key, value] of db.data) {
        ledger.charge(key, value, db.expires.has(key), previous?.accessOf(key) ?? fresh);
      }
      this.byMap.set(db.data, ledger);
    }
    return this.remember(db, ledger);
  }

  private remember(db: Db, ledger: KeyLedger): KeyLedger {
    this.lastMap = db.data;
    this.lastLedger = ledger;
    return ledger;
  }

  /** Drops a db's ledger before its map is cleared in place (FLUSHDB/FLUSHALL): the next use rebuilds it. */
  forget(db: Db): void {
    this.byMap.delete(db.data);
    if (this.lastMap === db.data) this.lastMap = this.lastLedger = null;
  }
}
