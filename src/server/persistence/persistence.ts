// The node's persistence: RDB snapshots (SAVE, BGSAVE, save points, a save at SHUTDOWN), the
// dataset and replication state loaded at start, and the AOF when appendonly is on.
//
// BGSAVE does not fork: it takes an in-process copy-on-write snapshot (keyspace/snapshot.ts) and
// streams it to disk in slices between client requests, so the file is a point-in-time view
// while the node keeps answering.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { effectiveDir } from './config-rewrite';
import type { Server } from '../server';
import { KeyspaceSnapshot } from '../keyspace/snapshot';
import { defaultPersistenceInfo, type PersistenceInfo } from '../info';
import { loadRdbFile, loadRdbFileSync, saveRdbInBackground, saveRdbSync, RdbSaveError } from './rdb-file';
import { AppendOnlyFile } from './aof';
import { AofReplyBarrier } from './aof-reply-barrier';
import { removeDeadSaveFiles } from './crash-leftovers';
import type { RdbReplicationInfo } from '../rdb/writer';

/** After a failed BGSAVE, save points wait this long before trying again (Redis's CONFIG_BGSAVE_RETRY_DELAY). */
const BGSAVE_RETRY_DELAY_MS = 5000;

export class StartupLoadError extends Error {}

export class Persistence {
  bgsaveInProgress = false;
  private bgsaveStartedAt = 0;
  lastBgsaveStatus: 'ok' | 'err' = 'ok';
  private lastBgsaveTryAt = 0;
  private lastBgsaveSeconds = -1;
  private saves = 0;
  private dirtyAtSaveStart = 0;
  private lastLoadKeys = 0;
  private lastLoadExpired = 0;
  readonly aof: AppendOnlyFile;
  readonly replyBarrier: AofReplyBarrier;
  /** Waiters for the running BGSAVE (SHUTDOWN, tests). */
  private bgsaveDone: Promise<void> | null = null;
  private bgsaveAbort = { aborted: false };

  constructor(private readonly server: Server) {
    this.aof = new AppendOnlyFile(server);
    this.replyBarrier = new AofReplyBarrier(this.aof);
    server.shutdownHooks.push((options) => this.onShutdown(options));
  }

  private get dir(): string {
    return effectiveDir(this.server.config);
  }

  get rdbPath(): string {
    return join(this.dir, this.server.config.get('dbfilename'));
  }

  /** What an RDB says about replication, so a restart can continue instead of resyncing. */
  private replicationInfo(): RdbReplicationInfo | undefined {
    const replication = this.server.replication;
    if (replication.isReplica()) {
      if (replication.link && replication.linkUp()) {
        return { replId: replication.replid, offset: replication.offset, streamDb: replication.link.streamDb };
      }
      if (replication.cachedMaster) {
        return { replId: replication.cachedMaster.replid, offset: replication.cachedMaster.offset, streamDb: replication.cachedMaster.db };
      }
      return undefined;
    }
    if (!replication.backlog) return undefined;
    return { replId: replication.replid, offset: replication.offset, streamDb: replication.lastSelectedDb === -1 ? 0 : replication.lastSelectedDb };
  }

  /** SAVE. Throws RdbSaveError with the logged reason. */
  saveNow(): void {
    const snapshot = new KeyspaceSnapshot(this.server.dbs);
    const dirtyBefore = this.server.dirty;
    try {
      saveRdbSync(snapshot, this.rdbPath, { compression: this.server.config.getBool('rdbcompression'), replication: this.replicationInfo(), functions: this.server.scripting.functions.codes() });
    } catch (error) {
      this.server.logger.warning((error as Error).message);
      this.lastBgsaveStatus = 'err';
      this.server.lastBgsaveFailed = true;
      throw error;
    } finally {
      snapshot.release();
    }
    this.server.logger.notice('DB saved on disk');
    this.afterSuccessfulSave(dirtyBefore);
  }

  /**
   * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: saves (unless NOSAVE), empties the dataset and the
   * function libraries (unless NOFLUSH), then loads the file again. Returns Redis's error or null.
   */
  debugReload(options: { merge: boolean; noflush: boolean; nosave: boolean }): string | null {
    const server = this.server;
    if (!options.nosave) {
      try {
        this.saveNow();
      } catch {
        return 'ERR';
      }
    }
    if (!options.noflush) {
      for (const db of server.dbs) db.clear();
      server.scripting.functions.flush();
    }
    try {
      const loaded = loadRdbFileSync(this.rdbPath, server.dbs, {
        merge: options.merge,
        zsetLimits: { maxListpackEntries: server.config.getInt('zset-max-listpack-entries'), maxListpackValue: server.config.getInt('zset-max-listpack-value') },
      });
      const failedLibrary = server.scripting.functions.restore(loaded.functions, options.merge ? 'replace' : 'append');
      if (failedLibrary !== null) throw new Error(failedLibrary);
    } catch (error) {
      server.logger.warning(`DEBUG RELOAD failed loading ${this.rdbPath}: ${(error as Error).message}`);
      return 'ERR Error trying to load the RDB dump, check server logs.';
    } finally {
      // The memory model re-counts databases changed underneath it.
      for (const db of server.dbs) server.memory.ledgers.forget(db);
    }
    server.logger.warning('DB reloaded by DEBUG RELOAD');
    return null;
  }

  private afterSuccessfulSave(dirtyAtStart: number): void {
    this.server.dirty -= dirtyAtStart;
    this.server.lastSaveTime = Math.floor(this.server.clock.now() / 1000);
    this.lastBgsaveStatus = 'ok';
    this.server.lastBgsaveFailed = false;
    this.saves++;
  }

  /** BGSAVE. Returns false when one is already running. */
  startBgsave(): boolean {
    if (this.bgsaveInProgress) return false;
    const server = this.server;
    this.bgsaveInProgress = true;
    this.bgsaveStartedAt = server.clock.now();
    this.lastBgsaveTryAt = this.bgsaveStartedAt;
    this.dirtyAtSaveStart = server.dirty;
    const snapshot = new KeyspaceSnapshot(server.dbs);
    const replication = this.replicationInfo();
    server.logger.notice('Background saving started (in-process copy-on-write snapshot)');
    const abort = (this.bgsaveAbort = { aborted: false });
    this.bgsaveDone = saveRdbInBackground(snapshot, this.rdbPath, { compression: server.config.getBool('rdbcompression'), replication, abort, functions: server.scripting.functions.codes() })
      .then(() => {
        server.logger.notice('DB saved on disk');
        server.logger.notice('Background saving terminated with success');
        this.afterSuccessfulSave(this.dirtyAtSaveStart);
      })
      .catch((error: unknown) => {
        server.logger.warning(error instanceof RdbSaveError ? error.message : `Background saving error: ${(error as Error).message}`);
        server.logger.warning('Background saving error');
        this.lastBgsaveStatus = 'err';
        server.lastBgsaveFailed = true;
      })
      .finally(() => {
        snapshot.release();
        this.lastBgsaveSeconds = Math.round((server.clock.now() - this.bgsaveStartedAt) / 1000);
        this.bgsaveInProgress = false;
        this.bgsaveDone = null;
      });
    return true;
  }

  /** FLUSHALL: a running BGSAVE would write the old data back, so it is abandoned; then save at once. */
  afterFlushAll(): void {
    if (this.bgsaveInProgress) {
      this.bgsaveAbort.aborted = true;
      this.server.logger.notice('Background saving aborted: the dataset was flushed');
    }
    if (this.server.config.get('save') === '') return;
    try {
      this.saveNow();
    } catch {
      // Logged by saveNow; FLUSHALL still succeeds, as in Redis.
    }
  }

  /** Resolves when no BGSAVE is running. */
  async waitForBgsave(): Promise<void> {
    while (this.bgsaveDone) await this.bgsaveDone;
  }

  /** Save points: `save <seconds> <changes>` pairs; called from the server's cron. */
  cron(): void {
    const server = this.server;
    this.aof.cron();
    if (this.bgsaveInProgress || this.aof.rewriteInProgress) return;
    const points = server.config.get('save').split(' ').filter(Boolean).map(Number);
    if (points.length === 0) return;
    const now = server.clock.now();
    if (this.lastBgsaveStatus === 'err' && now - this.lastBgsaveTryAt < BGSAVE_RETRY_DELAY_MS) return;
    const sinceLastSave = now / 1000 - server.lastSaveTime;
    for (let i = 0; i + 1 < points.length; i += 2) {
      const [seconds, changes] = [points[i], points[i + 1]];
      if (server.dirty >= changes && sinceLastSave > seconds) {
        server.logger.notice(`${changes} changes in ${seconds} seconds. Saving...`);
        this.startBgsave();
        return;
      }
    }
  }

  private async onShutdown(options: { save: boolean | null }): Promise<void> {
    const server = this.server;
    await this.aof.flushOnShutdown();
    const saveConfigured = server.config.get('save') !== '';
    const mustSave = options.save === true || (options.save === null && saveConfigured);
    if (!mustSave) return;
    await this.waitForBgsave();
    server.logger.notice('Saving the final RDB snapshot before exiting.');
    this.saveNow();
  }

  /**
   * Loads the dataset at start: the AOF when appendonly is on, else dump.rdb. Restores the
   * replication ID and offset the RDB carries (Redis's rdbSaveInfo). Throws StartupLoadError.
   */
  async loadAtStartup(): Promise<void> {
    const server = this.server;
    const started = process.hrtime.bigint();
    server.loading = true;
    removeDeadSaveFiles(this.dir, server.logger);
    try {
      if (server.config.getBool('appendonly')) {
        const loaded = await this.aof.loadAtStartup();
        if (loaded) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          server.logger.notice(`DB loaded from append only file: ${seconds.toFixed(3)} seconds`);
        }
        return;
      }
      const path = this.rdbPath;
      if (!existsSync(path)) return;
      const isReplica = server.config.get('replicaof') !== '';
      let loaded;
      try {
        loaded = await loadRdbFile(path, server.dbs, {
          now: server.clock.now(),
          keepExpired: isReplica,
          zsetLimits: {
            maxListpackEntries: server.config.getInt('zset-max-listpack-entries'),
            maxListpackValue: server.config.getInt('zset-max-listpack-value'),
          },
        });
      } catch (error) {
        for (const db of server.dbs) db.clear();
        throw new StartupLoadError(`Fatal error loading the DB ${path}: ${(error as Error).message}. Refusing to start with an empty dataset.`);
      }
      const failedLibrary = server.scripting.functions.restore(loaded.functions, 'replace');
      if (failedLibrary !== null) {
        for (const db of server.dbs) db.clear();
        throw new StartupLoadError(`Fatal error loading the DB ${path}: failed loading a function library: ${failedLibrary}. Refusing to start with an empty dataset.`);
      }
      this.lastLoadKeys = loaded.keys;
      this.lastLoadExpired = loaded.expiredSkipped;
      const version = loaded.aux.get('redis-ver');
      if (version) server.logger.notice(`Loading RDB produced by version ${version}`);
      server.logger.notice(`Done loading RDB, keys loaded: ${loaded.keys}, keys expired: ${loaded.expiredSkipped}.`);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      server.logger.notice(`DB loaded from disk: ${seconds.toFixed(3)} seconds`);
      this.restoreReplicationInfo(loaded.aux, isReplica);
    } finally {
      server.loading = false;
    }
  }

  private restoreReplicationInfo(aux: Map<string, string>, isReplica: boolean): void {
    const replid = aux.get('repl-id');
    const offset = Number(aux.get('repl-offset'));
    const streamDb = Number(aux.get('repl-stream-db') ?? '-1');
    if (!replid || replid.length !== 40 || !Number.isFinite(offset) || offset < 0) return;
    const replication = this.server.replication;
    if (isReplica) {
      if (streamDb < 0) return;
      // A replica resumes from the master state it had: the seeds' partial resync after restart.
      replication.replid = replid;
      replication.offset = offset;
      replication.synthesizeCachedMaster();
      if (replication.cachedMaster) replication.cachedMaster.db = streamDb;
    } else {
      // A master keeps its old history as the secondary ID, so its replicas can continue.
      replication.replid2 = replid;
      replication.secondReplOffset = offset + 1;
      replication.offset = offset;
      replication.ensureBacklog();
    }
  }

  persistenceInfo(): PersistenceInfo {
    const server = this.server;
    const base = defaultPersistenceInfo(server);
    const now = server.clock.now();
    return {
      ...base,
      rdb_changes_since_last_save: server.dirty,
      rdb_bgsave_in_progress: this.bgsaveInProgress ? 1 : 0,
      rdb_last_bgsave_status: this.lastBgsaveStatus,
      rdb_last_bgsave_time_sec: this.lastBgsaveSeconds,
      rdb_current_bgsave_time_sec: this.bgsaveInProgress ? Math.round((now - this.bgsaveStartedAt) / 1000) : -1,
      rdb_saves: this.saves,
      rdb_last_load_keys_expired: this.lastLoadExpired,
      rdb_last_load_keys_loaded: this.lastLoadKeys,
      ...this.aof.infoFields(),
    };
  }
}
