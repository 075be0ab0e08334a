// rctl against redis-server processes it did not start (launch: external): the seeds' manual
// steps (CONFIG SET masterauth, REPLICAOF, REPLICAOF NO ONE, making it permanent) as commands.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { eventually } from '../helpers/wait';
import { errorLines, isAlive, rctlBin, redisCommand, requireBuiltCli, sandbox, type Sandbox } from './helpers';

const PASSWORD = '123456';

describeWithRedis('rctl with launch: external (pre-started redis-server nodes)', () => {
  let box: Sandbox;
  let file: string;
  const nodes: Record<'master' | 'slave1' | 'slave2', RedisProcess> = {} as never;

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    // Fresh nodes as the seeds start: no password, every node a master. Each has a config file.
    nodes.master = await startRedisServer({ host: '127.0.0.58' });
    nodes.slave1 = await startRedisServer({ host: '127.0.0.17' });
    nodes.slave2 = await startRedisServer({ host: '127.0.0.27', directives: { 'repl-diskless-sync-delay': '0' } });
    await redisCommand(nodes.master.host, nodes.master.port, null, ['CONFIG', 'SET', 'repl-diskless-sync-delay', '0']);
    file = box.topology(
      'external.yml',
      `name: external-lab
auth:
  passwordEnv: SEED_PASSWORD
nodes:
  - { name: master, host: 127.0.0.58, port: ${nodes.master.port}, role: master }
  - { name: slave1, host: 127.0.0.17, port: ${nodes.slave1.port}, role: replica }
  - { name: slave2, host: 127.0.0.27, port: ${nodes.slave2.port}, role: replica }
`,
    );
  });

  afterAll(async () => {
    for (const node of Object.values(nodes)) await node?.stop();
    box?.cleanup();
  });

  const env = { SEED_PASSWORD: PASSWORD };
  const cmd = (name: keyof typeof nodes, args: string[]) => redisCommand(nodes[name].host, nodes[name].port, PASSWORD, args);

  it('up sets requirepass and masterauth, makes the replicas follow, and persists it', async () => {
    const up = await box.run(['up', file, '--json'], { env });
    expect(up.code, up.stderr).toBe(0);
    const result = JSON.parse(up.stdout);
    const did = result.actions.map((a: { node: string; detail: string }) => `${a.node}: ${a.detail}`);
    expect(did).toEqual([
      'master: CONFIG SET masterauth (password)',
      'slave1: CONFIG SET masterauth (password)',
      'slave2: CONFIG SET masterauth (password)',
      'master: CONFIG SET requirepass (password)',
      'slave1: CONFIG SET requirepass (password)',
      'slave2: CONFIG SET requirepass (password)',
      `slave1: REPLICAOF 127.0.0.58 ${nodes.master.port}`,
      `slave2: REPLICAOF 127.0.0.58 ${nodes.master.port}`,
      'master: CONFIG REWRITE',
      'slave1: CONFIG REWRITE',
      'slave2: CONFIG REWRITE',
    ]);
    expect(result.status.healthy).toBe(true);
    expect(readFileSync(`${nodes.slave2.dir}/redis.conf`, 'utf8')).toContain(`replicaof 127.0.0.58 ${nodes.master.port}`);
    expect(await redisCommand(nodes.slave1.host, nodes.slave1.port, null, ['GET', 'x'])).toBe('-NOAUTH Authentication required.\r\n');
    expect(up.stdout + up.stderr).not.toContain(PASSWORD);
  });

  it('replicaof NODE no one promotes a replica, status flags the drift, replicaof NODE MASTER repairs it', async () => {
    expect(await cmd('master', ['SET', 'name', 'hkping'])).toBe('+OK\r\n');
    await eventually(async () => (await cmd('slave1', ['GET', 'name'])) === '$6\r\nhkping\r\n');

    const promote = await box.run(['replicaof', 'slave1', 'no', 'one', '-t', file], { env });
    expect(promote.code, promote.stderr).toBe(0);
    expect(promote.stdout).toContain(`slave1 (127.0.0.17:${nodes.slave1.port}) is a master: REPLICAOF NO ONE, CONFIG REWRITE`);
    // The seeds: cancelling replication keeps the data already synced.
    expect(await cmd('slave1', ['GET', 'name'])).toBe('$6\r\nhkping\r\n');

    const drift = await box.run(['status', '-t', file, '--json'], { env });
    expect(drift.code).toBe(3);
    const report = JSON.parse(drift.stdout);
    expect(report.healthy).toBe(false);
    expect(report.nodes[1]).toMatchObject({ role: 'master', error: 'declared replica, but is a master; 2 masters (master, slave1)' });
    const table = await box.run(['status', '-t', file], { env });
    expect(table.stdout).toContain('external-lab: DEGRADED');

    // host:port works as well as a name. slave1 holds keys, but only the master's own history
    // (its replid2 is the master's replid), so no confirmation is needed.
    const back = await box.run(['replicaof', `127.0.0.17:${nodes.slave1.port}`, `127.0.0.58:${nodes.master.port}`, '-t', file], { env });
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toContain('replicates master (link up)');
    expect((await box.run(['status', '-t', file], { env })).code).toBe(0);
  });

  it('refuses (exit 5) to turn a replica holding its own keys into a replica, unless --yes', async () => {
    expect((await box.run(['replicaof', 'slave2', 'no', 'one', '-t', file], { env })).code).toBe(0);
    expect(await cmd('slave2', ['SET', 'only-here', '1'])).toBe('+OK\r\n');
    const keys = Number((await cmd('slave2', ['DBSIZE'])).slice(1, -2));

    const refused = await box.run(['up', file], { env });
    expect(refused.code).toBe(5);
    expect(errorLines(refused.stderr)).toEqual([
      `rctl: refusing to make slave2 (127.0.0.27:${nodes.slave2.port}) a replica of master: it holds ${keys} keys that replication would discard — confirm on a terminal, or pass --yes to accept losing those keys`,
    ]);
    expect(await cmd('slave2', ['GET', 'only-here'])).toBe('$1\r\n1\r\n');

    const replicaofRefused = await box.run(['replicaof', 'slave2', 'master', '-t', file], { env });
    expect(replicaofRefused.code).toBe(5);

    const forced = await box.run(['up', file, '--yes'], { env });
    expect(forced.code, forced.stderr).toBe(0);
    expect(await cmd('slave2', ['GET', 'only-here'])).toBe('$-1\r\n');
    expect(await cmd('slave2', ['GET', 'name'])).toBe('$6\r\nhkping\r\n');
  });

  it('RCTL_TOPOLOGY selects the topology for a bare status', async () => {
    const status = await box.run(['status'], { env: { ...env, RCTL_TOPOLOGY: file } });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('external-lab: healthy');
  });

  it('status --watch redraws until interrupted', async () => {
    const child = spawn(process.execPath, [rctlBin, 'status', '--watch', '0.2', '-t', file], {
      env: { ...process.env, ...env, RCTL_HOME: box.home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      await eventually(() => (stdout.match(/external-lab: healthy/g) ?? []).length >= 2, { what: 'two redraws', timeout: 20_000 });
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stdout).toContain('every 0.2s');
  });

  it('down leaves external nodes running', async () => {
    const down = await box.run(['down', file], { env });
    expect(down.code).toBe(0);
    expect(down.stdout.match(/external: left running/g)).toHaveLength(3);
    for (const node of Object.values(nodes)) expect(isAlive(node.process.pid as number)).toBe(true);
  });
});
