// Real redis-server binaries of the versions rctl supports, for the version matrix.
// 5.0.14, 6.2.16 and 7.2.6 are built from the source tarballs of the workplace's
// shared/redis-versions/ folder by its `build` script (once per machine, cached); 7.0 is the
// redis-server on PATH (Debian's 7.0.15). Suites that need a version skip with a visible reason
// when it cannot be had, and fail instead when RCTL_REQUIRE_REDIS=1 (CI).

import { dirname, join } from 'node:path';
import { describe } from 'vitest';
import { buildRedisVersion, serverVersion, type BuiltVersion } from '../../scripts/redis-versions';
import { redisRequired, redisServerPath } from './redis-server';

export { BUILT_VERSIONS, redisVersionsFolder } from '../../scripts/redis-versions';

export type MatrixVersion = BuiltVersion | '7.0';
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


const cache = new Map<MatrixVersion, RedisBinaries | string>();

/** The binaries of one version, or why they cannot be had. Builds on first use (about a minute). */
export function redisBinaries(version: MatrixVersion): RedisBinaries | string {
  const known = cache.get(version);
  if (known !== undefined) return known;
  let result: RedisBinaries | string;
  if (version === '7.0') {
    const printed = redisServerPath ? serverVersion(redisServerPath) : null;
    if (!redisServerPath) result = 'redis-server is not on PATH';
    else result = printed?.startsWith('7.0.') ? binariesIn(version, dirname(redisServerPath), printed) : `the redis-server on PATH is not 7.0 (${printed ?? 'no version'})`;
  } else {
    const built = buildRedisVersion(version);
    result = 'problem' in built ? built.problem : binariesIn(version, built.dir, serverVersion(join(built.dir, 'redis-server')) ?? version);
  }
  cache.set(version, result);
  return result;
}

function binariesIn(version: MatrixVersion, dir: string, fullVersion: string): RedisBinaries {
  return {
    version,
    fullVersion,
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
