// `rctl backup` end to end through the built binary, on a set of bundled nodes brought up by
// `rctl up`: the file restores key by key into a fresh bundled node and a fresh redis-server, the
// master is never the source unless allowed, bad input gets its documented error and exit code,
// and the source keeps no replica entry once the download is over.

import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedTopology, errorLines, requireBuiltCli, sandbox, type Sandbox } from '../cli/helpers';
import { dumpKeyspace } from '../helpers/keyspace-dump';
import { describeWithRedis } from '../helpers/redis-server';
import { eventually } from '../helpers/wait';
import { backupJson, errorOf, fillVaried, restoreInto } from './helpers';

const PASSWORD = 'backup-secret-41c9';

async function connectedReplicas(host: string, port: number): Promise<number> {
  const client = new Redis({ host, port, password: PASSWORD, lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  try {
    return Number(/connected_slaves:(\d+)/.exec(await client.info('replication'))?.[1]);
  } finally {
    client.disconnect();
  }
}

describe('rctl backup on bundled nodes', () => {
  let box: Sandbox;
  let file: string;
  let address: Record<string, { host: string; port: number }>;
  let expected: Awaited<ReturnType<typeof dumpKeyspace>>;
  let rdb: string;

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    ({ file, address } = await embeddedTopology(box, { name: 'bk', password: PASSWORD, hosts: { master: '127.0.0.1', slave1: '127.0.0.1', slave2: '127.0.0.1' } }));
    const up = await box.run(['up', file]);
    expect(up.code, up.stderr).toBe(0);
    await fillVaried(address.master.host, address.master.port, PASSWORD, 2);
    expected = await dumpKeyspace(address.master.host, address.master.port, PASSWORD);
  }, 60_000);

  afterAll(async () => {
    if (!box) return;
    await box.run(['down', '-t', file, '--timeout', '2']).catch(() => undefined);
    box.cleanup();
  });

  it('downloads a replica, verifies it and writes the RDB and its sidecar 0600', async () => {
    rdb = join(box.dir, 'set.rdb');
    const result = await box.run(['backup', '-t', file, '--out', rdb, '--json']);
    const json = backupJson(result);
    expect(json.file).toBe(rdb);
    expect(['slave1', 'slave2']).toContain(json.source.name);
    expect(json.source).toMatchObject({ role: 'replica', master: 'master' });
    expect(json.replid).toMatch(/^[0-9a-f]{40}$/);
    expect(json.bytes).toBe(statSync(rdb).size);
    expect(json.verifiers.find((v) => v.name === 'rctl-reader')?.verdict).toBe('ok');
    const total = Object.values(expected).reduce((sum, db) => sum + Object.keys(db).length, 0);
    expect(json.keys.total).toBe(total);
    expect(Object.keys(json.keys.perDb).sort()).toEqual(Object.keys(expected).sort());
    expect(json.keys.expires).toBeGreaterThanOrEqual(20);
    expect(statSync(rdb).mode & 0o777).toBe(0o600);
    expect(statSync(`${rdb}.json`).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(`${rdb}.json`, 'utf8'))).toEqual(json);
    // Nothing but the RDB and its sidecar is left beside them.
    expect(readdirSync(box.dir).filter((name) => name.includes('partial'))).toEqual([]);
    // The download is no replica of the source, now or later.
    const source = address[json.source.name];
    await eventually(async () => (await connectedReplicas(source.host, source.port)) === 0, { what: 'the source to list no replica' });
    expect(await connectedReplicas(address.master.host, address.master.port)).toBe(2);
    expect(box.transcript()).not.toContain(PASSWORD);
  });

  it('restores key by key into a fresh bundled node', async () => {
    const node = await restoreInto(rdb, { kind: 'bundled' });
    try {
      expect(await dumpKeyspace(node.host, node.port)).toEqual(expected);
    } finally {
      await node.stop();
    }
  });

  describeWithRedis('restoring into redis-server', () => {
    it('restores key by key into a fresh redis-server (PATH, 7.0)', async () => {
      const node = await restoreInto(rdb, { kind: 'redis' });
      try {
        expect(await dumpKeyspace(node.host, node.port)).toEqual(expected);
      } finally {
        await node.stop();
      }
    });
  });

  it('prints one summary line without --json, and names the default file after the topology, node and time', async () => {
    const result = await box.run(['backup', '-t', file, '--out', box.dir]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\/.*\/bk-slave[12]-\d{8}T\d{6}Z\.rdb: .* keys from slave[12] \(replica, offset \d+\) .*verified by rctl-reader/);
    expect(existsSync(lines[0].split(':')[0])).toBe(true);
  });

  it('refuses the master as the source unless --from-master (exit 5)', async () => {
    const refused = await box.run(['backup', '-t', file, '--from', 'master', '--out', join(box.dir, 'm.rdb'), '--json']);
    expect(refused.code).toBe(5);
    expect(errorOf(refused).code).toBe('BACKUP_FROM_MASTER');
    expect(existsSync(join(box.dir, 'm.rdb'))).toBe(false);

    const allowed = backupJson(await box.run(['backup', '-t', file, '--from', 'master', '--from-master', '--out', join(box.dir, 'm.rdb'), '--json']));
    expect(allowed.source).toMatchObject({ name: 'master', role: 'master' });
    expect(allowed.keys.total).toBe(Object.values(expected).reduce((sum, db) => sum + Object.keys(db).length, 0));
    await eventually(async () => (await connectedReplicas(address.master.host, address.master.port)) === 2, { what: 'the master to list only its two replicas' });
  });

  it('refuses an unknown node (exit 2) with a suggestion', async () => {
    const result = await box.run(['backup', '-t', file, '--from', 'slave3']);
    expect(result.code).toBe(2);
    expect(errorLines(result.stderr)).toEqual([expect.stringMatching(/--from "slave3" is no node of .*did you mean slave1\?/)]);
  });

  it('refuses to overwrite an existing --out (exit 5) and leaves it as it was; --force replaces it', async () => {
    const out = join(box.dir, 'taken.rdb');
    writeFileSync(out, 'precious');
    const refused = await box.run(['backup', '-t', file, '--out', out, '--json']);
    expect(refused.code).toBe(5);
    expect(errorOf(refused).code).toBe('BACKUP_OUT_EXISTS');
    expect(readFileSync(out, 'utf8')).toBe('precious');
    const forced = backupJson(await box.run(['backup', '-t', file, '--out', out, '--force', '--json']));
    expect(forced.bytes).toBe(statSync(out).size);
  });

  it('rejects bad flags and a missing --out directory (exit 2)', async () => {
    const timeout = await box.run(['backup', '-t', file, '--idle-timeout', 'soon']);
    expect(timeout.code).toBe(2);
    const dir = await box.run(['backup', '-t', file, '--out', join(box.dir, 'no', 'such', 'x.rdb')]);
    expect(dir.code).toBe(2);
    expect(errorLines(dir.stderr)).toEqual([expect.stringContaining('does not exist')]);
  });

  it('reports a wrong password in one line (exit 4) and never prints it', async () => {
    const wrong = box.topology('wrong.yml', readFileSync(file, 'utf8').replace(PASSWORD, 'not-the-password'));
    const result = await box.run(['backup', '-t', wrong, '--from', 'slave1', '--out', join(box.dir, 'w.rdb')]);
    expect(result.code).toBe(4);
    expect(errorLines(result.stderr)).toEqual([expect.stringContaining('rejected the password')]);
    expect(existsSync(join(box.dir, 'w.rdb'))).toBe(false);
    expect(box.transcript()).not.toContain('not-the-password');
  });

  it('a source that is down: exit 4 in one line, nothing left at --out; without --from the other replica serves', async () => {
    const pid = Number(readFileSync(join(box.home, 'bk', 'slave2', 'node.pid'), 'utf8').trim());
    process.kill(pid, 'SIGKILL');
    const out = join(box.dir, 'down.rdb');
    const result = await box.run(['backup', '-t', file, '--from', 'slave2', '--out', out]);
    expect(result.code).toBe(4);
    expect(errorLines(result.stderr)).toEqual([expect.stringContaining('slave2')]);
    expect(existsSync(out)).toBe(false);
    const fallback = backupJson(await box.run(['backup', '-t', file, '--out', out, '--json']));
    expect(fallback.source.name).toBe('slave1');
  });
});
