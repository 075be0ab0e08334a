// A failover whose old master refuses to have its settings put back (issue 12: on 6.2 the restore
// was 7.0-only syntax, reported as success, and a failback then promoted a fenced node). On every
// version: the failover ends with exit 4 naming the node, the server's own error and the exact fix;
// `rctl status` flags the node; `rctl up` repairs it (and, when the node refuses that too, says so
// with exit 4 instead of "could not be reached"); then the failback's new master takes writes.
//
// The refusal is real: a fault proxy in front of the old master overwrites one byte of the restore
// command in flight (`min-replicas-to-write 0` becomes `min-replicas-to-write x`), and the node
// answers with its own error.

import { readFileSync } from 'node:fs';
import Redis from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { errorLines, requireBuiltCli, sandbox, type Sandbox } from '../cli/helpers';
import { FaultProxy } from '../fault/proxy';
import { startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { describeWithVersion, MATRIX_VERSIONS } from '../helpers/redis-versions';
import { eventually } from '../helpers/wait';

const PASSWORD = '123456';
const HOSTS = ['127.0.0.58', '127.0.0.17', '127.0.0.27'] as const;
// The restore of min-replicas-to-write to 0: the fence sets it to 2147483647, so this is the restore only.
const RESTORE = Buffer.from('$21\r\nmin-replicas-to-write\r\n$1\r\n0\r\n');
const findRestoreValue = (chunk: Buffer) => {
  const at = chunk.indexOf(RESTORE);
  return at === -1 ? -1 : at + RESTORE.length - 3;
};

/** Fails clearly instead of hanging when the command never went through the proxy (or arrived split across chunks). */
function within<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: not seen within ${ms} ms`)), ms))]);
}

for (const version of MATRIX_VERSIONS) {
  describeWithVersion(version, `a refused restore on Redis ${version}: exit 4, flagged, repaired by up, failback writable`, (redis) => {
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
    const rctl = (args: string[]) => box.run([...args, '-t', file]);
    const fenceOf = async (c: Redis) => ((await c.config('GET', 'min-replicas-to-write')) as string[])[1];

    beforeAll(async () => {
      requireBuiltCli();
      box = sandbox();
      for (const host of HOSTS) servers.push(await startRedisServer({ binary: redis.server, host }));
      // rctl and the replicas reach the master only through the proxy: its address is the master's.
      proxy = await FaultProxy.start({ host: servers[0].host, port: servers[0].port }, { listenHost: HOSTS[0] });
      file = box.topology(
        'refused.yml',
        `name: refused
auth: { password: "${PASSWORD}" }
nodes:
  - { name: master, host: ${HOSTS[0]}, port: ${proxy.port}, role: master }
  - { name: slave1, host: ${HOSTS[1]}, port: ${servers[1].port}, role: replica }
  - { name: slave2, host: ${HOSTS[2]}, port: ${servers[2].port}, role: replica }
`,
      );
      const up = await rctl(['up']);
      expect(up.code, up.stdout + up.stderr).toBe(0);
      // A value that is not Redis's default, so that a reset to defaults would show.
      expect(await client(servers[0]).config('SET', 'min-replicas-max-lag', '7')).toBe('OK');
    });

    afterAll(async () => {
      for (const c of clients) c.disconnect();
      await proxy?.close();
      await Promise.all(servers.map((s) => s.stop()));
      box?.cleanup();
    });

    it('a pause the master refuses rolls the switch back: every setting as before, writes flow, nothing left to repair', async () => {
      const master = client(servers[0]);
      // CLIENT PAUSE becomes CLIENT PAUSX: the real node refuses it, after the settings before it applied.
      const refused = proxy.rewriteAt('toTarget', (chunk) => {
        const at = chunk.indexOf('$5\r\nPAUSE\r\n');
        return at === -1 ? -1 : at + 8;
      }, Buffer.from('X'));
      const result = await rctl(['failover', '--promote', 'slave1', '--yes', '--json']);
      await within(refused, 'the pause');
      expect(result.code, result.stdout + result.stderr).toBe(4);
      const error = (JSON.parse(result.stdout) as { error: { code: string; message: string } }).error;
      expect(error.message).toMatch(/failover stopped before the promotion, rolled back: writes resumed on master, nothing changed: .*CLIENT PAUSE.*failed: ERR /);
      expect((await master.info('replication')).includes('role:master')).toBe(true);
      expect(await fenceOf(master)).toBe('0');
      expect(await master.config('GET', 'min-replicas-max-lag')).toEqual(['min-replicas-max-lag', '7']);
      expect(await master.config('GET', 'repl-ping-replica-period')).toEqual(['repl-ping-replica-period', '10']);
      expect(await master.config('GET', 'hz')).toEqual(['hz', '10']);
      expect(await master.set('after-refused-pause', 'yes')).toBe('OK');
      expect((await rctl(['status'])).code).toBe(0);
    });

    it('the failover completes but exits 4 with the node, the server error and the fix; status flags the node', async () => {
      const master = client(servers[0]);
      const refused = proxy.rewriteAt('toTarget', findRestoreValue, Buffer.from('x'));
      const result = await rctl(['failover', '--promote', 'slave1', '--yes']);
      await within(refused, 'the restore command');
      expect(result.code, result.stdout + result.stderr).toBe(4);
      const line = errorLines(result.stderr).find((l) => l.startsWith('rctl: ')) ?? '';
      expect(line).toMatch(new RegExp(`^rctl: slave1 is the master now, but master \\(127\\.0\\.0\\.58:${proxy.port}\\): restoring min-replicas-to-write 0, min-replicas-max-lag 7, repl-ping-replica-period 10${version.startsWith('5.') ? ', hz 10' : ''} failed: .*ERR .*min-replicas-to-write`));
      // The exact command that fixes it, the way this version takes it.
      const fix = `redis-cli -h 127.0.0.58 -p ${proxy.port} -a <password> CONFIG SET min-replicas-to-write 0`;
      expect(line).toContain(fix);
      expect(result.stderr).toMatch(/resume writes +│ master +│ +[\d.]+ │ ✘/);
      expect(result.stderr).not.toContain(PASSWORD);
      // Still fenced, and a replica of the new master.
      expect(await fenceOf(master)).toBe('2147483647');
      expect((await master.info('replication')).includes('role:slave')).toBe(true);

      const status = await rctl(['status', '--json']);
      expect(status.code).toBe(3);
      const node = (JSON.parse(status.stdout) as { nodes: Array<{ name: string; error: string | null }> }).nodes.find((n) => n.name === 'master');
      expect(node?.error).toMatch(/could not restore its settings \(.*ERR .*\) left it fenced .*`rctl up` repairs it/);
    });

    it('up refused by the node says so (exit 4, not "could not be reached"); the next up repairs it', async () => {
      const master = client(servers[0]);
      // up tries twice (before and after it sets the roles): both refused.
      const refused = proxy.rewriteAt('toTarget', findRestoreValue, Buffer.from('x'), 2);
      const first = await rctl(['up']);
      await within(refused, 'both repairs of up');
      expect(first.code, first.stdout + first.stderr).toBe(4);
      expect(first.stderr).not.toContain('could not be reached');
      expect(errorLines(first.stderr).find((l) => l.startsWith('rctl: '))).toMatch(/^rctl: master refused to have the settings an earlier failover changed put back: .*ERR .*min-replicas-to-write.* — master: redis-cli -h 127\.0\.0\.58 -p \d+ -a <password> CONFIG SET min-replicas-to-write 0 && .*; or run `rctl up` again$/);
      expect(await fenceOf(master)).toBe('2147483647');

      const second = await rctl(['up']);
      expect(second.code, second.stdout + second.stderr).toBe(0);
      expect(second.stderr + second.stdout).toContain('repaired');
      expect(await master.config('GET', 'min-replicas-to-write')).toEqual(['min-replicas-to-write', '0']);
      expect(await master.config('GET', 'min-replicas-max-lag')).toEqual(['min-replicas-max-lag', '7']);
      expect(await master.config('GET', 'repl-ping-replica-period')).toEqual(['repl-ping-replica-period', '10']);
      expect((await rctl(['status'])).code).toBe(0);
    });

    it('failing back to the old master: it takes writes, and every node has its settings as before', async () => {
      const back = await rctl(['failover', '--promote', 'master', '--yes']);
      expect(back.code, back.stdout + back.stderr).toBe(0);
      const master = client(servers[0]);
      expect(await master.set('after-failback', 'yes')).toBe('OK');
      for (const server of servers) expect(await fenceOf(client(server))).toBe('0');
      expect(await master.config('GET', 'min-replicas-max-lag')).toEqual(['min-replicas-max-lag', '7']);
      await eventually(async () => (await client(servers[2]).get('after-failback')) === 'yes', { what: 'the write on slave2' });
      // The config file of the old master holds its role again (no replicaof line, no fence).
      const config = readFileSync(`${servers[0].dir}/redis.conf`, 'utf8');
      expect(config).not.toMatch(/^replicaof /m);
      expect(config).not.toContain('2147483647');
      expect((await rctl(['status'])).code).toBe(0);
    });
  });
}
