// Function libraries crossing between redis-server 7.0.15 and the bundled node: by replication
// (the full sync's RDB and FUNCTION LOAD in the command stream), by RDB file across a restart, and
// by FUNCTION DUMP / RESTORE payloads. Scripts' effects replicate too.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { startNode } from '../helpers/bundled-node';
import { RawConnection, replicationLinkUp } from '../helpers/raw-connection';
import { eventually } from '../helpers/wait';
import type { RunningServer } from '../../src/server/index';

const library = (name: string, fn: string, value: string) =>
  `#!lua name=${name}\nredis.register_function('${fn}', function(keys, args) redis.call('SET', keys[1], '${value}') return '${value}' end)`;

describeWithRedis('functions interop with redis-server', () => {
  let redis: RedisProcess;
  let node: RunningServer;
  let real: RawConnection;
  let ours: RawConnection;

  beforeAll(async () => {
    [redis, node] = await Promise.all([startRedisServer(), startNode()]);
    [real, ours] = await Promise.all([RawConnection.open(redis.host, redis.port), RawConnection.open(node.host, node.port)]);
  });
  afterAll(async () => {
    real?.close();
    ours?.close();
    await Promise.all([redis?.stop(), node?.close()]);
  });

  it("redis-server's libraries reach the node by full sync and by the command stream; EVAL effects follow", async () => {
    await Promise.all([real.command(['FUNCTION', 'FLUSH']), ours.command(['FUNCTION', 'FLUSH']), real.command(['FLUSHALL']), ours.command(['FUNCTION', 'LOAD', library('mine', 'own', 'x')])]);
    expect(await real.command(['FUNCTION', 'LOAD', library('synced', 'fromsync', 'a')])).toBe('$6\r\nsynced\r\n');
    expect(await ours.command(['REPLICAOF', redis.host, String(redis.port)])).toBe('+OK\r\n');
    await eventually(() => replicationLinkUp(ours), { what: 'the node linked to redis-server' });
    await real.command(['FUNCTION', 'LOAD', library('streamed', 'fromstream', 'b')]);
    await real.command(['EVAL', "redis.call('SET', KEYS[1], 'e1') redis.call('INCR', KEYS[2]) return 1", '2', 'evalkey', 'counter']);
    await real.command(['FCALL', 'fromsync', '1', 'fcallkey']);
    await eventually(async () => (await ours.command(['GET', 'fcallkey'])) === '$1\r\na\r\n', { what: 'the stream applied' });
    // The master's libraries replaced the node's own, as a full sync replaces the keyspace.
    expect(await ours.command(['FCALL_RO', 'own', '0'])).toBe('-ERR Function not found\r\n');
    for (const args of [['FUNCTION', 'LIST', 'LIBRARYNAME', 'synced', 'WITHCODE'], ['FUNCTION', 'LIST', 'LIBRARYNAME', 'streamed', 'WITHCODE'], ['GET', 'evalkey'], ['GET', 'counter']]) {
      expect(await ours.command(args), args.join(' ')).toBe(await real.command(args));
    }
    expect(await ours.command(['REPLICAOF', 'NO', 'ONE'])).toBe('+OK\r\n');
    expect(await ours.command(['FCALL', 'fromstream', '1', 'k'])).toBe('$1\r\nb\r\n');
  });

  it("the node's libraries reach redis-server by full sync and by the command stream", async () => {
    await Promise.all([real.command(['FUNCTION', 'FLUSH']), ours.command(['FUNCTION', 'FLUSH']), ours.command(['FLUSHALL'])]);
    await ours.command(['FUNCTION', 'LOAD', library('nodesync', 'n1', 'c')]);
    expect(await real.command(['REPLICAOF', node.host, String(node.port)])).toBe('+OK\r\n');
    await eventually(() => replicationLinkUp(real), { what: 'redis-server linked to the node' });
    await ours.command(['FUNCTION', 'LOAD', library('nodestream', 'n2', 'd')]);
    await ours.command(['FCALL', 'n2', '1', 'streamedkey']);
    await ours.command(['EVAL', "redis.call('SET', KEYS[1], 'e2') return redis.call('LPUSH', KEYS[2], 'x')", '2', 'ekey', 'elist']);
    await eventually(async () => (await real.command(['LLEN', 'elist'])) === ':1\r\n', { what: 'the stream applied' });
    for (const args of [['FUNCTION', 'LIST', 'LIBRARYNAME', 'nodesync', 'WITHCODE'], ['FUNCTION', 'LIST', 'LIBRARYNAME', 'nodestream', 'WITHCODE'], ['GET', 'streamedkey'], ['GET', 'ekey']]) {
      expect(await real.command(args), args.join(' ')).toBe(await ours.command(args));
    }
    expect(await real.command(['REPLICAOF', 'NO', 'ONE'])).toBe('+OK\r\n');
    expect(await real.command(['FCALL', 'n1', '1', 'k'])).toBe('$1\r\nc\r\n');
  });

  it('FUNCTION DUMP payloads restore on the other side, with Redis’s policies', async () => {
    await Promise.all([real.command(['FUNCTION', 'FLUSH']), ours.command(['FUNCTION', 'FLUSH'])]);
    await real.command(['FUNCTION', 'LOAD', library('dumped', 'fromdump', 'p')]);
    const payload = await dumpPayload(real);
    expect(await ours.command(['FUNCTION', 'RESTORE', payload])).toBe('+OK\r\n');
    expect(await ours.command(['FUNCTION', 'RESTORE', payload])).toBe(await real.command(['FUNCTION', 'RESTORE', payload]));
    expect(await ours.command(['FUNCTION', 'RESTORE', payload, 'REPLACE'])).toBe('+OK\r\n');
    expect(await ours.command(['FCALL', 'fromdump', '1', 'dk'])).toBe('$1\r\np\r\n');
    // And back: the node's payload is byte-identical and restores on redis-server.
    const ourPayload = await dumpPayload(ours);
    expect(Buffer.from(ourPayload, 'latin1').equals(Buffer.from(payload, 'latin1'))).toBe(true);
    await real.command(['FUNCTION', 'FLUSH']);
    expect(await real.command(['FUNCTION', 'RESTORE', ourPayload, 'FLUSH'])).toBe('+OK\r\n');
    expect(await real.command(['FCALL', 'fromdump', '1', 'dk'])).toBe('$1\r\np\r\n');
    const corrupt = Buffer.from(payload, 'latin1');
    corrupt[corrupt.length - 1] ^= 0xff;
    expect(await ours.command(['FUNCTION', 'RESTORE', corrupt.toString('latin1')])).toBe(await real.command(['FUNCTION', 'RESTORE', corrupt.toString('latin1')]));
  });

  it('an RDB file written by either side loads its libraries on the other', async () => {
    await Promise.all([real.command(['FUNCTION', 'FLUSH']), ours.command(['FUNCTION', 'FLUSH'])]);
    await ours.command(['FUNCTION', 'LOAD', library('fromnodefile', 'nf', 'q')]);
    await ours.command(['SET', 'filekey', 'v']);
    expect(await ours.command(['SAVE'])).toBe('+OK\r\n');
    const dir = mkdtempSync(join(tmpdir(), 'rctl-fn-rdb-'));
    copyFileSync(join(String(node.server.config.get('dir')), node.server.config.get('dbfilename')), join(dir, 'dump.rdb'));
    const loaded = await startRedisServer({ directives: { dir, dbfilename: 'dump.rdb' } });
    try {
      const conn = await RawConnection.open(loaded.host, loaded.port);
      expect(await conn.command(['FCALL', 'nf', '1', 'x'])).toBe('$1\r\nq\r\n');
      expect(await conn.command(['GET', 'filekey'])).toBe('$1\r\nv\r\n');
      await conn.command(['FUNCTION', 'LOAD', library('fromredisfile', 'rf', 'r')]);
      expect(await conn.command(['SAVE'])).toBe('+OK\r\n');
      conn.close();
    } finally {
      await loaded.stop();
    }
    const reloaded = await startNode({ argv: ['--port', '0', '--dir', dir, '--dbfilename', 'dump.rdb', '--save', ''] });
    try {
      const conn = await RawConnection.open(reloaded.host, reloaded.port);
      expect(await conn.command(['FCALL', 'rf', '1', 'y'])).toBe('$1\r\nr\r\n');
      expect(await conn.command(['FCALL', 'nf', '1', 'z'])).toBe('$1\r\nq\r\n');
      conn.close();
    } finally {
      await reloaded.close();
    }
  });
});

async function dumpPayload(conn: RawConnection): Promise<string> {
  const reply = await conn.command(['FUNCTION', 'DUMP']);
  const header = reply.indexOf('\r\n');
  return reply.slice(header + 2, reply.length - 2);
}
