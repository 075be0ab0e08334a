// CONFIG SET port / bind at run time: the node moves its listener as Redis 7.0 does, and a change
// it cannot bind is refused with Redis's error while the old listener keeps serving.

import { createServer, type Server as NetServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startNode } from '../helpers/bundled-node';
import { freePort } from '../helpers/ports';
import { RawConnection } from '../helpers/raw-connection';
import { connect as tlsConnect } from 'node:tls';
import { readFileSync } from 'node:fs';
import { makeTestCerts } from '../helpers/tls-certs';
import type { RunningServer } from '../../src/server/index';

function tlsPing(port: number, certs: { ca: string; cert: string; key: string }): Promise<string> {
  return new Promise((resolvePromise, rejectPromise) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ca: readFileSync(certs.ca), cert: readFileSync(certs.cert), key: readFileSync(certs.key), checkServerIdentity: () => undefined }, () => {
      socket.write('PING\r\n');
    });
    socket.once('data', (chunk) => {
      resolvePromise(chunk.toString());
      socket.destroy();
    });
    socket.once('error', rejectPromise);
  });
}

function refuses(host: string, port: number): Promise<boolean> {
  return RawConnection.open(host, port).then(
    (conn) => {
      conn.close();
      return false;
    },
    () => true,
  );
}

describe('CONFIG SET port and bind', () => {
  let node: RunningServer | null = null;
  let blocker: NetServer | null = null;
  afterEach(async () => {
    await node?.close();
    node = null;
    await new Promise<void>((done) => (blocker ? blocker.close(() => done()) : done()));
    blocker = null;
  });

  it('moves to the new port: it answers there and the old port refuses; connected clients stay', async () => {
    node = await startNode();
    const oldPort = node.port;
    const conn = await RawConnection.open('127.0.0.1', oldPort);
    const newPort = await freePort();
    expect(await conn.command(['CONFIG', 'SET', 'port', String(newPort)])).toBe('+OK\r\n');
    expect(await conn.command(['PING'])).toBe('+PONG\r\n');
    const moved = await RawConnection.open('127.0.0.1', newPort);
    expect(await moved.command(['CONFIG', 'GET', 'port'])).toBe(`*2\r\n$4\r\nport\r\n$${String(newPort).length}\r\n${newPort}\r\n`);
    moved.close();
    conn.close();
    expect(await refuses('127.0.0.1', oldPort)).toBe(true);
  });

  it('refuses a port that is taken, keeping the old one', async () => {
    node = await startNode();
    const takenPort = await freePort();
    blocker = createServer();
    await new Promise<void>((done) => blocker!.listen(takenPort, '127.0.0.1', () => done()));
    const conn = await RawConnection.open('127.0.0.1', node.port);
    expect(await conn.command(['CONFIG', 'SET', 'port', String(takenPort)])).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.\r\n",
    );
    expect(await conn.command(['CONFIG', 'GET', 'port'])).toBe(`*2\r\n$4\r\nport\r\n$${String(node.port).length}\r\n${node.port}\r\n`);
    conn.close();
    const again = await RawConnection.open('127.0.0.1', node.port);
    expect(await again.command(['PING'])).toBe('+PONG\r\n');
    again.close();
  });

  it('binds a second loopback address, and refuses an address the host does not have', async () => {
    node = await startNode();
    const conn = await RawConnection.open('127.0.0.1', node.port);
    expect(await conn.command(['CONFIG', 'SET', 'bind', '127.0.0.1 127.0.0.2'])).toBe('+OK\r\n');
    const second = await RawConnection.open('127.0.0.2', node.port);
    expect(await second.command(['PING'])).toBe('+PONG\r\n');
    second.close();
    expect(await conn.command(['CONFIG', 'SET', 'bind', '127.0.0.1 192.0.2.1'])).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified addresses.\r\n",
    );
    expect(await conn.command(['CONFIG', 'GET', 'bind'])).toBe('*2\r\n$4\r\nbind\r\n$19\r\n127.0.0.1 127.0.0.2\r\n');
    expect(await conn.command(['CONFIG', 'SET', 'bind', '127.0.0.2'])).toBe('+OK\r\n');
    conn.close();
    expect(await refuses('127.0.0.1', node.port)).toBe(true);
    const onlySecond = await RawConnection.open('127.0.0.2', node.port);
    expect(await onlySecond.command(['PING'])).toBe('+PONG\r\n');
    onlySecond.close();
  });

  it('opens tls-port at run time, and refuses a taken one with Redis error', async () => {
    const certs = makeTestCerts();
    node = await startNode({ config: { 'tls-cert-file': certs.cert, 'tls-key-file': certs.key, 'tls-ca-cert-file': certs.ca } });
    const conn = await RawConnection.open('127.0.0.1', node.port);
    const tlsPort = await freePort();
    expect(await conn.command(['CONFIG', 'SET', 'tls-port', String(tlsPort)])).toBe('+OK\r\n');
    expect(await tlsPing(tlsPort, certs)).toBe('+PONG\r\n');
    const takenPort = await freePort();
    blocker = createServer();
    await new Promise<void>((done) => blocker!.listen(takenPort, '127.0.0.1', () => done()));
    expect(await conn.command(['CONFIG', 'SET', 'tls-port', String(takenPort)])).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'tls-port') - Unable to update TLS configuration. Check server logs.\r\n",
    );
    expect(await tlsPing(tlsPort, certs)).toBe('+PONG\r\n');
    conn.close();
  });
});
