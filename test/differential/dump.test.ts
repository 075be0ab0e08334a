// DUMP and RESTORE against redis-server 7.0: payloads compared byte for byte where both use the
// same encoding, restored across both ways, payloads of Redis 5.0 and 6.2 restored on the node,
// exact errors for bad arguments and bad payloads, and a fuzz loop of corrupt payloads.

import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Crc64 } from '../../src/server/rdb/crc64';
import type { RunningServer } from '../../src/server/index';
import { realAndBundledPair } from '../helpers/differential';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { describeWithVersions } from '../helpers/redis-versions';
import { startNode } from '../helpers/bundled-node';
import { ReplicationStream } from './propagation-capture';

type Setup = Array<Array<string | Buffer>>;

interface Scenario {
  name: string;
  setup: Setup;
  /** False where the two servers may lay the same value out differently (hash-table order, quicklist node boundaries). */
  sameBytes: boolean;
}

const range = (n: number, f: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => f(i));
const allBytes = Buffer.from(range(256, (i) => String.fromCharCode(i)).join(''), 'latin1');

const SCENARIOS: Scenario[] = [
  { name: 'short string', setup: [['SET', 'k', 'hello']], sameBytes: true },
  { name: 'int8 string', setup: [['SET', 'k', '-7']], sameBytes: true },
  { name: 'int16 string', setup: [['SET', 'k', '12345']], sameBytes: true },
  { name: 'int32 string', setup: [['SET', 'k', '100000']], sameBytes: true },
  { name: 'int64 string', setup: [['SET', 'k', '9223372036854775807']], sameBytes: true },
  { name: 'leading zero string', setup: [['SET', 'k', '007']], sameBytes: true },
  { name: 'LZF string', setup: [['SET', 'k', 'abcdefgh'.repeat(200)]], sameBytes: true },
  { name: 'incompressible 21 bytes', setup: [['SET', 'k', 'abcdefghijklmnopqrstu']], sameBytes: true },
  { name: 'binary string', setup: [['SET', 'k', allBytes]], sameBytes: true },
  { name: 'appended string', setup: [['SET', 'k', '12'], ['APPEND', 'k', '34']], sameBytes: true },
  { name: 'small list', setup: [['RPUSH', 'k', 'a', 'b', '3', '-4', '', '4096', '-4097', '8388608', '2147483648', '9223372036854775807', '-9223372036854775808', 'x'.repeat(100)]], sameBytes: true },
  { name: 'list built from both ends', setup: [['LPUSH', 'k', 'c', 'b', 'a'], ['RPUSH', 'k', 'd'], ['LSET', 'k', '1', 'B']], sameBytes: true },
  { name: 'large list', setup: [['RPUSH', 'k', ...range(3000, (i) => (i % 3 ? `element-${i}` : String(i * 131)))]], sameBytes: false },
  { name: 'listpack hash', setup: [['HSET', 'k', 'f1', 'v1', 'f2', '2', 'f3', '-3'], ['HDEL', 'k', 'f1'], ['HSET', 'k', 'f1', 'again']], sameBytes: true },
  { name: 'hash-table hash (many fields)', setup: [['HSET', 'k', ...range(600, (i) => (i % 2 ? `field${i}` : String(i)))]], sameBytes: false },
  { name: 'hash-table hash (long value)', setup: [['HSET', 'k', 'f', 'v'.repeat(100), 'g', '1']], sameBytes: false },
  { name: 'int16 intset', setup: [['SADD', 'k', '3', '1', '-2']], sameBytes: true },
  { name: 'int32 intset', setup: [['SADD', 'k', '3', '1', '-70000']], sameBytes: true },
  { name: 'int64 intset', setup: [['SADD', 'k', '5', '4294967296', '-9223372036854775808']], sameBytes: true },
  { name: 'hash-table set', setup: [['SADD', 'k', 'a', 'b', 'c', '1']], sameBytes: false },
  { name: 'large integer set', setup: [['SADD', 'k', ...range(600, (i) => String(i * 7))]], sameBytes: false },
  { name: 'listpack zset', setup: [['ZADD', 'k', '1', 'a', '2.5', 'b', '-3', 'c', 'inf', 'd', '-inf', 'e', '0.1', 'f', '1e300', 'g', '1e17', 'h', '1e20', 'i']], sameBytes: true },
  { name: 'listpack zset after ZINCRBY', setup: [['ZADD', 'k', '1', 'a', '2', 'b'], ['ZINCRBY', 'k', '0.3', 'a']], sameBytes: true },
  { name: 'skiplist zset', setup: [['ZADD', 'k', ...Array.from({ length: 300 }, (_, i) => [String(i / 3), `m${i}`]).flat()]], sameBytes: true },
  { name: 'skiplist zset (long member)', setup: [['ZADD', 'k', '5', 'm'.repeat(100), '1', 'a']], sameBytes: true },
];

/** The value of a key through ordinary commands, in a form that compares across servers. */
async function readValue(client: Redis, key: string): Promise<unknown> {
  const type = await client.type(key);
  const hex = (items: Buffer[]) => items.map((b) => b.toString('hex'));
  switch (type) {
    case 'string':
      return [type, (await client.getBuffer(key))?.toString('hex')];
    case 'list':
      return [type, hex(await client.lrangeBuffer(key, 0, -1))];
    case 'hash':
      return [type, hex(await client.hgetallBuffer(key).then((h) => Object.entries(h).map(([f, v]) => Buffer.concat([Buffer.from(f), Buffer.from(':'), v])))).sort()];
    case 'set':
      return [type, hex(await client.smembersBuffer(key)).sort()];
    case 'zset':
      return [type, await client.zrange(key, 0, -1, 'WITHSCORES')];
    default:
      return [type];
  }
}

async function run(client: Redis, setup: Setup): Promise<void> {
  for (const [name, ...args] of setup) await client.call(name as string, ...args);
}

/** The reply of a command as text: 'OK', an error's message, or the value. */
async function replyOf(client: Redis, args: Array<string | Buffer>): Promise<string> {
  try {
    return String(await client.call(args[0] as string, ...args.slice(1)));
  } catch (error) {
    return (error as Error).message;
  }
}

/** A payload with the footer rebuilt: the given RDB version and a correct checksum. */
function reframe(body: Buffer, version = 10): Buffer {
  const footer = Buffer.alloc(2);
  footer.writeUInt16LE(version, 0);
  const crc = new Crc64();
  const head = Buffer.concat([body, footer]);
  crc.update(head);
  return Buffer.concat([head, crc.digestBytes()]);
}

const bodyOf = (payload: Buffer) => payload.subarray(0, payload.length - 10);

describeWithRedis('differential: DUMP and RESTORE', () => {
  const servers = realAndBundledPair();
  let real: Redis;
  let ours: Redis;
  beforeAll(() => {
    real = new Redis({ host: servers.redis.host, port: servers.redis.port, lazyConnect: false });
    ours = new Redis({ host: servers.node.host, port: servers.node.port, lazyConnect: false });
  });
  afterAll(() => {
    real?.disconnect();
    ours?.disconnect();
  });

  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: DUMP ${scenario.sameBytes ? 'byte for byte' : 'by value'}, RESTORE across both ways`, async () => {
      await Promise.all([real.flushall(), ours.flushall()]);
      await Promise.all([run(real, scenario.setup), run(ours, scenario.setup)]);
      const [fromRedis, fromNode] = await Promise.all([real.dumpBuffer('k'), ours.dumpBuffer('k')]);
      if (scenario.sameBytes) expect(fromNode.toString('hex')).toBe(fromRedis.toString('hex'));
      const expected = await readValue(real, 'k');
      expect(await readValue(ours, 'k')).toEqual(expected);
      expect(await ours.restore('copy', 0, fromRedis)).toBe('OK');
      expect(await readValue(ours, 'copy')).toEqual(expected);
      expect(await real.restore('copy', 0, fromNode)).toBe('OK');
      expect(await readValue(real, 'copy')).toEqual(expected);
    });
  }

  it('COMMAND INFO and DOCS describe DUMP and RESTORE as Redis does', async () => {
    for (const args of [['INFO', 'dump', 'restore'], ['DOCS', 'dump', 'restore']]) {
      const [expected, actual] = await Promise.all([real.call('COMMAND', ...args), ours.call('COMMAND', ...args)]);
      expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
    }
  });

  it('rdbcompression no: long strings are stored verbatim, as Redis does', async () => {
    await Promise.all([real.flushall(), ours.flushall()]);
    for (const client of [real, ours]) {
      await client.config('SET', 'rdbcompression', 'no');
      await client.set('k', 'abcdefgh'.repeat(200));
      await client.hset('h', 'f', 'x'.repeat(60));
    }
    try {
      for (const key of ['k', 'h']) {
        const [a, b] = await Promise.all([real.dumpBuffer(key), ours.dumpBuffer(key)]);
        expect(b.toString('hex')).toBe(a.toString('hex'));
      }
    } finally {
      for (const client of [real, ours]) await client.config('SET', 'rdbcompression', 'yes');
    }
  });

  it('options, TTLs and errors reply as Redis does', async () => {
    await Promise.all([real.flushall(), ours.flushall()]);
    await Promise.all([real.set('src', 'value'), ours.set('src', 'value')]);
    const payload = await real.dumpBuffer('src');
    const body = bodyOf(payload);
    const flipped = Buffer.from(payload);
    flipped[2] ^= 0x01;
    const steps: Array<Array<string | Buffer>> = [
      ['DUMP', 'missing'],
      ['RESTORE', 'src', '0', payload],
      ['RESTORE', 'src', '-1', payload],
      ['RESTORE', 'new', '-1', payload],
      ['RESTORE', 'new', 'abc', payload],
      ['RESTORE', 'new', '0', payload, 'IDLETIME', '-1'],
      ['RESTORE', 'new', '0', payload, 'IDLETIME', 'x'],
      ['RESTORE', 'new', '0', payload, 'FREQ', '256'],
      ['RESTORE', 'new', '0', payload, 'FREQ', '-1'],
      ['RESTORE', 'new', '0', payload, 'IDLETIME', '1', 'FREQ', '1'],
      ['RESTORE', 'new', '0', payload, 'FREQ', '1', 'IDLETIME', '1'],
      ['RESTORE', 'new', '0', payload, 'IDLETIME'],
      ['RESTORE', 'new', '0', payload, 'BOGUS'],
      ['RESTORE', 'new', '0', flipped],
      ['RESTORE', 'new', '0', payload.subarray(0, payload.length - 1)],
      ['RESTORE', 'new', '0', 'abc'],
      ['RESTORE', 'new', '0', ''],
      ['RESTORE', 'new', '0', reframe(body, 11)],
      ['RESTORE', 'new', '0', reframe(Buffer.from([20, 0x01, 0x61]))],
      ['RESTORE', 'new', '0', reframe(Buffer.from([0x00, 0x3f, 0x61, 0x62]))],
      ['RESTORE', 'new', '0', reframe(Buffer.from([2, 0]))],
      ['RESTORE', 'new', '0', reframe(Buffer.from([0xfc, 1, 2]))],
      ['RESTORE', 'v9', '0', reframe(body, 9)],
      ['RESTORE', 'v6', '0', reframe(body, 6)],
      ['GET', 'v9'],
      ['RESTORE', 'new', '0', payload, 'IDLETIME', '10', 'REPLACE'],
      ['RESTORE', 'freq', '0', payload, 'FREQ', '5'],
      ['RESTORE', 'src', '0', reframe(Buffer.from([0, 3, 0x61, 0x62, 0x63])), 'REPLACE'],
      ['GET', 'src'],
      ['RESTORE', 'abs', '4102444800123', payload, 'ABSTTL'],
      ['PEXPIRETIME', 'abs'],
      ['RESTORE', 'past', '1', payload, 'ABSTTL'],
      ['EXISTS', 'past'],
      ['RESTORE', 'src', '1', payload, 'ABSTTL', 'REPLACE'],
      ['EXISTS', 'src'],
      ['RESTORE', 'rel', '100000', payload],
      ['TYPE', 'rel'],
      ['DBSIZE'],
    ];
    for (const step of steps) {
      const [expected, actual] = await Promise.all([replyOf(real, step), replyOf(ours, step)]);
      expect(actual, `reply to ${step[0]} ${String(step[1])} ${String(step[2])}`).toBe(expected);
    }
    const [realTtl, ourTtl] = await Promise.all([real.pttl('rel'), ours.pttl('rel')]);
    expect(realTtl).toBeGreaterThan(90_000);
    expect(ourTtl).toBeGreaterThan(90_000);
    expect(ourTtl).toBeLessThanOrEqual(100_000);
  });

  it('corrupt payloads never stop the node: every mutation gets OK or an error, and the node keeps serving', async () => {
    await ours.flushall();
    const bases: Buffer[] = [];
    for (const scenario of SCENARIOS) {
      await ours.flushall();
      await run(ours, scenario.setup);
      bases.push(await ours.dumpBuffer('k'));
    }
    let seed = 12345;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      const body = Buffer.from(bodyOf(bases[random(bases.length)]));
      let mutated: Buffer = body;
      const kind = random(4);
      if (kind === 0) for (let j = 0; j <= random(3); j++) body[random(body.length)] = random(256);
      else if (kind === 1) mutated = body.subarray(0, random(body.length));
      else if (kind === 2) mutated = Buffer.concat([body.subarray(0, random(body.length)), Buffer.from([random(256)]), body.subarray(random(body.length))]);
      else body[random(body.length)] ^= 1 << random(8);
      // Half keep the old checksum (refused up front), half get a correct one (reach the decoder).
      const payload = i % 2 === 0 ? reframe(mutated) : Buffer.concat([mutated, bases[0].subarray(bases[0].length - 10)]);
      const reply = await replyOf(ours, ['RESTORE', 'fuzz', '0', payload, 'REPLACE']);
      expect(['OK', 'ERR Bad data format', 'ERR DUMP payload version or checksum are wrong']).toContain(reply);
      outcomes.set(reply, (outcomes.get(reply) ?? 0) + 1);
      if (reply === 'OK') await readValue(ours, 'fuzz');
    }
    expect(await ours.ping()).toBe('PONG');
    // The loop must have exercised both the decoder's refusals and the checksum's.
    expect(outcomes.get('ERR Bad data format') ?? 0).toBeGreaterThan(0);
    expect(outcomes.get('ERR DUMP payload version or checksum are wrong') ?? 0).toBeGreaterThan(0);
  });
});

describeWithRedis('propagation: RESTORE', () => {
  let redis: RedisProcess;
  let node: RunningServer;
  let stream: ReplicationStream;
  const captured: string[][] = [];
  let real: Redis;
  let ours: Redis;

  beforeAll(async () => {
    [redis, node] = await Promise.all([startRedisServer({ directives: { 'repl-diskless-sync': 'no' } }), startNode()]);
    node.server.propagation.addSink((commands) => {
      for (const command of commands) captured.push([...command.args]);
    });
    stream = await ReplicationStream.open(redis.host, redis.port);
    real = new Redis({ host: redis.host, port: redis.port });
    ours = new Redis({ host: node.host, port: node.port });
  });
  afterAll(async () => {
    real?.disconnect();
    ours?.disconnect();
    stream?.close();
    await Promise.all([redis?.stop(), node?.close()]);
  });

  it('a relative TTL leaves as ABSTTL with the absolute time; ABSTTL and no TTL verbatim; a past TTL with REPLACE as DEL', async () => {
    await Promise.all([real.set('src', 'v'), ours.set('src', 'v')]);
    const payload = (await real.dumpBuffer('src')).toString('latin1');
    const steps = [
      ['RESTORE', 'plain', '0', payload],
      ['RESTORE', 'abs', '4102444800123', payload, 'ABSTTL'],
      ['RESTORE', 'gone', '1', payload, 'ABSTTL'],
      ['RESTORE', 'src', '1', payload, 'ABSTTL', 'REPLACE'],
      ['restore', 'rel', '100000', payload, 'REPLACE'],
    ];
    const before = Date.now();
    for (const step of steps) await Promise.all([real.call(step[0], ...step.slice(1).map((a) => Buffer.from(a, 'latin1'))), ours.call(step[0], ...step.slice(1).map((a) => Buffer.from(a, 'latin1')))]);
    const after = Date.now();
    const marker = ['set', 'marker', 'end'];
    await Promise.all([real.set('marker', 'end'), ours.set('marker', 'end')]);
    const relevant = (commands: string[][]) => commands.filter((args) => !['select', 'ping', 'set'].includes(args[0].toLowerCase()));
    const fromRedis = relevant(await stream.takeUntil(marker));
    const fromNode = relevant(captured.slice(0, captured.findIndex((args) => args[0] === 'SET' && args[1] === 'marker')));
    for (const commands of [fromRedis, fromNode]) {
      expect(commands.slice(0, 3)).toEqual([steps[0], steps[1], ['DEL', 'src']]);
      const relative = commands[3];
      expect([relative[0], relative[1], relative[3], ...relative.slice(4)]).toEqual(['restore', 'rel', payload, 'REPLACE', 'ABSTTL']);
      expect(Number(relative[2])).toBeGreaterThanOrEqual(before + 100_000);
      expect(Number(relative[2])).toBeLessThanOrEqual(after + 100_000);
      expect(commands).toHaveLength(4);
    }
  });
});

describeWithVersions(['5.0.14', '6.2.16'], 'RESTORE on the node of payloads from Redis 5.0 and 6.2 (ziplists, quicklist v1, RDB 9)', (binaries) => {
  for (const [version, bin] of binaries) {
    describe(version, () => {
      let old: RedisProcess;
      let node: RunningServer;
      let source: Redis;
      let ours: Redis;
      beforeAll(async () => {
        [old, node] = await Promise.all([startRedisServer({ binary: bin.server }), startNode()]);
        source = new Redis({ host: old.host, port: old.port });
        ours = new Redis({ host: node.host, port: node.port });
      });
      afterAll(async () => {
        source?.disconnect();
        ours?.disconnect();
        await Promise.all([old?.stop(), node?.close()]);
      });

      for (const scenario of SCENARIOS) {
        if (scenario.setup.some(([name]) => name === 'LSET' || name === 'ZINCRBY')) continue;
        it(scenario.name, async () => {
          await source.flushall();
          await run(source, scenario.setup);
          const payload = await source.dumpBuffer('k');
          expect(await ours.restore(`k:${scenario.name}`, 0, payload)).toBe('OK');
          expect(await readValue(ours, `k:${scenario.name}`)).toEqual(await readValue(source, 'k'));
        });
      }
    });
  }
});
