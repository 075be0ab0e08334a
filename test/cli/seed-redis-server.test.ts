// The seeds' walkthrough, replayed by `rctl` on real redis-server processes that `rctl up`
// launches itself (launch: redis-server). The seeds' hosts 10.0.0.58/17/27 become loopback
// addresses 127.0.0.58/17/27, each on a free port.

import { readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../helpers/ports';
import { describeWithRedis } from '../helpers/redis-server';
import { eventually } from '../helpers/wait';
import { errorLines, isAlive, launchedPids, redisCommand, requireBuiltCli, sandbox, type Sandbox } from './helpers';

const PASSWORD = '123456';
const READONLY = "-READONLY You can't write against a read only replica.\r\n";
const HOSTS = { master: '127.0.0.58', slave1: '127.0.0.17', slave2: '127.0.0.27' };

describeWithRedis('rctl with launch: redis-server (seed replay)', () => {
  let box: Sandbox;
  let file: string;
  const ports: Record<string, number> = {};

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    for (const [name, host] of Object.entries(HOSTS)) ports[name] = await freePort(host);
    file = box.topology(
      'seed-lab.yml',
      `name: seed-lab
auth:
  password: "${PASSWORD}"
launch: redis-server
nodes:
  - { name: master, host: ${HOSTS.master}, port: ${ports.master}, role: master }
  - { name: slave1, host: ${HOSTS.slave1}, port: ${ports.slave1}, role: replica }
  - { name: slave2, host: ${HOSTS.slave2}, port: ${ports.slave2}, role: replica, priority: 100 }
`,
    );
  });

  afterAll(async () => {
    if (!box) return;
    await box.run(['down', '-t', file, '--timeout', '2']).catch(() => undefined);
    box.cleanup();
  });

  const get = (node: keyof typeof HOSTS, key: string) => redisCommand(HOSTS[node], ports[node], PASSWORD, ['GET', key]);

  it('brings up one master and two replicas with password 123456', async () => {
    const up = await box.run(['up', file]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain('master: launched redis-server');
    expect(up.stdout).toContain(`slave1: REPLICAOF 127.0.0.58 ${ports.master}`);
    expect(up.stdout).toContain('slave2: CONFIG REWRITE');
    expect(up.stdout).toContain('seed-lab: healthy; master master, 2/2 replicas linked');
    expect(up.stderr).toContain('- waiting for slave1, slave2 to sync with master');

    const status = await box.run(['status', '--json']);
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout);
    expect(Object.keys(report)).toEqual(['topology', 'master', 'healthy', 'nodes']);
    expect(report).toMatchObject({ topology: 'seed-lab', master: 'master', healthy: true });
    expect(report.nodes.map((n: Record<string, unknown>) => Object.keys(n))).toEqual(
      Array(3).fill(['name', 'address', 'reachable', 'role', 'linkStatus', 'master', 'offset', 'lagBytes', 'keys', 'connectedReplicas', 'replid', 'replid2', 'version', 'error']),
    );
    expect(report.nodes.map((n: Record<string, unknown>) => [n.name, n.role, n.linkStatus, n.master])).toEqual([
      ['master', 'master', null, null],
      ['slave1', 'replica', 'up', 'master'],
      ['slave2', 'replica', 'up', 'master'],
    ]);
    expect(report.nodes[0].connectedReplicas).toBe(2);
    // Replicas share the master's replication id once synced.
    expect(new Set(report.nodes.map((n: Record<string, unknown>) => n.replid)).size).toBe(1);
  });

  it('replicates a key from the master to both replicas, and replicas are read-only', async () => {
    expect(await redisCommand(HOSTS.master, ports.master, PASSWORD, ['SET', 'name', 'hkping'])).toBe('+OK\r\n');
    for (const replica of ['slave1', 'slave2'] as const) {
      await eventually(async () => (await get(replica, 'name')) === '$6\r\nhkping\r\n', { what: `name on ${replica}` });
    }
    expect(await redisCommand(HOSTS.slave1, ports.slave1, PASSWORD, ['SET', 'key1', 'abc'])).toBe(READONLY);
    expect(await redisCommand(HOSTS.slave2, ports.slave2, PASSWORD, ['SET', 'key2', 'abc'])).toBe(READONLY);
  });

  it('shows the table with roles and links', async () => {
    const status = await box.run(['status', '-t', file]);
    expect(status.code).toBe(0);
    const rows = status.stdout.split('\n').filter((l) => /slave\d|master /.test(l) && l.includes('127.0.0.'));
    expect(rows).toHaveLength(3);
    // stdout is a pipe: ASCII borders, and "ok" for a healthy node.
    expect(rows[1]).toMatch(/slave1 +\| 127\.0\.0\.17:\d+ +\| 7\.0\.\d+ +\| replica +\| up +\| master /);
    expect(rows[0]).toMatch(/\| ok +\|$/);
  });

  it('a second up changes nothing and says so', async () => {
    const again = await box.run(['up', file, '--json']);
    expect(again.code).toBe(0);
    const result = JSON.parse(again.stdout);
    expect(result).toMatchObject({ topology: 'seed-lab', changed: false, actions: [], warnings: [] });
    expect(result.status.healthy).toBe(true);
    const human = await box.run(['up', file]);
    expect(human.stdout).toContain(`seed-lab: nothing changed, the nodes already match ${file}`);
  });

  it('keeps the password out of process lists, output and world-readable files', async () => {
    const pids = launchedPids(box.home);
    expect(pids).toHaveLength(3);
    for (const pid of pids) expect(readFileSync(`/proc/${pid}/cmdline`, 'latin1')).not.toContain(PASSWORD);
    for (const node of ['master', 'slave1', 'slave2']) {
      const dir = join(box.home, 'seed-lab', node);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dir, 'node.conf')).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, 'node.log'), 'utf8')).not.toContain(PASSWORD);
    }
    // CONFIG REWRITE persisted the replication: the replicas' config names their master.
    expect(readFileSync(join(box.home, 'seed-lab', 'slave1', 'node.conf'), 'utf8')).toContain(`replicaof 127.0.0.58 ${ports.master}`);
    expect(box.transcript()).not.toContain(PASSWORD);
  });

  it('down stops the nodes, status then reports them unreachable, and up brings the data back', async () => {
    const pids = launchedPids(box.home);
    const down = await box.run(['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout.match(/stopped \(pid \d+\)/g)).toHaveLength(3);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    expect(existsSync(join(box.home, 'seed-lab', 'master', 'data', 'dump.rdb'))).toBe(true);

    const degraded = await box.run(['status', '--json']);
    expect(degraded.code).toBe(3);
    const report = JSON.parse(degraded.stdout);
    expect(report.healthy).toBe(false);
    expect(report.nodes[0]).toMatchObject({ reachable: false, role: null, error: `master (127.0.0.58:${ports.master}): connection refused` });

    const up = await box.run(['up']);
    expect(up.code, up.stderr).toBe(0);
    expect(await get('master', 'name')).toBe('$6\r\nhkping\r\n');
    for (const replica of ['slave1', 'slave2'] as const) expect(await get(replica, 'name')).toBe('$6\r\nhkping\r\n');
  });

  it('down --purge needs --yes without a terminal, then deletes the node directories', async () => {
    const refused = await box.run(['down', '--purge']);
    expect(refused.code).toBe(2);
    expect(errorLines(refused.stderr)).toEqual(['rctl: down --purge needs confirmation and there is no terminal to ask on — pass --yes to confirm']);
    expect(launchedPids(box.home)).toHaveLength(3);
    const purged = await box.run(['down', '--purge', '--yes']);
    expect(purged.code).toBe(0);
    expect(existsSync(join(box.home, 'seed-lab'))).toBe(false);
  });
});
