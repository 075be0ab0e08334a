// A pathological KEYS pattern must not take the node down: with Redis's early cut the match is
// polynomial, so the node (a child process, so that a hang fails this test by its timeout rather
// than freezing the test runner) answers KEYS and then PING.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../helpers/bundled-node';
import { RawConnection } from '../helpers/raw-connection';

describe('KEYS with a 30-star pattern', () => {
  let node: NodeProcess;
  beforeAll(async () => {
    node = await startNodeProcess(['--save', '']);
  });
  afterAll(async () => {
    await node?.stop();
  });

  it('answers over 1000 keys and the node still answers PING', async () => {
    const conn = await RawConnection.open(node.host, node.port);
    try {
      const mset = ['MSET'];
      for (let i = 0; i < 1000; i++) mset.push('a'.repeat(40) + i, 'v');
      mset.push('a'.repeat(60) + 'b', 'v');
      expect(await conn.command(mset)).toBe('+OK\r\n');
      const pattern = 'a*'.repeat(30) + 'b';
      expect(await conn.command(['KEYS', pattern])).toBe(`*1\r\n$61\r\n${'a'.repeat(60)}b\r\n`);
      expect(await conn.command(['PING'])).toBe('+PONG\r\n');
    } finally {
      conn.close();
    }
  }, 60_000);
});
