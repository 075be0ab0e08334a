// The append-only file, in Redis 7.0's multi-part layout so real redis-server reads it too:
//   <dir>/<appenddirname>/<appendfilename>.manifest   lists the files in order
//   <appendfilename>.<n>.base.rdb                      a snapshot (RDB preamble)
//   <appendfilename>.<n>.incr.aof                      commands since that snapshot, as RESP
// Commands are written to the file before the replies that acknowledge them leave the node;
// appendfsync decides when they are also fsynced (always: before the reply; everysec: once a second).
// BGREWRITEAOF starts a new incr file, writes a fresh base from a copy-on-write snapshot without
// blocking, then swaps the manifest.

import { closeSync, existsSync, fsync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync, ftruncateSync, readSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Server } from '../server';
import { KeyspaceSnapshot } from '../keyspace/snapshot';
import { saveRdbInBackground } from './rdb-file';
import { loadRdbFile } from './rdb-file';
import type { PropagatedCommand } from '../propagation';
import { encodeCommand } from '../replication/stream';
import { replayAofFile, AofLoadError } from './aof-replay';

export { AofLoadError };

interface ManifestEntry {
  file: string;
  seq: number;
  type: 'b' | 'h' | 'i';
}

const REDIS_AOF_MANIFEST_SUFFIX = '.manifest';

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
  private rewrites = 0;
  private currentSize = 0;
  private baseSize = 0;
  /** Set while loading: the loader's own commands must not be appended again. */
  private loading = false;

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
    return join(resolve(this.server.config.get('dir') || '.'), this.server.config.get('appenddirname'));
  }

  private get baseName(): string {
    return this.server.config.get('appendfilename');
  }

  private get manifestPath(): string {
    return join(this.dirPath, this.baseName + REDIS_AOF_MANIFEST_SUFFIX);
  }

  get pendingLength(): number {
    return this.pending.length;
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
  }

  /** Writes what commands added since the last call; with appendfsync always, fsyncs too. Runs before replies go out. */
  writePending(): void {
    if (this.fd === null || this.pending.length === 0) return;
    const data = Buffer.from(this.pending, 'latin1');
    this.pending = '';
    try {
      writeSync(this.fd, data);
      this.currentSize += data.length;
      if (this.server.config.get('appendfsync') === 'always') fsyncSync(this.fd);
      this.lastWriteStatus = 'ok';
    } catch (error) {
      this.lastWriteStatus = 'err';
      this.server.logger.warning(`Error writing to the AOF file: ${(error as Error).message}`);
      // Keep the data for the next attempt rather than acknowledging it as written.
      this.pending = data.latin1Slice(0, data.length) + this.pending;
    }
  }

  cron(): void {
    if (this.fd === null) return;
    this.writePending();
    const now = Date.now();
    if (this.server.config.get('appendfsync') === 'everysec' && now - this.lastFsync >= 1000 && !this.fsyncInFlight) {
      this.lastFsync = now;
      this.fsyncInFlight = true;
      fsync(this.fd, () => (this.fsyncInFlight = false));
    }
    this.maybeAutoRewrite();
  }

  private maybeAutoRewrite(): void {
    if (this.rewriteInProgress) return;
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
    this.manifest = entries;
  }

  private nextSeq(type: 'b' | 'i'): number {
    return Math.max(0, ...this.manifest.filter((e) => (type === 'b' ? e.type !== 'i' : e.type === 'i')).map((e) => e.seq)) + 1;
  }

  private openIncr(seq: number): string {
    const name = `${this.baseName}.${seq}.incr.aof`;
    if (this.fd !== null) {
      this.writePending();
      fsyncSync(this.fd);
      closeSync(this.fd);
    }
    this.fd = openSync(join(this.dirPath, name), 'a', 0o644);
    this.selectedDb = -1;
    return name;
  }

  // --- start-up ---------------------------------------------------------------------------

  /** Loads the AOF when it exists, or creates an empty one; returns true when data was loaded. */
  async loadAtStartup(): Promise<boolean> {
    mkdirSync(this.dirPath, { recursive: true });
    if (!existsSync(this.manifestPath)) {
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
    // History files are leftovers of a finished rewrite waiting for deletion, never data to load.
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
      server.logger.notice(`Done loading RDB, keys loaded: ${loaded.keys}, keys expired: ${loaded.expiredSkipped}.`);
      return;
    }
    await replayAofFile(this.server, path, name, isLast);
  }

  // --- rewrite ----------------------------------------------------------------------------

  private async writeBase(name: string): Promise<void> {
    const snapshot = new KeyspaceSnapshot(this.server.dbs);
    try {
      await saveRdbInBackground(snapshot, join(this.dirPath, name), { compression: this.server.config.getBool('rdbcompression') });
      this.baseSize = safeSize(join(this.dirPath, name));
    } finally {
      snapshot.release();
    }
  }

  /** BGREWRITEAOF. Returns false when a rewrite is already running. */
  startRewrite(): boolean {
    if (this.rewriteInProgress || this.fd === null) return false;
    this.rewriteInProgress = true;
    this.rewriteStartedAt = Date.now();
    const logger = this.server.logger;
    // Appends from here on go to a new incr file; the new base covers everything before it.
    const incrSeq = this.nextSeq('i');
    const incr = this.openIncr(incrSeq);
    this.writeManifest([...this.manifest, { file: incr, seq: incrSeq, type: 'i' }]);
    const baseSeq = this.nextSeq('b');
    const base = `${this.baseName}.${baseSeq}.base.rdb`;
    logger.notice('Background append only file rewriting started');
    void this.writeBase(base)
      .then(() => {
        const obsolete = this.manifest.filter((e) => e.file !== incr);
        this.writeManifest([
          { file: base, seq: baseSeq, type: 'b' },
          { file: incr, seq: incrSeq, type: 'i' },
        ]);
        for (const entry of obsolete) safeUnlink(join(this.dirPath, entry.file));
        this.currentSize = this.baseSize + safeSize(join(this.dirPath, incr));
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
    this.manifest = existsSync(this.manifestPath) ? this.readManifest() : [];
    const incrSeq = this.nextSeq('i');
    const incr = this.openIncr(incrSeq);
    // Only the new base matters: older files describe a history this dataset no longer follows.
    this.manifest = [{ file: incr, seq: incrSeq, type: 'i' }];
    this.writeManifest(this.manifest);
    this.startRewrite();
  }

  private disable(): void {
    if (this.fd === null) return;
    this.writePending();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
  }

  async flushOnShutdown(): Promise<void> {
    if (this.fd === null) return;
    this.writePending();
    fsyncSync(this.fd);
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
