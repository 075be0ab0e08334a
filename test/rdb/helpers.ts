// Shared by the RDB tests: a comparable form of datasets, read either from the node's value types
// or from a real redis-server, and a way to start redis-server on a given RDB file.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Deque } from '../../src/server/keyspace/deque';
import { SortedSet } from '../../src/server/keyspace/sorted-set';
import type { Value } from '../../src/server/keyspace/values';
import { parseDouble } from '../../src/server/resp/numbers';
import { RdbReader } from '../../src/server/rdb/reader';
import { startRedisServer, type RedisProcess } from '../helpers/redis-server';

export type Plain =
  | { type: 'string'; value: string }
  | { type: 'list'; value: string[] }
  | { type: 'set'; value: string[] }
  | { type: 'hash'; value: Array<[string, string]> }
  | { type: 'zset'; value: Array<[string, number]> };

export interface PlainKey {
  data: Plain;
  /** Absolute unix ms, or null. */
  expireMs: number | null;
}

/** db index -> key -> value, every part sorted so that equal datasets compare equal. */
export type PlainKeyspace = Record<number, Record<string, PlainKey>>;

const byFirst = (a: [string, unknown], b: [string, unknown]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

export function plainValue(value: Value): Plain {
  if (typeof value === 'string') return { type: 'string', value };
  if (value instanceof Map) return { type: 'hash', value: [...value].sort(byFirst) };
  if (value instanceof Set) return { type: 'set', value: [...value].sort() };
  if (value instanceof Deque) return { type: 'list', value: value.toArray() };
  if (value instanceof SortedSet) return { type: 'zset', value: [...value.entries()] };
  throw new Error('unknown value type');
}

function sortKeyspace(keyspace: PlainKeyspace): PlainKeyspace {
  const out: PlainKeyspace = {};
  for (const db of Object.keys(keyspace).map(Number).sort((a, b) => a - b)) {
    const keys = Object.keys(keyspace[db]).sort();
    out[db] = {};
    for (const key of keys) out[db][key] = keyspace[db][key];
  }
  return out;
}

/** Everything a real redis-server holds, in the comparable form. */
export async function readRedisKeyspace(port: number, databases = 16): Promise<PlainKeyspace> {
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1, enableReadyCheck: false });
  await client.connect();
  try {
    const out: PlainKeyspace = {};
    for (let db = 0; db < databases; db++) {
      await client.select(db);
      const keys = await client.keysBuffer('*');
      if (keys.length === 0) continue;
      const dbOut: Record<string, PlainKey> = {};
      for (const k of keys) {
        const type = await client.type(k);
        let data: Plain;
        switch (type) {
          case 'string':
            data = { type, value: ((await client.getBuffer(k)) as Buffer).toString('latin1') };
            break;
          case 'list':
            data = { type, value: (await client.lrangeBuffer(k, 0, -1)).map((b) => b.toString('latin1')) };
            break;
          case 'set':
            data = { type, value: (await client.smembersBuffer(k)).map((b) => b.toString('latin1')).sort() };
            break;
          case 'hash': {
            const flat = (await client.callBuffer('HGETALL', k)) as Buffer[];
            const pairs: Array<[string, string]> = [];
            for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i].toString('latin1'), flat[i + 1].toString('latin1')]);
            data = { type, value: pairs.sort(byFirst) };
            break;
          }
          case 'zset': {
            const flat = (await client.callBuffer('ZRANGE', k, '0', '-1', 'WITHSCORES')) as Buffer[];
            const pairs: Array<[string, number]> = [];
            for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i].toString('latin1'), parseDouble(flat[i + 1].toString('latin1')) as number]);
            data = { type, value: pairs };
            break;
          }
          default:
            throw new Error(`unexpected type ${type}`);
        }
        const expire = Number(await client.call('PEXPIRETIME', k));
        dbOut[k.toString('latin1')] = { data, expireMs: expire >= 0 ? expire : null };
      }
      out[db] = dbOut;
    }
    return sortKeyspace(out);
  } finally {
    client.disconnect();
  }
}

/** What our reader produces from an RDB payload, fed in the given chunks. */
export function readWithOurReader(chunks: Iterable<Buffer>): { keyspace: PlainKeyspace; reader: RdbReader; aux: Map<string, string> } {
  const keyspace: PlainKeyspace = {};
  const aux = new Map<string, string>();
  const reader = new RdbReader({
    onAux: (name, value) => aux.set(name, value),
    onEntry: (db, key, value, expireMs) => {
      keyspace[db] ??= {};
      if (key in keyspace[db]) throw new Error(`duplicate key ${key}`);
      keyspace[db][key] = { data: plainValue(value), expireMs: expireMs ?? null };
    },
  });
  for (const chunk of chunks) reader.write(chunk);
  reader.end();
  return { keyspace: sortKeyspace(keyspace), reader, aux };
}

export function plainKeyspaceOf(databases: Array<{ index: number; data: Map<string, Value>; expires: Map<string, number> }>): PlainKeyspace {
  const out: PlainKeyspace = {};
  for (const db of databases) {
    if (db.data.size === 0) continue;
    out[db.index] = {};
    for (const [key, value] of db.data) out[db.index][key] = { data: plainValue(value), expireMs: db.expires.get(key) ?? null };
  }
  return sortKeyspace(out);
}

/** Splits a buffer into chunks of random sizes (deterministic for a seed). */
export function randomChunks(data: Buffer, maxChunk: number, seed: number): Buffer[] {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; ) {
    const size = 1 + Math.floor(next() * maxChunk);
    out.push(data.subarray(i, i + size));
    i += size;
  }
  return out;
}

/** Runs redis-check-rdb on a payload; returns its exit status and output. */
export function checkRdb(payload: Buffer): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rctl-rdbcheck-'));
  try {
    const file = join(dir, 'check.rdb');
    writeFileSync(file, payload);
    const result = spawnSync('redis-check-rdb', [file], { encoding: 'utf8' });
    return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts redis-server loading the given payload as its dump.rdb. */
export async function startRedisOnRdb(payload: Buffer, directives: Record<string, string> = {}): Promise<RedisProcess & { cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'rctl-rdbload-'));
  writeFileSync(join(dir, 'dump.rdb'), payload);
  const server = await startRedisServer({ directives: { dir, dbfilename: 'dump.rdb', ...directives } });
  return Object.assign(server, {
    async cleanup() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

/** Waits until redis-server has finished loading its dataset (it answers -LOADING before). */
export async function waitUntilLoaded(server: RedisProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const client = new Redis({ host: '127.0.0.1', port: server.port, lazyConnect: true, maxRetriesPerRequest: 0, enableReadyCheck: false, retryStrategy: () => null });
  try {
    await client.connect();
    for (;;) {
      try {
        await client.ping();
        return;
      } catch (error) {
        if (!/LOADING/.test(String(error)) || Date.now() > deadline) throw new Error(`${String(error)}\n${server.log()}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  } catch (error) {
    throw new Error(`redis-server did not load its dataset: ${String(error)}\n${server.log()}`);
  } finally {
    client.disconnect();
  }
}
