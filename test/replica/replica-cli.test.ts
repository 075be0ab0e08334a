// `rctl replica add` / `rctl replica remove` through the built binary, on a bundled-node set that
// `rctl up` launched: launched embedded and redis-server replicas added with data on the master,
// an already running (external) redis-server added, refusals with their codes, removals (file,
// process, records), and the removal of the file's master after a failover.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorSchema, replicaAddSchema, replicaRemoveSchema } from '../../src/output/schemas';
import { freePort } from '../helpers/ports';
import { redisServerPath, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { isAlive, redisCommand, requireBuiltCli, sandbox, type RunResult, type Sandbox } from '../cli/helpers';

const PASSWORD = 'replica-pw-4d1e';
const KEYS = 3000;

function json(result: RunResult): Record<string, unknown> {
  try {
    return JSON.parse(result.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

/** The error's code, once its JSON follows the error schema and agrees with the exit code. */
function errorCode(result: RunResult): string {
  const { error } = errorSchema.parse(json(result));
  expect(error.exitCode).toBe(result.code);
  return error.code;
}

describe('rctl replica add / remove on a bundled-node set', () => {
  let box: Sandbox;
  let file: string;
  let original: string;
  const port: Record<string, number> = {};
  let external: RedisProcess | null = null;

  const rctl = (args: string[], timeoutMs = 120_000) => box.run([...args, '-t', file], { timeoutMs });
  const keysOf = async (p: number, password: string | null = PASSWORD) => Number((await redisCommand('127.0.0.1', p, password, ['DBSIZE'])).slice(1));
  const pidOf = (name: string) => Number(readFileSync(join(box.home, 'lab', name, 'node.pid'), 'utf8'));
  const fileNow = () => readFileSync(file, 'utf8');

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    for (const name of ['master', 'replica1', 'r2', 'rs', 'taken']) port[name] = await freePort();
    original = [
      '# The lab set. Comments and layout must survive rctl edits.',
      'name: lab',
      'auth:',
      `  password: "${PASSWORD}"   # rotated monthly`,
      'launch: embedded',
      '',
      'nodes:',
      '  # the master, rack A',
      `  - { name: master,   host: 127.0.0.1, port: ${port.master}, role: master }`,
      `  - {name: replica1, host: 127.0.0.1, port: ${port.replica1}, role: replica}  # rack B`,
      '  # - { name: retired, host: 127.0.0.1, port: 1, role: replica }',
      '',
    ].join('\n');
    file = box.topology('lab.yml', original);
    const up = await rctl(['up']);
    expect(up.code, up.stderr).toBe(0);
    const client = new Redis({ host: '127.0.0.1', port: port.master, password: PASSWORD, lazyConnect: true });
    await client.connect();
    const pipeline = client.pipeline();
    for (let i = 0; i < KEYS; i++) pipeline.set(`key:${i}`, `value-${i}-${'x'.repeat(200)}`);
    await pipeline.exec();
    client.disconnect();
  }, 120_000);

  afterAll(async () => {
    await external?.stop();
    if (!box) return;
    await box.run(['down', '-t', file, '--timeout', '2']).catch(() => undefined);
    box.cleanup();
  });

  it('adds a launched embedded replica: the file gains one line, the node syncs the data, status is healthy', async () => {
    const add = await rctl(['replica', 'add', 'r2', `127.0.0.1:${port.r2}`, '--json']);
    expect(add.code, add.stderr).toBe(0);
    replicaAddSchema.parse(json(add));
    const result = json(add) as { declared: boolean; master: string; status: { healthy: boolean }; actions: Array<{ action: string }> };
    expect(result.declared).toBe(true);
    expect(result.master).toBe('master');
    expect(result.status.healthy).toBe(true);
    expect(result.actions.map((a) => a.action)).toEqual(['declared', 'launched', 'replicaof', 'config rewrite']);
    const line = `  - { name: r2, host: 127.0.0.1, port: ${port.r2}, role: replica }\n`;
    const after = `# rack B\n`;
    const at = original.indexOf(after) + after.length;
    expect(fileNow()).toBe(original.slice(0, at) + line + original.slice(at));
    expect(await keysOf(port.r2)).toBe(KEYS);
    expect(add.stderr).toContain('waiting for r2 to sync with master');
    expect(box.transcript()).not.toContain(PASSWORD);
    const status = await rctl(['status', '--json']);
    expect(status.code, status.stdout).toBe(0);
  }, 120_000);

  it('a rerun with the same arguments changes nothing', async () => {
    const before = fileNow();
    const again = await rctl(['replica', 'add', 'r2', `127.0.0.1:${port.r2}`, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(json(again)).toMatchObject({ declared: false, changed: false, actions: [] });
    expect(fileNow()).toBe(before);
  }, 60_000);

  it('refuses bad input with its code, changing nothing', async () => {
    const before = fileNow();
    const cases: Array<[string[], string, number]> = [
      [['replica', 'add', 'r2', `127.0.0.1:${port.rs}`], 'REPLICA_NAME_TAKEN', 2],
      [['replica', 'add', 'master', `127.0.0.1:${port.master}`], 'REPLICA_NAME_TAKEN', 2],
      [['replica', 'add', 'r9', `localhost:${port.replica1}`], 'REPLICA_ADDRESS_TAKEN', 2],
      [['replica', 'add', 'r9', '127.0.0.1'], 'USAGE', 2],
      [['replica', 'add', 'bad/name', `127.0.0.1:${port.rs}`], 'USAGE', 2],
      [['replica', 'add', 'r9', `10.1.2.3:${port.rs}`], 'USAGE', 2],
      [['replica', 'add', 'r9', `10.1.2.3:${port.rs}`, '--launch', 'external'], 'USAGE', 2],
      [['replica', 'remove', 'nobody'], 'REPLICA_NOT_FOUND', 2],
      [['replica', 'remove', 'master'], 'REMOVE_MASTER_REFUSED', 5],
    ];
    for (const [args, code, exit] of cases) {
      const run = await rctl([...args, '--json']);
      expect(run.code, `${args.join(' ')}: ${run.stdout}`).toBe(exit);
      expect(errorCode(run), args.join(' ')).toBe(code);
      expect(run.stderr.trim().split('\n').filter((l) => l.startsWith('rctl:'))).toHaveLength(1);
    }
    expect(fileNow()).toBe(before);
  }, 60_000);

  it('refuses a launched node on a port something else listens on', async () => {
    const holder = await startRedisServer().catch(() => null);
    if (!holder) return;
    try {
      const run = await rctl(['replica', 'add', 'r9', `127.0.0.1:${holder.port}`, '--json']);
      expect(run.code).toBe(2);
      expect(errorCode(run)).toBe('REPLICA_ADDRESS_TAKEN');
    } finally {
      await holder.stop();
    }
  }, 60_000);

  it.skipIf(!redisServerPath)('adds a launched redis-server replica with --priority', async () => {
    const add = await rctl(['replica', 'add', 'rs', `127.0.0.1:${port.rs}`, '--launch', 'redis-server', '--priority', '10', '--json']);
    expect(add.code, add.stderr).toBe(0);
    expect(fileNow()).toContain(`  - { name: rs, host: 127.0.0.1, port: ${port.rs}, role: replica, launch: redis-server, priority: 10 }\n`);
    expect(await keysOf(port.rs)).toBe(KEYS);
    expect(await redisCommand('127.0.0.1', port.rs, PASSWORD, ['CONFIG', 'GET', 'replica-priority'])).toContain('10');
  }, 120_000);

  it.skipIf(!redisServerPath)('an external redis-server holding keys: refused (exit 5) without --yes, added with it', async () => {
    external = await startRedisServer();
    await redisCommand('127.0.0.1', external.port, null, ['SET', 'own-key', 'theirs']);
    const before = fileNow();
    const refused = await rctl(['replica', 'add', 'ext', `127.0.0.1:${external.port}`, '--launch', 'external', '--json']);
    expect(refused.code).toBe(5);
    expect(errorCode(refused)).toBe('DATA_LOSS_REFUSED');
    expect(fileNow()).toBe(before);

    const add = await rctl(['replica', 'add', 'ext', `127.0.0.1:${external.port}`, '--launch', 'external', '--yes', '--json']);
    expect(add.code, add.stderr).toBe(0);
    expect(fileNow()).toContain(`name: ext, host: 127.0.0.1, port: ${external.port}, role: replica, launch: external }`);
    expect(await keysOf(external.port)).toBe(KEYS);
  }, 120_000);

  it.skipIf(!redisServerPath)('removing the external node fences and detaches it: a master that keeps its keys and refuses writes', async () => {
    const port = (external as RedisProcess).port;
    const removed = await rctl(['replica', 'remove', 'ext', '--json']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(json(removed)).toMatchObject({ detached: 'fenced', node: 'ext' });
    expect(fileNow()).not.toContain('name: ext');
    expect(await redisCommand('127.0.0.1', port, PASSWORD, ['ROLE'])).toContain('master');
    expect(await keysOf(port)).toBe(KEYS);
    expect(await redisCommand('127.0.0.1', port, PASSWORD, ['SET', 'k', 'v'])).toMatch(/^-NOREPLICAS/);
  }, 60_000);

  it('removing a launched replica stops it and gives the file back without its line', async () => {
    const pid = pidOf('r2');
    const before = fileNow();
    const removed = await rctl(['replica', 'remove', 'r2', '--json']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(replicaRemoveSchema.parse(json(removed))).toMatchObject({ detached: 'stopped', status: { healthy: true } });
    expect(isAlive(pid)).toBe(false);
    expect(fileNow()).toBe(before.replace(`  - { name: r2, host: 127.0.0.1, port: ${port.r2}, role: replica }\n`, ''));
    // Its data stays where it was launched.
    expect(existsSync(join(box.home, 'lab', 'r2', 'data'))).toBe(true);
  }, 60_000);

  it.skipIf(!redisServerPath)('after a failover, removing the file\'s master moves role: master in the file and drops roles.json; the last candidate is refused', async () => {
    const failover = await rctl(['failover', '--promote', 'replica1', '--yes']);
    expect(failover.code, failover.stderr).toBe(0);
    expect(existsSync(join(box.home, 'lab', 'roles.json'))).toBe(true);

    const master = await rctl(['replica', 'remove', 'replica1', '--json']);
    expect(master.code).toBe(5);
    expect(errorCode(master)).toBe('REMOVE_MASTER_REFUSED');

    const removed = await rctl(['replica', 'remove', 'master', '--json']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(existsSync(join(box.home, 'lab', 'roles.json'))).toBe(false);
    const text = fileNow();
    expect(text).not.toContain('name: master,');
    expect(text).toContain(`  - {name: replica1, host: 127.0.0.1, port: ${port.replica1}, role: master}  # rack B\n`);
    expect(text.startsWith('# The lab set. Comments and layout must survive rctl edits.\n')).toBe(true);
    const status = await rctl(['status', '--json']);
    expect(status.code, status.stdout).toBe(0);
    expect(json(status).master).toBe('replica1');

    // rs is the only replica left: the last failover candidate.
    const last = await rctl(['replica', 'remove', 'rs', '--json']);
    expect(last.code).toBe(5);
    expect(errorCode(last)).toBe('LAST_CANDIDATE_REFUSED');
    expect(fileNow()).toBe(text);
  }, 120_000);
});
