// Sets whose replication authenticates as an ACL user (masteruser, Redis 6.0+), with rctl itself
// using the default user's password: up, replicaof and failover must never overwrite masterauth
// (the ACL user's password) with the default user's, or every replication link would break.

import Redis from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { requireBuiltCli, sandbox, type Sandbox } from '../cli/helpers';
import { startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { describeWithVersion, type MatrixVersion } from '../helpers/redis-versions';
import { eventually } from '../helpers/wait';

const PASSWORD = '123456';
const REPLICATION_PASSWORD = 'repl-secret-7';

for (const version of ['6.2.16', '7.0', '7.2.6'] as MatrixVersion[]) {
  describeWithVersion(version, `replication as an ACL user on Redis ${version}: rctl leaves masterauth alone`, (redis) => {
    let box: Sandbox;
    let file: string;
    const servers: RedisProcess[] = [];
    const clients: Redis[] = [];
    const rctl = (args: string[]) => box.run([...args, '-t', file]);
    const client = (server: RedisProcess) => {
      const c = new Redis({ host: server.host, port: server.port, password: PASSWORD, maxRetriesPerRequest: 1 });
      c.on('error', () => {});
      clients.push(c);
      return c;
    };
    const masterauthOf = async (server: RedisProcess) => ((await client(server).config('GET', 'masterauth')) as string[])[1];

    beforeAll(async () => {
      requireBuiltCli();
      box = sandbox();
      for (let i = 0; i < 3; i++) {
        servers.push(
          await startRedisServer({
            binary: redis.server,
            directives: {
              requirepass: PASSWORD,
              // Any node may be promoted, so every node has the replication user and uses it.
              user: `repl on >${REPLICATION_PASSWORD} +psync +replconf +ping`,
              masteruser: 'repl',
              masterauth: REPLICATION_PASSWORD,
            },
          }),
        );
      }
      file = box.topology(
        'acl.yml',
        `name: acl
auth: { password: "${PASSWORD}" }
nodes:
${servers.map((s, i) => `  - { name: n${i + 1}, host: 127.0.0.1, port: ${s.port}, role: ${i === 0 ? 'master' : 'replica'} }`).join('\n')}
`,
      );
    });

    afterAll(async () => {
      for (const c of clients) c.disconnect();
      await Promise.all(servers.map((s) => s.stop()));
      box?.cleanup();
    });

    it('up links the replicas as the ACL user; masterauth untouched; check finds nothing about it', async () => {
      const up = await rctl(['up']);
      expect(up.code, up.stdout + up.stderr).toBe(0);
      expect(up.stdout + up.stderr).not.toContain('masterauth');
      for (const server of servers) expect(await masterauthOf(server)).toBe(REPLICATION_PASSWORD);
      const check = await rctl(['check', '--json', '--sample', '0']);
      expect((JSON.parse(check.stdout) as { findings: Array<{ code: string }> }).findings.map((f) => f.code)).not.toContain('MASTERAUTH_MISMATCH');
    });

    it('a failover and back keep every link up with partial resyncs, and masterauth untouched', async () => {
      for (const [to, host] of [['n2', servers[1]], ['n1', servers[0]]] as const) {
        const result = await rctl(['failover', '--promote', to, '--yes', '--json']);
        expect(result.code, result.stdout + result.stderr).toBe(0);
        expect(JSON.parse(result.stdout)).toMatchObject({ to, fullResyncs: 0, partialResyncs: 2 });
        expect(await client(host).set(`written-on-${to}`, 'yes')).toBe('OK');
      }
      for (const server of servers) expect(await masterauthOf(server)).toBe(REPLICATION_PASSWORD);
      await eventually(async () => (await rctl(['status'])).code === 0, { what: 'status healthy' });
    });

    it('replicaof keeps it too', async () => {
      const result = await rctl(['replicaof', 'n3', 'n2']);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(await masterauthOf(servers[2])).toBe(REPLICATION_PASSWORD);
      expect((await client(servers[2]).info('replication')).includes('master_link_status:up')).toBe(true);
      const back = await rctl(['replicaof', 'n3', 'n1']);
      expect(back.code, back.stderr).toBe(0);
    });
  });
}
