// Per database, what each key is charged (memory/estimate.ts) and its access field, plus dense
// arrays of all keys and of keys with a TTL. JS Maps have no random access, and eviction samples
// random keys the way Redis's dictGetSomeKeys does, so each key keeps its slot in those arrays
// (swap-remove on delete keeps them dense).
//
// A ledger belongs to a Db's `data` Map, not to the Db: SWAPDB and FLUSHALL-with-snapshot swap or
// replace the maps, and the ledger follows what it describes. Code that fills a map directly
// (RDB loading) bypasses the hooks; the count check in `ledgerFor` notices and rebuilds. A map
// cleared in place is forgotten explicitly, since it may be refilled to the same count unnoticed.

import type { Db } from '../keyspace/db';
import type { Value } from '../keyspace/values';
import { keyEntrySize, keyspaceTableBytes } from './estimate';

export interface KeyRecord {
  bytes: number;
  /** Redis's `lru` field: LRU clock seconds or LFU (minutes << 8 | counter), see access-clock.ts. */
  access: number;
  slot: number;
  /** Index in `volatile`, or -1 when the key has no TTL. */
  volatileSlot: number;
}

export class KeyLedger {
  readonly records = new Map<string, KeyRecord>();
  readonly all: string[] = [];
  readonly volatile: string[] = [];
  bytes = 0;

  /** Entries plus the main and expires dicts' bucket tables. */
  get totalBytes(): number {
    return this.bytes + keyspaceTableBytes(this.all.length) + keyspaceTableBytes(this.volatile.length);
  }

  /** Charges the key as it is now (value and TTL); a new key gets `initialAccess`. */
  charge(key: string, value: Value, hasExpire: boolean, initialAccess: number): KeyRecord {
    const bytes = keyEntrySize(key, value, hasExpire);
    let record = this.records.get(key);
    if (!record) {
      record = { bytes: 0, access: initialAccess, slot: this.all.length, volatileSlot: -1 };
      this.records.set(key, record);
      this.all.push(key);
    }
    this.bytes += bytes - record.bytes;
    record.bytes = bytes;
    if (hasExpire && record.volatileSlot < 0) {
      record.volatileSlot = this.volatile.length;
      this.volatile.push(key);
    } else if (!hasExpire && record.volatileSlot >= 0) {
      this.removeFrom(this.volatile, record.volatileSlot, 'volatileSlot');
      record.volatileSlot = -1;
    }
    return record;
  }

  release(key: string): void {
    const record = this.records.get(key);
    if (!record) return;
    this.bytes -= record.bytes;
    this.removeFrom(this.all, record.slot, 'slot');
    if (record.volatileSlot >= 0) this.removeFrom(this.volatile, record.volatileSlot, 'volatileSlot');
    this.records.delete(key);
  }

  private removeFrom(keys: string[], slot: number, field: 'slot' | 'volatileSlot'): void {
    const last = keys.pop() as string;
    if (slot < keys.length) {
      keys[slot] = last;
      (this.records.get(last) as KeyRecord)[field] = slot;
    }
  }

  /**
   * `count` random keys (repeats possible), or every key when there are no more than `count`:
   * dictGetSomeKeys likewise returns the whole dict when asked for as many keys as it holds.
   */
  sample(fromVolatile: boolean, count: number, random: () => number): string[] {
    const keys = fromVolatile ? this.volatile : this.all;
    if (keys.length <= count) return keys.slice();
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(keys[Math.floor(random() * keys.length)]);
    return out;
  }
}

/** The ledger of a db's current map, rebuilt when keys reached the map without the hooks. */
export class Ledgers {
  private readonly byMap = new WeakMap<Map<string, Value>, KeyLedger>();

  constructor(private readonly initialAccess: () => number) {}

  /**
   * `changedKey`: the key a hook reports, already added to or removed from the map, so one record
   * more or less than the map holds is expected and is not a reason to rebuild.
   */
  ledgerFor(db: Db, changedKey?: string): KeyLedger {
    let ledger = this.byMap.get(db.data);
    let expected = ledger ? ledger.records.size : -1;
    if (ledger && changedKey !== undefined) {
      const recorded = ledger.records.has(changedKey);
      const present = db.data.has(changedKey);
      if (present && !recorded) expected++;
      else if (!present && recorded) expected--;
    }
    if (!ledger || expected !== db.data.size) {
      const previous = ledger;
      ledger = new KeyLedger();
      const fresh = this.initialAccess();
      for (const [key, value] of db.data) {
        ledger.charge(key, value, db.expires.has(key), previous?.records.get(key)?.access ?? fresh);
      }
      this.byMap.set(db.data, ledger);
    }
    return ledger;
  }

  /** Drops a db's ledger before its map is cleared in place (FLUSHDB/FLUSHALL): the next use rebuilds it. */
  forget(db: Db): void {
    this.byMap.delete(db.data);
  }
}
