// `rctl backup`: a replica's RDB downloaded over the replication protocol into a temporary file
// beside --out, verified (the bundled node's reader; redis-check-rdb when there is one), and only
// then renamed to --out, with a sidecar <out>.json that says where, when and what it is. A file
// that fails anywhere is removed: --out either holds a verified backup or does not exist.

import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { BadInputError, NodeFailureError, RefusedError } from '../errors';
import type { Reporter } from '../node/reporter';
import { downloadRdb } from '../node/rdb-download';
import { formatSize } from '../formats/bytes';
import { writePrivateJson } from '../state/private-file';
import type { TopologyState } from '../state/topology-state';
import type { Topology } from '../topology/model';
import { readRdbFile } from '../launch/rdb-verify';
import { fsyncDirectory } from '../server/persistence/directory-sync';
import { findRedisCheckRdb, runRedisCheckRdb } from '../launch/redis-check-rdb';
import { chooseBackupSource } from './backup-source';

export interface BackupVerifier {
  /** rctl-reader: the bundled node's RDB loader; redis-check-rdb: Redis's own checker. */
  name: 'rctl-reader' | 'redis-check-rdb';
  verdict: 'ok' | 'failed' | 'skipped';
  detail: string;
  /** The redis-check-rdb executable that ran; null for rctl's reader or when none was found. */
  path: string | null;
}

/** `rctl backup --json`, and the sidecar <out>.json written beside the RDB. The key set and order are a stable interface. */
export interface BackupResult {
  topology: string;
  /** Absolute path of the RDB. */
  file: string;
  source: {
    name: string;
    address: string;
    role: 'master' | 'replica' | null;
    /** INFO redis_version (the bundled node reports the Redis version it emulates). */
    version: string | null;
    /** The master at the time: the source's own name when it is the master. */
    master: string;
  };
  /** The replication history and offset the snapshot stands at (from +FULLRESYNC). */
  replid: string;
  offset: number;
  /** disk: the source saved an RDB file and sent it; diskless: it streamed the RDB to the socket. */
  transfer: 'disk' | 'diskless';
  startedAt: string;
  finishedAt: string;
  bytes: number;
  sha256: string;
  /** The RDB format version from the file's header. */
  rdbVersion: number;
  keys: {
    total: number;
    expires: number;
    /** Keys per database number. */
    perDb: Record<string, number>;
  };
  verifiers: BackupVerifier[];
}

export interface BackupOptions {
  state: TopologyState;
  from: string | null;
  fromMaster: boolean;
  /** --out as given (a file, or an existing directory), or null for ./<topology>-<node>-<UTC>.rdb. */
  out: string | null;
  force: boolean;
  timeoutMs: number;
  idleMs: number;
  reporter: Reporter;
  cwd?: string;
  now?: () => Date;
  env?: NodeJS.ProcessEnv;
}

const CHECKER_MIN_MS = 60_000;

export async function backup(topology: Topology, options: BackupOptions): Promise<BackupResult> {
  const now = options.now ?? (() => new Date());
  const cwd = options.cwd ?? process.cwd();
  const { reporter } = options;
  // The operator's own --out is checked before any node is touched.
  const given = options.out === null ? null : outTarget(resolve(cwd, options.out), options.force);

  reporter.step(`choosing the source among ${topology.nodes.map((n) => n.name).join(', ')}`);
  const choice = await chooseBackupSource(topology, { from: options.from, fromMaster: options.fromMaster, timeoutMs: options.timeoutMs, state: options.state });
  const startedAt = now();
  const out = given?.kind === 'file' ? given.path : outTarget(join(given?.path ?? cwd, defaultName(topology.name, choice.node.name, startedAt)), options.force).path;
  const temporary = join(dirname(out), `.${basename(out)}.${process.pid}.partial`);

  const removeTemporary = () => rmSync(temporary, { force: true });
  const onSignal = (signal: NodeJS.Signals) => {
    removeTemporary();
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const role = choice.status.role === 'master' ? 'master' : 'replica';
    reporter.step(`downloading the RDB of ${choice.node.name} (${choice.node.address}, ${role}${choice.status.lagBytes ? `, ${formatSize(choice.status.lagBytes)} behind` : ''})`);
    const download = await downloadRdb(choice.node, temporary, {
      password: topology.password,
      passwordSource: topology.passwordSource,
      timeoutMs: options.timeoutMs,
      idleMs: options.idleMs,
      reporter,
    });

    reporter.step(`verifying ${formatSize(download.bytes)} with rctl's RDB reader`);
    const reading = await readRdbFile(temporary);
    const readerVerdict: BackupVerifier =
      reading.problem !== null
        ? { name: 'rctl-reader', verdict: 'failed', detail: reading.problem, path: null }
        : reading.sha256 !== download.sha256 || reading.bytes !== download.bytes
          ? { name: 'rctl-reader', verdict: 'failed', detail: `the file on disk (${reading.bytes} bytes) differs from what was received (${download.bytes} bytes)`, path: null }
          : { name: 'rctl-reader', verdict: 'ok', detail: readerDetail(reading), path: null };

    const checker = findRedisCheckRdb(choice.node.redisServer, options.env);
    if (checker) reporter.step(`verifying with ${checker}`);
    const checkerVerdict = { name: 'redis-check-rdb' as const, ...(await runRedisCheckRdb(checker, temporary, Math.max(CHECKER_MIN_MS, download.bytes / 10_000))) };
    const verifiers = [readerVerdict, checkerVerdict];

    const failed = verifiers.find((v) => v.verdict === 'failed');
    if (failed) {
      throw new NodeFailureError('BACKUP_VERIFY_FAILED', `the RDB from ${choice.node.name} failed verification by ${failed.name}: ${failed.detail}`, 'nothing was written to --out; retry, and check the source node');
    }

    // Checked again: the file may have appeared during the download.
    outTarget(out, options.force);
    renameSync(temporary, out);
    fsyncDirectory(dirname(out));
    const total = Object.values(reading.keysPerDb).reduce((sum, n) => sum + n, 0);
    const result: BackupResult = {
      topology: topology.name,
      file: out,
      source: { name: choice.node.name, address: choice.node.address, role: choice.status.role, version: choice.status.version, master: choice.master },
      replid: download.replid,
      offset: download.offset,
      transfer: download.transfer,
      startedAt: startedAt.toISOString(),
      finishedAt: now().toISOString(),
      bytes: download.bytes,
      sha256: download.sha256,
      rdbVersion: reading.version,
      keys: { total, expires: reading.expires, perDb: reading.keysPerDb },
      verifiers,
    };
    try {
      writePrivateJson(sidecarOf(out), result, { pretty: true });
    } catch (error) {
      throw new NodeFailureError('BACKUP_WRITE_FAILED', `the RDB is at ${out}, but its sidecar could not be written: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'check the free space and permissions of the --out directory');
    }
    return result;
  } finally {
    removeTemporary();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

export function sidecarOf(rdb: string): string {
  return `${rdb}.json`;
}

/** <topology>-<node>-<UTC yyyymmddThhmmssZ>.rdb */
export function defaultName(topology: string, node: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${topology}-${node}-${stamp}.rdb`;
}

/**
 * --out as a file to create (refused when it or its sidecar exists, unless force) or, when it is an
 * existing directory, the directory to put the default name in.
 */
function outTarget(path: string, force: boolean): { kind: 'file' | 'dir'; path: string } {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    // does not exist: a file to create
  }
  if (isDir) return { kind: 'dir', path };
  const dir = dirname(path);
  if (!existsSync(dir)) throw new BadInputError('USAGE', `--out ${path}: the directory ${dir} does not exist`, `create it first (mkdir -p ${dir})`);
  if (!force) {
    for (const existing of [path, sidecarOf(path)]) {
      if (existsSync(existing)) throw new RefusedError('BACKUP_OUT_EXISTS', `${existing} exists: backup does not overwrite it`, 'choose another --out, or pass --force to replace it');
    }
  }
  return { kind: 'file', path };
}

function readerDetail(reading: Awaited<ReturnType<typeof readRdbFile>>): string {
  const total = Object.values(reading.keysPerDb).reduce((sum, n) => sum + n, 0);
  const dbs = Object.keys(reading.keysPerDb).length;
  return `RDB version ${reading.version}, ${total} keys in ${dbs} db${dbs === 1 ? '' : 's'}, ${reading.checksum ? 'CRC-64 verified' : 'no checksum in the file (rdbchecksum no)'}`;
}
