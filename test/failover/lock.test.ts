// One failover at a time per topology: the lock refuses while its holder runs, replaces a stale
// one with a warning, and is removed only by its owner.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireFailoverLock, lockPath } from '../../src/state/failover-lock';
import { RefusedError } from '../../src/errors';
import { TopologyState } from '../../src/state/topology-state';

const home = mkdtempSync(join(tmpdir(), 'rctl-lock-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('the failover lock', () => {
  it('is exclusive while its holder runs, and released by its owner', () => {
    const lock = acquireFailoverLock(new TopologyState(home, 'lab'), () => {});
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it('refuses (exit 5) naming the pid of a live holder', async () => {
    const holder = spawn('sleep', ['30']);
    try {
      mkdirSync(join(home, 'busy'), { recursive: true });
      writeFileSync(lockPath(new TopologyState(home, 'busy')), JSON.stringify({ pid: holder.pid, startedAt: '2026-01-01T00:00:00.000Z' }));
      let error: unknown;
      try {
        acquireFailoverLock(new TopologyState(home, 'busy'), () => {});
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(RefusedError);
      expect((error as RefusedError).message).toBe(`a failover of busy is already running (pid ${holder.pid}, started 2026-01-01T00:00:00.000Z)`);
      expect((error as RefusedError).exitCode).toBe(5);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('replaces a stale lock with a warning; a release never removes a lock it does not own', async () => {
    const gone = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => gone.once('exit', resolve));
    mkdirSync(join(home, 'stale'), { recursive: true });
    writeFileSync(lockPath(new TopologyState(home, 'stale')), JSON.stringify({ pid: gone.pid, startedAt: 'then' }));
    const warnings: string[] = [];
    const lock = acquireFailoverLock(new TopologyState(home, 'stale'), (text) => warnings.push(text));
    expect(warnings).toEqual([`removing a stale failover lock of pid ${gone.pid} (no longer running), started then`]);
    writeFileSync(lock.path, JSON.stringify({ pid: 1, startedAt: 'later' }));
    lock.release();
    expect(existsSync(lock.path)).toBe(true);
  });
});
