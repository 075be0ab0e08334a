// PFSELFTEST on the bundled node: the register packing and the estimator's error bounds.
// (Not differential: redis-server's own run adds ten times more elements and takes seconds.)

import { afterAll, beforeAll, expect, it, describe } from 'vitest';
import { startNode } from '../helpers/bundled-node';
import { RawConnection } from '../helpers/raw-connection';
import { prng } from '../helpers/prng';
import { hllSelfTest } from '../../src/server/commands/hyperloglog-selftest';
import type { RunningServer } from '../../src/server/index';

describe('PFSELFTEST', () => {
  let node: RunningServer;
  beforeAll(async () => {
    node = await startNode();
  });
  afterAll(async () => {
    await node?.close();
  });

  it('replies OK on the node', async () => {
    const conn = await RawConnection.open(node.host, node.port);
    try {
      conn.send(['PFSELFTEST']);
      expect((await conn.readReply(60_000)).toString('latin1')).toBe('+OK\r\n');
      expect(await conn.command(['PFSELFTEST', 'extra'])).toBe("-ERR wrong number of arguments for 'pfselftest' command\r\n");
    } finally {
      conn.close();
    }
  }, 90_000);

  it('passes for other seeds and sparse limits', () => {
    expect(hllSelfTest(3000, prng(11))).toBeNull();
    expect(hllSelfTest(300, prng(12))).toBeNull();
  }, 90_000);

  it('notices a sketch promoted to dense while still small', () => {
    // 30 bytes hold only a few sparse opcodes: at 10 elements (under 30/2) the sketch is dense.
    expect(hllSelfTest(30, prng(13))).toBe('TESTFAILED sparse encoding not used');
  }, 90_000);
});
