// rctl with a topology's tls section: `up` launches the nodes with TLS only (the declared port is
// the TLS port) and replication over TLS, and every rctl command talks TLS to them. Run with the
// bundled node and with real redis-server, through the built binary.

import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join, relative } from 'node:path';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNodeConfig } from '../../src/launch/node-config';
import type { TopologyNode } from '../../src/topology/model';
import { errorLines, isAlive, launchedPids, requireBuiltCli, sandbox, type Sandbox } from '../cli/helpers';
import { TopologyState } from '../../src/state/topology-state';
import { freePort } from '../helpers/ports';
import { describeWithRedis } from '../helpers/redis-server';
import { makeTestCerts, type TestCerts } from '../helpers/tls-certs';
import { eventually } from '../helpers/wait';

const NAMES = ['master', 'replica1', 'replica2'] as const;

/** What a plain-TCP client gets from the address: the reply to PING, or how the connection ended. */
function plainPing(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    const done = (outcome: string) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.on('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n')) done(`reply ${JSON.stringify(received)}`);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => done(`error ${error.code ?? error.message}`));
    socket.on('close', () => done(received === '' ? 'closed' : `reply ${JSON.stringify(received)}`));
  });
}

function tlsTopology(box: Sandbox, certs: TestCerts, launch: string, ports: Record<string, number>): string {
  // Relative paths, resolved against the topology file like auth.passwordFile.
  const rel = (path: string) => relative(box.dir, path);
  return box.topology(
    `tls-${launch}.yml`,
    `name: tls-${launch}
auth:
  password: "s3cret-tls"
tls:
  ca: ${rel(certs.ca)}
  cert: ${rel(certs.cert)}
  key: ${rel(certs.key)}
launch: ${launch}
nodes:
${NAMES.map((name) => `  - { name: ${name}, host: 127.0.0.1, port: ${ports[name]}, role: ${name === 'master' ? 'master' : 'replica'} }`).join('\n')}
`,
  );
}

function tlsSuite(launch: 'embedded' | 'redis-server'): void {
  let box: Sandbox;
  let certs: TestCerts;
  let file: string;
  const ports: Record<string, number> = {};
  const clients: Redis[] = [];

  function client(port: number): Redis {
    const redis = new Redis({
      host: '127.0.0.1',
      port,
      password: 's3cret-tls',
      tls: { ca: readFileSync(certs.ca), cert: readFileSync(certs.cert), key: readFileSync(certs.key), checkServerIdentity: () => undefined },
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on('error', () => {});
    clients.push(redis);
    return redis;
  }

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    certs = makeTestCerts();
    for (const name of NAMES) ports[name] = await freePort();
    file = tlsTopology(box, certs, launch, ports);
  });

  afterAll(() => {
    for (const redis of clients) redis.disconnect();
    box?.cleanup();
  });

  it('up launches TLS-only nodes that replicate over TLS; status, writes and down work over TLS', async () => {
    const up = await box.run(['up', '-t', file], { timeoutMs: 90_000 });
    expect(up.code, up.stderr).toBe(0);

    // Twice: the first run may do the full load, the second answers from the topology cache.
    for (let i = 0; i < 2; i++) {
      const status = await box.run(['status', '-t', file, '--json']);
      expect(status.code, status.stderr + status.stdout).toBe(0);
      const report = JSON.parse(status.stdout) as { healthy: boolean; master: string };
      expect(report.healthy).toBe(true);
      expect(report.master).toBe('master');
    }

    const master = client(ports.master);
    expect(await master.set('tls:key', 'over tls')).toBe('OK');
    for (const name of ['replica1', 'replica2']) {
      const replica = client(ports[name]);
      await eventually(async () => (await replica.get('tls:key')) === 'over tls', { what: `${name} has the key` });
      const info = await replica.info('replication');
      expect(info).toMatch(/^master_link_status:up\r?$/m);
      expect(info).toContain(`master_port:${ports.master}`);
    }

    for (const name of NAMES) {
      const outcome = await plainPing(ports[name]);
      expect(outcome, `${name}: a plain-TCP PING must not be answered`).not.toMatch(/PONG|NOAUTH/);
    }

    // The chain is verified: the same nodes behind a CA rctl was not given are refused.
    const strangerCa = makeTestCerts();
    const stranger = box.topology(`stranger-${launch}.yml`, readFileSync(file, 'utf8').replace(`ca: ${relative(box.dir, certs.ca)}`, `ca: ${strangerCa.ca}`));
    const refused = await box.run(['status', '-t', stranger, '--json']);
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stdout).toContain("does not verify against tls.ca");

    const pids = launchedPids(box.home);
    expect(pids).toHaveLength(3);
    const down = await box.run(['down', '-t', file], { timeoutMs: 60_000 });
    expect(down.code, down.stderr).toBe(0);
    await eventually(() => pids.every((pid) => !isAlive(pid)), { what: 'nodes stopped' });
  }, 180_000);
}

describe('rctl over TLS with launch: embedded', () => tlsSuite('embedded'));
describeWithRedis('rctl over TLS with launch: redis-server', () => tlsSuite('redis-server'));

describe('tls section errors', () => {
  let box: Sandbox;
  let certs: TestCerts;

  beforeAll(() => {
    requireBuiltCli();
    box = sandbox();
    certs = makeTestCerts();
  });
  afterAll(() => box?.cleanup());

  it('an unreadable tls.ca is a one-line error at that field, exit 2', async () => {
    const file = box.topology(
      'bad-ca.yml',
      `name: bad-ca
tls:
  ca: missing/ca.crt
  cert: ${certs.cert}
  key: ${certs.key}
nodes:
  - { name: master, host: 127.0.0.1, port: 7000, role: master }
`,
    );
    const result = await box.run(['status', '-t', file]);
    expect(result.code).toBe(2);
    const lines = errorLines(result.stderr);
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toContain('bad-ca.yml:3:');
    expect(lines[0]).toContain('tls.ca');
    expect(lines[0]).toContain('missing/ca.crt');
  });

  it('a key file given as the certificate is named as not a PEM certificate', async () => {
    const file = box.topology(
      'swapped.yml',
      `name: swapped
tls: { ca: ${certs.ca}, cert: ${certs.key}, key: ${certs.key} }
nodes:
  - { name: master, host: 127.0.0.1, port: 7000, role: master }
`,
    );
    const result = await box.run(['status', '-t', file]);
    expect(result.code).toBe(2);
    const lines = errorLines(result.stderr);
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toContain('tls.cert');
    expect(lines[0]).toContain('not a PEM certificate');
  });

  it('an unknown key under tls is located with the allowed keys', async () => {
    const file = box.topology(
      'typo.yml',
      `name: typo
tls: { ca: ${certs.ca}, cert: ${certs.cert}, key: ${certs.key}, caFile: x }
nodes:
  - { name: master, host: 127.0.0.1, port: 7000, role: master }
`,
    );
    const result = await box.run(['status', '-t', file]);
    expect(result.code).toBe(2);
    const lines = errorLines(result.stderr);
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toContain('tls.caFile');
    expect(lines[0]).toContain('allowed keys: ca, cert, key');
  });
});

describe('node config with tls', () => {
  it('makes the declared port the TLS port, and drops the TLS lines when the tls section goes away', () => {
    const paths = new TopologyState(mkdtempSync(join(tmpdir(), 'rctl-tls-conf-')), 'conf').nodePaths('n1');
    const plain: TopologyNode = { name: 'n1', host: '127.0.0.1', port: 7100, role: 'master', launch: 'redis-server', address: '127.0.0.1:7100', index: 0 };
    const tls = { ca: '/c/ca.crt', cert: '/c/node.crt', key: '/c/node.key' };
    writeNodeConfig({ ...plain, tls }, paths, null);
    const withTls = readFileSync(paths.config, 'utf8');
    expect(withTls).toMatch(/^port 0$/m);
    expect(withTls).toMatch(/^tls-port 7100$/m);
    expect(withTls).toMatch(/^tls-ca-cert-file "\/c\/ca.crt"$/m);
    expect(withTls).toMatch(/^tls-replication yes$/m);
    expect(withTls).toMatch(/^tls-auth-clients yes$/m);

    writeNodeConfig(plain, paths, null);
    const withoutTls = readFileSync(paths.config, 'utf8');
    expect(existsSync(paths.config)).toBe(true);
    expect(withoutTls).toMatch(/^port 7100$/m);
    expect(withoutTls).not.toMatch(/^(tls-|replica-announce-port)/m);
  });
});
