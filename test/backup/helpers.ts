// Shared by the backup tests: a varied dataset, the --json result checked against its schema, and
// a fresh node (bundled or redis-server) started on a downloaded RDB placed as its dump.rdb.

import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { expect } from 'vitest';
import type { BackupResult } from '../../src/cluster/backup';
import { backupSchema, errorSchema } from '../../src/output/schemas';
import type { RunResult } from '../cli/helpers';
import { startNodeProcess } from '../helpers/bundled-node';
import { fillEveryType } from '../helpers/fill-data';
import { startRedisServer } from '../helpers/redis-server';
import { eventually } from '../helpers/wait';

/** Every type and encoding in dbs 0 and 3 (fillEveryType), plus db 7, expiring keys, and a WAIT so the replicas have it all. */
export async function fillVaried(host: string, port: number, password: string, replicas: number): Promise<void> {
  const client = new Redis({ host, port, password, lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  try {
    await fillEveryType(client);
    const p = client.pipeline();
    p.select(7);
    for (let i = 0; i < 300; i++) p.set(`db7:${i}`, `value-${i}`.repeat(1 + (i % 7)));
    for (let i = 0; i < 20; i++) p.set(`db7:ttl:${i}`, String(i), 'PX', 3_600_000 + i);
    p.zadd('db7:zset', '1.5', 'x', '-2', 'y');
    p.select(0);
    await p.exec();
    const acked = await client.wait(replicas, 10_000);
    expect(acked).toBe(replicas);
  } finally {
    client.disconnect();
  }
}

export function backupJson(result: RunResult): BackupResult {
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  const json = JSON.parse(result.stdout) as unknown;
  const parsed = backupSchema.safeParse(json);
  expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  return json as BackupResult;
}

/** The --json error, checked against its schema and against the process's own exit code. */
export function errorOf(result: RunResult): { code: string; message: string; exitCode: number } {
  const parsed = errorSchema.safeParse(JSON.parse(result.stdout));
  expect(parsed.success, `${result.stdout}\n${JSON.stringify(parsed.error?.issues)}`).toBe(true);
  const { error } = parsed.data!;
  expect(error.exitCode).toBe(result.code);
  return error;
}

export interface RestoredNode {
  host: string;
  port: number;
  stop(): Promise<void>;
}

/** A node that loads `rdb` at start: the bundled node, or the redis-server binary given. */
export async function restoreInto(rdb: string, server: { kind: 'bundled' } | { kind: 'redis'; binary?: string }): Promise<RestoredNode> {
  const dir = mkdtempSync(join(tmpdir(), 'rctl-restore-'));
  copyFileSync(rdb, join(dir, 'dump.rdb'));
  if (server.kind === 'bundled') {
    const node = await startNodeProcess(['--dir', dir, '--dbfilename', 'dump.rdb', '--save', '']);
    const probe = new Redis({ host: node.host, port: node.port, lazyConnect: true, maxRetriesPerRequest: 1 });
    await probe.connect();
    await eventually(async () => /loading:0/.test(await probe.info('persistence')), { what: 'the restored node to load' });
    probe.disconnect();
    return {
      host: node.host,
      port: node.port,
      stop: async () => {
        await node.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const redis = await startRedisServer({ binary: server.binary, directives: { dir, dbfilename: 'dump.rdb' } });
  return {
    host: redis.host,
    port: redis.port,
    stop: async () => {
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
