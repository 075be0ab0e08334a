// The bundled node in replication with real Redis 5.0, 6.2, 7.0 and 7.2 (issue 12):
// - as a replica of a real 5.0 / 6.2 / 7.2 master: full syncs from their RDBs (v9 with ziplists and
//   quicklist v1, v11 with listpack sets and plain quicklist nodes, every encoding boundary, LRU/LFU
//   opcodes, Lua AUX fields), over disk and socket, the stream, WAIT, then partial resyncs after a
//   cut from either side; what it cannot hold (function libraries) fails the sync cleanly
//   with a log line and keeps the replica's data;
// - PSYNC2 across failovers in a set of a real master, a real replica and the bundled node, each of
//   the three promoted in turn: the two others continue with partial resyncs; FAILOVER TO (6.2+);
// - as the master of real 7.0 / 7.2 replicas (RDB v10): full syncs (socket, disk, swapdb), partial
//   resyncs after a cut;
// - as the master of a 6.2 or 5.0 replica, which cannot load RDB v10, exactly as with a real 7.0
//   master.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import Redis from 'ioredis';
import { startRedisServer } from '../helpers/redis-server';
import { startNode } from '../helpers/bundled-node';
import { describeWithVersion, redisBinaries, type RedisBinaries } from '../helpers/redis-versions';
import { dumpKeyspace } from '../helpers/keyspace-dump';
import { fillEveryType } from '../helpers/fill-data';
import { infoFields as info, waitReplicaInSync } from '../helpers/info';
import { eventually } from '../helpers/wait';
import { RdbReader } from '../../src/server/rdb/reader';
import {
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_HASH_ZIPLIST,
  RDB_TYPE_LIST_QUICKLIST,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_SET_LISTPACK,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK,
  RDB_TYPE_ZSET_ZIPLIST,
} from '../../src/server/rdb/constants';

const PASSWORD = '123456';

interface TestNode {
  label: string;
  host: string;
  port: number;
  client: Redis;
  /** The real server's data dir (where its dump.rdb lands); '' for the bundled node. */
  dir: string;
  log(): string;
}

/** Starts nodes for one describe block, all stopped in its afterAll. Every node has the seeds' password. */
function nodeSet() {
  const stops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    await Promise.all(stops.splice(0).map((stop) => stop()));
  });
  const clientFor = (host: string, port: number) => {
    const client = new Redis({ host, port, password: PASSWORD, maxRetriesPerRequest: 2 });
    client.on('error', () => undefined);
    return client;
  };
  return {
    async real(binaries: RedisBinaries, directives: Record<string, string> = {}): Promise<TestNode> {
      const proc = await startRedisServer({
        binary: binaries.server,
        directives: { requirepass: PASSWORD, masterauth: PASSWORD, 'repl-diskless-sync-delay': '0', ...directives },
      });
      const client = clientFor(proc.host, proc.port);
      stops.push(async () => {
        client.disconnect();
        await proc.stop();
      });
      return { label: `redis ${binaries.version}`, host: proc.host, port: proc.port, client, dir: proc.dir, log: () => proc.log() };
    },
    async bundled(config: Record<string, string | number> = {}): Promise<TestNode> {
      const node = await startNode({
        config: { requirepass: PASSWORD, masterauth: PASSWORD, 'repl-diskless-sync-delay': 0, ...config },
        keepLog: true,
      });
      const client = clientFor(node.host, node.port);
      stops.push(async () => {
        client.disconnect();
        await node.close();
      });
      return { label: 'bundled', host: node.host, port: node.port, client, dir: '', log: () => node.server.logger.memory?.join('\n') ?? '' };
    },
  };
}

const dump = (node: TestNode) => dumpKeyspace(node.host, node.port, PASSWORD);

async function expectSameData(reference: TestNode, ...others: TestNode[]): Promise<void> {
  const expected = await dump(reference);
  expect(Object.keys(expected).length).toBeGreaterThan(0);
  for (const other of others) expect(await dump(other), `${other.label} holds what ${reference.label} holds`).toEqual(expected);
}

async function stats(node: TestNode): Promise<{ full: number; partialOk: number; partialErr: number }> {
  const s = await info(node.client, 'stats');
  return { full: Number(s.sync_full), partialOk: Number(s.sync_partial_ok), partialErr: Number(s.sync_partial_err) };
}

/** Polls until `text()` contains `needle` at least `times` times. */
async function logged(text: () => string, needle: string, times = 1, what = needle): Promise<void> {
  await eventually(() => text().split(needle).length - 1 >= times, { what, timeout: 15_000 });
}

/** RDB version and key counts per RDB type of a file, read with the node's own reader. */
function rdbTypes(path: string): { version: number; types: number[] } {
  const reader = new RdbReader({ onEntry: () => undefined });
  reader.write(readFileSync(path));
  reader.end();
  return { version: reader.version, types: [...reader.typeCounts] };
}

/** Writes that every version from 5.0 on applies the same way, whatever form the master propagates. */
async function writePlain(client: Redis, tag: string): Promise<void> {
  const p = client.pipeline();
  p.select(2);
  p.set(`${tag}:str`, 'v');
  p.incrby(`${tag}:counter`, 41);
  p.rpush(`${tag}:list`, 'a', 'b', 'c');
  p.hset(`${tag}:hash`, 'f', '1', 'g', '2');
  p.sadd(`${tag}:set`, '1', 'x');
  p.zadd(`${tag}:zset`, '1.5', 'm');
  p.select(0);
  p.del('str:small');
  p.lpop('list:large');
  await p.exec();
}

/**
 * Values at the boundaries of the embedded encodings, in small collections so they stay embedded:
 * every ziplist/listpack integer width (4/7/12/13-bit, 16, 24, 32, 64), string-length headers
 * (6/12/14-bit and 32-bit), intsets of each width, almost-integers that must stay strings, empty
 * strings, scores of every kind, and collections one element either side of the size limits.
 */
async function fillEncodingEdges(client: Redis, prefix = 'edge:'): Promise<void> {
  const ints = ['0', '12', '-1', '127', '128', '-4096', '4095', '32767', '-32768', '8388607', '-8388608', '2147483647', '-2147483648', '4294967296', '9223372036854775807', '-9223372036854775808'];
  const notInts = ['9223372036854775808', '007', '+1', ' 1', '-0', '1.5', '1e3', '0x10', ''];
  const lengths = [63, 64, 127, 4095, 4096, 16383, 16384].map((n) => String.fromCharCode(97 + (n % 26)).repeat(n));
  const p = client.pipeline();
  p.select(15);
  p.rpush(`${prefix}list:ints`, ...ints);
  p.rpush(`${prefix}list:strings`, ...notInts, ...lengths);
  p.hset(`${prefix}hash:ints`, ...ints.flatMap((v, i) => [`f${i}`, v]));
  p.hset(`${prefix}hash:strings`, ...notInts.flatMap((v, i) => [v, `v${i}`]), 'long', 'x'.repeat(60));
  p.sadd(`${prefix}set:int16`, '1', '-2', '32767');
  p.sadd(`${prefix}set:int32`, '1', '2147483647', '-2147483648');
  p.sadd(`${prefix}set:int64`, '1', '-9223372036854775808', '9223372036854775807');
  p.sadd(`${prefix}set:mixed`, '1', 'one', '');
  p.sadd(`${prefix}set:intset-limit`, ...Array.from({ length: 512 }, (_, i) => String(i - 256)));
  p.sadd(`${prefix}set:intset-over`, ...Array.from({ length: 513 }, (_, i) => String(i - 256)));
  p.sadd(`${prefix}set:listpack-limit`, ...Array.from({ length: 128 }, (_, i) => `s${i}`));
  p.sadd(`${prefix}set:listpack-over`, ...Array.from({ length: 129 }, (_, i) => `s${i}`));
  p.hset(`${prefix}hash:limit`, ...Array.from({ length: 128 }, (_, i) => [`f${i}`, String(i)]).flat());
  p.hset(`${prefix}hash:over`, ...Array.from({ length: 129 }, (_, i) => [`f${i}`, String(i)]).flat());
  p.zadd(`${prefix}zset:scores`, '0', 'zero', '-0.5', 'neg', '1e300', 'huge', '-inf', 'minf', '3.141592653589793', 'pi', '4294967296', 'big', '0.1', '');
  p.zadd(`${prefix}zset:limit`, ...Array.from({ length: 128 }, (_, i) => [String(i * 1.25), `m${i}`]).flat());
  p.zadd(`${prefix}zset:over`, ...Array.from({ length: 129 }, (_, i) => [String(-i), `m${i}`]).flat());
  p.set(`${prefix}empty`, '');
  p.set('', 'empty key');
  for (const [i, v] of [...ints, ...notInts].entries()) p.set(`${prefix}str:${i}`, v);
  p.select(0);
  await p.exec();
}

// ------------------------------------------------------------------------------------------------
// 1. The bundled node as a replica of a real master.

const ENCODINGS: Record<string, { rdbVersion: number; types: number[]; absent: number[] }> = {
  // 5.0 and 6.2: ziplists for small hashes and zsets, quicklist v1, intsets, hashtables.
  '5.0.14': {
    rdbVersion: 9,
    types: [RDB_TYPE_STRING, RDB_TYPE_LIST_QUICKLIST, RDB_TYPE_SET, RDB_TYPE_SET_INTSET, RDB_TYPE_HASH, RDB_TYPE_HASH_ZIPLIST, RDB_TYPE_ZSET_2, RDB_TYPE_ZSET_ZIPLIST],
    absent: [RDB_TYPE_LIST_QUICKLIST_2, RDB_TYPE_HASH_LISTPACK, RDB_TYPE_ZSET_LISTPACK, RDB_TYPE_SET_LISTPACK],
  },
  '6.2.16': {
    rdbVersion: 9,
    types: [RDB_TYPE_STRING, RDB_TYPE_LIST_QUICKLIST, RDB_TYPE_SET, RDB_TYPE_SET_INTSET, RDB_TYPE_HASH, RDB_TYPE_HASH_ZIPLIST, RDB_TYPE_ZSET_2, RDB_TYPE_ZSET_ZIPLIST],
    absent: [RDB_TYPE_LIST_QUICKLIST_2, RDB_TYPE_HASH_LISTPACK, RDB_TYPE_ZSET_LISTPACK, RDB_TYPE_SET_LISTPACK],
  },
  // 7.2: listpacks everywhere, small sets included (type 20), quicklist v2.
  '7.2.6': {
    rdbVersion: 11,
    types: [RDB_TYPE_STRING, RDB_TYPE_LIST_QUICKLIST_2, RDB_TYPE_SET, RDB_TYPE_SET_INTSET, RDB_TYPE_SET_LISTPACK, RDB_TYPE_HASH, RDB_TYPE_HASH_LISTPACK, RDB_TYPE_ZSET_2, RDB_TYPE_ZSET_LISTPACK],
    absent: [RDB_TYPE_LIST_QUICKLIST, RDB_TYPE_HASH_ZIPLIST, RDB_TYPE_ZSET_ZIPLIST],
  },
};

for (const version of ['5.0.14', '6.2.16', '7.2.6'] as const) {
  describeWithVersion(version, `versions: bundled replica of a real ${version} master`, (binaries) => {
    const nodes = nodeSet();
    let master: TestNode;
    let replica: TestNode;
    const inSync = () => waitReplicaInSync(master.client, replica.client, { what: `bundled replica in sync with ${version}`, timeout: 15_000 });

    beforeAll(async () => {
      // list-compress-depth 1: inner quicklist nodes are LZF-compressed in the RDB too. An LRU or
      // LFU policy puts an IDLE or FREQ opcode before every key.
      const policy = version === '6.2.16' ? 'allkeys-lfu' : 'allkeys-lru';
      [master, replica] = await Promise.all([
        nodes.real(binaries, { 'repl-diskless-sync': 'no', 'list-compress-depth': '1', 'maxmemory-policy': policy, ...(version === '7.2.6' ? { 'enable-debug-command': 'yes' } : {}) }),
        nodes.bundled(),
      ]);
      if (version === '7.2.6') {
        // Elements over this size get a quicklist node of their own, saved as a PLAIN container.
        await master.client.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '1000');
      }
      await fillEveryType(master.client);
      await fillEncodingEdges(master.client);
      await replica.client.set('replica-only', 'gone after the full sync');
    });

    it(`full sync over disk from an RDB v${ENCODINGS[version].rdbVersion} with every encoding`, async () => {
      await replica.client.replicaof(master.host, master.port);
      await inSync();
      expect(replica.log()).toMatch(/MASTER <-> REPLICA sync: receiving \d+ bytes from master to disk/);
      expect(replica.log()).toContain(`Loading RDB produced by version ${version}`);
      expect(replica.log()).toContain('MASTER <-> REPLICA sync: Finished with success');
      // What the master sent is what it saved in its dir: check it holds the encodings under test.
      const file = rdbTypes(join(master.dir, 'dump.rdb'));
      expect(file.version).toBe(ENCODINGS[version].rdbVersion);
      for (const type of ENCODINGS[version].types) expect(file.types[type], `RDB type ${type} in ${version}'s file`).toBeGreaterThan(0);
      for (const type of ENCODINGS[version].absent) expect(file.types[type], `RDB type ${type} in ${version}'s file`).toBe(0);
      await expectSameData(master, replica);
      expect(await replica.client.exists('replica-only')).toBe(0);
      const r = await info(replica.client);
      expect(r.role).toBe('slave');
      expect(r.master_replid).toBe((await info(master.client)).master_replid);
      expect((await stats(master)).full).toBe(1);
    });

    it('applies the stream of every type, acknowledges WAIT and is read-only', async () => {
      await fillEveryType(master.client, 'streamed:');
      await writePlain(master.client, 'plain');
      // Scripts reach the replica as their effects (MULTI/EXEC); 5.0 and 6.2 also propagate
      // SCRIPT LOAD and keep their scripts in the RDB as "lua" AUX fields for the next full sync.
      await master.client.eval("redis.call('set', KEYS[1], ARGV[1]); return redis.call('incr', KEYS[2])", 2, 'lua:set', 'lua:counter', 'v');
      await master.client.script('LOAD', 'return 1');
      await inSync();
      await expectSameData(master, replica);
      // REPLCONF GETACK in the stream, answered with REPLCONF ACK.
      expect(await master.client.wait(1, 5000)).toBe(1);
      expect((await info(replica.client)).slave_read_only).toBe('1');
      await expect(replica.client.set('k', 'v')).rejects.toThrow("READONLY You can't write against a read only replica.");
    });

    it('continues with a partial resync after the master cuts the link', async () => {
      const before = await stats(master);
      await master.client.call('CLIENT', 'KILL', 'TYPE', 'slave');
      await master.client.set('after-master-cut', '1');
      await inSync();
      expect(await replica.client.get('after-master-cut')).toBe('1');
      const after = await stats(master);
      expect(after.partialOk).toBe(before.partialOk + 1);
      expect(after.full).toBe(before.full);
    });

    it('continues with a partial resync after the replica cuts the link', async () => {
      const before = await stats(master);
      await replica.client.call('CLIENT', 'KILL', 'TYPE', 'master');
      await master.client.set('after-replica-cut', '1');
      await inSync();
      expect(await replica.client.get('after-replica-cut')).toBe('1');
      const after = await stats(master);
      expect(after.partialOk).toBe(before.partialOk + 1);
      expect(after.full).toBe(before.full);
      await expectSameData(master, replica);
    });

    it('full sync over a diskless (socket) transfer', async () => {
      await master.client.config('SET', 'repl-diskless-sync', 'yes');
      // Promoted, the bundled node gets a new replication ID the master never issued: a full sync follows.
      await replica.client.replicaof('NO', 'ONE');
      await replica.client.set('replica-only', 'gone after the full sync');
      await fillEveryType(master.client, 'diskless:');
      const before = await stats(master);
      await replica.client.replicaof(master.host, master.port);
      await inSync();
      expect(replica.log()).toContain('MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk');
      expect((await stats(master)).full).toBe(before.full + 1);
      await expectSameData(master, replica);
      expect(await replica.client.exists('replica-only')).toBe(0);
    });

    it('a stream in the RDB (type 15, or 21 from 7.2) loads in the full sync, with 7.2 function libraries', async () => {
      await replica.client.replicaof('NO', 'ONE');
      await master.client.xadd('stream', '1-1', 'field', 'value');
      await master.client.xadd('stream', '2-1', 'other', 'value');
      await master.client.xgroup('CREATE', 'stream', 'g', '0');
      await master.client.xreadgroup('GROUP', 'g', 'c', 'COUNT', '1', 'STREAMS', 'stream', '>');
      if (version === '7.2.6') {
        // Function libraries travel in the RDB since 7.0: the node loads them with the keyspace.
        await master.client.call('FUNCTION', 'LOAD', "#!lua name=lib\nredis.register_function{function_name='one', callback=function() return 1 end, flags={'no-writes'}}");
      }
      await replica.client.replicaof(master.host, master.port);
      await inSync();
      await expectSameData(master, replica);
      expect(await replica.client.call('XPENDING', 'stream', 'g')).toEqual(await master.client.call('XPENDING', 'stream', 'g'));
      // name, consumers, pending, last-delivered-id: the fields every version shows.
      const groups = async (client: Redis) => ((await client.call('XINFO', 'GROUPS', 'stream')) as unknown[][]).map((group) => group.slice(0, 8));
      expect(await groups(replica.client)).toEqual(await groups(master.client));
      if (version === '7.2.6') {
        expect(await replica.client.call('FCALL_RO', 'one', '0')).toBe(1);
        expect(await replica.client.call('FUNCTION', 'LIST', 'WITHCODE')).toEqual(await master.client.call('FUNCTION', 'LIST', 'WITHCODE'));
        await master.client.call('FUNCTION', 'FLUSH');
      }
      await master.client.del('stream');
      await inSync();
    });
  });
}

// ------------------------------------------------------------------------------------------------
// 2. PSYNC2 across failovers: a real master M with a bundled replica B and a real replica R.

for (const version of ['5.0.14', '6.2.16', '7.2.6'] as const) {
  describeWithVersion(version, `versions: PSYNC2 failovers between the bundled node and real ${version}`, (binaries) => {
    const nodes = nodeSet();
    // No keepalive PINGs: a PING a master sends after one of its replicas was promoted, and before
    // it is itself repointed, would put its replicas past the promoted one's offset, and Redis
    // would then (rightly) answer them with a full sync. A manual failover is done between pings.
    const noPings = { 'repl-ping-replica-period': '3600' };
    let m: TestNode;
    let b: TestNode;
    let r: TestNode;

    beforeAll(async () => {
      [m, b, r] = await Promise.all([nodes.real(binaries, noPings), nodes.bundled({ 'repl-ping-replica-period': 3600 }), nodes.real(binaries, noPings)]);
      await fillEveryType(m.client);
      await Promise.all([b.client.replicaof(m.host, m.port), r.client.replicaof(m.host, m.port)]);
      await Promise.all([waitReplicaInSync(m.client, b.client), waitReplicaInSync(m.client, r.client)]);
      await writePlain(m.client, 'before-failover');
      await Promise.all([waitReplicaInSync(m.client, b.client), waitReplicaInSync(m.client, r.client)]);
    });

    /** Promotes `promoted`, repoints the two others at it, and checks they both continued partially. */
    async function failOverTo(promoted: TestNode, others: TestNode[], tag: string): Promise<void> {
      const before = await stats(promoted);
      await promoted.client.replicaof('NO', 'ONE');
      await Promise.all(others.map((node) => node.client.replicaof(promoted.host, promoted.port)));
      await Promise.all(others.map((node) => waitReplicaInSync(promoted.client, node.client, { what: `${node.label} following ${promoted.label}` })));
      const after = await stats(promoted);
      expect(after.partialOk, `partial resyncs accepted by ${promoted.label}`).toBe(before.partialOk + 2);
      expect(after.full, `full syncs served by ${promoted.label}`).toBe(before.full);
      expect(after.partialErr).toBe(before.partialErr);
      const promotedInfo = await info(promoted.client);
      expect(promotedInfo.role).toBe('master');
      expect(promotedInfo.connected_slaves).toBe('2');
      for (const node of others) expect((await info(node.client)).master_replid).toBe(promotedInfo.master_replid);
      await writePlain(promoted.client, tag);
      await Promise.all(others.map((node) => waitReplicaInSync(promoted.client, node.client)));
      await expectSameData(promoted, ...others);
    }

    it('the bundled replica is promoted: the real master and replica continue with partial resyncs', async () => {
      await failOverTo(b, [m, r], 'after-b');
      expect(b.log()).toMatch(/Setting secondary replication ID to [0-9a-f]{40}, valid up to offset: \d+/);
      expect(m.log()).toContain('Successful partial resynchronization with master.');
      expect(r.log()).toContain('Successful partial resynchronization with master.');
    });

    it('the real replica is promoted: the bundled node, a demoted master, continues with a partial resync', async () => {
      await failOverTo(r, [b, m], 'after-r');
      expect(b.log()).toContain('Before turning into a replica, using my own master parameters to synthesize a cached master');
    });

    it('the old master is promoted back: the bundled node, a replica, continues from its cached master', async () => {
      const partialBefore = (b.log().match(/Successful partial resynchronization with master\./g) ?? []).length;
      await failOverTo(m, [b, r], 'after-m');
      expect((b.log().match(/Successful partial resynchronization with master\./g) ?? []).length).toBe(partialBefore + 1);
      expect(b.log()).toMatch(/Master replication ID changed to [0-9a-f]{40}/);
    });

    if (version !== '5.0.14') {
      // FAILOVER (6.2+): the old master pauses writes, waits for the target, then PSYNCs it with FAILOVER.
      async function failoverCommand(from: TestNode, to: TestNode): Promise<void> {
        const before = await stats(to);
        expect(await from.client.call('FAILOVER', 'TO', to.host, String(to.port), 'TIMEOUT', '5000')).toBe('OK');
        await eventually(async () => (await info(to.client)).role === 'master' && (await info(from.client)).master_failover_state === 'no-failover', {
          what: `FAILOVER from ${from.label} to ${to.label}`,
        });
        await waitReplicaInSync(to.client, from.client);
        const after = await stats(to);
        expect(after.partialOk).toBeGreaterThan(before.partialOk);
        expect(after.full).toBe(before.full);
        await writePlain(to.client, `failover-to-${to.label}`);
        await waitReplicaInSync(to.client, from.client);
        await waitReplicaInSync(from.client, r.client);
        await expectSameData(to, from, r);
      }

      it('FAILOVER TO hands the role to the bundled node and back, with partial resyncs', async () => {
        const warnings: string[] = [];
        const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
        process.on('warning', onWarning);
        try {
          // r stays a replica of m, and follows it down the chain when m becomes a replica.
          await failoverCommand(m, b);
          await failoverCommand(b, m);
        } finally {
          process.off('warning', onWarning);
        }
        // The bundled node's pause has no deadline of its own: it must not spin a 1 ms timer.
        expect(warnings).toEqual([]);
      });
    }
  });
}

// ------------------------------------------------------------------------------------------------
// 3. Real 7.0 and 7.2 replicas of a bundled master (RDB v10).

for (const version of ['7.0', '7.2.6'] as const) {
  describeWithVersion(version, `versions: real ${version} replica of a bundled master`, (binaries) => {
    const nodes = nodeSet();
    let master: TestNode;
    let replica: TestNode;
    const inSync = () => waitReplicaInSync(master.client, replica.client, { what: `${version} replica in sync`, timeout: 15_000 });

    beforeAll(async () => {
      [master, replica] = await Promise.all([nodes.bundled({ 'repl-diskless-sync': 'yes' }), nodes.real(binaries)]);
      await fillEveryType(master.client);
      await fillEncodingEdges(master.client);
    });

    async function expectRdbV10OnReplica(): Promise<void> {
      // Without repl-diskless-load, the replica stores the payload as its dump.rdb before loading it.
      const header = readFileSync(join(replica.dir, 'dump.rdb')).subarray(0, 9).toString('latin1');
      expect(header).toBe('REDIS0010');
    }

    it('full sync over a socket transfer', async () => {
      await replica.client.replicaof(master.host, master.port);
      await inSync();
      expect(replica.log()).toContain('MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk');
      expect(replica.log()).toContain('MASTER <-> REPLICA sync: Finished with success');
      await expectRdbV10OnReplica();
      expect((await stats(master)).full).toBe(1);
      await expectSameData(master, replica);
    });

    it('full sync over disk', async () => {
      await master.client.config('SET', 'repl-diskless-sync', 'no');
      await replica.client.replicaof('NO', 'ONE');
      await replica.client.set('replica-only', 'gone after the full sync');
      await fillEveryType(master.client, 'disk:');
      await replica.client.replicaof(master.host, master.port);
      await inSync();
      expect(replica.log()).toMatch(/MASTER <-> REPLICA sync: receiving \d+ bytes from master to disk/);
      await expectRdbV10OnReplica();
      expect((await stats(master)).full).toBe(2);
      await expectSameData(master, replica);
    });

    it('full sync loaded straight from the socket (repl-diskless-load swapdb)', async () => {
      await master.client.config('SET', 'repl-diskless-sync', 'yes');
      await replica.client.config('SET', 'repl-diskless-load', 'swapdb');
      await replica.client.replicaof('NO', 'ONE');
      await fillEveryType(master.client, 'socket:');
      await replica.client.replicaof(master.host, master.port);
      await inSync();
      expect(replica.log()).toContain('MASTER <-> REPLICA sync: Loading DB in memory');
      expect(replica.log()).toMatch(/Loading RDB produced by version [\d.]+/);
      expect((await stats(master)).full).toBe(3);
      await expectSameData(master, replica);
    });

    for (const side of ['master', 'replica'] as const) {
      it(`continues with a partial resync after the ${side} cuts the link`, async () => {
        const before = await stats(master);
        if (side === 'master') await master.client.call('CLIENT', 'KILL', 'TYPE', 'replica');
        else await replica.client.call('CLIENT', 'KILL', 'TYPE', 'master');
        await fillEveryType(master.client, `after-${side}-cut:`);
        await inSync();
        const after = await stats(master);
        expect(after.partialOk).toBe(before.partialOk + 1);
        expect(after.full).toBe(before.full);
        await expectSameData(master, replica);
      });
    }
  });
}

// ------------------------------------------------------------------------------------------------
// 4. What cannot work with real Redis either: 6.2 and 5.0 read RDB versions up to 9 only, and
//    both the bundled node and a real 7.0 master write version 10.

describeWithVersion('6.2.16', 'versions: 6.2 and 5.0 replicas of an RDB v10 master', (binaries62) => {
  const nodes = nodeSet();
  const binaries50 = redisBinaries('5.0.14');
  const binaries70 = redisBinaries('7.0');
  const replicaVersions = [binaries62, ...(typeof binaries50 === 'string' ? [] : [binaries50])];

  it(`a ${replicaVersions.map((b) => b.version).join(' or ')} replica refuses the RDB on every attempt and never links, as with a real 7.0 master`, async () => {
    const masters = await Promise.all([nodes.bundled(), ...(typeof binaries70 === 'string' ? [] : [nodes.real(binaries70)])]);
    const pairs = await Promise.all(masters.flatMap((master) => replicaVersions.map(async (binaries) => ({ master, replica: await nodes.real(binaries) }))));
    await Promise.all(masters.map((master) => master.client.set('key', 'value')));
    const started = Date.now();
    await Promise.all(pairs.map(({ master, replica }) => replica.client.replicaof(master.host, master.port)));
    for (const { master, replica } of pairs) {
      const what = `${replica.label} replica of ${master.label}`;
      // Twice: it retries, and fails the same way again.
      await logged(replica.log, "Can't handle RDB format version 10", 2, `${what} refusing RDB v10 twice`);
      expect(replica.log(), what).toContain('Failed trying to load the MASTER synchronization DB from disk');
      expect((await info(replica.client)).master_link_status, what).toBe('down');
      expect(await replica.client.dbsize(), what).toBe(0);
    }
    // On the master's side every attempt was a full sync, never a partial one.
    const elapsed = Date.now() - started;
    for (const master of masters) {
      const { full, partialOk } = await stats(master);
      expect(full).toBeGreaterThanOrEqual(2 * replicaVersions.length);
      expect(partialOk).toBe(0);
      // 6.2 retries the moment a load fails. A real master starts the next sync only once its cron
      // has reaped the last BGSAVE child (every 100 ms); the bundled node keeps the same pace
      // instead of serializing snapshots back to back (this bound only fails if it goes faster).
      if (master.label === 'bundled') expect(full).toBeLessThanOrEqual(Math.floor(elapsed / 90) + 2);
    }
  });
});
