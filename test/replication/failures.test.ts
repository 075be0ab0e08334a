// Replication under bad conditions: corrupt and truncated RDB payloads, a wrong masterauth,
// REPLICAOF at itself or at something that is not Redis, and a replica whose output buffer
// the master cannot drain. The node must log, retry, keep its data and never crash.

import { afterEach, expect, it } from 'vitest';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import Redis from 'ioredis';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { startNode } from '../helpers/bundled-node';
import { eventually } from '../helpers/wait';
import { infoFields as info } from '../helpers/info';
import type { RunningServer } from '../../src/server/index';
import { freePort } from '../helpers/ports';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function node(config: Record<string, string | number> = {}): Promise<{ node: RunningServer; client: Redis; log: () => string }> {
  const started = await startNode({ config, keepLog: true });
  const client = new Redis({ host: started.host, port: started.port, password: (config.requirepass as string) || undefined });
  cleanups.push(async () => {
    client.disconnect();
    await started.close();
  });
  return { node: started, client, log: () => started.server.logger.memory?.join('\n') ?? '' };
}


/** A fake master that completes the handshake, then sends `payload` as the full-sync RDB. */
async function fakeMaster(payload: (socket: Socket, attempt: number) => void, options: { rejectPsync?: boolean } = {}): Promise<{ port: number; attempts: () => number }> {
  let attempts = 0;
  const sockets = new Set<Socket>();
  const server: NetServer = createServer((socket) => {
    const attempt = ++attempts;
    sockets.add(socket);
    let buffered = '';
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      // Answer each complete command in order: PING, REPLCONF..., then PSYNC.
      for (;;) {
        const match = /^\*(\d+)\r\n/.exec(buffered);
        if (!match) return;
        const parts: string[] = [];
        let rest = buffered.slice(match[0].length);
        for (let i = 0; i < Number(match[1]); i++) {
          const bulk = /^\$(\d+)\r\n/.exec(rest);
          if (!bulk || rest.length < bulk[0].length + Number(bulk[1]) + 2) return;
          parts.push(rest.slice(bulk[0].length, bulk[0].length + Number(bulk[1])));
          rest = rest.slice(bulk[0].length + Number(bulk[1]) + 2);
        }
        buffered = rest;
        const name = parts[0].toUpperCase();
        if (name === 'PING') socket.write('+PONG\r\n');
        else if (name === 'REPLCONF') {
          if (parts[1].toUpperCase() !== 'ACK') socket.write('+OK\r\n');
        } else if (name === 'PSYNC') {
          if (options.rejectPsync) {
            socket.write("-ERR unknown command 'PSYNC'\r\n");
          } else {
            socket.write(`+FULLRESYNC ${'f'.repeat(40)} 0\r\n`);
            payload(socket, attempt);
          }
        } else if (name === 'SYNC') {
          payload(socket, attempt);
        }
      }
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { port, attempts: () => attempts };
}

describeWithRedis('replication failures', () => {
  it('a corrupt RDB (bad checksum) is logged, retried, and the old data survives', async () => {
    const { client, log } = await node();
    await client.set('precious', 'data');
    // A valid RDB from a real redis, with one payload byte flipped.
    const real: RedisProcess = await startRedisServer();
    cleanups.push(() => real.stop());
    const realClient = new Redis({ host: real.host, port: real.port });
    await realClient.set('a', 'b');
    await realClient.save();
    realClient.disconnect();
    const { readFileSync } = await import('node:fs');
    const rdb = Buffer.from(readFileSync(`${real.dir}/dump.rdb`));
    rdb[rdb.length - 12] ^= 0xff;
    const master = await fakeMaster((socket) => {
      socket.write(`$${rdb.length}\r\n`);
      socket.write(rdb);
    });
    await client.replicaof('127.0.0.1', master.port);
    await eventually(() => master.attempts() >= 2, { what: 'a retry after the corrupt payload' });
    expect(log()).toMatch(/MASTER <-> REPLICA sync: .*(checksum|CRC|Wrong RDB)/i);
    expect(await client.get('precious')).toBe('data');
    expect((await info(client)).master_link_status).toBe('down');
  });

  it('falls back to SYNC when the master does not know PSYNC', async () => {
    const { client, log } = await node();
    const { writeRdbToBuffer, databaseFromMaps } = await import('../../src/server/rdb/writer');
    const rdb = writeRdbToBuffer({ databases: [databaseFromMaps(0, new Map([['old', 'master']]), new Map())] });
    const master = await fakeMaster(
      (socket) => {
        socket.write(`$${rdb.length}\r\n`);
        socket.write(rdb);
        socket.write('*3\r\n$3\r\nSET\r\n$6\r\nstream\r\n$2\r\nok\r\n');
      },
      { rejectPsync: true },
    );
    await client.replicaof('127.0.0.1', master.port);
    await eventually(async () => (await client.get('stream')) === 'ok', { what: 'stream applied after SYNC' });
    expect(await client.get('old')).toBe('master');
    expect(log()).toContain("Master does not support PSYNC or is in error state (reply: -ERR unknown command 'PSYNC')");
  });

  it('a truncated transfer is retried and never installs half a dataset', async () => {
    const { client, log } = await node();
    await client.set('precious', 'data');
    const master = await fakeMaster((socket) => {
      socket.write('$1000\r\nREDIS0010');
      socket.end();
    });
    await client.replicaof('127.0.0.1', master.port);
    await eventually(() => master.attempts() >= 2, { what: 'a retry after the truncated payload' });
    expect(await client.get('precious')).toBe('data');
    expect(log()).toContain('Connecting to MASTER 127.0.0.1');
  });

  it('a wrong masterauth keeps the link down with the auth error in the log', async () => {
    const master = await startRedisServer({ directives: { requirepass: 'right', 'repl-diskless-sync-delay': '0' } });
    cleanups.push(() => master.stop());
    const { client, log } = await node({ masterauth: 'wrong' });
    await client.replicaof(master.host, master.port);
    await eventually(() => log().includes('Unable to AUTH to MASTER: -WRONGPASS invalid username-password pair or user is disabled.'), { what: 'auth error logged' });
    expect((await info(client)).master_link_status).toBe('down');
    // Fixing masterauth at run time brings the link up on the next attempt.
    await client.config('SET', 'masterauth', 'right');
    await eventually(async () => (await info(client)).master_link_status === 'up', { what: 'link up after fixing masterauth' });
  });

  it('REPLICAOF at itself loops on NOMASTERLINK without harm', async () => {
    const { node: self, client, log } = await node();
    await client.replicaof(self.host, self.port);
    await eventually(() => log().includes("Master is currently unable to PSYNC but should be in the future: -NOMASTERLINK Can't SYNC while not connected with my master"), { what: 'NOMASTERLINK retry' });
    expect(await client.ping()).toBe('PONG');
    expect(await client.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
  });

  it('REPLICAOF at an HTTP server reports the bad reply and keeps retrying', async () => {
    const http = createHttpServer((_req, res) => res.end('hello'));
    const port = await freePort();
    await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => http.close(() => resolve())));
    const { client, log } = await node();
    await client.replicaof('127.0.0.1', port);
    await eventually(() => (log().match(/Connecting to MASTER 127\.0\.0\.1/g) ?? []).length >= 2, { what: 'retries' });
    expect(log()).toMatch(/Error reply to PING from master: 'HTTP\/1\.1 400|Master closed the connection|Bad protocol/);
    expect(await client.ping()).toBe('PONG');
  });

  it('a refused connection is logged the way Redis words it', async () => {
    const { client, log } = await node();
    const port = await freePort();
    await client.replicaof('127.0.0.1', port);
    await eventually(() => log().includes('Error condition on socket for SYNC: Connection refused'), { what: 'refused logged' });
    const r = await info(client);
    expect(r.master_link_status).toBe('down');
    expect(Number(r.master_link_down_since_seconds)).toBeGreaterThanOrEqual(0);
  });

  it('a replica that stops reading is dropped at the output buffer limit and resyncs after', async () => {
    const { node: master, client } = await node({ 'repl-diskless-sync-delay': 0, 'client-output-buffer-limit': 'normal 0 0 0 replica 1mb 256kb 1 pubsub 32mb 8mb 60', 'repl-backlog-size': '1mb' });
    const replica = await startRedisServer();
    cleanups.push(() => replica.stop());
    const replicaClient = new Redis({ host: replica.host, port: replica.port });
    cleanups.push(() => replicaClient.disconnect());
    await replicaClient.replicaof(master.host, master.port);
    await eventually(async () => (await info(replicaClient)).master_link_status === 'up', { what: 'replica linked' });
    replica.process.kill('SIGSTOP');
    try {
      const value = 'x'.repeat(64 * 1024);
      for (let i = 0; i < 200; i++) await client.set(`big:${i % 50}`, value);
      await eventually(() => master.server.logger.memory?.join('\n').includes('scheduled to be closed ASAP for overcoming of output buffer limits'), { what: 'replica dropped', timeout: 15_000 });
    } finally {
      replica.process.kill('SIGCONT');
    }
    await eventually(async () => {
      const [m, r] = await Promise.all([info(client), info(replicaClient)]);
      return r.master_link_status === 'up' && r.master_repl_offset === m.master_repl_offset;
    }, { what: 'replica back in sync', timeout: 20_000 });
    expect(await replicaClient.get('big:49')).toBe('x'.repeat(64 * 1024));
  });
});
