// Hand-run speed comparison of the RDB codec with redis-server 7.0 (not a test: no assertions,
// timings vary with the machine). Run:
//   npx esbuild test/rdb/perf/measure-rdb.ts --bundle --platform=node --outfile=/tmp/measure-rdb.js && node /tmp/measure-rdb.js [keys]
// It fills a real redis-server (DEBUG POPULATE for small string keys), times Redis's SAVE and a
// fresh redis-server's load of that file (from its log), then our reader on the same file (values
// discarded, and inserted into a Map as the node would) and our writer on the loaded data.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { Value } from '../../../src/server/keyspace/values';
import { databaseFromMaps, pipeRdb, RdbReader, writeRdbToBuffer } from '../../../src/server/rdb';
import { startRedisServer } from '../../helpers/redis-server';
import { startRedisOnRdb, waitUntilLoaded } from '../helpers';

async function timed<T>(label: string, run: () => Promise<T> | T): Promise<T> {
  const start = performance.now();
  const result = await run();
  console.log(`${label.padEnd(58)} ${(performance.now() - start).toFixed(0).padStart(6)} ms`);
  return result;
}

function loadWithOurReader(file: Buffer, chunkSize: number): Map<string, Value> {
  const data = new Map<string, Value>();
  const reader = new RdbReader({ onEntry: (_db, key, value) => data.set(key, value) });
  for (let i = 0; i < file.length; i += chunkSize) reader.write(file.subarray(i, i + chunkSize));
  reader.end();
  return data;
}

async function scenario(name: string, client: Redis, dir: string, fill: () => Promise<unknown>): Promise<void> {
  console.log(`\n== ${name}`);
  await client.flushall();
  await fill();
  await timed('redis SAVE', () => client.save());
  const file = readFileSync(join(dir, 'dump.rdb'));
  console.log(`${'file size'.padEnd(58)} ${(file.length / 1e6).toFixed(1).padStart(6)} MB`);
  const loader = await startRedisOnRdb(file);
  try {
    await waitUntilLoaded(loader);
    const seconds = /DB loaded from disk: ([\d.]+) seconds/.exec(loader.log())?.[1];
    console.log(`${'redis-server start-up load (its own log)'.padEnd(58)} ${(Number(seconds) * 1000).toFixed(0).padStart(6)} ms`);
  } finally {
    await loader.cleanup();
  }
  await timed('our reader, 64 KiB chunks, values discarded', () => {
    const reader = new RdbReader({ onEntry: () => {} });
    for (let i = 0; i < file.length; i += 65536) reader.write(file.subarray(i, i + 65536));
    reader.end();
  });
  let data = new Map<string, Value>();
  for (let round = 0; round < 2; round++) {
    data = await timed(`our reader, 64 KiB chunks, into a Map (run ${round + 1})`, () => loadWithOurReader(file, 65536));
  }
  await timed('our reader, 1 KiB chunks', () => loadWithOurReader(file, 1024));
  const db = databaseFromMaps(0, data, new Map());
  for (const compression of [true, false]) {
    await timed(`our writer, one buffer, compression ${compression ? 'on ' : 'off'}`, () => writeRdbToBuffer({ databases: [db] }, { compression }));
  }
  let bytes = 0;
  await timed('our writer, streaming (pipeRdb), compression on', () =>
    pipeRdb({ databases: [db] }, (chunk) => {
      bytes += chunk.length;
    }),
  );
  console.log(`${'our file size'.padEnd(58)} ${(bytes / 1e6).toFixed(1).padStart(6)} MB`);
}

async function main(): Promise<void> {
  const keys = Number(process.argv[2] ?? 1_000_000);
  const server = await startRedisServer({ directives: { 'enable-debug-command': 'yes' } });
  const client = new Redis({ host: server.host, port: server.port, lazyConnect: true });
  await client.connect();
  try {
    await scenario(`${keys} small string keys (DEBUG POPULATE)`, client, server.dir, () => client.call('DEBUG', 'POPULATE', String(keys)));
    await scenario(`${keys / 10} hashes of 10 fields`, client, server.dir, async () => {
      for (let base = 0; base < keys / 10; base += 10_000) {
        const p = client.pipeline();
        for (let i = base; i < base + 10_000; i++) p.hset(`h:${i}`, ...Array.from({ length: 10 }, (_, f) => [`field${f}`, `value-${i}-${f}`]).flat());
        await p.exec();
      }
    });
    await scenario('one list of 1M elements', client, server.dir, async () => {
      for (let base = 0; base < 1_000_000; base += 10_000) {
        await client.rpush('list', ...Array.from({ length: 10_000 }, (_, i) => `element-${base + i}`));
      }
    });
  } finally {
    client.disconnect();
    await server.stop();
  }
}

void main();
