// The node's memory model and maxmemory: what used_memory reports and what eviction reads.
//
//   used_memory = startup + dataset + client buffers + replication backlog
//
// The dataset part moves exactly with every write and delete (per-key charges, ledger.ts); the
// client and backlog parts are re-read at most once per cron tick and at every INFO, since summing
// every client on each command would cost more than the figure is worth. Replicas' output and
// the AOF buffer are in used_memory but not counted for eviction (mem_not_counted_for_evict),
// as in Redis: evicting to make room for them would feed the very stream that grows them.

import type { Clock } from '../clock';
import type { ConfigStore } from '../config';
import type { Db } from '../keyspace/db';
import type { Value } from '../keyspace/values';
import type { KeyspaceEvents } from '../keyspace-events';
import { NOTIFY_EVICTED } from '../keyspace-events';
import type { Logger } from '../log';
import type { Propagation } from '../propagation';
import type { ServerStats } from '../stats';
import { idleMs, lfuDecayed, lfuInitial, lfuTouched, lruClock, type LfuSettings } from './access-clock';
import { Evictor, type EvictionResult, type Policy } from './eviction';
import { Ledgers } from './ledger';

/**
 * What an empty redis-server 7.0.15 (jemalloc) reports as used_memory_startup: the model's fixed
 * base, so that a maxmemory chosen for Redis leaves the node about the same room for data.
 */
export const STARTUP_BYTES = 876208;

/**
 * What each connection adds to redis-server 7.0.15's used_memory here while idle (client struct,
 * reply buffer, query buffer): about 10 KB, measured with ten idle connections. A client's
 * buffered bytes come on top.
 */
export const CLIENT_BASE_BYTES = 10 * 1024;

export interface MemoryHost {
  readonly config: ConfigStore;
  readonly clock: Clock;
  readonly dbs: Db[];
  readonly stats: ServerStats;
  readonly propagation: Propagation;
  readonly keyspaceEvents: KeyspaceEvents;
  readonly logger: Logger;
  readonly loading: boolean;
  readonly pause: { readonly active: boolean };
  readonly replication: { isReplica(): boolean };
  /** When the running command started (null between commands): one clock read serves its every key. */
  readonly commandTimeMs: number | null;
  signalKeyModified(db: Db, key: string): void;
}

/** Memory outside the dataset, sampled: normal clients', replicas' buffers, the backlog. */
export interface OverheadProbe {
  /** replicaOutput: what replicas' connections hold beyond their base, the part not counted for eviction. */
  clientBuffers(): { normal: number; replicas: number; replicaOutput: number };
  backlogBytes(): number;
}

export class ServerMemory {
  readonly ledgers: Ledgers;
  private readonly evictor: Evictor;
  private policy: Policy;
  private lfu: boolean;
  private readonly lfuSettings: LfuSettings;
  private touchSuspended = 0;
  /**
   * Whether reads update keys' access fields. Each update is a second hash lookup per command, so
   * it is on only where something reads the fields: eviction by LRU or LFU, an LFU policy (OBJECT
   * FREQ), or once OBJECT IDLETIME/FREQ has been asked. Until then a key's idle time runs from its
   * last write (writes always record it, with the charge they update anyway).
   */
  private readsTracked = false;
  private accessQueried = false;
  private overhead = { normal: 0, replicas: 0, replicaOutput: 0, backlog: 0 };
  peak = STARTUP_BYTES;
  /** maxmemory, kept as a number: the dispatcher reads it before every command. */
  maxmemory: number;

  constructor(
    private readonly host: MemoryHost,
    private readonly probe: OverheadProbe,
    private readonly random: () => number = Math.random,
  ) {
    const config = host.config;
    this.policy = config.get('maxmemory-policy') as Policy;
    this.lfu = this.policy.includes('lfu');
    this.maxmemory = config.getInt('maxmemory');
    this.lfuSettings = { logFactor: config.getInt('lfu-log-factor'), decayTime: config.getInt('lfu-decay-time'), random };
    config.onChange('maxmemory-policy', (value) => {
      this.policy = value as Policy;
      this.lfu = value.includes('lfu');
      this.evictor.reset();
      this.updateReadTracking();
    });
    config.onChange('lfu-log-factor', (value) => (this.lfuSettings.logFactor = Number(value)));
    config.onChange('lfu-decay-time', (value) => (this.lfuSettings.decayTime = Number(value)));
    config.onChange('maxmemory', (value) => {
      this.maxmemory = config.getInt('maxmemory');
      this.updateReadTracking();
      const used = this.usedForEviction();
      if (Number(value) > 0 && Number(value) < used) {
        host.logger.warning(
          `WARNING: the new maxmemory value set via CONFIG SET (${value}) is smaller than the current memory usage (${used}). This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy.`,
        );
        // Redis starts evicting at once, not at the next command: a client waiting for the
        // `evicted` events gets them even if nothing else is sent. Right after the command (and
        // its transaction) ends, so that what it propagates stays in one piece.
        setImmediate(() => this.beforeCommand());
      }
    });
    this.ledgers = new Ledgers(() => this.initialAccess());
    this.evictor = new Evictor({
      // The host replaces its dbs array on SWAPDB and reload: always read the current one.
      get dbs() {
        return host.dbs;
      },
      ledgerFor: (db) => this.ledgers.ledgerFor(db),
      memoryForEviction: () => this.usedForEviction(),
      idleScore: (policy, db, key) => this.idleScore(policy, db, key),
      evict: (db, key) => this.evict(db, key),
      random,
    });
    this.updateReadTracking();
  }

  private updateReadTracking(): void {
    const usesAccess = this.policy.endsWith('lru') || this.lfu;
    this.readsTracked = this.accessQueried || this.lfu || (this.maxmemory > 0 && usesAccess);
  }

  private initialAccess(): number {
    const now = this.host.clock.now();
    return this.lfu ? lfuInitial(now) : lruClock(now);
  }

  /** After any change to a key (or its removal): recharge it. A write is an access under LRU. */
  account(db: Db, key: string, valueAtHand?: Value): void {
    const ledger = this.ledgers.ledgerFor(db, key);
    const value = valueAtHand ?? db.data.get(key);
    if (value === undefined) return ledger.release(key);
    const now = this.host.commandTimeMs ?? this.host.clock.now();
    const slot = ledger.charge(key, value, db.expires.size > 0 && db.expires.has(key), this.lfu ? lfuInitial(now) : lruClock(now));
    if (!this.lfu && this.touchSuspended === 0) ledger.setAccessAt(slot, lruClock(now));
  }

  /** A lookup found the key (reads and writes alike, as Redis's lookupKey): update its access field. */
  touch(db: Db, key: string): void {
    if (!this.readsTracked || this.touchSuspended > 0) return;
    const ledger = this.ledgers.ledgerFor(db);
    const slot = ledger.slotOf(key);
    if (slot === undefined) return;
    const now = this.host.commandTimeMs ?? this.host.clock.now();
    ledger.setAccessAt(slot, this.lfu ? lfuTouched(ledger.accessAt(slot), now, this.lfuSettings) : lruClock(now));
  }

  /** Runs a lookup that must not count as an access (OBJECT, as Redis's LOOKUP_NOTOUCH). */
  withoutTouch<T>(lookup: () => T): T {
    this.touchSuspended++;
    try {
      return lookup();
    } finally {
      this.touchSuspended--;
    }
  }

  /** OBJECT IDLETIME, in seconds; undefined when the key has no record. */
  idleSeconds(db: Db, key: string): number | undefined {
    this.noteAccessQueried();
    const field = this.ledgers.ledgerFor(db).accessOf(key);
    return field === undefined ? undefined : Math.floor(idleMs(field, this.host.clock.now()) / 1000);
  }

  /** OBJECT FREQ: the decayed counter, not stored back (as LFUDecrAndReturn). */
  frequency(db: Db, key: string): number | undefined {
    this.noteAccessQueried();
    const field = this.ledgers.ledgerFor(db).accessOf(key);
    return field === undefined ? undefined : lfuDecayed(field, this.host.clock.now(), this.lfuSettings);
  }

  private noteAccessQueried(): void {
    if (this.accessQueried) return;
    this.accessQueried = true;
    this.updateReadTracking();
  }

  private idleScore(policy: Policy, db: Db, key: string): number {
    const field = this.ledgers.ledgerFor(db).accessOf(key) ?? 0;
    const now = this.host.clock.now();
    if (policy === 'volatile-ttl') return Number.MAX_SAFE_INTEGER - (db.expires.get(key) ?? Number.MAX_SAFE_INTEGER);
    if (policy.endsWith('lfu')) return 255 - lfuDecayed(field, now, this.lfuSettings);
    return idleMs(field, now);
  }

  private evict(db: Db, key: string): boolean {
    const host = this.host;
    if (!db.delete(key)) return false;
    host.propagation.also(db.index, [host.config.getBool('lazyfree-lazy-eviction') ? 'UNLINK' : 'DEL', key]);
    host.keyspaceEvents.notify(NOTIFY_EVICTED, 'evicted', key, db.index);
    host.stats.evictedKeys++;
    return true;
  }

  datasetBytes(): number {
    let total = 0;
    for (const db of this.host.dbs) total += this.ledgers.ledgerFor(db).totalBytes;
    return total;
  }


  /** Re-reads client buffers and the backlog (cron, INFO). */
  refreshOverhead(): void {
    const clients = this.probe.clientBuffers();
    this.overhead = { ...clients, backlog: this.probe.backlogBytes() };
    this.peak = Math.max(this.peak, this.usedMemory());
  }

  usedMemory(): number {
    const o = this.overhead;
    return STARTUP_BYTES + this.datasetBytes() + o.normal + o.replicas + o.backlog;
  }

  notCountedForEvict(): number {
    return this.overhead.replicaOutput;
  }

  usedForEviction(): number {
    return this.usedMemory() - this.notCountedForEvict();
  }

  get overheadFigures(): Readonly<{ normal: number; replicas: number; backlog: number }> {
    return this.overhead;
  }

  /**
   * Before a command (processCommand): evict if over maxmemory. 'fail' when memory could not be
   * freed; the dispatcher then refuses denyoom commands (and any command queued in MULTI) with OOM.
   */
  beforeCommand(): EvictionResult {
    this.lastResult = this.evictIfNeeded();
    return this.lastResult;
  }

  /** What the last command's eviction ended with (Redis's pre_command_oom_state, which scripts consult). */
  lastResult: EvictionResult = 'ok';

  private evictIfNeeded(): EvictionResult {
    const config = this.host.config;
    const maxmemory = this.maxmemory;
    if (maxmemory === 0 || this.host.loading || this.host.pause.active) return 'ok';
    if (this.host.replication.isReplica() && config.getBool('replica-ignore-maxmemory')) return 'ok';
    return this.evictor.performEvictions({ maxmemory, policy: this.policy, samples: config.getInt('maxmemory-samples') });
  }
}
