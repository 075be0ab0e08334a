// CLIENT PAUSE / UNPAUSE: WRITE mode holds writes (and PUBLISH) but not reads, ALL holds
// everything, UNPAUSE or the deadline releases held commands in order. Each scenario runs on the
// bundled node, and on a real redis-server when one is installed, with the same transcript.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode } from '../helpers/bundled-node';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { RawConnection } from '../helpers/raw-connection';
import type { RunningServer } from '../../src/server/index';

type Scenario = (host: string, port: number) => Promise<string[]>;

async function open(host: string, port: number, count: number): Promise<RawConnection[]> {
  return Promise.all(Array.from({ length: count }, () => RawConnection.open(host, port)));
}

/**
 * Reads `key` from another connection several times while the pause lasts. Every read must be
 * answered (reads are not held) and see `expected` (the held write has not happened).
 */
async function readsWhilePaused(reader: RawConnection, key: string, expected: string): Promise<boolean> {
  for (let i = 0; i < 10; i++) {
    if ((await reader.command(['GET', key])) !== expected) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

const writePauseHoldsWritesNotReads: Scenario = async (host, port) => {
  const [admin, writer, reader] = await open(host, port, 3);
  try {
    const log: string[] = [];
    await reader.command(['DEL', 'paused:k', 'paused:other']);
    log.push(await admin.command(['CLIENT', 'PAUSE', '60000', 'WRITE']));
    writer.send(['SET', 'paused:k', 'v']);
    writer.send(['GET', 'paused:k']);
    log.push(String(await readsWhilePaused(reader, 'paused:k', '$-1\r\n')));
    // Reads and other non-writes from anyone go on.
    log.push(await reader.command(['EXISTS', 'paused:k']));
    log.push(await reader.command(['PING']));
    log.push(await admin.command(['CLIENT', 'UNPAUSE']));
    // The held SET runs first, then the GET queued behind it on the same connection.
    log.push((await writer.readReply()).toString('latin1'));
    log.push((await writer.readReply()).toString('latin1'));
    log.push(await reader.command(['GET', 'paused:k']));
    log.push(await writer.command(['SET', 'paused:other', 'x']));
    return log;
  } finally {
    for (const conn of [admin, writer, reader]) conn.close();
  }
};

const writePauseHoldsPublishAndExecWithWrites: Scenario = async (host, port) => {
  const [admin, writer, reader] = await open(host, port, 3);
  try {
    const log: string[] = [];
    await reader.command(['DEL', 'paused:m']);
    log.push(await writer.command(['MULTI']));
    log.push(await writer.command(['SET', 'paused:m', '1']));
    log.push(await admin.command(['CLIENT', 'PAUSE', '60000', 'WRITE']));
    writer.send(['EXEC']);
    reader.send(['PUBLISH', 'paused:channel', 'hello']);
    log.push(String(await readsWhilePaused(admin, 'paused:m', '$-1\r\n')));
    log.push(await admin.command(['CLIENT', 'UNPAUSE']));
    log.push((await writer.readReply()).toString('latin1'));
    log.push((await reader.readReply()).toString('latin1'));
    log.push(await admin.command(['GET', 'paused:m']));
    return log;
  } finally {
    for (const conn of [admin, writer, reader]) conn.close();
  }
};

const pauseExpiresByItself: Scenario = async (host, port) => {
  const [admin, writer, reader] = await open(host, port, 3);
  try {
    const log: string[] = [];
    await reader.command(['DEL', 'paused:t']);
    log.push(await admin.command(['CLIENT', 'PAUSE', '300', 'WRITE']));
    writer.send(['SET', 'paused:t', 'after']);
    // No UNPAUSE: the write goes through once the 300 ms are over.
    log.push((await writer.readReply()).toString('latin1'));
    log.push(await reader.command(['GET', 'paused:t']));
    return log;
  } finally {
    for (const conn of [admin, writer, reader]) conn.close();
  }
};

const allPauseHoldsReads: Scenario = async (host, port) => {
  const [admin, reader] = await open(host, port, 2);
  try {
    const log: string[] = [];
    log.push(await admin.command(['CLIENT', 'PAUSE', '300', 'ALL']));
    reader.send(['ECHO', 'held until the deadline']);
    admin.send(['PING']);
    // Both connections are held, the pausing one included, until the deadline passes.
    log.push((await reader.readReply()).toString('latin1'));
    log.push((await admin.readReply()).toString('latin1'));
    return log;
  } finally {
    for (const conn of [admin, reader]) conn.close();
  }
};

const SCENARIOS: Array<[string, Scenario]> = [
  ['WRITE pause holds writes but not reads; UNPAUSE releases them in order', writePauseHoldsWritesNotReads],
  ['WRITE pause holds PUBLISH and an EXEC with writes', writePauseHoldsPublishAndExecWithWrites],
  ['a pause ends by itself at its deadline', pauseExpiresByItself],
  ['ALL pause holds reads too, the pausing client included', allPauseHoldsReads],
];

const EXPECTED: Record<string, string[]> = {
  'WRITE pause holds writes but not reads; UNPAUSE releases them in order': ['+OK\r\n', 'true', ':0\r\n', '+PONG\r\n', '+OK\r\n', '+OK\r\n', '$1\r\nv\r\n', '$1\r\nv\r\n', '+OK\r\n'],
  'WRITE pause holds PUBLISH and an EXEC with writes': ['+OK\r\n', '+QUEUED\r\n', '+OK\r\n', 'true', '+OK\r\n', '*1\r\n+OK\r\n', ':0\r\n', '$1\r\n1\r\n'],
  'a pause ends by itself at its deadline': ['+OK\r\n', '+OK\r\n', '$5\r\nafter\r\n'],
  'ALL pause holds reads too, the pausing client included': ['+OK\r\n', '$23\r\nheld until the deadline\r\n', '+PONG\r\n'],
};

describe('CLIENT PAUSE on the bundled node', () => {
  let node: RunningServer;
  beforeAll(async () => {
    node = await startNode();
  });
  afterAll(async () => {
    await node.close();
  });

  for (const [name, scenario] of SCENARIOS) {
    it(name, async () => {
      expect(await scenario(node.host, node.port)).toEqual(EXPECTED[name]);
    });
  }
});

describeWithRedis('CLIENT PAUSE on redis-server gives the same transcripts', () => {
  let redis: RedisProcess;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  for (const [name, scenario] of SCENARIOS) {
    it(name, async () => {
      expect(await scenario(redis.host, redis.port)).toEqual(EXPECTED[name]);
    });
  }
});
