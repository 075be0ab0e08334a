// A point-in-time view of the keyspace that stays consistent while the node keeps serving writes:
// the fork() of Redis's BGSAVE, done in-process with copy-on-write by key.
//
// At creation it records each database's key list (cheap: an array of references). Afterwards,
// the first time any of those keys is about to change, the database hands the snapshot the old
// value and TTL (collections are cloned, strings are immutable). Reading the snapshot returns the
// saved old value when there is one, else the live value, which has not changed since creation.
// FLUSHDB/FLUSHALL replace the database's maps instead of clearing them, so the snapshot keeps the old ones.

import type { Db } from './db';
import type { Value } from './values';
import { cloneValue } from './clone';

const ABSENT = Symbol('absent');

export interface SnapshotEntry {
  key: string;
  value: Value;
  /** Absolute expiry in unix ms, or undefined. */
  expireMs: number | undefined;
}

/** What one database looked like at the snapshot's point in time. */
export class DbSnapshot {
  readonly keys: string[];
  private readonly saved = new Map<string, Value | typeof ABSENT>();
  private readonly savedExpires = new Map<string, number | undefined>();

  constructor(
    readonly index: number,
    readonly data: Map<string, Value>,
    readonly expires: Map<string, number>,
  ) {
    this.keys = Array.from(data.keys());
  }

  get size(): number {
    return this.keys.length;
  }

  get expiresCount(): number {
    return this.expires.size;
  }

  /** Called by the database before `key` changes: keeps the value it had at the snapshot point. */
  preserve(key: string): void {
    if (this.saved.has(key)) return;
    const value = this.data.get(key);
    this.saved.set(key, value === undefined ? ABSENT : cloneValue(value));
    this.savedExpires.set(key, this.expires.get(key));
  }

  /** The entry at position i of the key list, or null when the key did not exist at the point in time. */
  entryAt(i: number): SnapshotEntry | null {
    const key = this.keys[i];
    let value: Value | undefined;
    let expireMs: number | undefined;
    if (this.saved.has(key)) {
      const saved = this.saved.get(key);
      if (saved === ABSENT || saved === undefined) return null;
      value = saved;
      expireMs = this.savedExpires.get(key);
    } else {
      value = this.data.get(key);
      if (value === undefined) return null;
      expireMs = this.expires.get(key);
    }
    return { key, value, expireMs };
  }

  *entries(): IterableIterator<SnapshotEntry> {
    for (let i = 0; i < this.keys.length; i++) {
      const entry = this.entryAt(i);
      if (entry) yield entry;
    }
  }
}

export class KeyspaceSnapshot {
  readonly dbs: DbSnapshot[];
  private released = false;

  constructor(private readonly liveDbs: Db[]) {
    this.dbs = liveDbs.map((db) => {
      const view = new DbSnapshot(db.index, db.data, db.expires);
      db.attachSnapshot(view);
      return view;
    });
  }

  /** Stops copy-on-write; call when the snapshot has been fully written. */
  release(): void {
    if (this.released) return;
    this.released = true;
    for (const db of this.liveDbs) for (const view of this.dbs) db.detachSnapshot(view);
  }
}
