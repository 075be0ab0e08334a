// What a launched node would load if `rctl up` started it now, read from its config file and data
// dir: an AOF (appendonly yes: the manifest is all Redis and the bundled node look at), else the
// RDB named by dbfilename. A node with neither starts empty, with a new run id at offset 0.

import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RdbReader } from '../server/rdb/reader';
import { readConfigLines } from '../formats/redis-conf';
import type { NodePaths } from '../state/topology-state';

export type PersistenceMode = 'aof' | 'rdb' | 'none';

export interface SnapshotHistory {
  replid: string;
  offset: number;
}

export interface RelaunchPrediction {
  /** How the config persists data: aof (appendonly yes), rdb (save points, the default), none. */
  persistence: PersistenceMode;
  /** The file a relaunch loads, relative to the data dir, or null: it would start empty. */
  loads: string | null;
  /** Whether that file holds any key: false for an RDB without one, null when not read (an AOF). */
  hasKeys: boolean | null;
  /** The replication history an RDB was saved at (its repl-id and repl-offset aux fields), or null. */
  history: SnapshotHistory | null;
  dataDir: string;
}

/** The directives of a redis.conf text: lower-cased name → the arguments of each line, in order. */
export function readDirectives(text: string): Map<string, string[][]> {
  const directives = new Map<string, string[][]>();
  for (const { args } of readConfigLines(text)) {
    // The node refuses a config with an unbalanced quote; here such a line just loads nothing.
    const [name, ...rest] = args ?? [];
    if (name === undefined) continue;
    const key = name.toLowerCase();
    directives.set(key, [...(directives.get(key) ?? []), rest]);
  }
  return directives;
}

function lastValue(directives: Map<string, string[][]>, name: string, fallback: string): string {
  const lines = directives.get(name);
  return lines && lines.length > 0 ? (lines[lines.length - 1][0] ?? fallback) : fallback;
}

/**
 * rdb unless the file turns snapshots off: `save ""` after the last save point (no save line keeps
 * the defaults from Redis 6.0; 5.0 then takes none, which is why a new node.conf spells them out).
 */
function persistenceMode(directives: Map<string, string[][]>): PersistenceMode {
  if (lastValue(directives, 'appendonly', 'no').toLowerCase() === 'yes') return 'aof';
  const saves = directives.get('save');
  if (!saves) return 'rdb';
  let points = 0;
  for (const args of saves) points = args.length === 0 || (args.length === 1 && args[0] === '') ? 0 : points + 1;
  return points === 0 ? 'none' : 'rdb';
}

function nonEmptyFile(path: string): boolean {
  try {
    return statSync(path).isFile() && statSync(path).size > 0;
  } catch {
    return false;
  }
}

/** What the node at `paths` would load if launched now (rctl sets its dir to paths.dataDir on every launch). */
export function predictRelaunch(paths: NodePaths): RelaunchPrediction {
  const text = existsSync(paths.config) ? readFileSync(paths.config, 'utf8') : '';
  const directives = readDirectives(text);
  const persistence = persistenceMode(directives);
  let loads: string | null = null;
  let hasKeys: boolean | null = null;
  let history: SnapshotHistory | null = null;
  if (persistence === 'aof') {
    const dirName = lastValue(directives, 'appenddirname', 'appendonlydir');
    const manifest = `${lastValue(directives, 'appendfilename', 'appendonly.aof')}.manifest`;
    if (nonEmptyFile(join(paths.dataDir, dirName, manifest))) loads = `${dirName}/${manifest}`;
  } else {
    // With save "" an RDB left by SAVE, BGSAVE or SHUTDOWN SAVE still loads.
    const rdb = lastValue(directives, 'dbfilename', 'dump.rdb');
    if (nonEmptyFile(join(paths.dataDir, rdb))) {
      loads = rdb;
      hasKeys = rdbHasKeys(join(paths.dataDir, rdb));
      history = rdbHistory(join(paths.dataDir, rdb));
    }
  }
  return { persistence, loads, hasKeys, history, dataDir: paths.dataDir };
}

/** Stops the reader once the aux fields are over; not an Error, it is never reported. */
const AUX_DONE = { auxDone: true };

/**
 * The replication id and offset an RDB was saved at, from its aux fields (Redis writes them, with
 * repl-stream-db, whenever it saves with replication info: SHUTDOWN, BGSAVE, a full sync). null
 * when the file has none or cannot be read.
 */
export function rdbHistory(path: string): SnapshotHistory | null {
  const aux = new Map<string, string>();
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const stop = () => {
      throw AUX_DONE;
    };
    const reader = new RdbReader({ onAux: (name, value) => void aux.set(name, value), onResizeDb: stop, onEntry: stop });
    for (let read = 0; read < HEADER_SCAN_BYTES && !reader.done; ) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      const n = readSync(fd, chunk, 0, chunk.length, read);
      if (n === 0) break;
      reader.write(chunk.subarray(0, n));
      read += n;
    }
  } catch (error) {
    if (error !== AUX_DONE) return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
  const replid = aux.get('repl-id');
  const offset = Number(aux.get('repl-offset'));
  // Redis restores the history only with a stream db (rdbPopulateSaveInfo writes -1 without one).
  if (!replid || !/^[0-9a-f]{40}$/.test(replid) || !Number.isInteger(offset) || offset < 0 || Number(aux.get('repl-stream-db') ?? '-1') < 0) return null;
  return { replid, offset };
}

/** Stops the reader at the first sign of a key; not an Error, it is never reported. */
const KEY_FOUND = { keyFound: true };
/** Aux fields come first and are small: a file that has shown no key by then is read as having some. */
const HEADER_SCAN_BYTES = 1 << 20;

/**
 * Whether an RDB holds at least one key, from its first bytes: the RESIZEDB hint or the first
 * entry comes right after the aux fields, and an empty dataset goes straight to EOF. A file that
 * cannot be read or parsed counts as holding keys, the cautious answer for the callers.
 */
export function rdbHasKeys(path: string): boolean {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const reader = new RdbReader({
      onResizeDb: (keys) => {
        if (keys > 0) throw KEY_FOUND;
      },
      onEntry: () => {
        throw KEY_FOUND;
      },
    });
    for (let read = 0; read < HEADER_SCAN_BYTES; ) {
      // A fresh buffer each time: the reader keeps the chunks of a unit it could not finish yet.
      const chunk = Buffer.allocUnsafe(64 * 1024);
      const n = readSync(fd, chunk, 0, chunk.length, read);
      if (n === 0) break;
      reader.write(chunk.subarray(0, n));
      if (reader.done) return false;
      read += n;
    }
    return true;
  } catch {
    // KEY_FOUND, or a file that cannot be read or parsed: both count as holding keys.
    return true;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
