// `rctl check` of a Sentinel-managed set, end to end: three bundled nodes under three real
// redis-sentinel processes launched by `rctl up`, the built binary asked for `check --json`. A
// healthy set only lacks min-replicas-to-write; then a stopped sentinel, a sentinel whose
// down-after-milliseconds was changed, and one monitoring another address are each found, and the
// fix the report prints (run as printed, with redis-cli) makes the report clean again. Neither
// password appears in anything rctl prints.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isAlive, redisCommand, requireBuiltCli, sandbox, type Sandbox } from '../cli/helpers';
import { freePort } from '../helpers/ports';
import { runProcess } from '../helpers/processes';
import { redisRequired } from '../helpers/redis-server';
import { describeWithVersion, type RedisBinaries } from '../helpers/redis-versions';
import { eventually } from '../helpers/wait';
import type { Finding } from '../../src/cluster/check/model';

const NODE_PASSWORD = 'node-pw-c4e81a';
const SENTINEL_PASSWORD = 'sentinel-pw-5d09f7';
const MASTER_NAME = 'guarded';
const TOPOLOGY = 'sentinel-check';
const ENV = { NODE_PW: NODE_PASSWORD, SENTINEL_PW: SENTINEL_PASSWORD };
const NODES = ['n1', 'n2', 'n3'] as const;

interface Report {
  clean: boolean;
  findings: Finding[];
  notices: Finding[];
}

interface SetUnderTest {
  box: Sandbox;
  file: string;
  nodePorts: number[];
  sentinelPorts: number[];
}

function topologyText(nodePorts: number[], sentinelPorts: number[], sentinelBinary: string): string {
  return [
    `name: ${TOPOLOGY}`,
    'launch: embedded',
    'auth: { passwordEnv: NODE_PW }',
    'sentinel:',
    `  masterName: ${MASTER_NAME}`,
    '  quorum: 2',
    '  launch: redis-sentinel',
    `  redisSentinel: ${sentinelBinary}`,
    '  downAfterMs: 2000',
    '  failoverTimeoutMs: 10000',
    '  auth: { passwordEnv: SENTINEL_PW }',
    '  nodes:',
    ...sentinelPorts.map((port) => `    - { host: 127.0.0.1, port: ${port} }`),
    'nodes:',
    ...NODES.map((name, i) => `  - { name: ${name}, host: 127.0.0.1, port: ${nodePorts[i]}, role: ${i === 0 ? 'master' : 'replica'} }`),
    '',
  ].join('\n');
}

function sentinelPid(set: SetUnderTest, index: number): number | null {
  const file = join(set.box.home, TOPOLOGY, '_sentinels', `sentinel-${index + 1}`, 'sentinel.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

async function check(set: SetUnderTest): Promise<{ code: number | null; report: Report }> {
  const result = await set.box.run(['check', '-t', set.file, '--json', '--sample', '0', '--timeout', '2'], { env: ENV });
  expect(result.stderr, 'check --json writes nothing to stderr').toBe('');
  return { code: result.code, report: JSON.parse(result.stdout) as Report };
}

const codes = (findings: Finding[]) => findings.map((f) => `${f.severity} ${f.code}@${f.node}`);

async function up(set: SetUnderTest): Promise<void> {
  const result = await set.box.run(['up', set.file], { env: ENV, timeoutMs: 120_000 });
  expect(result.stderr + result.stdout, 'rctl up').toContain(`${TOPOLOGY}: healthy`);
  expect(result.code).toBe(0);
}

/** Checks until the report is clean (a sentinel just started may still be discovering the set). */
async function expectCleanEventually(set: SetUnderTest): Promise<void> {
  let last: Report | null = null;
  await eventually(
    async () => {
      const { code, report } = await check(set);
      last = report;
      return code === 0 && report.clean && report.findings.length === 0;
    },
    { timeout: 30_000, interval: 500, what: 'a clean check' },
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last report: ${JSON.stringify(last)}`);
  });
}

/**
 * Runs a fix exactly as the report prints it, with two substitutions only: the redis-cli of the
 * version under test, and `-a <password>` dropped for REDISCLI_AUTH (so no password on argv).
 * Returns the `rctl ...` part after `&&`, if any, for the test to run through the sandbox.
 */
async function runRedisCliFix(fix: string, redis: RedisBinaries, password: string): Promise<string | null> {
  const [cli, rest] = fix.split(' && ');
  const words = cli.split(' ');
  expect(words[0]).toBe('redis-cli');
  const auth = words.indexOf('-a');
  expect(words[auth + 1]).toBe('<password>');
  words.splice(auth, 2);
  const result = await runProcess(redis.cli, words.slice(1), { env: { ...process.env, REDISCLI_AUTH: password }, timeoutMs: 10_000 });
  expect(result.stdout.trim(), result.stderr).toBe('OK');
  return rest ?? null;
}

describeWithVersion('7.0', 'rctl check of a Sentinel-managed set (three redis-sentinel processes launched by rctl up)', (redis) => {
  if (!existsSync(redis.sentinel)) {
    if (redisRequired) it('has redis-sentinel', () => expect.fail(`${redis.sentinel} is missing, but RCTL_REQUIRE_REDIS=1`));
    else it.skip(`skipped: ${redis.sentinel} is missing (install redis-sentinel)`, () => undefined);
    return;
  }

  let set: SetUnderTest | null = null;
  const current = () => set as SetUnderTest;

  beforeAll(async () => {
    requireBuiltCli();
    const box = sandbox();
    const nodePorts = [await freePort(), await freePort(), await freePort()];
    const sentinelPorts = [await freePort(), await freePort(), await freePort()];
    set = { box, nodePorts, sentinelPorts, file: box.topology('sentinel-check.yml', topologyText(nodePorts, sentinelPorts, redis.sentinel)) };
  });

  afterAll(async () => {
    if (!set) return;
    await set.box.run(['down', set.file, '--purge', '--yes'], { env: ENV, timeoutMs: 60_000 }).catch(() => undefined);
    for (const index of [0, 1, 2]) {
      const pid = sentinelPid(set, index);
      if (pid !== null && isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    set.box.cleanup();
  });

  it('a healthy set: no sentinel finding, only the master that would take writes while cut off; its fix makes the report clean', { timeout: 180_000 }, async () => {
    await up(current());
    const { code, report } = await check(current());
    expect(code).toBe(3);
    expect(codes(report.findings)).toEqual(['warn ISOLATED_MASTER_WRITES@n1']);
    // Everything runs on this machine: worth a notice, not a finding.
    expect(codes(report.notices)).toContain('info SENTINEL_SHARED_HOST@sentinels');
    const [finding] = report.findings;
    expect(finding.reason).toContain('(n2, n3, which the sentinels may promote, need it too)');
    // The bundled nodes have a config file: each CONFIG SET is followed by CONFIG REWRITE.
    const commands = finding.fix.split(' && ');
    expect(commands).toEqual(
      current().nodePorts.flatMap((port) => [`redis-cli -h 127.0.0.1 -p ${port} -a <password> CONFIG SET min-replicas-to-write 1`, `redis-cli -h 127.0.0.1 -p ${port} -a <password> CONFIG REWRITE`]),
    );
    for (const command of commands) await runRedisCliFix(command, redis, NODE_PASSWORD);
    for (const [i, name] of NODES.entries()) {
      expect(await redisCommand('127.0.0.1', current().nodePorts[i], NODE_PASSWORD, ['CONFIG', 'GET', 'min-replicas-to-write']), name).toBe('*2\r\n$21\r\nmin-replicas-to-write\r\n$1\r\n1\r\n');
    }
    const after = await check(current());
    expect(after.code).toBe(0);
    expect(after.report.findings).toEqual([]);
  });

  it('a stopped sentinel: SENTINEL_UNREACHABLE with rctl up as the fix, which brings it back', { timeout: 180_000 }, async () => {
    const pid = sentinelPid(current(), 1);
    expect(pid).not.toBeNull();
    process.kill(pid as number, 'SIGTERM');
    await eventually(() => !isAlive(pid as number), { timeout: 10_000, what: 'sentinel-2 to exit' });

    const { code, report } = await check(current());
    expect(code).toBe(3);
    expect(codes(report.findings)).toEqual(['error SENTINEL_UNREACHABLE@sentinel-2']);
    expect(report.findings[0].reason).toBe(`cannot be asked about ${MASTER_NAME}: sentinel-2 (127.0.0.1:${current().sentinelPorts[1]}): connection refused; it neither watches the master nor votes in a failover`);
    expect(report.findings[0].fix).toBe(`rctl up ${current().file}`);

    await up(current());
    await expectCleanEventually(current());
  });

  it("a sentinel's down-after-milliseconds changed behind rctl's back: SENTINEL_SETTING_DRIFT, fixed by the printed SENTINEL SET", { timeout: 180_000 }, async () => {
    const port = current().sentinelPorts[1];
    expect(await redisCommand('127.0.0.1', port, SENTINEL_PASSWORD, ['SENTINEL', 'SET', MASTER_NAME, 'down-after-milliseconds', '4321'])).toBe('+OK\r\n');
    const { code, report } = await check(current());
    expect(code).toBe(3);
    expect(codes(report.findings)).toEqual(['warn SENTINEL_SETTING_DRIFT@sentinel-2']);
    expect(report.findings[0].reason).toMatch(/^runs down-after-milliseconds 4321 \(the file: 2000\): /);
    expect(report.findings[0].fix).toBe(`redis-cli -h 127.0.0.1 -p ${port} -a <password> SENTINEL SET ${MASTER_NAME} down-after-milliseconds 2000`);

    expect(await runRedisCliFix(report.findings[0].fix, redis, SENTINEL_PASSWORD)).toBeNull();
    await expectCleanEventually(current());
  });

  it('a sentinel monitoring another address: SENTINEL_WRONG_MASTER alone for it; SENTINEL REMOVE and rctl up repair it', { timeout: 180_000 }, async () => {
    const port = current().sentinelPorts[2];
    const elsewhere = await freePort();
    expect(await redisCommand('127.0.0.1', port, SENTINEL_PASSWORD, ['SENTINEL', 'REMOVE', MASTER_NAME])).toBe('+OK\r\n');
    expect(await redisCommand('127.0.0.1', port, SENTINEL_PASSWORD, ['SENTINEL', 'MONITOR', MASTER_NAME, '127.0.0.1', String(elsewhere), '2'])).toBe('+OK\r\n');

    const { code, report } = await check(current());
    expect(code).toBe(3);
    expect(codes(report.findings)).toEqual(['error SENTINEL_WRONG_MASTER@sentinel-3']);
    expect(report.findings[0].reason).toMatch(
      new RegExp(`^names 127\\.0\\.0\\.1:${elsewhere} the master of ${MASTER_NAME}, which is no node of ${TOPOLOGY}, while 2 sentinels \\(quorum 2\\) name n1: `),
    );
    const fix = report.findings[0].fix;
    expect(fix).toBe(`redis-cli -h 127.0.0.1 -p ${port} -a <password> SENTINEL REMOVE ${MASTER_NAME} && rctl up ${current().file}`);

    expect(await runRedisCliFix(fix, redis, SENTINEL_PASSWORD)).toBe(`rctl up ${current().file}`);
    await up(current());
    await expectCleanEventually(current());
  });

  it('printed neither password, in JSON or in the table', { timeout: 60_000 }, async () => {
    const table = await current().box.run(['check', '-t', current().file, '--sample', '0'], { env: ENV });
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(`${TOPOLOGY}: clean; 3 nodes and 3 sentinels checked, nothing found (1 notice)`);
    expect(table.stdout).toContain('notice: sentinels: SENTINEL_SHARED_HOST: every node and sentinel runs on 127.0.0.1');
    expect(current().box.transcript()).not.toContain(NODE_PASSWORD);
    expect(current().box.transcript()).not.toContain(SENTINEL_PASSWORD);
  });
});
