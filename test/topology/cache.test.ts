// The validated-topology cache under RCTL_HOME: hits only while the file is unchanged, resolves
// passwords from the environment or a file afresh, and never stores those.

import { readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCachedTopology } from '../../src/state/cache';
import { cachedSelectedTopology } from '../../src/state/cached';
import { loadSelectedTopology } from '../../src/state/index';
import { tempDir } from './temp';

function setup(auth: string) {
  const dir = tempDir('rctl-cache-');
  const home = join(dir, 'home');
  const file = join(dir, 't.yml');
  writeFileSync(file, `name: cached\n${auth}nodes:\n  - { name: m, host: 127.0.0.1, port: 7001, role: master }\n`);
  return { dir, home, file };
}

function cacheFiles(home: string): string[] {
  const dir = join(home, 'cache', 'topologies');
  return readdirSync(dir).map((name) => join(dir, name));
}

describe('topology cache', () => {
  it('is filled by a full load and then answers without parsing', async () => {
    const { home, file } = setup('auth:\n  password: "123456"\n');
    const env = { RCTL_HOME: home };
    expect(cachedSelectedTopology({ flag: file, env })).toBeNull();
    const loaded = await loadSelectedTopology({ flag: file, env });
    const cached = cachedSelectedTopology({ flag: file, env });
    expect(cached).not.toBeNull();
    expect({ ...cached, password: cached?.password?.reveal() }).toEqual({ ...loaded, password: loaded.password?.reveal() });
    const [entry] = cacheFiles(home);
    expect(statSync(entry).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'cache')).mode & 0o777).toBe(0o700);
  });

  it('misses after the file changes', async () => {
    const { home, file } = setup('');
    const env = { RCTL_HOME: home };
    await loadSelectedTopology({ flag: file, env });
    expect(readCachedTopology(file, file, home, env)?.nodes[0].port).toBe(7001);
    writeFileSync(file, readFileSync(file, 'utf8').replace('7001', '7002'));
    const later = new Date(Date.now() + 5000);
    utimesSync(file, later, later);
    expect(readCachedTopology(file, file, home, env)).toBeNull();
    expect((await loadSelectedTopology({ flag: file, env })).nodes[0].port).toBe(7002);
  });

  it('resolves passwordEnv afresh and never stores it', async () => {
    const { home, file } = setup('auth:\n  passwordEnv: CACHE_TEST_PASSWORD\n');
    await loadSelectedTopology({ flag: file, env: { RCTL_HOME: home, CACHE_TEST_PASSWORD: 'first-secret' } });
    expect(readFileSync(cacheFiles(home)[0], 'utf8')).not.toContain('first-secret');
    expect(readCachedTopology(file, file, home, { CACHE_TEST_PASSWORD: 'second-secret' })?.password?.reveal()).toBe('second-secret');
    // Without the variable the cache steps aside, so the full load can report it with its position.
    expect(readCachedTopology(file, file, home, {})).toBeNull();
    await expect(loadSelectedTopology({ flag: file, env: { RCTL_HOME: home } })).rejects.toThrow('auth.passwordEnv: environment variable CACHE_TEST_PASSWORD is not set');
  });

  it('re-reads passwordFile on every use', async () => {
    const { dir, home, file } = setup('auth:\n  passwordFile: secret\n');
    writeFileSync(join(dir, 'secret'), 'one\n');
    await loadSelectedTopology({ flag: file, env: { RCTL_HOME: home } });
    writeFileSync(join(dir, 'secret'), 'two\n');
    expect(readCachedTopology(file, file, home, {})?.password?.reveal()).toBe('two');
    expect(readFileSync(cacheFiles(home)[0], 'utf8')).not.toContain('one');
  });
});
