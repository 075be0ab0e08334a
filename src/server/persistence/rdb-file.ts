// RDB snapshots on disk: written to a temp file, fsynced and renamed (so a crash never leaves
// a half-written dump.rdb), and loaded at start, key by key from a file stream.

import { closeSync, createReadStream, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Db } from '../keyspace/db';
import type { KeyspaceSnapshot } from '../keyspace/snapshot';
import { RdbReader, readRdbBuffer } from '../rdb/reader';
import { RdbError } from '../rdb/errors';
import { writeRdb, writeRdbToBuffer, type RdbReplicationInfo } from '../rdb/writer';
import type { ZSetLimits } from '../keyspace/sorted-set';

export interface RdbFileOptions {
  compression: boolean;
  replication?: RdbReplicationInfo;
  /** Set aborted to stop a background save; the temp file is removed and the target left alone. */
  abort?: { aborted: boolean };
  /** The base file of a multi-part AOF: marked with the aof-base aux field, as Redis does. */
  aofBase?: boolean;
  /** Function libraries' code, taken with the snapshot. */
  functions?: readonly string[];
}

/**
 * How long a background save encodes before letting clients in. The writer's default (10 ms)
 * would put a request that arrives during a BGSAVE up to 10 ms behind; 2 ms keeps the latency
 * of concurrent requests low at a small cost in total save time.
 */
const BACKGROUND_SLICE_MS = 2;

export class RdbSaveError extends Error {}

function tempPathFor(target: string, tag: string): string {
  return join(dirname(target), `temp-${tag}-${process.pid}.rdb`);
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES') return 'Permission denied';
  if (code === 'ENOENT') return 'No such file or directory';
  if (code === 'ENOSPC') return 'No space left on device';
  if (code === 'EROFS') return 'Read-only file system';
  return (error as Error).message;
}

/** SAVE: the whole snapshot written synchronously (the node blocks, as Redis's SAVE does). */
export function saveRdbSync(snapshot: KeyspaceSnapshot, target: string, options: RdbFileOptions): number {
  const temp = tempPathFor(target, 'save');
  let fd: number;
  try {
    fd = openSync(temp, 'w', 0o644);
  } catch (error) {
    throw new RdbSaveError(`Failed opening the temp RDB file ${temp} (in server root dir ${resolve(dirname(target))}) for saving: ${describeFsError(error)}`);
  }
  try {
    const data = writeRdbToBuffer({ databases: snapshot.dbs, functions: options.functions, aux: { replication: options.replication, aofBase: options.aofBase } }, { compression: options.compression });
    writeSync(fd, data);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, target);
    return data.length;
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    try {
      unlinkSync(temp);
    } catch {
      // never created
    }
    throw new RdbSaveError(`Write error saving DB on disk: ${describeFsError(error)}`);
  }
}

/** BGSAVE: streams the snapshot to a temp file while the node keeps serving, then fsyncs and renames. */
export async function saveRdbInBackground(snapshot: KeyspaceSnapshot, target: string, options: RdbFileOptions): Promise<number> {
  const temp = tempPathFor(target, 'bgsave');
  let handle;
  try {
    handle = await open(temp, 'w', 0o644);
  } catch (error) {
    throw new RdbSaveError(`Failed opening the temp RDB file ${temp} (in server root dir ${resolve(dirname(target))}) for saving: ${describeFsError(error)}`);
  }
  let bytes = 0;
  try {
    for await (const chunk of writeRdb({ databases: snapshot.dbs, functions: options.functions, aux: { replication: options.replication, aofBase: options.aofBase } }, { compression: options.compression, sliceMs: BACKGROUND_SLICE_MS })) {
      if (options.abort?.aborted) throw new RdbSaveError('Background saving aborted');
      await handle.write(chunk);
      bytes += chunk.length;
    }
    await handle.sync();
    await handle.close();
    handle = null;
    if (options.abort?.aborted) throw new RdbSaveError('Background saving aborted');
    const { rename } = await import('node:fs/promises');
    await rename(temp, target);
    return bytes;
  } catch (error) {
    await handle?.close().catch(() => {});
    const { unlink } = await import('node:fs/promises');
    await unlink(temp).catch(() => {});
    if (error instanceof RdbSaveError) throw error;
    throw new RdbSaveError(`Write error saving DB on disk: ${describeFsError(error)}`);
  }
}

export interface LoadedRdbInfo {
  keys: number;
  expiredSkipped: number;
  aux: Map<string, string>;
  /** The function libraries' code, for the scripting engine to load. */
  functions: string[];
}

/**
 * Loads dump.rdb into dbs. On a master, keys already expired are dropped, as Redis does; a replica
 * keeps them for its master to delete. Throws RdbError naming the byte offset on corruption.
 */
export async function loadRdbFile(path: string, dbs: Db[], options: { now: number; keepExpired: boolean; zsetLimits: ZSetLimits }): Promise<LoadedRdbInfo> {
  const aux = new Map<string, string>();
  const functions: string[] = [];
  let keys = 0;
  let expiredSkipped = 0;
  const reader = new RdbReader(
    {
      onAux: (name, value) => aux.set(name, value),
      onFunction: (code) => functions.push(code),
      onEntry: (dbIndex, key, value, expireMs) => {
        const db = dbs[dbIndex];
        if (!db) throw new RdbError(`FATAL: Data file was created with a Redis server configured to handle more than ${dbs.length} databases. Exiting`, reader.bytesConsumed);
        if (expireMs !== undefined && expireMs < options.now && !options.keepExpired) {
          expiredSkipped++;
          return;
        }
        db.data.set(key, value);
        if (expireMs !== undefined) db.expires.set(key, expireMs);
        keys++;
      },
    },
    { zsetLimits: options.zsetLimits },
  );
  const size = statSync(path).size;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    const used = reader.write(chunk as Buffer);
    if (reader.done && used < (chunk as Buffer).length) {
      throw new RdbError('Data written after the end of the RDB payload', reader.bytesConsumed);
    }
  }
  if (!reader.done) throw new RdbError(`Short read or OOM loading DB (file is ${size} bytes)`, reader.bytesConsumed);
  reader.end();
  return { keys, expiredSkipped, aux, functions };
}

/**
 * DEBUG RELOAD's load: the whole file read at once, keys added to `dbs` (a key already there
 * fails the load unless `merge`, as Redis's RDBFLAGS_ALLOW_DUP). Throws RdbError.
 */
export function loadRdbFileSync(path: string, dbs: Db[], options: { merge: boolean; zsetLimits: ZSetLimits }): { keys: number; functions: string[] } {
  const functions: string[] = [];
  let keys = 0;
  readRdbBuffer(
    readFileSync(path),
    {
      onFunction: (code) => functions.push(code),
      onEntry: (dbIndex, key, value, expireMs) => {
        const db = dbs[dbIndex];
        if (!db) throw new RdbError(`DB index ${dbIndex} is out of range`, 0);
        if (!options.merge && db.data.has(key)) throw new RdbError(`RDB has duplicated key '${key}' in DB ${dbIndex}`, 0);
        db.data.set(key, value);
        if (expireMs !== undefined) db.expires.set(key, expireMs);
        else db.expires.delete(key);
        keys++;
      },
    },
    { zsetLimits: options.zsetLimits },
  );
  return { keys, functions };
}

