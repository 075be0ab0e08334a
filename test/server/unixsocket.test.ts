// unixsocket: the node listens on a socket file as Redis does (a stale file removed at start,
// unixsocketperm applied, the file removed at shutdown), and clients over it are full clients.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startNode } from '../helpers/bundled-node';
import { RawConnection } from '../helpers/raw-connection';
import type { RunningServer } from '../../src/server/index';

describe('unixsocket', () => {
  let node: RunningServer | null = null;
  afterEach(async () => {
    await node?.close();
    node = null;
  });

  it('serves clients over the socket file with AUTH, shows them as Redis does, removes the file at shutdown', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'rctl-unix-')), 'node.sock');
    // A socket file left behind by a crashed process: Redis unlinks it before binding.
    execFileSync('python3', ['-c', `import socket; s=socket.socket(socket.AF_UNIX); s.bind(${JSON.stringify(path)})`]);
    expect(existsSync(path)).toBe(true);
    node = await startNode({ config: { unixsocket: path, unixsocketperm: 700, requirepass: 'secret-pw' } });
    expect(statSync(path).mode & 0o777).toBe(0o700);
    const conn = await RawConnection.openPath(path);
    expect(await conn.command(['PING'])).toBe('-NOAUTH Authentication required.\r\n');
    expect(await conn.command(['AUTH', 'secret-pw'])).toBe('+OK\r\n');
    expect(await conn.command(['SET', 'k', 'v'])).toBe('+OK\r\n');
    expect(await conn.command(['GET', 'k'])).toBe('$1\r\nv\r\n');
    const info = await conn.command(['CLIENT', 'INFO']);
    expect(info).toContain(` addr=${path}:0 laddr=${path}:0 `);
    expect(info).toContain(' flags=U ');
    expect(await conn.command(['CONFIG', 'GET', 'unixsocket'])).toBe(`*2\r\n$10\r\nunixsocket\r\n$${path.length}\r\n${path}\r\n`);
    expect(await conn.command(['CONFIG', 'GET', 'unixsocketperm'])).toBe('*2\r\n$14\r\nunixsocketperm\r\n$3\r\n700\r\n');
    conn.close();
    // The TCP listener still works alongside.
    const tcp = await RawConnection.open('127.0.0.1', node.port);
    expect(await tcp.command(['AUTH', 'secret-pw'])).toBe('+OK\r\n');
    expect(await tcp.command(['GET', 'k'])).toBe('$1\r\nv\r\n');
    tcp.close();
    await node.close();
    node = null;
    expect(existsSync(path)).toBe(false);
  });

  it('is not subject to protected mode (a local connection)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'rctl-unix-')), 'node.sock');
    node = await startNode({ config: { unixsocket: path, 'protected-mode': 'yes' } });
    const conn = await RawConnection.openPath(path);
    expect(await conn.command(['PING'])).toBe('+PONG\r\n');
    conn.close();
  });
});
