// For tests of Sentinel-managed sets that `rctl up` launches: gate a suite on a version's
// redis-sentinel binary, and find (and kill) the sentinels a sandbox launched, which the sandbox's
// own cleanup does not know about (it kills the nodes' node.pid only).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { redisRequired } from './redis-server';
import { describeWithVersion, type MatrixVersion, type RedisBinaries } from './redis-versions';

/**
 * describeWithVersion, and the version's redis-sentinel must exist too (Debian ships it apart from
 * redis-server): skipped with a reason without it, failing when RCTL_REQUIRE_REDIS=1.
 */
export function describeWithSentinel(version: MatrixVersion, name: string, body: (redis: RedisBinaries) => void): void {
  describeWithVersion(version, name, (redis) => {
    if (existsSync(redis.sentinel)) body(redis);
    else if (redisRequired) it('has redis-sentinel', () => expect.fail(`${redis.sentinel} is missing, but RCTL_REQUIRE_REDIS=1`));
    else {
      process.stderr.write(`[skip] ${name}: ${redis.sentinel} is missing (install redis-sentinel)\n`);
      it.skip(`${name} (skipped: no redis-sentinel)`, () => undefined);
    }
  });
}

/** Pids of the sentinels launched for `topology` under RCTL_HOME `home` ($RCTL_HOME/<topology>/_sentinels/sentinel-N/sentinel.pid). */
export function sentinelPids(home: string, topology: string): number[] {
  const root = join(home, topology, '_sentinels');
  if (!existsSync(root)) return [];
  const pids: number[] = [];
  for (const name of readdirSync(root)) {
    try {
      const pid = Number(readFileSync(join(root, name, 'sentinel.pid'), 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0) pids.push(pid);
    } catch {
      // not started, or already removed
    }
  }
  return pids;
}

export function killSentinels(home: string, topology: string): void {
  for (const pid of sentinelPids(home, topology)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
