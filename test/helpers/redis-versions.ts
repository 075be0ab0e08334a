// Real redis-server binaries of the versions rctl supports, for the version matrix.
// 5.0.14, 6.2.16 and 7.2.6 are built from the source tarballs of the workplace's
// shared/redis-versions/ folder by its `build` script (once per machine, cached); 7.0 is the
// redis-server on PATH (Debian's 7.0.15). Suites that need a version skip with a visible reason
// when it cannot be had, and fail instead when RCTL_REQUIRE_REDIS=1 (CI).

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe } from 'vitest';
import { repoRoot } from './bundled-node';
import { redisRequired, redisServerPath } from './redis-server';

export const BUILT_VERSIONS = ['5.0.14', '6.2.16', '7.2.6'] as const;
export type MatrixVersion = (typeof BUILT_VERSIONS)[number] | '7.0';
/** Every version rctl supports, oldest first. */
export const MATRIX_VERSIONS: readonly MatrixVersion[] = ['5.0.14', '6.2.16', '7.0', '7.2.6'];

export interface RedisBinaries {
  version: MatrixVersion;
  /** What `redis-server --version` says, e.g. 7.0.15. */
  fullVersion: string;
  dir: string;
  server: string;
  cli: string;
  sentinel: string;
  benchmark: string;
}


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

const cache = new Map<MatrixVersion, RedisBinaries | string>();

/** The binaries of one version, or why they cannot be had. Builds on first use (about a minute). */
export function redisBinaries(version: MatrixVersion): RedisBinaries | string {
  const known = cache.get(version);
  if (known !== undefined) return known;
  let result: RedisBinaries | string;
  if (version === '7.0') {
    if (!redisServerPath) result = 'redis-server is not on PATH';
    else {
      const printed = spawnSync(redisServerPath, ['--version'], { encoding: 'utf8' }).stdout ?? '';
      const dir = dirname(redisServerPath);
      result = /v=7\.0\./.test(printed) ? binariesIn(version, dir) : `the redis-server on PATH is not 7.0 (${printed.trim()})`;
    }
  } else {
    const folder = redisVersionsFolder();
    if (!folder) result = 'no shared/redis-versions folder with a build script was found (set RCTL_REDIS_VERSIONS)';
    else {
      const built = spawnSync('bash', [join(folder, 'build'), version], { encoding: 'utf8', timeout: 15 * 60_000 });
      const dir = built.stdout.trim().split('\n').pop() ?? '';
      result = built.status === 0 && existsSync(join(dir, 'redis-server')) ? binariesIn(version, dir) : `building redis ${version} failed: ${(built.stderr || built.error?.message || '').trim().split('\n').slice(-3).join(' ')}`;
    }
  }
  cache.set(version, result);
  return result;
}

function binariesIn(version: MatrixVersion, dir: string): RedisBinaries {
  const printed = spawnSync(join(dir, 'redis-server'), ['--version'], { encoding: 'utf8' }).stdout ?? '';
  return {
    version,
    fullVersion: /v=(\d+\.\d+\.\d+)/.exec(printed)?.[1] ?? version,
    dir,
    server: join(dir, 'redis-server'),
    cli: join(dir, 'redis-cli'),
    sentinel: join(dir, 'redis-sentinel'),
    benchmark: join(dir, 'redis-benchmark'),
  };
}

/**
 * describe() for a suite that needs one version's binaries: the body gets them. Skipped with a
 * reason when they cannot be had, failing when RCTL_REQUIRE_REDIS=1.
 */
export function describeWithVersion(version: MatrixVersion, name: string, body: (binaries: RedisBinaries) => void): void {
  const binaries = redisBinaries(version);
  if (typeof binaries !== 'string') {
    describe(name, () => body(binaries));
  } else if (redisRequired) {
    describe(name, () => {
      throw new Error(`redis ${version}: ${binaries}, but RCTL_REQUIRE_REDIS=1`);
    });
  } else {
    process.stderr.write(`[skip] ${name}: redis ${version}: ${binaries}\n`);
    describe.skip(`${name} (skipped: redis ${version} unavailable)`, () => undefined);
  }
}

/** describeWithVersion for several versions at once: the body gets each one's binaries. */
export function describeWithVersions(versions: readonly MatrixVersion[], name: string, body: (binaries: Map<MatrixVersion, RedisBinaries>) => void): void {
  const found = new Map<MatrixVersion, RedisBinaries>();
  const missing: string[] = [];
  for (const version of versions) {
    const binaries = redisBinaries(version);
    if (typeof binaries === 'string') missing.push(`redis ${version}: ${binaries}`);
    else found.set(version, binaries);
  }
  if (missing.length === 0) describe(name, () => body(found));
  else if (redisRequired) {
    describe(name, () => {
      throw new Error(`${missing.join('; ')}, but RCTL_REQUIRE_REDIS=1`);
    });
  } else {
    process.stderr.write(`[skip] ${name}: ${missing.join('; ')}\n`);
    describe.skip(`${name} (skipped: ${missing.join('; ')})`, () => undefined);
  }
}
