// The append-only file, in Redis 7.0's multi-part layout so real redis-server reads it too:
//   <dir>/<appenddirname>/<appendfilename>.manifest   lists the files in order
//   <appendfilename>.<n>.base.rdb                      a snapshot (RDB preamble)
//   <appendfilename>.<n>.incr.aof                      commands since that snapshot, as RESP
// Commands are written to the file before the replies that acknowledge them leave the node
// (aof-reply-barrier.ts: once per event-loop turn for every client); appendfsync decides when they
// are also fsynced (always: before the reply; everysec: once a second).
// BGREWRITEAOF starts a new incr file, writes a fresh base from a copy-on-write snapshot without
// blocking, then swaps the manifest.

import { closeSync, existsSync, fdatasync, fdatasyncSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync, ftruncateSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { effectiveDir } from './config-rewrite';
import type { Server } from '../server';
import { KeyspaceSnapshot } from '../keyspace/snapshot';
import { saveRdbInBackground } from './rdb-file';
import { loadRdbFile } from './rdb-file';
import type { PropagatedCommand } from '../propagation';
import { encodeCommand } from '../replication/stream';
import { replayAofFile, AofLoadError } from './aof-replay';
import { removeUnlistedAofFiles } from './crash-leftovers';
import { fsyncDirectory } from './directory-sync';

export { AofLoadError };

/**
 * How the AOF reaches the disk. Injectable so a test can see when each fsync ends and which bytes
 * it covered, the only way to measure what a power cut would take (kill -9 loses nothing the
 * kernel already has).
 */
export interface DiskSync {
  /** fsync before returning (appendfsync always, and file switches). */
  now(fd: number): void;
  /** fsync in the background (appendfsync everysec); `done` runs when it finished. */
  inBackground(fd: number, done: () => void): void;
}

/** fdatasync, as Redis's redis_fsync on Linux: the appended data and the file size, without the mtime update a full fsync also waits for. */
export const systemDiskSync: DiskSync = {
  now: (fd) => fdatasyncSync(fd),
  inBackground: (fd, done) => fdatasync(fd, () => done()),
};

interface ManifestEntry {
  file: string;
  seq: number;
  type: 'b' | 'h' | 'i';
}

const REDIS_AOF_MANIFEST_SUFFIX = '.manifest';
const LOG_CANNOT_RECOVER_ALWAYS = "Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...";
/** After a failed first rewrite (AOF turned on at run time), the next try waits this long. */
const REWRITE_RETRY_DELAY_MS = 5000;

export class AppendOnlyFile {
  private fd: number | null = null;
  private pending = '';
  private selectedDb = -1;
  private manifest: ManifestEntry[] = [];
  private lastFsync = 0;
  private fsyncInFlight = false;
  rewriteInProgress = false;
  private rewriteStartedAt = 0;
  private lastRewriteSeconds = -1;
  private lastRewriteStatus: 'ok' | 'err' = 'ok';
  private lastWriteStatus: 'ok' | 'err' = 'ok';
  private lastWriteErrorText = '';
  private rewrites = 0;
  private lastRewriteTryAt = 0;
  /** AOF turned on at run time and no base written yet: the manifest on disk is not ours yet. */
  private waitingForFirstBase = false;
  private currentSize = 0;
  /** Size of the file appends go to: a short write is cut back to it. */
  private appendFileSize = 0;
  private baseSize = 0;
  /** Set while loading: the loader's own commands must not be appended again. */
  private loading = false;
  /** Commands were fed since the last write attempt: replies acknowledging them must wait. */
  private unwritten = false;
  diskSync: DiskSync = systemDiskSync;

  constructor(private readonly server: Server) {
    server.propagation.addSink((commands) => this.feed(commands));
    server.config.onChange('appendonly', (value) => {
      if (value === 'yes' && this.fd === null) this.enableAtRuntime();
      else if (value === 'no' && this.fd !== null) this.disable();
    });
  }

  private get enabled(): boolean {
    return this.fd !== null;
  }

  private get dirPath(): string {
    return join(effectiveDir(this.server.config), this.server.config.get('appenddirname'));
  }

  private get baseName(): string {
    return this.server.config.get('appendfilename');
  }

  private get manifestPath(): string {
    return join(this.dirPath, this.baseName + REDIS_AOF_MANIFEST_SUFFIX);
  }

  /**
   * Why the last append failed, or null when it succeeded: while set, Redis refuses writes with
   * "-MISCONF Errors writing to the AOF file: <reason>" (for the dispatcher to use).
   */
  get lastWriteError(): string | null {
    return this.lastWriteStatus === 'err' ? this.lastWriteErrorText : null;
  }

  get pendingLength(): number {
    return this.pending.length;
  }

  /** Commands arrived since the last write attempt (a failed attempt keeps them pending, but clears this). */
  get hasUnwrittenCommands(): boolean {
    return this.unwritten;
  }

  private feed(commands: readonly PropagatedCommand[]): void {
    if (!this.enabled || this.loading) return;
    let out = '';
    for (const { db, args } of commands) {
      if (db !== this.selectedDb) {
        out += encodeCommand(['SELECT', String(db)]);
        this.selectedDb = db;
      }
      out += encodeCommand(args);
    }
    this.pending += out;
    this.unwritten = true;
  }

  /** Writes what commands added since the last call; with appendfsync always, fsyncs too. Runs before replies go out. */
  writePending(): void {
    this.unwritten = false;
    if (this.fd === null || this.pending.length === 0) return;
    const data = Buffer.from(this.pending, 'latin1');
    let written = 0;
    try {
      while (written < data.length) written += writeSync(this.fd, data, written, data.length - written);
      if (this.server.config.get('appendfsync') === 'always') this.diskSync.now(this.fd);
    } catch (error) {
      this.onWriteError(error as NodeJS.ErrnoException, data, written);
      return;
    }
    this.pending = '';
    this.currentSize += data.length;
    this.appendFileSize += data.length;
    this.lastWriteStatus = 'ok';
  }

  /**
   * A failed append, as Redis's flushAppendOnlyFile handles it: with appendfsync always the
   * replies about to go out would acknowledge writes that are not on disk, so the node exits;
   * otherwise the data stays pending and is retried, after cutting off any half-written command.
   */
  private onWriteError(error: NodeJS.ErrnoException, data: Buffer, written: number): void {
    const logger = this.server.logger;
    this.lastWriteStatus = 'err';
    this.lastWriteErrorText = error.message;
    logger.warning(`Error writing to the AOF file: ${error.message}`);
    if (this.server.config.get('appendfsync') === 'always') {
      logger.warning(LOG_CANNOT_RECOVER_ALWAYS);
      process.exit(1);
    }
    if (written > 0) {
      try {
        ftruncateSync(this.fd as number, this.appendFileSize);
      } catch (truncateError) {
        // The partial command stays in the file: what follows must complete it, not repeat it.
        logger.warning(`Could not remove the short write from the AOF file: ${(truncateError as Error).message}`);
        this.currentSize += written;
        this.appendFileSize += written;
        this.pending = data.latin1Slice(written, data.length);
      }
    }
  }

  cron(): void {
    if (this.fd === null) return;
    this.writePending();
    const now = Date.now();
    if (this.server.config.get('appendfsync') === 'everysec' && now - this.lastFsync >= 1000 && !this.fsyncInFlight) {
      this.lastFsync = now;
      this.fsyncInFlight = true;
      this.diskSync.inBackground(this.fd, () => (this.fsyncInFlight = false));
    }
    this.maybeAutoRewrite();
  }

  private maybeAutoRewrite(): void {
    if (this.rewriteInProgress) return;
    if (this.waitingForFirstBase) {
      // The first base failed (turned on at run time): keep trying, as Redis does with a scheduled rewrite.
      if (Date.now() - this.lastRewriteTryAt >= REWRITE_RETRY_DELAY_MS) this.startRewrite();
      return;
    }
    const percentage = this.server.config.getInt('auto-aof-rewrite-percentage');
    const minSize = this.server.config.getInt('auto-aof-rewrite-min-size');
    if (percentage === 0 || this.currentSize < minSize) return;
    const base = Math.max(1, this.baseSize);
    const growth = ((this.currentSize - base) * 100) / base;
    if (growth >= percentage) {
      this.server.logger.notice(`Starting automatic rewriting of AOF on ${Math.round(growth)}% growth`);
      this.startRewrite();
    }
  }

  // --- files ------------------------------------------------------------------------------

  private readManifest(): ManifestEntry[] {
    const text = readFileSync(this.manifestPath, 'latin1');
    const entries: ManifestEntry[] = [];
    for (const [index, line] of text.split('\n').entries()) {
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      const parts = trimmed.split(/\s+/);
      const entry: Partial<ManifestEntry> = {};
      for (let i = 0; i + 1 < parts.length; i += 2) {
        if (parts[i] === 'file') entry.file = parts[i + 1];
        else if (parts[i] === 'seq') entry.seq = Number(parts[i + 1]);
        else if (parts[i] === 'type') entry.type = parts[i + 1] as ManifestEntry['type'];
      }
      if (!entry.file || !entry.seq || !entry.type || !['b', 'h', 'i'].includes(entry.type)) {
        throw new AofLoadError(`Invalid AOF manifest file format: ${this.manifestPath} line ${index + 1}`);
      }
      entries.push(entry as ManifestEntry);
    }
    return entries;
  }

  private writeManifest(entries: ManifestEntry[]): void {
    const text = entries.map((e) => `file ${e.file} seq ${e.seq} type ${e.type}\n`).join('');
    const temp = join(this.dirPath, `temp-${this.baseName}${REDIS_AOF_MANIFEST_SUFFIX}`);
    writeFileSync(temp, text);
    const fd = openSync(temp, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, this.manifestPath);
    fsyncDirectory(this.dirPath);
    this.manifest = entries;
  }

  private nextSeq(type: 'b' | 'i'): number {
    return Math.max(0, ...this.manifest.filter((e) => (type === 'b' ? e.type !== 'i' : e.type === 'i')).map((e) => e.seq)) + 1;
  }

  private openIncr(seq: number): string {
    const name = `${this.baseName}.${seq}.incr.aof`;
    this.openAppendFile(name, 'a');
    return name;
  }

  /** Makes `name` the file appends go to; what was pending is written to the previous one first. */
  private openAppendFile(name: string, flags: 'a' | 'w'): void {
    if (this.fd !== null) {
      this.writePending();
      this.diskSync.now(this.fd);
      closeSync(this.fd);
    }
    this.fd = openSync(join(this.dirPath, name), flags === 'w' ? 'w' : 'a', 0o644);
    this.appendFileSize = flags === 'w' ? 0 : safeSize(join(this.dirPath, name));
    this.selectedDb = -1;
  }

  // --- start-up ---------------------------------------------------------------------------

  /** Loads the AOF when it exists, or creates an empty one; returns true when data was loaded. */
  async loadAtStartup(): Promise<boolean> {
    mkdirSync(this.dirPath, { recursive: true });
    if (!existsSync(this.manifestPath)) {
      removeUnlistedAofFiles(this.dirPath, this.baseName, null, this.server.logger);
      // A fresh AOF: its base is the (empty) dataset we start with.
      this.manifest = [];
      const base = `${this.baseName}.1.base.rdb`;
      await this.writeBase(base);
      const incr = this.openIncr(1);
      this.writeManifest([
        { file: base, seq: 1, type: 'b' },
        { file: incr, seq: 1, type: 'i' },
      ]);
      this.server.logger.notice(`Creating AOF base file ${base} on server start`);
      this.server.logger.notice(`Creating AOF incr file ${incr} on server start`);
      return false;
    }
    this.manifest = this.readManifest();
    this.dropHistoryFiles();
    removeUnlistedAofFiles(this.dirPath, this.baseName, new Set(this.manifest.map((e) => e.file)), this.server.logger);
    const toLoad = [...this.manifest.filter((e) => e.type === 'b'), ...this.manifest.filter((e) => e.type === 'i')];
    for (const entry of toLoad) {
      const path = join(this.dirPath, entry.file);
      if (!existsSync(path)) throw new AofLoadError(`Fatal error: the AOF file ${path} listed in the manifest ${this.manifestPath} is missing`);
    }
    this.loading = true;
    try {
      for (const [index, entry] of toLoad.entries()) {
        const path = join(this.dirPath, entry.file);
        const started = process.hrtime.bigint();
        if (entry.type === 'b') this.baseSize = statSync(path).size;
        await this.loadFile(path, entry.file, index === toLoad.length - 1);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        this.server.logger.notice(`DB loaded from ${entry.type === 'i' ? 'incr' : 'base'} file ${entry.file}: ${seconds.toFixed(3)} seconds`);
      }
    } finally {
      this.loading = false;
    }
    const last = [...this.manifest].reverse().find((e) => e.type === 'i');
    const incrSeq = last ? last.seq : this.nextSeq('i');
    const name = this.openIncr(incrSeq);
    if (!last) this.writeManifest([...this.manifest, { file: name, seq: incrSeq, type: 'i' }]);
    this.server.logger.notice(`Opening AOF incr file ${name} on server start`);
    this.currentSize = toLoad.reduce((sum, e) => sum + safeSize(join(this.dirPath, e.file)), 0);
    return true;
  }

  /**
   * DEBUG LOADAOF: what is pending is written and synced, then the files the manifest lists replace
   * the dataset, as 7.0's debug command does (other clients meanwhile get -LOADING).
   */
  async reloadForDebug(): Promise<void> {
    if (this.enabled) {
      this.writePending();
      if (this.fd !== null) this.diskSync.now(this.fd);
    }
    const server = this.server;
    for (const db of server.dbs) db.clear();
    const toLoad = [...this.manifest.filter((e) => e.type === 'b'), ...this.manifest.filter((e) => e.type === 'i')];
    this.loading = true;
    server.loading = true;
    try {
      for (const [index, entry] of toLoad.entries()) {
        const path = join(this.dirPath, entry.file);
        if (existsSync(path)) await this.loadFile(path, entry.file, index === toLoad.length - 1);
      }
    } finally {
      this.loading = false;
      server.loading = false;
    }
    server.logger.warning('Append Only File loaded by DEBUG LOADAOF');
  }

  /** History files are leftovers of a finished rewrite waiting for deletion, never data to load. */
  private dropHistoryFiles(): void {
    const history = this.manifest.filter((e) => e.type === 'h');
    if (history.length === 0) return;
    this.writeManifest(this.manifest.filter((e) => e.type !== 'h'));
    for (const entry of history) {
      safeUnlink(join(this.dirPath, entry.file));
      this.server.logger.notice(`Removing the history file ${entry.file}`);
    }
  }

  private async loadFile(path: string, name: string, isLast: boolean): Promise<void> {
    const head = Buffer.alloc(5);
    const fd = openSync(path, 'r');
    const read = readSync(fd, head, 0, 5, 0);
    closeSync(fd);
    if (read === 5 && head.latin1Slice(0, 5) === 'REDIS') {
      const server = this.server;
      server.logger.notice('Reading RDB base file on AOF loading...');
      let loaded;
      try {
        loaded = await loadRdbFile(path, server.dbs, {
          now: server.clock.now(),
          keepExpired: false,
          zsetLimits: {
            maxListpackEntries: server.config.getInt('zset-max-listpack-entries'),
            maxListpackValue: server.config.getInt('zset-max-listpack-value'),
          },
        });
      } catch (error) {
        throw new AofLoadError(`Error reading the RDB base file ${name}, AOF loading aborted: ${path}: ${(error as Error).message}`);
      }
      const failedLibrary = server.scripting.functions.restore(loaded.functions, 'replace');
      if (failedLibrary !== null) throw new AofLoadError(`Error loading a function library of the RDB base file ${name}: ${failedLibrary}`);
      server.logger.notice(`Done loading RDB, keys loaded: ${loaded.keys}, keys expired: ${loaded.expiredSkipped}.`);
      return;
    }
    await replayAofFile(this.server, path, name, isLast);
  }

  // --- rewrite ----------------------------------------------------------------------------

  private async writeBase(name: string): Promise<void> {
    const snapshot = new KeyspaceSnapshot(this.server.dbs);
    try {
      await saveRdbInBackground(snapshot, join(this.dirPath, name), { compression: this.server.config.getBool('rdbcompression'), aofBase: true, functions: this.server.scripting.functions.codes() });
      this.baseSize = safeSize(join(this.dirPath, name));
    } finally {
      snapshot.release();
    }
  }

  /** BGREWRITEAOF. Returns false when a rewrite is already running. */
  startRewrite(): boolean {
    if (this.rewriteInProgress) return false;
    if (this.fd === null) return this.rewriteBaseOnly();
    const logger = this.server.logger;
    const fromScratch = this.waitingForFirstBase;
    this.rewriteInProgress = true;
    this.rewriteStartedAt = Date.now();
    this.lastRewriteTryAt = this.rewriteStartedAt;
    const incrSeq = this.nextSeq('i');
    const incr = `${this.baseName}.${incrSeq}.incr.aof`;
    const tempIncr = `temp-${this.baseName}.incr`;
    if (fromScratch) {
      // AOF just turned on: until the first base exists the manifest on disk keeps describing the
      // old files, and appends go to a temp incr file renamed when the base is complete (Redis's
      // AOF_WAIT_REWRITE), so a crash meanwhile never leaves a manifest without the dataset.
      this.openAppendFile(tempIncr, 'w');
    } else {
      // Appends from here on go to a new incr file; the new base covers everything before it.
      this.openAppendFile(incr, 'a');
      this.writeManifest([...this.manifest, { file: incr, seq: incrSeq, type: 'i' }]);
    }
    const baseSeq = this.nextSeq('b');
    const base = `${this.baseName}.${baseSeq}.base.rdb`;
    logger.notice('Background append only file rewriting started');
    void this.writeBase(base)
      .then(() => {
        if (fromScratch) renameSync(join(this.dirPath, tempIncr), join(this.dirPath, incr));
        const obsolete = this.manifest.filter((e) => e.file !== incr);
        this.writeManifest([
          { file: base, seq: baseSeq, type: 'b' },
          { file: incr, seq: incrSeq, type: 'i' },
        ]);
        this.waitingForFirstBase = false;
        for (const entry of obsolete) safeUnlink(join(this.dirPath, entry.file));
        this.currentSize = this.baseSize + safeSize(join(this.dirPath, incr));
        this.lastRewriteStatus = 'ok';
        this.rewrites++;
        logger.notice(`Successfully renamed the temporary AOF base file into ${base}`);
        if (fromScratch) logger.notice(`Successfully renamed the temporary AOF incr file ${tempIncr} into ${incr}`);
        logger.notice('Background AOF rewrite terminated with success');
      })
      .catch((error: unknown) => {
        this.lastRewriteStatus = 'err';
        logger.warning(`Background AOF rewrite failed: ${(error as Error).message}`);
      })
      .finally(() => {
        this.rewriteInProgress = false;
        this.lastRewriteSeconds = Math.round((Date.now() - this.rewriteStartedAt) / 1000);
      });
    return true;
  }

  /**
   * BGREWRITEAOF with appendonly no: like Redis, a fresh base of the dataset and a manifest that
   * lists only it, so turning the AOF on later (or copying the directory) starts from there.
   */
  private rewriteBaseOnly(): boolean {
    const logger = this.server.logger;
    mkdirSync(this.dirPath, { recursive: true });
    let previous: ManifestEntry[];
    try {
      previous = existsSync(this.manifestPath) ? this.readManifest() : [];
    } catch {
      previous = [];
    }
    this.manifest = previous;
    const baseSeq = this.nextSeq('b');
    const base = `${this.baseName}.${baseSeq}.base.rdb`;
    this.rewriteInProgress = true;
    this.rewriteStartedAt = Date.now();
    logger.notice('Background append only file rewriting started');
    void this.writeBase(base)
      .then(() => {
        this.writeManifest([{ file: base, seq: baseSeq, type: 'b' }]);
        for (const entry of previous) if (entry.file !== base) safeUnlink(join(this.dirPath, entry.file));
        this.lastRewriteStatus = 'ok';
        this.rewrites++;
        logger.notice(`Successfully renamed the temporary AOF base file into ${base}`);
        logger.notice('Background AOF rewrite terminated with success');
      })
      .catch((error: unknown) => {
        this.lastRewriteStatus = 'err';
        logger.warning(`Background AOF rewrite failed: ${(error as Error).message}`);
      })
      .finally(() => {
        this.rewriteInProgress = false;
        this.lastRewriteSeconds = Math.round((Date.now() - this.rewriteStartedAt) / 1000);
      });
    return true;
  }

  private enableAtRuntime(): void {
    mkdirSync(this.dirPath, { recursive: true });
    // Older files (if any) stay the AOF of record until the new base is written; only their
    // sequence numbers matter now, so the new names never collide with them.
    this.manifest = existsSync(this.manifestPath) ? this.readManifest() : [];
    this.waitingForFirstBase = true;
    this.openAppendFile(`temp-${this.baseName}.incr`, 'w');
    this.startRewrite();
  }

  private disable(): void {
    if (this.fd === null) return;
    this.writePending();
    this.diskSync.now(this.fd);
    closeSync(this.fd);
    this.fd = null;
  }

  async flushOnShutdown(): Promise<void> {
    if (this.fd === null) return;
    this.writePending();
    this.diskSync.now(this.fd);
  }

  infoFields(): { aof_enabled: number; aof_rewrite_in_progress: number; aof_last_rewrite_time_sec: number; aof_current_rewrite_time_sec: number; aof_last_bgrewrite_status: 'ok' | 'err'; aof_rewrites: number; aof_last_write_status: 'ok' | 'err'; aofDetails?: Record<string, number> } {
    return {
      aof_enabled: this.enabled ? 1 : 0,
      aof_rewrite_in_progress: this.rewriteInProgress ? 1 : 0,
      aof_last_rewrite_time_sec: this.lastRewriteSeconds,
      aof_current_rewrite_time_sec: this.rewriteInProgress ? Math.round((Date.now() - this.rewriteStartedAt) / 1000) : -1,
      aof_last_bgrewrite_status: this.lastRewriteStatus,
      aof_rewrites: this.rewrites,
      aof_last_write_status: this.lastWriteStatus,
      aofDetails: this.enabled
        ? { aof_current_size: this.currentSize, aof_base_size: this.baseSize, aof_pending_rewrite: 0, aof_buffer_length: this.pending.length, aof_pending_bio_fsync: this.fsyncInFlight ? 1 : 0, aof_delayed_fsync: 0 }
        : undefined,
    };
  }
}

function safeSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function safeUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
