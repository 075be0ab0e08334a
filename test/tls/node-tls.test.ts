// TLS on the bundled node: tls-port with client certificates (tls-auth-clients), and replication
// over TLS (tls-replication) with real redis-server in both roles.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';
import Redis from 'ioredis';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { startNode } from '../helpers/bundled-node';
import { freePort } from '../helpers/ports';
import { eventually } from '../helpers/wait';
import { infoFields } from '../helpers/info';
import { makeTestCerts, type TestCerts } from '../helpers/tls-certs';
import type { RunningServer } from '../../src/server/index';

let certs: TestCerts;
const stops: Array<() => Promise<void> | void> = [];

function tlsClient(port: number, withCert = true): Redis {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    tls: {
      ca: readFileSync(certs.ca),
      cert: withCert ? readFileSync(certs.cert) : undefined,
      key: withCert ? readFileSync(certs.key) : undefined,
      checkServerIdentity: () => undefined,
    },
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  stops.push(() => client.disconnect());
  return client;
}

async function tlsNode(extra: Record<string, string | number> = {}): Promise<{ node: RunningServer; tlsPort: number }> {
  const tlsPort = await freePort();
  const node = await startNode({
    config: { 'tls-port': tlsPort, 'tls-cert-file': certs.cert, 'tls-key-file': certs.key, 'tls-ca-cert-file': certs.ca, 'repl-diskless-sync-delay': 0, ...extra },
    keepLog: true,
  });
  stops.push(() => node.close());
  return { node, tlsPort };
}

async function tlsRedis(extra: Record<string, string> = {}): Promise<{ redis: RedisProcess; tlsPort: number }> {
  const tlsPort = await freePort();
  const redis = await startRedisServer({
    directives: { 'tls-port': String(tlsPort), 'tls-cert-file': certs.cert, 'tls-key-file': certs.key, 'tls-ca-cert-file': certs.ca, 'tls-replication': 'yes', 'repl-diskless-sync-delay': '0', ...extra },
  });
  stops.push(() => redis.stop());
  return { redis, tlsPort };
}

beforeAll(() => {
  certs = makeTestCerts();
});
afterAll(async () => {
  while (stops.length > 0) await stops.pop()?.();
  rmSync(certs.dir, { recursive: true, force: true });
});

describeWithRedis('TLS', () => {
  it('serves clients on tls-port and requires a client certificate with tls-auth-clients yes', async () => {
    const { tlsPort } = await tlsNode();
    const client = tlsClient(tlsPort);
    expect(await client.ping()).toBe('PONG');
    expect(await client.set('k', 'v')).toBe('OK');
    const refused = await new Promise<string>((resolve) => {
      const socket = tlsConnect({ host: '127.0.0.1', port: tlsPort, ca: readFileSync(certs.ca), checkServerIdentity: () => undefined });
      socket.on('secureConnect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
      socket.on('data', (data) => resolve(`answered ${data.toString()}`));
      socket.on('error', (error) => resolve(`error ${error.message}`));
      socket.on('close', () => resolve('closed'));
    });
    expect(refused).not.toContain('PONG');
  });

  it('accepts clients without a certificate when tls-auth-clients no', async () => {
    const { tlsPort } = await tlsNode({ 'tls-auth-clients': 'no' });
    expect(await tlsClient(tlsPort, false).ping()).toBe('PONG');
  });

  it('replicates over TLS from a real redis-server master', async () => {
    const { redis, tlsPort } = await tlsRedis();
    const master = tlsClient(tlsPort);
    await master.set('over', 'tls');
    const { tlsPort: replicaTlsPort } = await tlsNode({ 'tls-replication': 'yes' });
    const replica = tlsClient(replicaTlsPort);
    await replica.replicaof('127.0.0.1', tlsPort);
    await eventually(async () => (await replica.get('over')) === 'tls', { what: 'data over TLS' });
    await master.set('stream', 'tls');
    await eventually(async () => (await replica.get('stream')) === 'tls', { what: 'stream over TLS' });
    expect((await infoFields(replica)).master_link_status).toBe('up');
    void redis;
  });

  it('serves a real redis-server replica over TLS', async () => {
    const { tlsPort } = await tlsNode({ 'tls-replication': 'yes' });
    const master = tlsClient(tlsPort);
    await master.set('from', 'bundled');
    const { tlsPort: replicaTlsPort } = await tlsRedis();
    const replica = tlsClient(replicaTlsPort);
    await replica.replicaof('127.0.0.1', tlsPort);
    await eventually(async () => (await replica.get('from')) === 'bundled', { what: 'full sync over TLS' });
    await master.set('later', 'yes');
    await eventually(async () => (await replica.get('later')) === 'yes', { what: 'stream over TLS' });
  });
});
