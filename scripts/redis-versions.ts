// Real Redis releases for the version matrix and the benchmarks: 5.0.14, 6.2.16 and 7.2.6 built from
// the workplace's shared/redis-versions/ tarballs by its `build` script (once per machine, cached);
// 7.0 is Debian's redis-server on PATH. Shared by test/helpers/redis-versions.ts and bench/.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const BUILT_VERSIONS = ['5.0.14', '6.2.16', '7.2.6'] as const;
export type BuiltVersion = (typeof BUILT_VERSIONS)[number];

const repoRoot = join(__dirname, '..');

/** The folder holding `build` and the tarballs: $RCTL_REDIS_VERSIONS, else a `shared/redis-versions` beside an ancestor of the checkout, else /work's. */
export function redisVersionsFolder(): string | null {
  const candidates: string[] = [];
  if (process.env.RCTL_REDIS_VERSIONS) candidates.push(process.env.RCTL_REDIS_VERSIONS);
  for (let dir = repoRoot; ; dir = dirname(dir)) {
    candidates.push(join(dir, '..', 'shared', 'redis-versions'));
    if (dirname(dir) === dir) break;
  }
  candidates.push('/work/shared/redis-versions');
  return candidates.find((dir) => existsSync(join(dir, 'build'))) ?? null;
}

/** The folder of one version's binaries (building it on first use, about a minute), or why not. */
export function buildRedisVersion(version: BuiltVersion): { dir: string } | { problem: string } {
  const folder = redisVersionsFolder();
  if (!folder) return { problem: 'no shared/redis-versions folder with a build script was found (set RCTL_REDIS_VERSIONS)' };
  const built = spawnSync('bash', [join(folder, 'build'), version], { encoding: 'utf8', timeout: 15 * 60_000 });
  const dir = (built.stdout ?? '').trim().split('\n').pop() ?? '';
  if (built.status === 0 && existsSync(join(dir, 'redis-server'))) return { dir };
  return { problem: `building redis ${version} failed: ${(built.stderr || built.error?.message || '').trim().split('\n').slice(-3).join(' ')}` };
}

/** What `redis-server --version` says of a binary, e.g. 7.0.15; null when it does not run. */
export function serverVersion(binary: string): string | null {
  const printed = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout ?? '';
  return /v=(\d+\.\d+\.\d+)/.exec(printed)?.[1] ?? null;
}
