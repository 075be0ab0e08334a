// What the node keeps of pipelined input (issue 14). A mass insertion (`redis-cli --pipe`) sends
// tens of thousands of SETs in big chunks; the stored keys and values must cost what their bytes
// cost whichever form the requests took, and the connection's query buffer must be let go once
// the pipeline goes idle.
//
// The heap is measured after full collections (the gc() V8 exposes with --expose-gc), so the
// numbers are what the node holds live, not garbage; no timing is involved.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startNode } from '../helpers/bundled-node';
import { RawConnection } from '../helpers/raw-connection';
import type { RunningServer } from '../../src/server/index';

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

function liveHeap(): number {
  // Twice: the first pass can leave objects that only the second finds unreachable (weak refs).
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

const KEYS = 40_000;
/** Long enough that a value built a character at a time would be a rope of dozens of nodes. */
const VALUE_LENGTH = 64;
const valueOf = (i: number) => `v${i}:`.padEnd(VALUE_LENGTH, 'x');

function respSet(key: string, value: string): string {
  return `*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$${value.length}\r\n${value}\r\n`;
}

/** Sends `text` in 64 KB writes (as redis-cli --pipe does) and waits for `count` +OK replies. */
function pipeline(port: number, bytes: Buffer, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const expected = count * '+OK\r\n'.length;
    let received = 0;
    let tail = '';
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      tail = (tail + chunk.toString('latin1')).slice(-64);
      if (tail.includes('-')) reject(new Error(`error reply: ${tail}`));
      if (received >= expected) {
        socket.destroy();
        resolve();
      }
    });
    socket.on('connect', () => {
      for (let offset = 0; offset < bytes.length; offset += 64 * 1024) socket.write(bytes.subarray(offset, offset + 64 * 1024));
    });
  });
}

/** Live heap growth per key after piping KEYS SETs built by `line`. */
async function bytesPerKey(node: RunningServer, prefix: string, line: (key: string, value: string) => string): Promise<number> {
  // The requests live outside the JS heap, so the heap's growth is what the node kept of them.
  const lines: string[] = [];
  for (let i = 0; i < KEYS; i++) lines.push(line(`${prefix}:${String(i).padStart(8, '0')}`, valueOf(i)));
  const bytes = Buffer.from(lines.join(''), 'latin1');
  lines.length = 0;
  const before = liveHeap();
  await pipeline(node.port, bytes, KEYS);
  const after = liveHeap();
  return (after - before) / KEYS;
}

describe('memory of pipelined input', () => {
  let node: RunningServer;

  beforeAll(async () => {
    node = await startNode();
  });
  afterAll(async () => {
    await node.close();
  });

  it('stores inline (text line) SETs as compactly as RESP ones: arguments are flat strings, not ropes', async () => {
    // Warm-up: the first load also grows the keyspace's table and compiles the paths.
    await bytesPerKey(node, 'warm', respSet);
    const resp = await bytesPerKey(node, 'resp', respSet);
    const inline = await bytesPerKey(node, 'line', (key, value) => `SET ${key} ${value}\r\n`);
    expect(node.server.dbs[0].size).toBe(3 * KEYS);
    expect(node.server.dbs[0].get('line:00000007')).toBe(valueOf(7));
    // A flat 64-byte value and a 13-byte key cost about 80 + 32 bytes plus the table's entry; a
    // value kept as a rope of one-character appends costs over 1.5 KB.
    expect(resp).toBeLessThan(400);
    expect(inline).toBeLessThan(resp * 1.5 + 64);
  });

  it('keeps no request chunk alive through a stored value', async () => {
    // Each SET shares its write with a 60 KB ECHO: a stored key or value that kept a view of the
    // chunk it arrived in (a sliced string, a Buffer view) would hold about 60 KB per key.
    const filler = 'f'.repeat(60_000);
    const count = 400;
    // Buffers made up front: the test's own strings must not grow the heap while it is measured.
    const writes: Buffer[] = [];
    for (let i = 0; i < count; i++) writes.push(Buffer.from(respSet(`chunk:${i}`, valueOf(i)) + `*2\r\n$4\r\nECHO\r\n$${filler.length}\r\n${filler}\r\n`, 'latin1'));
    const conn = await RawConnection.open('127.0.0.1', node.port);
    try {
      const before = liveHeap();
      for (const write of writes) {
        conn.sendRaw(write);
        await conn.readReply();
        await conn.readReply();
      }
      const perKey = (liveHeap() - before) / count;
      expect(await conn.command(['GET', 'chunk:399'])).toBe(`$${VALUE_LENGTH}\r\n${valueOf(399)}\r\n`);
      expect(perKey).toBeLessThan(2_000);
    } finally {
      conn.close();
    }
  });

  it('releases an idle client query buffer after a large pipeline, and reports qbuf and qbuf-free honestly', async () => {
    const conn = await RawConnection.open('127.0.0.1', node.port);
    try {
      const myId = Number((await conn.command(['CLIENT', 'ID'])).slice(1));
      const field = async (name: string) => {
        const list = (await conn.command(['CLIENT', 'LIST', 'ID', String(myId)])).toString();
        const match = new RegExp(` ${name}=(\\d+) `).exec(list);
        if (!match) throw new Error(`no ${name} in ${list}`);
        return Number(match[1]);
      };
      // A big bulk announced and half sent: its whole size is reserved.
      const big = 200_000;
      conn.sendRaw(`*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$${big}\r\n` + 'a'.repeat(big / 2));
      // CLIENT LIST on a second connection sees the half-received request.
      const other = await RawConnection.open('127.0.0.1', node.port);
      try {
        let line = '';
        for (let attempt = 0; attempt < 200; attempt++) {
          line = (await other.command(['CLIENT', 'LIST', 'ID', String(myId)])).toString();
          if (Number(/ qbuf=(\d+) /.exec(line)?.[1] ?? 0) >= big / 2) break;
          await new Promise((resolve) => setImmediate(resolve));
        }
        const qbuf = Number(/ qbuf=(\d+) /.exec(line)?.[1]);
        const free = Number(/ qbuf-free=(\d+) /.exec(line)?.[1]);
        expect(qbuf).toBeGreaterThanOrEqual(big / 2);
        expect(free).toBeGreaterThan(0);
      } finally {
        other.close();
      }
      conn.sendRaw('a'.repeat(big / 2) + '\r\n');
      expect((await conn.readReply()).toString()).toBe('+OK\r\n');
      // Then a large pipeline in one write: every command complete, nothing left over.
      let text = '';
      for (let i = 0; i < 5_000; i++) text += respSet(`q:${i}`, valueOf(i));
      conn.sendRaw(text);
      for (let i = 0; i < 5_000; i++) await conn.readReply();
      expect(await field('qbuf')).toBe(0);
      expect(await field('qbuf-free')).toBe(0);
    } finally {
      conn.close();
    }
  });
});
