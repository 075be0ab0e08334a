// `rctl replica add` following a full sync that takes a while: the master is a redis-server that
// rctl launched, slowed with rdb-key-save-delay (a per-key pause while it writes its RDB), so the
// sync lasts seconds with a moderate dataset. The progress on stderr shows the master's bgsave
// phase and the transfer; an add killed mid-sync is shown by `rctl status` and finished by a rerun.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import Redis from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../helpers/ports';
import { describeWithRedis } from '../helpers/redis-server';
import { rctlBin, redisCommand, requireBuiltCli, sandbox, type Sandbox } from '../cli/helpers';

const PASSWORD = 'sync-pw-9a2c';
const KEYS = 20_000;

describeWithRedis('rctl replica add: a slow full sync', () => {
  let box: Sandbox;
  let file: string;
  const port: Record<string, number> = {};
  const master = (args: string[]) => redisCommand('127.0.0.1', port.master, PASSWORD, args);

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    for (const name of ['master', 'r1', 'r2', 'r3']) port[name] = await freePort();
    file = box.topology(
      'slow.yml',
      `name: slow\nauth: { password: "${PASSWORD}" }\nlaunch: redis-server\nnodes:\n  - { name: master, host: 127.0.0.1, port: ${port.master}, role: master }\n  - { name: r1, host: 127.0.0.1, port: ${port.r1}, role: replica }\n`,
    );
    const up = await box.run(['up', '-t', file], { timeoutMs: 120_000 });
    expect(up.code, up.stderr).toBe(0);
    const client = new Redis({ host: '127.0.0.1', port: port.master, password: PASSWORD, lazyConnect: true });
    await client.connect();
    const pipeline = client.pipeline();
    for (let i = 0; i < KEYS; i++) pipeline.set(`key:${i}`, `value-${i}-${'y'.repeat(100)}`);
    await pipeline.exec();
    client.disconnect();
    // 150 µs per key: about 3 s to write the RDB, whatever the machine's speed (only slower).
    await master(['CONFIG', 'SET', 'rdb-key-save-delay', '150']);
  }, 120_000);

  afterAll(async () => {
    if (!box) return;
    await box.run(['down', '-t', file, '--timeout', '2']).catch(() => undefined);
    box.cleanup();
  });

  it('shows the transfer while a diskless sync streams the RDB', async () => {
    await master(['CONFIG', 'SET', 'repl-diskless-sync', 'yes']);
    await master(['CONFIG', 'SET', 'repl-diskless-sync-delay', '0']);
    const add = await box.run(['replica', 'add', 'r2', `127.0.0.1:${port.r2}`, '-t', file], { timeoutMs: 120_000 });
    expect(add.code, add.stderr).toBe(0);
    // A diskless transfer has no announced size (7.0 says 0): bytes received and the rate, no ETA.
    expect(add.stderr).toMatch(/^ {4}\d+(\.\d+)? [KMG]?B received, \d+(\.\d+)? [KMG]?B\/s$/m);
    expect(Number((await redisCommand('127.0.0.1', port.r2, PASSWORD, ['DBSIZE'])).slice(1))).toBe(KEYS);
  }, 120_000);

  it('killed while the master writes its RDB: status shows the declared node, a rerun finishes', async () => {
    await master(['CONFIG', 'SET', 'repl-diskless-sync', 'no']);
    const child = spawn(process.execPath, [rctlBin, 'replica', 'add', 'r3', `127.0.0.1:${port.r3}`, '-t', file], { env: { ...process.env, RCTL_HOME: box.home }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const killed = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no bgsave phase shown:\n${stderr}`)), 60_000);
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('r3: master writing the RDB (bgsave)')) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`rctl exited before the bgsave phase was shown:\n${stderr}`)));
    });
    await killed;
    expect(readFileSync(file, 'utf8')).toContain(`name: r3, host: 127.0.0.1, port: ${port.r3}, role: replica }`);

    const status = await box.run(['status', '-t', file, '--json']);
    const r3 = (JSON.parse(status.stdout) as { nodes: Array<{ name: string; reachable: boolean; error: string | null }> }).nodes.find((n) => n.name === 'r3');
    expect(r3?.reachable).toBe(true);
    if (status.code !== 0) expect(r3?.error ?? '').toMatch(/sync|link|master/);

    const rerun = await box.run(['replica', 'add', 'r3', `127.0.0.1:${port.r3}`, '-t', file, '--json'], { timeoutMs: 120_000 });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ declared: false, status: { healthy: true } });
    expect(Number((await redisCommand('127.0.0.1', port.r3, PASSWORD, ['DBSIZE'])).slice(1))).toBe(KEYS);
  }, 120_000);
});
