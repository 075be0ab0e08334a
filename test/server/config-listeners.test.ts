// CONFIG SET port and CONFIG SET bind move the listeners, as redis-server does: the new address
// answers, the old one no longer accepts, connected clients stay; a port or address that cannot
// be bound is refused with Redis's error and changes nothing. Played on both side by side.

import { createServer, type Server as NetServer } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { startNode } from '../helpers/bundled-node';
import { freePort } from '../helpers/ports';
import { RawConnection } from '../helpers/raw-connection';
import { describeWithRedis, startRedisServer } from '../helpers/redis-server';

async function accepts(host: string, port: number): Promise<boolean> {
  try {
    const conn = await RawConnection.open(host, port);
    const pong = await conn.command(['PING']);
    conn.close();
    return pong === '+PONG\r\n';
  } catch {
    return false;
  }
}

describeWithRedis('CONFIG SET port and bind', () => {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function scenario(host: string, port: number) {
    const conn = await RawConnection.open(host, port);
    const taken = await new Promise<NetServer>((resolve) => {
      const server = createServer();
      server.listen({ host: '127.0.0.1', port: 0 }, () => resolve(server));
    });
    cleanups.push(() => new Promise((done) => taken.close(done)));
    const takenPort = (taken.address() as { port: number }).port;
    const newPort = await freePort();
    const out: Record<string, unknown> = {};
    out.moved = await conn.command(['CONFIG', 'SET', 'port', String(newPort)]);
    out.newAccepts = await accepts('127.0.0.1', newPort);
    out.oldAccepts = await accepts('127.0.0.1', port);
    out.connectedStillAnswers = await conn.command(['PING']);
    out.refused = await conn.command(['CONFIG', 'SET', 'port', String(takenPort)]);
    out.portAfterRefusal = (await conn.command(['CONFIG', 'GET', 'port'])).replace(String(newPort), 'NEW');
    out.stillOnNew = await accepts('127.0.0.1', newPort);
    out.rebound = await conn.command(['CONFIG', 'SET', 'bind', '127.0.0.1 127.0.0.41']);
    out.onSecondAddress = await accepts('127.0.0.41', newPort);
    out.badBind = await conn.command(['CONFIG', 'SET', 'bind', '10.255.255.1']);
    out.bindAfterRefusal = await conn.command(['CONFIG', 'GET', 'bind']);
    out.both = await conn.command(['CONFIG', 'SET', 'port', String(takenPort), 'maxmemory-samples', '7']);
    out.samplesUnchanged = await conn.command(['CONFIG', 'GET', 'maxmemory-samples']);
    conn.close();
    return out;
  }

  it('moves to the new port and addresses, refuses what cannot be bound without changing anything', async () => {
    const redis = await startRedisServer();
    cleanups.push(() => redis.stop());
    const node = await startNode();
    cleanups.push(() => node.close());
    const expected = await scenario(redis.host, redis.port);
    const actual = await scenario(node.host, node.port);
    expect(actual).toEqual(expected);
    expect(expected).toMatchObject({ moved: '+OK\r\n', newAccepts: true, oldAccepts: false, stillOnNew: true, onSecondAddress: true });
  });
});
