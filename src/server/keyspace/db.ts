// One numbered database: the key -> value map and the key -> expiry map.
//
// Expiry is lazy (checked on every lookup) plus an active sweep (see expiry.ts), like Redis.
// On a replica, expired keys are hidden from reads but only removed when the master's DEL arrives,
// so the replica never diverges from the master's stream.

import type { Value } from './values';

/** String encodings OBJECT ENCODING cannot infer from the bytes (see Db.stringEncodings). */
export type StringEncoding = 'raw' | 'embstr';

export interface KeyspaceHooks {
  now(): number;
  /** False on a replica: expired keys are then hidden but kept until the master deletes them. */
  mayDeleteExpired(): boolean;
  /** True while applying our master's stream: its commands see keys it has not expired yet. */
  expiredKeysVisible(): boolean;
  /**
   * True while clients are paused (CLIENT PAUSE, a failover): an expired key is hidden but not
   * deleted, so the dataset and the replication offset stand still, as in Redis 7.0.
   */
  expiryHeld(): boolean;
  /** Called when a key is removed because it expired (propagated as DEL by the master). */
  onExpired(db: Db, key: string): void;
  /** Called when a write adds a key that was not there (the "new" keyspace event). */
  onNewKey(db: Db, key: string): void;
  /** Called for every key a write touches (WATCH invalidation). */
  /** `value` when the caller has it at hand (SET, replace): saves the hook a lookup. */
  onKeyModified(db: Db, key: string, value?: Value): void;
  /** Called before FLUSHDB/FLUSHALL empties the db (WATCH invalidation of every watched key). */
  onDbCleared(db: Db): void;
  /** Called when a lookup finds a live key: its LRU/LFU access field moves (memory/server-memory.ts). */
  onAccess?(db: Db, key: string): void;
}

/**
 * An open point-in-time view of one database (keyspace/snapshot.ts): it reads the maps it was made
 * from, and keeps a key's old value when asked before that key changes.
 */
export interface CopyOnWriteView {
  readonly data: Map<string, Value>;
  preserve(key: string): void;
}

export class Db {
  data = new Map<string, Value>();
  /** Absolute expiry in unix milliseconds, only for keys that have one. */
  expires = new Map<string, number>();
  /**
   * Keys whose string Redis holds in an encoding its content alone does not decide: raw (a growable
   * sds) after APPEND, SETRANGE or a bit command changed it in place; embstr for INCRBYFLOAT's
   * result, which is never turned into an int. Any other write of the key forgets it.
   */
  private stringEncodings = new Map<string, StringEncoding>();
  /** Point-in-time views being written (BGSAVE, full sync) that need old values before changes. */
  private snapshots: CopyOnWriteView[] = [];

  constructor(
    public index: number,
    private readonly hooks: KeyspaceHooks,
  ) {}

  get size(): number {
    return this.data.size;
  }

  /** True when the key has logically expired; deletes it where this node is allowed to. */
  private expireIfNeeded(key: string): boolean {
    const when = this.expires.get(key);
    if (when === undefined || when > this.hooks.now()) return false;
    if (this.hooks.mayDeleteExpired()) {
      if (this.hooks.expiryHeld()) return true;
      if (this.snapshots.length > 0) this.beforeWrite(key);
      this.data.delete(key);
      this.expires.delete(key);
      this.stringEncodings.delete(key);
      this.hooks.onExpired(this, key);
      return true;
    }
    // A replica's clock may run ahead of its master's: the master decides, and sends DEL.
    return !this.hooks.expiredKeysVisible();
  }

  /** The live value of a key, or undefined when it is missing or expired. */
  get(key: string): Value | undefined {
    if (this.expires.size > 0 && this.expireIfNeeded(key)) return undefined;
    const value = this.data.get(key);
    if (value !== undefined) this.hooks.onAccess?.(this, key);
    return value;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Stores a value. The key's TTL is dropped unless keepTtl, as SET does. */
  set(key: string, value: Value, keepTtl = false): void {
    if (this.snapshots.length > 0) this.beforeWrite(key);
    if (!keepTtl && this.expires.size > 0) this.expires.delete(key);
    if (this.stringEncodings.size > 0) this.stringEncodings.delete(key);
    const sizeBefore = this.data.size;
    this.data.set(key, value);
    if (this.data.size > sizeBefore) this.hooks.onNewKey(this, key);
    this.hooks.onKeyModified(this, key, value);
  }

  /** Stores a value in place of an existing one, keeping its TTL (APPEND, SETRANGE, INCR). */
  replace(key: string, value: Value): void {
    if (this.snapshots.length > 0) this.beforeWrite(key);
    if (this.stringEncodings.size > 0) this.stringEncodings.delete(key);
    this.data.set(key, value);
    this.hooks.onKeyModified(this, key, value);
  }

  delete(key: string): boolean {
    if (this.snapshots.length > 0) this.beforeWrite(key);
    if (this.expires.size > 0) {
      if (this.expireIfNeeded(key)) return false;
      this.expires.delete(key);
    }
    const existed = this.data.delete(key);
    if (this.stringEncodings.size > 0) this.stringEncodings.delete(key);
    if (existed) this.hooks.onKeyModified(this, key);
    return existed;
  }

  /** The encoding Redis gives the key's string, where its content alone does not decide it. */
  markStringEncoding(key: string, encoding: StringEncoding): void {
    this.stringEncodings.set(key, encoding);
  }

  stringEncodingOf(key: string): StringEncoding | undefined {
    return this.stringEncodings.size > 0 ? this.stringEncodings.get(key) : undefined;
  }

  /** Signals an in-place change to a collection value (HSET on an existing hash...). */
  touched(key: string): void {
    this.hooks.onKeyModified(this, key);
  }

  setExpire(key: string, whenMs: number): void {
    if (this.snapshots.length > 0) this.beforeWrite(key);
    this.expires.set(key, whenMs);
    this.hooks.onKeyModified(this, key);
  }

  /** Milliseconds of the key's absolute expiry, or undefined when it has none. */
  getExpire(key: string): number | undefined {
    return this.expires.get(key);
  }

  persist(key: string): boolean {
    if (this.snapshots.length > 0) this.beforeWrite(key);
    const had = this.expires.delete(key);
    if (had) this.hooks.onKeyModified(this, key);
    return had;
  }

  clear(): void {
    this.hooks.onDbCleared(this);
    if (this.snapshots.length > 0) {
      // A snapshot still reads the old maps: leave them intact and start new ones.
      this.data = new Map();
      this.expires = new Map();
      this.snapshots = [];
    } else {
      this.data.clear();
      this.expires.clear();
    }
    this.stringEncodings = new Map();
    this.sweepCursor = null;
  }

  /**
   * Must run before any change to `key` while a snapshot is open (Db's own mutators do it; the
   * dispatcher does it for every argument of a write command, which covers in-place collection changes).
   */
  beforeWrite(key: string): void {
    for (const view of this.snapshots) {
      if (view.data === this.data) view.preserve(key);
    }
  }

  get hasSnapshots(): boolean {
    return this.snapshots.length > 0;
  }

  attachSnapshot(view: CopyOnWriteView): void {
    if (view.data === this.data) this.snapshots.push(view);
  }

  detachSnapshot(view: CopyOnWriteView): void {
    this.snapshots = this.snapshots.filter((v) => v !== view);
  }

  /** Keys that are not logically expired, without deleting anything (KEYS, SCAN, snapshots). */
  *liveKeys(): IterableIterator<string> {
    const now = this.hooks.now();
    for (const key of this.data.keys()) {
      const when = this.expires.size > 0 ? this.expires.get(key) : undefined;
      if (when !== undefined && when <= now) continue;
      yield key;
    }
  }

  isExpired(key: string): boolean {
    const when = this.expires.get(key);
    return when !== undefined && when <= this.hooks.now();
  }

  /** Active expiry: samples keys with a TTL and deletes the expired ones; returns how many. */
  sweepExpired(budget: number): number {
    if (this.expires.size === 0 || !this.hooks.mayDeleteExpired()) return 0;
    const now = this.hooks.now();
    let removed = 0;
    // A live Map iterator resumes where the last sweep stopped and tolerates deletions.
    this.sweepCursor ??= this.expires.entries();
    for (let checked = 0; checked < budget; checked++) {
      const step = this.sweepCursor.next();
      if (step.done) {
        this.sweepCursor = null;
        break;
      }
      const [key, when] = step.value;
      if (when <= now && this.expires.get(key) === when) {
        if (this.snapshots.length > 0) this.beforeWrite(key);
        this.data.delete(key);
        this.expires.delete(key);
        this.stringEncodings.delete(key);
        this.hooks.onExpired(this, key);
        removed++;
      }
    }
    return removed;
  }

  private sweepCursor: IterableIterator<[string, number]> | null = null;
}
