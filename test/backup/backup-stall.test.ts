// A payload damaged on the way, a source that stops sending mid-transfer (a fault proxy in front of the replica blackholes the
// connection once the RDB's first bytes went through), and one that is frozen (SIGSTOP) before
// the backup starts: `rctl backup` gives up within its timeouts with exit 4 and one line, and
// leaves nothing at --out and no partial file beside it.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { errorLines, rctlBin, requireBuiltCli, sandbox, type Sandbox } from '../cli/helpers';
import { FaultProxy } from '../fault/proxy';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { eventually } from '../helpers/wait';
import { errorOf } from './helpers';

const PASSWORD = 'stall-backup-9b2a';

describeWithRedis('rctl backup from a source that stalls', () => {
  let box: Sandbox;
  let master: RedisProcess;
  let replica: RedisProcess;
  let proxy: FaultProxy;
  let file: string;

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    const auth = { requirepass: PASSWORD, masterauth: PASSWORD };
    master = await startRedisServer({ directives: auth });
    replica = await startRedisServer({ directives: { ...auth, replicaof: `${master.host} ${master.port}`, 'repl-diskless-sync': 'no' } });
    const client = new Redis({ host: master.host, port: master.port, password: PASSWORD, lazyConnect: true });
    await client.connect();
    // Incompressible values: the RDB is several MB, far more than the one chunk the proxy lets through.
    const pipeline = client.pipeline();
    for (let i = 0; i < 200; i++) pipeline.set(`blob:${i}`, randomBytes(32 * 1024));
    await pipeline.exec();
    expect(await client.wait(1, 10_000)).toBe(1);
    client.disconnect();
    proxy = await FaultProxy.start({ host: replica.host, port: replica.port });
    file = box.topology(
      'stall.yml',
      `name: stall\nauth:\n  password: "${PASSWORD}"\nlaunch: external\nnodes:\n  - { name: master, host: ${master.host}, port: ${master.port}, role: master }\n  - { name: slave1, host: 127.0.0.1, port: ${proxy.port}, role: replica }\n`,
    );
  }, 60_000);

  afterAll(async () => {
    await proxy?.close();
    await replica?.stop();
    await master?.stop();
    box?.cleanup();
  });

  const leftovers = () => readdirSync(box.dir).filter((name) => name.includes('.rdb'));

  it('abandons a transfer that stops mid-way after --idle-timeout: exit 4, nothing at --out', async () => {
    const stalled = proxy.blackholeAt('toClient', (chunk) => chunk.indexOf('REDIS00'), 'through');
    const out = join(box.dir, 'stalled.rdb');
    const result = await box.run(['backup', '-t', file, '--out', out, '--idle-timeout', '2', '--json'], { timeoutMs: 60_000 });
    await stalled;
    expect(result.code, result.stderr).toBe(4);
    const error = errorOf(result);
    expect(error.code).toBe('BACKUP_STALLED');
    expect(error.message).toMatch(/slave1 .* sent nothing for 2s after .* of .*: transfer abandoned/);
    expect(errorLines(result.stderr)).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
    expect(leftovers()).toEqual([]);
    proxy.restore();
  });

  it('Ctrl-C during a stalled transfer leaves no partial file', async () => {
    const stalled = proxy.blackholeAt('toClient', (chunk) => chunk.indexOf('REDIS00'), 'through');
    const out = join(box.dir, 'interrupted.rdb');
    const child = spawn(process.execPath, [rctlBin, 'backup', '-t', file, '--out', out, '--idle-timeout', '30'], { env: { ...process.env, RCTL_HOME: box.home }, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    try {
      await stalled;
      await eventually(() => leftovers().some((name) => name.endsWith('.partial')), { what: 'the partial file' });
      child.kill('SIGINT');
      expect(await exited).toBe('SIGINT');
      expect(leftovers()).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      proxy.restore();
    }
  });

  it('after the fault, the same replica serves a complete backup', async () => {
    const out = join(box.dir, 'after.rdb');
    const result = await box.run(['backup', '-t', file, '--out', out, '--json'], { timeoutMs: 60_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).keys.total).toBe(200);
  });

  it('a payload damaged on the way fails verification: exit 4, not kept', async () => {
    // Same length, so the framing holds and only the CRC-64 (and the key name) give it away.
    const damaged = proxy.rewriteAt('toClient', (chunk) => chunk.indexOf('blob:1'), Buffer.from('BLOB'));
    const out = join(box.dir, 'damaged.rdb');
    const result = await box.run(['backup', '-t', file, '--out', out, '--json'], { timeoutMs: 60_000 });
    await damaged;
    expect(result.code, result.stderr).toBe(4);
    const error = errorOf(result);
    expect(error.code).toBe('BACKUP_VERIFY_FAILED');
    expect(error.message).toMatch(/failed verification by rctl-reader: .*checksum/i);
    expect(existsSync(out)).toBe(false);
    expect(leftovers().filter((name) => name.startsWith('damaged') || name.includes('partial'))).toEqual([]);
  });

  it('a frozen source (SIGSTOP): exit 4 within --timeout, in one line', async () => {
    replica.process.kill('SIGSTOP');
    try {
      const out = join(box.dir, 'frozen.rdb');
      const result = await box.run(['backup', '-t', file, '--from', 'slave1', '--out', out, '--timeout', '1', '--json'], { timeoutMs: 60_000 });
      expect(result.code, result.stderr).toBe(4);
      expect(errorOf(result).code).toBe('NODE_TIMEOUT');
      expect(errorLines(result.stderr)).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    } finally {
      replica.process.kill('SIGCONT');
    }
    await eventually(async () => {
      const client = new Redis({ host: replica.host, port: replica.port, password: PASSWORD, lazyConnect: true, maxRetriesPerRequest: 1 });
      await client.connect();
      const info = await client.info('replication');
      client.disconnect();
      return /master_link_status:up/.test(info);
    }, { what: 'the replica to answer again' });
  });
});
