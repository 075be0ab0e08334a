// `rctl backup` from a set whose topology has a tls section: the download runs over TLS (the
// nodes listen on TLS only), authenticated like every other rctl connection, and the file restores.

import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Redis from 'ioredis';
import { afterAll, beforeAll, expect, it, describe } from 'vitest';
import { requireBuiltCli, sandbox, type Sandbox } from '../cli/helpers';
import { dumpKeyspace } from '../helpers/keyspace-dump';
import { freePort } from '../helpers/ports';
import { makeTestCerts, type TestCerts } from '../helpers/tls-certs';
import { backupJson, restoreInto } from './helpers';

const PASSWORD = 'tls-backup-0e77';

describe('rctl backup over TLS (bundled nodes)', () => {
  let box: Sandbox;
  let certs: TestCerts;
  let file: string;
  const ports: Record<string, number> = {};

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    certs = makeTestCerts();
    for (const name of ['master', 'slave1']) ports[name] = await freePort();
    const rel = (path: string) => relative(box.dir, path);
    file = box.topology(
      'tls-bk.yml',
      `name: tls-bk\nauth:\n  password: "${PASSWORD}"\ntls:\n  ca: ${rel(certs.ca)}\n  cert: ${rel(certs.cert)}\n  key: ${rel(certs.key)}\nlaunch: embedded\nnodes:\n` +
        `  - { name: master, host: 127.0.0.1, port: ${ports.master}, role: master }\n  - { name: slave1, host: 127.0.0.1, port: ${ports.slave1}, role: replica }\n`,
    );
    const up = await box.run(['up', '-t', file], { timeoutMs: 90_000 });
    expect(up.code, up.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    if (!box) return;
    await box.run(['down', '-t', file, '--timeout', '2']).catch(() => undefined);
    box.cleanup();
  });

  it('downloads the replica over TLS and the file restores key by key', async () => {
    const master = new Redis({
      host: '127.0.0.1',
      port: ports.master,
      password: PASSWORD,
      tls: { ca: readFileSync(certs.ca), cert: readFileSync(certs.cert), key: readFileSync(certs.key), checkServerIdentity: () => undefined },
      lazyConnect: true,
    });
    await master.connect();
    try {
      for (let i = 0; i < 50; i++) await master.hset(`tls:${i}`, 'n', String(i));
      expect(await master.wait(1, 10_000)).toBe(1);
    } finally {
      master.disconnect();
    }
    const out = join(box.dir, 'tls.rdb');
    const json = backupJson(await box.run(['backup', '-t', file, '--out', out, '--json']));
    expect(json.source.name).toBe('slave1');
    expect(json.keys.total).toBe(50);
    const node = await restoreInto(out, { kind: 'bundled' });
    try {
      const restored = await dumpKeyspace(node.host, node.port);
      expect(Object.keys(restored['0'])).toHaveLength(50);
      expect(restored['0']['tls:7']).toEqual({ type: 'hash', value: { n: '7' }, hasTtl: false });
    } finally {
      await node.stop();
    }
  });
});
