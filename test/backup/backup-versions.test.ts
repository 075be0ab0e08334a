// `rctl backup` from redis-server sets of every version rctl supports, launched by `rctl up`: the
// replica saving to disk and streaming diskless, both verified by rctl's reader and by the
// redis-check-rdb of the source's own version, and each restored key by key into that version.

import { join } from 'node:path';
import Redis from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { requireBuiltCli, sandbox, type Sandbox } from '../cli/helpers';
import { dumpKeyspace } from '../helpers/keyspace-dump';
import { freePort } from '../helpers/ports';
import { describeWithVersion, type MatrixVersion } from '../helpers/redis-versions';
import { eventually } from '../helpers/wait';
import { backupJson, fillVaried, restoreInto } from './helpers';

const PASSWORD = 'versions-backup-5d1e';

for (const version of ['5.0.14', '6.2.16', '7.2.6'] as const satisfies readonly MatrixVersion[]) {
  describeWithVersion(version, `rctl backup from redis-server ${version}`, (binaries) => {
    let box: Sandbox;
    let file: string;
    const ports: Record<string, number> = {};
    let expected: Awaited<ReturnType<typeof dumpKeyspace>>;

    const client = (node: string) => new Redis({ host: '127.0.0.1', port: ports[node], password: PASSWORD, lazyConnect: true, maxRetriesPerRequest: 1 });

    beforeAll(async () => {
      requireBuiltCli();
      box = sandbox();
      for (const node of ['master', 'slave1', 'slave2']) ports[node] = await freePort();
      const name = `bk${version.replace(/\./g, '')}`;
      file = box.topology(
        `${name}.yml`,
        `name: ${name}\nauth:\n  password: "${PASSWORD}"\nlaunch: redis-server\nredisServer: ${binaries.server}\nnodes:\n` +
          ['master', 'slave1', 'slave2'].map((node) => `  - { name: ${node}, host: 127.0.0.1, port: ${ports[node]}, role: ${node === 'master' ? 'master' : 'replica'} }`).join('\n') +
          '\n',
      );
      const up = await box.run(['up', file]);
      expect(up.code, up.stderr).toBe(0);
      await fillVaried('127.0.0.1', ports.master, PASSWORD, 2);
      expected = await dumpKeyspace('127.0.0.1', ports.master, PASSWORD);
    }, 120_000);

    afterAll(async () => {
      if (!box) return;
      await box.run(['down', '-t', file, '--timeout', '2']).catch(() => undefined);
      box.cleanup();
    });

    for (const transfer of ['disk', 'diskless'] as const) {
      it(`backs up from a replica saving ${transfer === 'disk' ? 'to disk' : 'diskless'}, verifies with ${version}'s redis-check-rdb, restores key by key`, async () => {
        const replica = client('slave1');
        await replica.connect();
        try {
          await replica.config('SET', 'repl-diskless-sync', transfer === 'diskless' ? 'yes' : 'no');
          await replica.config('SET', 'repl-diskless-sync-delay', '0');
        } finally {
          replica.disconnect();
        }
        const out = join(box.dir, `${transfer}.rdb`);
        const json = backupJson(await box.run(['backup', '-t', file, '--from', 'slave1', '--out', out, '--json'], { timeoutMs: 90_000 }));
        expect(json.transfer).toBe(transfer);
        expect(json.source).toMatchObject({ name: 'slave1', role: 'replica', version: binaries.fullVersion, master: 'master' });
        expect(json.verifiers).toEqual([
          expect.objectContaining({ name: 'rctl-reader', verdict: 'ok' }),
          expect.objectContaining({ name: 'redis-check-rdb', verdict: 'ok', path: join(binaries.dir, 'redis-check-rdb') }),
        ]);
        const node = await restoreInto(out, { kind: 'redis', binary: binaries.server });
        try {
          expect(await dumpKeyspace(node.host, node.port)).toEqual(expected);
        } finally {
          await node.stop();
        }
        // The replica lists no replica once the download is over.
        const source = client('slave1');
        await source.connect();
        try {
          await eventually(async () => /connected_slaves:0/.test(await source.info('replication')), { what: 'slave1 to list no replica' });
        } finally {
          source.disconnect();
        }
      }, 120_000);
    }
  });
}
