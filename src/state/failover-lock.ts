// One failover at a time per topology: RCTL_HOME/<topology>/failover.lock, created with O_EXCL
// and holding {pid, startedAt}. A lock whose pid is gone is stale (a crashed or killed rctl) and
// is replaced with a warning; a live one refuses (exit 5) naming the pid.

import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { RefusedError } from '../errors';
import { processAlive } from './pid';
import type { TopologyState } from './topology-state';

export const LOCK_FILE = 'failover.lock';

export interface LockHolder {
  pid: number;
  startedAt: string;
}

export interface FailoverLock {
  path: string;
  release(): void;
}

export function lockPath(state: TopologyState): string {
  return state.recordPath(LOCK_FILE);
}

export function readHolder(path: string): LockHolder | null {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    if (typeof data.pid !== 'number' || !Number.isInteger(data.pid) || data.pid <= 0) return null;
    return { pid: data.pid, startedAt: String(data.startedAt ?? '') };
  } catch {
    return null;
  }
}

const FRESH_LOCK_MS = 5000;

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return Infinity;
  }
}

/**
 * The lock of a failover whose rctl is gone (killed mid-switch), or null. A fresh empty lock may
 * be one being written this instant, so it is not judged.
 */
export function staleFailoverLock(state: TopologyState): { path: string; holder: LockHolder | null } | null {
  const path = lockPath(state);
  if (ageMs(path) === Infinity) return null;
  const holder = readHolder(path);
  if (!holder) return ageMs(path) < FRESH_LOCK_MS ? null : { path, holder: null };
  // Our own (a failover showing its final status) or a live rctl's: not stale.
  if (holder.pid === process.pid || processAlive(holder.pid)) return null;
  return { path, holder };
}

/** What `rctl status` says of a stale lock. */
export function staleLockProblem(stale: { path: string; holder: LockHolder | null }): string {
  const who = stale.holder ? `a failover (pid ${stale.holder.pid}, started ${stale.holder.startedAt}) was killed before it finished` : `an unreadable failover lock is left`;
  return `${who}: ${stale.path} is left; \`rctl up\` checks the set and removes it`;
}

/** Removes a stale lock (never a running failover's); returns the problem it was, for the report. */
export function removeStaleFailoverLock(state: TopologyState): string | null {
  const stale = staleFailoverLock(state);
  if (!stale) return null;
  try {
    unlinkSync(stale.path);
  } catch {
    return null;
  }
  return stale.holder ? `removed the lock of a failover (pid ${stale.holder.pid}) that was killed before it finished` : `removed an unreadable failover lock`;
}

export function acquireFailoverLock(state: TopologyState, warn: (text: string) => void): FailoverLock {
  const path = lockPath(state);
  const topologyName = state.topologyName;
  mkdirSync(state.dir, { recursive: true, mode: 0o700 });
  const mine: LockHolder = { pid: process.pid, startedAt: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const holder = readHolder(path);
      // An empty lock may be one another rctl created a moment ago and has not written yet.
      if (!holder && ageMs(path) < FRESH_LOCK_MS) {
        throw new RefusedError('FAILOVER_RUNNING', `a failover of ${topologyName} is starting (lock ${path} was just created)`, `wait for it to finish, or delete ${path} if no rctl is running`);
      }
      if (holder && holder.pid !== process.pid && processAlive(holder.pid)) {
        throw new RefusedError(
          'FAILOVER_RUNNING',
          `a failover of ${topologyName} is already running (pid ${holder.pid}, started ${holder.startedAt || 'at an unknown time'})`,
          `wait for it to finish; if pid ${holder.pid} is not rctl, delete ${path}`,
        );
      }
      warn(holder ? `removing a stale failover lock of pid ${holder.pid} (no longer running), started ${holder.startedAt}` : `removing an unreadable failover lock ${path}`);
      unlinkSync(path);
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(mine) + '\n');
    } finally {
      closeSync(fd);
    }
    return {
      path,
      release() {
        // Only our own lock: never remove one a later failover took after ours was judged stale.
        if (readHolder(path)?.pid === mine.pid) unlinkSync(path);
      },
    };
  }
}
