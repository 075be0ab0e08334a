// What a crash (kill -9, power cut) in the middle of a BGSAVE or an AOF rewrite leaves behind, and
// its removal at the next start. None of it is data of record: a save writes a temp file and only
// a rename makes it the dump; a rewrite's new base counts only once the manifest lists it. Left
// alone, each crash would leave one more copy of the dataset on the disk, and a full disk is the
// next outage.

import { readdirSync, unlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log';

/** Our own temp RDB names (rdb-file.ts), and Redis's, all ending in the pid of the writer. */
const TEMP_RDB = /^temp-(?:(?:save|bgsave)-)?(\d+)\.rdb$/;
/** redis-server's temp rewrite files, for a directory that moved over from it. */
const TEMP_REDIS_REWRITE = /^temp-rewriteaof-(?:bg-)?(\d+)\.aof$/;

function processAlive(pid: number): boolean {
  if (pid === process.pid) return false; // nothing of ours is saving yet at start
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: a live process of another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function remove(path: string, why: string, logger: Logger): void {
  let size = 0;
  try {
    size = statSync(path).size;
    unlinkSync(path);
  } catch {
    return;
  }
  logger.notice(`Removed ${path} (${size} bytes): ${why}`);
}

/** Temp RDB files of a save whose process is gone, in `dir` (the dump's dir or the AOF dir). */
export function removeDeadSaveFiles(dir: string, logger: Logger): void {
  for (const name of listDir(dir)) {
    const match = TEMP_RDB.exec(name) ?? TEMP_REDIS_REWRITE.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    if (processAlive(pid)) continue; // another process saving into the same dir right now
    remove(join(dir, name), `left by a save or rewrite of process ${pid} that did not finish`, logger);
  }
}

/**
 * In the AOF dir: the temp files of an interrupted rewrite, and base/incr files the manifest does
 * not list (a rewrite that died between writing its base and swapping the manifest). Without a
 * manifest (`listed` null) nothing but temp files is judged.
 */
export function removeUnlistedAofFiles(aofDir: string, baseName: string, listed: ReadonlySet<string> | null, logger: Logger): void {
  removeDeadSaveFiles(aofDir, logger);
  const ownFile = new RegExp(`^${escapeRegExp(baseName)}\\.\\d+\\.(?:base\\.rdb|base\\.aof|incr\\.aof)$`);
  for (const name of listDir(aofDir)) {
    if (name === `temp-${baseName}.incr` || name === `temp-${baseName}.manifest`) {
      remove(join(aofDir, name), 'left by an AOF rewrite that did not finish', logger);
    } else if (listed !== null && ownFile.test(name) && !listed.has(name)) {
      remove(join(aofDir, name), 'not in the AOF manifest (left by an AOF rewrite that did not finish)', logger);
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
