// What `rctl restart` and `rctl upgrade` refuse, each with its code and exit code, one line on
// stderr and nothing changed: bad usage, external nodes without --exec, a missing --to binary, an
// unhealthy set, no confirmation, and a node whose AOF would cost a full resync (which
// a launched AOF replica comes back with a partial resync, its AOF rebuilt).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports';
import { eventually } from '../helpers/wait';
import { embeddedTopology, isAlive, redisCommand, requireBuiltCli, sandbox, type Sandbox } from '../cli/helpers';
import { errorOf, expectOneErrorLine, parsedJson, rollingJson, runIdOf } from './helpers';

const PASSWORD = 'refuse-pw-31ab';
const NAMES = ['master', 'replica1', 'replica2'];

describe('rctl restart / upgrade refusals', () => {
  let box: Sandbox;
  let file: string;
  let address: Record<string, { host: string; port: number }>;
  const rctl = (args: string[], timeoutMs = 120_000) => box.run([...args, '-t', file], { timeoutMs });
  const runIds = async () => Object.fromEntries(await Promise.all(NAMES.map(async (n) => [n, await runIdOf(address[n].port, PASSWORD)])));
  const pidOf = (name: string) => Number(readFileSync(join(box.home, 'refuse', name, 'node.pid'), 'utf8'));

  /** Exit code and error code as expected, one error line, no stack trace, no node restarted. */
  async function expectRefused(args: string[], code: string, exit: number, topology = file): Promise<{ message: string; suggestion: string | null }> {
    const before = topology === file ? await runIds() : null;
    const run = await box.run([...args, '-t', topology, '--json'], { timeoutMs: 60_000 });
    expect(run.code, `${args.join(' ')}: ${run.stdout}${run.stderr}`).toBe(exit);
    const error = errorOf(run);
    expect(error.code, error.message).toBe(code);
    expectOneErrorLine(run);
    if (before) expect(await runIds()).toEqual(before);
    return error;
  }

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    ({ file, address } = await embeddedTopology(box, { name: 'refuse', password: PASSWORD, hosts: { master: '127.0.0.1', replica1: '127.0.0.1', replica2: '127.0.0.1' } }));
    const up = await rctl(['up']);
    expect(up.code, up.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    if (!box) return;
    await box.run(['down', '-t', file, '--timeout', '2']).catch(() => undefined);
    box.cleanup();
  });

  it('neither --all nor --node, or both: USAGE (exit 2)', async () => {
    await expectRefused(['restart', '--yes'], 'USAGE', 2);
    await expectRefused(['restart', '--all', '--node', 'replica1', '--yes'], 'USAGE', 2);
    await expectRefused(['upgrade', '--to', 'embedded', '--yes'], 'USAGE', 2);
  });

  it('an unknown --node: exit 2, naming the nodes there are', async () => {
    const error = await expectRefused(['restart', '--node', 'nobody', '--yes'], 'UNKNOWN_NODE', 2);
    expect(error.message).toContain('nobody');
    expect(error.suggestion).toContain('replica1');
  });

  it('an external node without --exec: EXEC_NEEDED (exit 2); upgrade refuses external nodes outright', async () => {
    const externalPort = await freePort();
    const mixed = box.topology(
      'mixed.yml',
      `name: mixed\nauth:\n  password: "${PASSWORD}"\nlaunch: embedded\nnodes:\n  - { name: m, host: 127.0.0.1, port: ${await freePort()}, role: master }\n  - { name: ext, host: 127.0.0.1, port: ${externalPort}, role: replica, launch: external }\n`,
    );
    const error = await expectRefused(['restart', '--all', '--yes'], 'EXEC_NEEDED', 2, mixed);
    expect(error.message).toContain('ext');
    expect(error.suggestion).toContain('--exec');
    await expectRefused(['upgrade', '--all', '--to', 'embedded', '--yes'], 'EXEC_NEEDED', 2, mixed);
  });

  it('an --exec placeholder other than {name}, {host}, {port}: exit 2', async () => {
    const error = await expectRefused(['restart', '--all', '--exec', 'ssh {hostname} restart', '--yes'], 'USAGE', 2);
    expect(error.message).toContain('{hostname}');
  });

  it('upgrade --to a binary that is not there: UPGRADE_BINARY (exit 2)', async () => {
    const missing = join(box.dir, 'no-such', 'redis-server');
    const error = await expectRefused(['upgrade', '--all', '--to', missing, '--yes'], 'UPGRADE_BINARY', 2);
    expect(error.message).toContain('not found');
  });

  it('no terminal and no --yes: CONFIRMATION_REQUIRED (exit 2)', async () => {
    await expectRefused(['restart', '--all'], 'CONFIRMATION_REQUIRED', 2);
  });

  it('a replica down: SET_UNHEALTHY (exit 3), nothing restarted; healthy again after rctl up', async () => {
    const pid = pidOf('replica2');
    process.kill(pid, 'SIGKILL');
    await eventually(() => !isAlive(pid), { what: 'replica2 gone' });
    const ids = Object.fromEntries(await Promise.all(['master', 'replica1'].map(async (n) => [n, await runIdOf(address[n].port, PASSWORD)])));
    const run = await rctl(['restart', '--all', '--yes', '--json']);
    expect(run.code, run.stderr).toBe(3);
    const error = errorOf(run);
    expect(error.code).toBe('SET_UNHEALTHY');
    expect(error.message).toContain('replica2');
    expectOneErrorLine(run);
    for (const name of ['master', 'replica1']) expect(await runIdOf(address[name].port, PASSWORD)).toBe(ids[name]);
    const up = await rctl(['up']);
    expect(up.code, up.stderr).toBe(0);
    const status = parsedJson(await rctl(['status', '--json'])) as { healthy: boolean };
    expect(status.healthy).toBe(true);
  }, 120_000);

  // A launched AOF node is not refused: started once with --appendonly no on its RDB, then its
  // AOF is rebuilt. (External AOF nodes are refused: test/cluster/rolling-plan.test.ts.)
  it('a replica with appendonly yes comes back with a partial resync and its AOF on again', async () => {
    const port = address.replica2.port;
    expect(await redisCommand('127.0.0.1', port, PASSWORD, ['CONFIG', 'SET', 'appendonly', 'yes'])).toBe('+OK\r\n');
    expect(await redisCommand('127.0.0.1', port, PASSWORD, ['CONFIG', 'REWRITE'])).toBe('+OK\r\n');
    for (let i = 0; i < 50; i++) await redisCommand('127.0.0.1', address.master.port, PASSWORD, ['SET', `aof:${i}`, String(i)]);

    const run = await rctl(['restart', '--node', 'replica2', '--yes', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const json = rollingJson(run);
    expect(json.plan[0]).toMatchObject({ name: 'replica2', expectedResync: 'partial', reenableAof: true });
    expect(json.plan[0].commands[1]).toContain('--appendonly no');
    expect(json.nodes[0]).toMatchObject({ name: 'replica2', resync: 'partial' });
    expect(json.fullResyncs).toBe(0);
    expect(await redisCommand('127.0.0.1', port, PASSWORD, ['GET', 'aof:49'])).toBe('$2\r\n49\r\n');
    expect(await redisCommand('127.0.0.1', port, PASSWORD, ['CONFIG', 'GET', 'appendonly'])).toContain('yes');
    const status = parsedJson(await rctl(['status', '--json'])) as { healthy: boolean };
    expect(status.healthy).toBe(true)
  }, 120_000);
});
