// Redis 7.0's performEvictions (evict.c): while the memory counted for eviction is above
// maxmemory, pick a key by the policy and delete it, propagating DEL (UNLINK with
// lazyfree-lazy-eviction) to replicas and the AOF and publishing the "evicted" event.
//
// LRU, LFU and volatile-ttl use Redis's approximation: each round samples maxmemory-samples keys
// per database into a 16-entry pool kept sorted by "idle" score (idle time, 255 - LFU counter,
// or how soon the TTL ends), and evicts the best candidate still present. The pool survives
// between calls, so good candidates found earlier are not forgotten.

import type { Db } from '../keyspace/db';
import type { KeyLedger } from './ledger';

export type Policy =
  | 'noeviction'
  | 'allkeys-lru'
  | 'volatile-lru'
  | 'allkeys-lfu'
  | 'volatile-lfu'
  | 'allkeys-random'
  | 'volatile-random'
  | 'volatile-ttl';

/** Redis's EVPOOL_SIZE. */
const POOL_SIZE = 16;

interface PoolEntry {
  dbIndex: number;
  key: string;
  idle: number;
}

/** What eviction needs of the server: the memory figures, the databases, and how to delete. */
export interface EvictionHost {
  readonly dbs: readonly Db[];
  ledgerFor(db: Db): KeyLedger;
  /** used_memory less what Redis does not count for eviction (replica buffers, AOF buffer). */
  memoryForEviction(): number;
  /** The sampled key's score: higher means a better candidate. */
  idleScore(policy: Policy, db: Db, key: string): number;
  /** Deletes the key as an eviction (stats, propagation, event); false if it was already gone. */
  evict(db: Db, key: string): boolean;
  random(): number;
}

export interface EvictionSettings {
  maxmemory: number;
  policy: Policy;
  samples: number;
}

export type EvictionResult = 'ok' | 'fail';

export class Evictor {
  private pool: PoolEntry[] = [];
  private nextDb = 0;

  constructor(private readonly host: EvictionHost) {}

  /** Frees memory down to maxmemory when possible; 'fail' tells the caller to refuse denyoom commands. */
  performEvictions(settings: EvictionSettings): EvictionResult {
    if (this.host.memoryForEviction() <= settings.maxmemory) return 'ok';
    if (settings.policy === 'noeviction') return 'fail';
    while (this.host.memoryForEviction() > settings.maxmemory) {
      const victim = settings.policy.endsWith('random') ? this.pickRandom(settings.policy) : this.pickFromPool(settings);
      if (!victim) return 'fail';
      const before = this.host.memoryForEviction();
      this.host.evict(victim.db, victim.key);
      // A key that could not be removed (expiry held by CLIENT PAUSE) would be picked forever.
      if (this.host.memoryForEviction() >= before) return 'fail';
    }
    return 'ok';
  }

  /** Forgets pooled candidates (FLUSHALL, a policy change): they may name keys that are gone. */
  reset(): void {
    this.pool = [];
  }

  private volatileOnly(policy: Policy): boolean {
    return policy.startsWith('volatile');
  }

  private pickRandom(policy: Policy): { db: Db; key: string } | null {
    const dbs = this.host.dbs;
    for (let i = 0; i < dbs.length; i++) {
      const db = dbs[++this.nextDb % dbs.length];
      const [key] = this.host.ledgerFor(db).sample(this.volatileOnly(policy), 1, this.host.random);
      if (key !== undefined) return { db, key };
    }
    return null;
  }

  private pickFromPool(settings: EvictionSettings): { db: Db; key: string } | null {
    const volatile = this.volatileOnly(settings.policy);
    for (;;) {
      let candidates = 0;
      for (const db of this.host.dbs) {
        const ledger = this.host.ledgerFor(db);
        const count = volatile ? ledger.volatileSize : ledger.size;
        if (count === 0) continue;
        candidates += count;
        for (const key of ledger.sample(volatile, settings.samples, this.host.random)) {
          this.offer({ dbIndex: db.index, key, idle: this.host.idleScore(settings.policy, db, key) });
        }
      }
      if (candidates === 0) return null;
      // The best candidate is at the right end; entries whose key has gone are dropped.
      while (this.pool.length > 0) {
        const entry = this.pool.pop() as PoolEntry;
        const db = this.host.dbs[entry.dbIndex];
        const ledger = db ? this.host.ledgerFor(db) : undefined;
        if (ledger && (volatile ? ledger.isVolatile(entry.key) : ledger.has(entry.key))) return { db, key: entry.key };
      }
    }
  }

  /** evictionPoolPopulate's insertion: ascending by idle, dropping the worst when full. */
  private offer(entry: PoolEntry): void {
    const pool = this.pool;
    for (const pooled of pool) {
      if (pooled.key === entry.key && pooled.dbIndex === entry.dbIndex) {
        pooled.idle = entry.idle;
        pool.sort((a, b) => a.idle - b.idle);
        return;
      }
    }
    let k = 0;
    while (k < pool.length && pool[k].idle < entry.idle) k++;
    if (pool.length >= POOL_SIZE) {
      if (k === 0) return;
      pool.shift();
      k--;
    }
    pool.splice(k, 0, entry);
  }
}
