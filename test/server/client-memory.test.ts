// CLIENT LIST's buffer fields: zero for an idle client, qbuf/argv-mem for a command still
// arriving, omem/oll for replies a client does not read.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode } from '../helpers/bundled-node';
import { RawConnection } from '../helpers/raw-connection';
import { waitFor } from '../../src/node/wait';
import type { RunningServer } from '../../src/server/index';

function fieldsOf(list: string, id: string): Record<string, string> {
  const line = list.split('\n').find((l) => l.includes(`id=${id} `));
  if (!line) throw new Error(`client ${id} not in ${list}`);
  return Object.fromEntries(line.trim().split(' ').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

async function clientId(conn: RawConnection): Promise<string> {
  return (await conn.command(['CLIENT', 'ID'])).slice(1).trim();
}

describe('CLIENT LIST buffer fields', () => {
  let node: RunningServer;
  let observer: RawConnection;
  beforeAll(async () => {
    node = await startNode();
    observer = await RawConnection.open('127.0.0.1', node.port);
  });
  afterAll(async () => {
    observer.close();
    await node.close();
  });

  it('an idle client holds nothing', async () => {
    const idle = await RawConnection.open('127.0.0.1', node.port);
    const id = await clientId(idle);
    const fields = fieldsOf(await observer.command(['CLIENT', 'LIST']), id);
    expect([fields.qbuf, fields['argv-mem'], fields.obl, fields.oll, fields.omem]).toEqual(['0', '0', '0', '0', '0']);
    expect(Number(fields['tot-mem'])).toBeGreaterThan(0);
    idle.close();
  });

  it('the asking client shows its own command in argv-mem', async () => {
    const fields = fieldsOf(await observer.command(['CLIENT', 'LIST']), await clientId(observer));
    expect(fields['argv-mem']).toBe(String('CLIENT'.length + 'LIST'.length));
  });

  it('a partial command shows in qbuf', async () => {
    const partial = await RawConnection.open('127.0.0.1', node.port);
    const id = await clientId(partial);
    partial.sendRaw('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10\r\nabc');
    const fields = await waitFor(async () => {
      const f = fieldsOf(await observer.command(['CLIENT', 'LIST']), id);
      return Number(f.qbuf) > 0 ? { done: true as const, value: f } : { done: false as const, reason: `qbuf=${f.qbuf}` };
    }, { interval: 20, timeout: 5000 });
    expect(Number(fields.qbuf) + Number(fields['argv-mem'])).toBeGreaterThan(3);
    expect(Number(fields['tot-mem'])).toBeGreaterThan(Number(fields.qbuf));
    partial.close();
  });

  it('replies a client does not read show in omem and oll', async () => {
    const big = 'x'.repeat(1024 * 1024);
    expect(await observer.command(['SET', 'big', big])).toBe('+OK\r\n');
    const slow = await RawConnection.open('127.0.0.1', node.port);
    const id = await clientId(slow);
    slow.socket.pause();
    for (let i = 0; i < 40; i++) slow.send(['GET', 'big']);
    const fields = await waitFor(async () => {
      const f = fieldsOf(await observer.command(['CLIENT', 'LIST']), id);
      return Number(f.omem) > 1024 * 1024 ? { done: true as const, value: f } : { done: false as const, reason: `omem=${f.omem}` };
    }, { interval: 50, timeout: 10000 });
    expect(Number(fields.oll)).toBeGreaterThan(0);
    expect(Number(fields.obl)).toBe(16384);
    expect(Number(fields['tot-mem'])).toBeGreaterThan(Number(fields.omem));
    slow.close();
  });
});
