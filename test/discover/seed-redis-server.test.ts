// The acceptance scenario: the seeds' set (master 127.0.0.58, replicas 127.0.0.17 and .27,
// password 123456) on Debian's redis-server 7.0, discovered from a replica and from the master;
// `rctl status` and `rctl check` then work on the written file with no edit.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseTopology } from '../../src/topology/load';
import { errorLines, requireBuiltCli, sandbox, type Sandbox } from '../cli/helpers';
import { describeWithRedis, redisServerPath } from '../helpers/redis-server';
import { ENV, expectSeedFile, HOSTS, PASSWORD, upSeedSet } from './helpers';

describeWithRedis('rctl discover on the seeds\' set (redis-server 7.0)', () => {
  let box: Sandbox;
  let ports: number[];

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    ports = await upSeedSet(box, { launch: 'redis-server', binary: redisServerPath as string });
  }, 180_000);

  afterAll(async () => {
    if (!box) return;
    await box.run(['down', '-t', join(box.dir, 'lab.yml')], { env: ENV }).catch(() => undefined);
    box.cleanup();
  });

  for (const [from, index] of [['a replica', 1], ['the master', 0]] as const) {
    it(`from ${from}: the file needs no edit for status and check`, async () => {
      const out = join(box.dir, `from-${index}.yml`);
      const found = await box.run(['discover', `${HOSTS[index]}:${ports[index]}`, '--password-env', 'SEED_PW', '--out', out, '--json'], { env: ENV });
      expect(found.code, found.stderr).toBe(0);
      const result = JSON.parse(found.stdout);
      expect(result.nodes.map((n: { name: string; role: string; included: boolean; priority: number }) => [n.name, n.role, n.included, n.priority])).toEqual([
        ['redis-127-0-0-58', 'master', true, 100],
        ['redis-127-0-0-17', 'replica', true, 100],
        ['redis-127-0-0-27', 'replica', true, 50],
      ]);
      expect(result.nodes.every((n: { version: string }) => n.version.startsWith('7.0.'))).toBe(true);
      expect(result.auth).toBe('passwordEnv SEED_PW');
      expectSeedFile(out, ports);
      expect(statSync(out).mode & 0o777).toBe(0o644);
      // Round trip: rctl's own loader reads it as the set.
      const topology = parseTopology(out, out, readFileSync(out, 'utf8'), ENV);
      expect(topology.master.address).toBe(`${HOSTS[0]}:${ports[0]}`);
      expect(topology.replicas.map((n) => n.priority)).toEqual([100, 50]);

      // The discovered file is now the default topology: a bare status reads it.
      const status = await box.run(['status', '--json'], { env: ENV });
      expect(status.code, status.stdout + status.stderr).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ topology: `from-${index}`, master: 'redis-127-0-0-58', healthy: true });
      const check = await box.run(['check', '-t', out, '--sample', '0'], { env: ENV });
      expect(check.code, check.stdout + check.stderr).toBe(0);
    });
  }

  it('refuses to overwrite the file without --force (exit 5), replaces it with --force', async () => {
    const out = join(box.dir, 'from-1.yml');
    const before = readFileSync(out, 'utf8');
    const again = await box.run(['discover', `${HOSTS[1]}:${ports[1]}`, '--password-env', 'SEED_PW', '--out', out], { env: ENV });
    expect(again.code).toBe(5);
    expect(errorLines(again.stderr)).toEqual([expect.stringContaining('exists; discover does not overwrite it')]);
    expect(readFileSync(out, 'utf8')).toBe(before);
    const forced = await box.run(['discover', `${HOSTS[1]}:${ports[1]}`, '--password-env', 'SEED_PW', '--out', out, '--force'], { env: ENV });
    expect(forced.code, forced.stderr).toBe(0);
  });

  it('bad HOST:PORT exits 2 with one line; a wrong or missing password exits 4 without a stack', async () => {
    const bad = await box.run(['discover', '127.0.0.17'], { env: ENV });
    expect(bad.code).toBe(2);
    expect(errorLines(bad.stderr)).toHaveLength(1);
    const wrong = await box.run(['discover', `${HOSTS[1]}:${ports[1]}`, '--password-env', 'WRONG', '--out', join(box.dir, 'w.yml')], { env: { WRONG: 'nope' } });
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toContain('rejected the password');
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
    const none = await box.run(['discover', `${HOSTS[1]}:${ports[1]}`, '--out', join(box.dir, 'n.yml'), '--json'], { env: {} });
    expect(none.code).toBe(4);
    expect(JSON.parse(none.stdout).error.code).toBe('AUTH_REQUIRED');
    expect(existsSync(join(box.dir, 'w.yml')) || existsSync(join(box.dir, 'n.yml'))).toBe(false);
  });

  it('--write-password puts the password in a 0600 file, only when asked', async () => {
    const out = join(box.dir, 'inline.yml');
    const found = await box.run(['discover', `${HOSTS[0]}:${ports[0]}`, '--password-env', 'SEED_PW', '--write-password', '--out', out], { env: ENV });
    expect(found.code, found.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain(`password: "${PASSWORD}"`);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(found.stdout + found.stderr).not.toContain(PASSWORD);
  });

  it('the master down: named by the replicas, listed, and only --include-unreachable writes it', async () => {
    const stop = await box.run(['down', '-t', join(box.dir, 'lab.yml')], { env: ENV });
    expect(stop.code).toBe(0);
    const up = await box.run(['up', join(box.dir, 'lab.yml')], { env: ENV, timeoutMs: 120_000 });
    expect(up.code, up.stderr).toBe(0);
    // Stop the master alone (SHUTDOWN NOSAVE): the replicas still name it.
    const { redisCommand } = await import('../cli/helpers');
    await redisCommand(HOSTS[0], ports[0], PASSWORD, ['SHUTDOWN', 'NOSAVE']).catch(() => undefined);
    const refused = await box.run(['discover', `${HOSTS[1]}:${ports[1]}`, '--password-env', 'SEED_PW', '--out', join(box.dir, 'down.yml'), '--json'], { env: ENV });
    expect(refused.code).toBe(4);
    expect(JSON.parse(refused.stdout).error.code).toBe('DISCOVER_NO_MASTER');
    const written = await box.run(['discover', `${HOSTS[1]}:${ports[1]}`, '--password-env', 'SEED_PW', '--out', join(box.dir, 'down.yml'), '--include-unreachable', '--json'], { env: ENV });
    expect(written.code, written.stderr).toBe(0);
    const result = JSON.parse(written.stdout);
    expect(result.nodes[0]).toMatchObject({ name: 'redis-127-0-0-58', reachable: false, included: true, namedBy: [`${HOSTS[1]}:${ports[1]}`] });
    expect(result.warnings.join('\n')).toContain('does not answer');
  });
});
