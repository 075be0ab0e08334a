// rctl SIGKILLed right after it promoted the candidate, before it repointed every node: the
// candidate is a master taking writes, the old master a (fenced) replica or still paused. The
// candidate was recorded as the master before its promotion, so `rctl up` (no --yes) finishes the
// switch forward; it must never undo it (that would discard what the new master took since).
//
// The kill point is made exact with a fault proxy in front of slave2: rctl's REPLICAOF to slave2
// goes into a blackhole, so rctl waits on it with the candidate already promoted.

import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rctlBin, requireBuiltCli, sandbox, type Sandbox } from '../cli/helpers';
import { masterClient } from '../failover/follow-master-client';
import { startRedisServer, describeWithRedis, type RedisProcess } from '../helpers/redis-server';
import { eventually } from '../helpers/wait';
import { FaultProxy } from './proxy';

const PASSWORD = '123456';

describeWithRedis('fault: rctl killed right after the promotion', () => {
  let box: Sandbox;
  let file: string;
  let proxy: FaultProxy;
  const servers: RedisProcess[] = [];
  const clients: Redis[] = [];
  const client = (server: RedisProcess) => {
    const c = new Redis({ host: server.host, port: server.port, password: PASSWORD, maxRetriesPerRequest: 1 });
    c.on('error', () => {});
    clients.push(c);
    return c;
  };
  const roleOf = async (server: RedisProcess) => /role:(\w+)/.exec(await client(server).info('replication'))?.[1];

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    for (const host of ['127.0.0.58', '127.0.0.17', '127.0.0.27']) servers.push(await startRedisServer({ host }));
    proxy = await FaultProxy.start({ host: servers[2].host, port: servers[2].port }, { listenHost: '127.0.0.27' });
    file = box.topology(
      'killed.yml',
      `name: killed
auth: { password: "${PASSWORD}" }
nodes:
  - { name: master, host: ${servers[0].host}, port: ${servers[0].port}, role: master }
  - { name: slave1, host: ${servers[1].host}, port: ${servers[1].port}, role: replica }
  - { name: slave2, host: 127.0.0.27, port: ${proxy.port}, role: replica }
`,
    );
    const up = await box.run(['up', '-t', file]);
    expect(up.code, up.stdout + up.stderr).toBe(0);
  });

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await proxy?.close();
    await Promise.all(servers.map((s) => s.stop()));
    box?.cleanup();
  });

  it('up finishes the switch forward: slave1 stays the master, nothing it acknowledged is lost', async () => {
    const writer = masterClient(servers.slice(0, 2).map((s) => ({ host: s.host, port: s.port })), PASSWORD);
    writer.on('error', () => {});
    const acked: string[] = [];
    let stop = false;
    const writes = (async () => {
      for (let n = 0; !stop; n++) {
        const key = `w:${n}`;
        if ((await writer.set(key, key).catch(() => null)) === 'OK') acked.push(key);
      }
    })();
    await eventually(() => acked.length > 100, { what: 'writes flowing' });

    // rctl's REPLICAOF to slave2 vanishes: rctl waits on it, the candidate already promoted.
    const cut = proxy.blackholeAt('toTarget', (chunk) => chunk.indexOf('REPLICAOF'), 'before');
    const child = spawn(process.execPath, [rctlBin, 'failover', '--promote', 'slave1', '--yes', '--timeout', '2', '--connect-timeout', '10', '-t', file], {
      env: { ...process.env, RCTL_HOME: box.home },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await cut;
    await eventually(async () => (await roleOf(servers[1])) === 'master', { what: 'slave1 promoted' });
    child.kill('SIGKILL');
    await exited;
    proxy.restore();
    // The new master takes writes while nobody repairs anything. The kill may land before the old
    // master's demotion: then the writer's held SET waits out the old master's CLIENT PAUSE
    // (--timeout 2 + 5 s of slack) before -NOREPLICAS sends it to slave1.
    const afterKill = acked.length;
    await eventually(() => acked.length > afterKill + 100, { what: 'writes on slave1 after the kill', timeout: 20_000 });

    // What the killed rctl left is named: its switch record and its lock.
    const leftLock = readdirSync(box.home, { recursive: true }).map(String).find((path) => path.endsWith('failover.lock'));
    expect(leftLock, 'the killed failover left its lock').toBeDefined();
    const before = await box.run(['status', '-t', file, '--json']);
    expect(before.code, before.stdout).toBe(3);
    expect(before.stdout).toContain('was killed before it finished');

    const up = await box.run(['up', '-t', file]);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(existsSync(join(box.home, leftLock as string)), 'up removed the stale lock').toBe(false);
    expect(await roleOf(servers[1])).toBe('master');
    expect(await roleOf(servers[0])).toBe('slave');
    stop = true;
    await writes;
    writer.disconnect();

    const status = await box.run(['status', '-t', file, '--json']);
    expect(status.code, status.stdout).toBe(0);
    expect((JSON.parse(status.stdout) as { master: string }).master).toBe('slave1');
    const missing: string[] = [];
    for (const server of servers) {
      await eventually(async () => (await client(server).dbsize()) >= acked.length, { what: `every write on ${server.host}` });
      const values = await client(server).mget(...acked);
      acked.forEach((key, i) => {
        if (values[i] !== key) missing.push(`${server.host}:${key}`);
      });
    }
    expect(missing).toEqual([]);
    expect(await client(servers[0]).config('GET', 'min-replicas-to-write')).toEqual(['min-replicas-to-write', '0']);
  });
});
