// DEBUG LOADAOF against a real redis-server 7.0: with appendonly on, the dataset is replaced by what
// the AOF files hold (Redis's own stream tests use it to check that XADD/XTRIM propagate right),
// so every reply after it must match, byte for byte, on both servers.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { startNode } from '../helpers/bundled-node';
import type { RunningServer } from '../../src/server/index';
import { RawConnection } from '../helpers/raw-connection';

const DIRECTIVES = { appendonly: 'yes', 'aof-use-rdb-preamble': 'no', 'enable-debug-command': 'yes' };

const STEPS: string[][] = [
  ['XADD', 'st', 'MAXLEN', '~', '2', '1-0', 'f', 'v'],
  ['XADD', 'st', '2-0', 'f', 'v'],
  ['XADD', 'st', '3-0', 'f', 'v'],
  ['XDEL', 'st', '3-0'],
  ['XGROUP', 'CREATE', 'st', 'g', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '1', 'STREAMS', 'st', '>'],
  ['XADD', 'empty', 'MAXLEN', '0', '5-0', 'a', 'b'],
  ['SET', 'str', 'v'],
  ['RPUSH', 'list', 'a', 'b'],
  ['SELECT', '3'],
  ['SET', 'in3', 'x'],
  ['SELECT', '0'],
  ['DEBUG', 'LOADAOF'],
  ['DBSIZE'],
  ['XRANGE', 'st', '-', '+'],
  ['XINFO', 'STREAM', 'empty'],
  ['XPENDING', 'st', 'g'],
  ['LRANGE', 'list', '0', '-1'],
  ['GET', 'str'],
  ['SELECT', '3'],
  ['GET', 'in3'],
  ['SELECT', '0'],
  ['SET', 'after', '1'],
  ['DEBUG', 'LOADAOF'],
  ['GET', 'after'],
  ['DBSIZE'],
];

/** Waits until the rewrite CONFIG SET appendonly / startup may have begun is over. */
async function untilNoRewrite(conn: RawConnection): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await conn.command(['INFO', 'persistence'])).includes('aof_rewrite_in_progress:0')) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the AOF rewrite never finished');
}

async function play(host: string, port: number): Promise<string[]> {
  const conn = await RawConnection.open(host, port);
  try {
    await conn.command(['FLUSHALL']);
    await untilNoRewrite(conn);
    const transcript: string[] = [];
    for (const cmd of STEPS) transcript.push(`${cmd.join(' ')} -> ${await conn.command(cmd)}`);
    return transcript;
  } finally {
    conn.close();
  }
}

describeWithRedis('differential: DEBUG LOADAOF', () => {
  let redis: RedisProcess;
  let node: RunningServer;
  let nodeDir: string;
  beforeAll(async () => {
    nodeDir = mkdtempSync(join(tmpdir(), 'rctl-loadaof-'));
    [redis, node] = await Promise.all([startRedisServer({ directives: DIRECTIVES }), startNode({ config: { ...DIRECTIVES, port: 0, dir: nodeDir } })]);
  });
  afterAll(async () => {
    await Promise.all([redis?.stop(), node?.close()]);
    rmSync(nodeDir, { recursive: true, force: true });
  });

  it('the AOF replaces the dataset: streams with groups and tombstones, other types, other databases', async () => {
    const expected = await play(redis.host, redis.port);
    const actual = await play(node.host, node.port);
    expect(actual).toEqual(expected);
  });
});
