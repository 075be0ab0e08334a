// Blocking XREAD against a real redis-server 7.0: who is served, with what, in which order, and
// the null array on timeout, compared byte for byte with the blocking pops' scenario runner.

import { expect, it } from 'vitest';
import Redis from 'ioredis';
import { realAndBundledPair } from '../helpers/differential';
import { describeWithRedis, startRedisServer } from '../helpers/redis-server';
import { waitReplicaInSync } from '../helpers/info';
import { b, normalizeIds, play, r, s, type Scenario } from './blocking-scenario';

const scenarios: Scenario[] = [
  {
    name: "XREAD BLOCK on '$' is served by the next XADD, every waiter with its own COUNT",
    steps: [
      s(3, 'XADD', 'st', '1-0', 'a', '1'),
      b(0, 1, 'XREAD', 'BLOCK', '0', 'STREAMS', 'st', '$'),
      b(1, 2, 'XREAD', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 'other', 'st', '$', '1-0'),
      s(3, 'XADD', 'st', '2-0', 'b', '2'),
      r(0),
      r(1),
      s(3, 'INFO', 'clients'),
    ],
  },
  {
    name: 'a waiter whose ID is past the new entry stays blocked while later ones are served',
    steps: [
      b(0, 1, 'XREAD', 'BLOCK', '0', 'STREAMS', 'st', '5-0'),
      b(1, 2, 'XREAD', 'BLOCK', '0', 'STREAMS', 'st', '0'),
      s(3, 'XADD', 'st', '3-0', 'a', '1'),
      r(1),
      s(3, 'XADD', 'st', '6-0', 'a', '2'),
      r(0),
    ],
  },
  {
    name: 'several streams: the first one to get data answers; MULTI with XADDs to both',
    steps: [
      b(0, 1, 'XREAD', 'BLOCK', '0', 'STREAMS', 'x', 'y', '$', '$'),
      b(1, 2, 'XREAD', 'BLOCK', '0', 'STREAMS', 'y', 'x', '$', '$'),
      s(3, 'MULTI'),
      s(3, 'XADD', 'y', '1-0', 'f', 'v'),
      s(3, 'XADD', 'x', '1-0', 'f', 'v'),
      s(3, 'EXEC'),
      r(0),
      r(1),
    ],
  },
  {
    name: 'timeouts and CLIENT UNBLOCK answer a null array; RESP3 too',
    resp3: true,
    steps: [
      b(0, 1, 'XREAD', 'BLOCK', '30', 'STREAMS', 'st', '$'),
      r(0),
      b(1, 1, 'XREAD', 'BLOCK', '0', 'STREAMS', 'st', '$'),
      { unblock: 1, by: 3 },
      r(1),
      b(2, 1, 'XREAD', 'BLOCK', '0', 'STREAMS', 'st', '$'),
      { unblock: 2, by: 3, reason: 'ERROR' },
      r(2),
      b(0, 1, 'XREAD', 'BLOCK', '0', 'STREAMS', 'st', '$'),
      s(3, 'XADD', 'st', '1-0', 'f', 'v'),
      r(0),
    ],
  },
  {
    name: 'a deleted or replaced key keeps its readers waiting',
    steps: [
      s(3, 'XADD', 'st', '1-0', 'f', 'v'),
      b(0, 1, 'XREAD', 'BLOCK', '0', 'STREAMS', 'st', '$'),
      s(3, 'DEL', 'st'),
      s(3, 'SET', 'st', 'x'),
      s(3, 'DEL', 'st'),
      s(3, 'XADD', 'st', '1-0', 'f', 'v'),
      s(3, 'XADD', 'st', '2-0', 'f', 'v'),
      r(0),
    ],
  },
  {
    name: "XREADGROUP BLOCK on '>' is served by XADD: entries go to one consumer each, in blocking order",
    steps: [
      s(3, 'XGROUP', 'CREATE', 'st', 'g', '$', 'MKSTREAM'),
      b(0, 1, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 'st', '>'),
      b(1, 2, 'XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 'st', '>'),
      s(3, 'XADD', 'st', '1-0', 'f', 'v'),
      r(0),
      s(3, 'XADD', 'st', '2-0', 'f', 'v'),
      r(1),
      s(3, 'XPENDING', 'st', 'g'),
      b(2, 1, 'XREADGROUP', 'GROUP', 'g', 'carol', 'NOACK', 'BLOCK', '0', 'STREAMS', 'st', '>'),
      s(3, 'MULTI'),
      s(3, 'XADD', 'st', '3-0', 'f', 'v'),
      s(3, 'XADD', 'st', '4-0', 'f', 'v'),
      s(3, 'EXEC'),
      r(2),
      s(3, 'XPENDING', 'st', 'g'),
    ],
  },
  {
    name: 'XREADGROUP waiters get NOGROUP when their group is destroyed; timeouts answer a null array',
    steps: [
      s(3, 'XGROUP', 'CREATE', 'st', 'g', '$', 'MKSTREAM'),
      b(0, 1, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 'st', '>'),
      s(3, 'XGROUP', 'DESTROY', 'st', 'g'),
      r(0),
      s(3, 'XGROUP', 'CREATE', 'st', 'g', '$'),
      b(1, 1, 'XREADGROUP', 'GROUP', 'g', 'bob', 'BLOCK', '20', 'STREAMS', 'st', '>'),
      r(1),
      s(3, 'XINFO', 'GROUPS', 'st'),
    ],
  },
  {
    name: 'XREADGROUP waiters are unblocked with an error when their stream is deleted, replaced, renamed away or flushed',
    steps: [
      s(3, 'XGROUP', 'CREATE', 'st', 'g', '$', 'MKSTREAM'),
      b(0, 1, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 'st', '>'),
      s(3, 'DEL', 'st'),
      r(0),
      s(3, 'XGROUP', 'CREATE', 'st', 'g', '$', 'MKSTREAM'),
      b(0, 1, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 'st', '>'),
      s(3, 'SET', 'st', 'x'),
      r(0),
      s(3, 'DEL', 'st'),
      s(3, 'XGROUP', 'CREATE', 'st', 'g', '$', 'MKSTREAM'),
      b(0, 1, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 'st', '>'),
      s(3, 'MULTI'),
      s(3, 'DEL', 'st'),
      s(3, 'XADD', 'st', '1-0', 'f', 'v'),
      s(3, 'EXEC'),
      r(0),
      s(3, 'DEL', 'st'),
      s(3, 'XGROUP', 'CREATE', 'st', 'g', '$', 'MKSTREAM'),
      b(0, 1, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 'st', '>'),
      s(3, 'RENAME', 'st', 'other'),
      r(0),
      s(3, 'XGROUP', 'CREATE', 'st', 'g', '$', 'MKSTREAM'),
      b(0, 1, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 'st', '>'),
      b(1, 2, 'XREAD', 'BLOCK', '0', 'STREAMS', 'st', '$'),
      s(3, 'FLUSHALL'),
      r(0),
      s(3, 'XADD', 'st', '1-0', 'f', 'v'),
      r(1),
    ],
  },
  {
    name: 'a blocked command unblocked with an error counts as a failed call (NOGROUP, UNBLOCKED, CLIENT UNBLOCK ERROR)',
    steps: [
      s(3, 'CONFIG', 'RESETSTAT'),
      s(3, 'XGROUP', 'CREATE', 'st', 'g', '$', 'MKSTREAM'),
      b(0, 1, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 'st', '>'),
      s(3, 'XGROUP', 'DESTROY', 'st', 'g'),
      r(0),
      s(3, 'XGROUP', 'CREATE', 'st', 'g', '$'),
      b(0, 1, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 'st', '>'),
      s(3, 'DEL', 'st'),
      r(0),
      b(1, 1, 'BLPOP', 'list', '0'),
      { unblock: 1, by: 3, reason: 'ERROR' },
      r(1),
      b(2, 1, 'BLPOP', 'list', '0'),
      s(3, 'LPUSH', 'list', 'a'),
      r(2),
      s(3, 'INFO', 'commandstats'),
      s(3, 'INFO', 'errorstats'),
    ],
  },
];

/** Only the call counts of INFO commandstats: durations differ, and so does the order of its lines. */
function callCounts(transcript: string[]): string[] {
  return transcript.map((line) =>
    line.includes('INFO commandstats')
      ? (line.match(/cmdstat_(xreadgroup|blpop):calls=\d+,usec=\d+,usec_per_call=[\d.]+,rejected_calls=\d+,failed_calls=\d+/g) ?? [])
          .map((stat) => stat.replace(/usec=\d+,usec_per_call=[\d.]+,/, ''))
          .sort()
          .join(' ')
      : line,
  );
}

describeWithRedis('differential: blocking XREAD', () => {
  const servers = realAndBundledPair();
  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      const [expected, actual] = await servers.onBoth((host, port) => play(host, port, scenario.steps, scenario.resp3 ?? false));
      expect(callCounts(normalizeIds(actual))).toEqual(callCounts(normalizeIds(expected)));
    });
  }
});

const PROPAGATION_SCENARIO = [
  s(3, 'XGROUP', 'CREATE', 'st', 'g', '$', 'MKSTREAM'),
  b(0, 1, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 'st', '>'),
  b(1, 2, 'XREADGROUP', 'GROUP', 'g', 'bob', 'NOACK', 'BLOCK', '0', 'STREAMS', 'st', '>'),
  b(2, 3, 'XREAD', 'BLOCK', '0', 'STREAMS', 'st', '$'),
  s(3, 'XADD', 'st', '1-0', 'f', 'v'),
  r(0),
  r(2),
  s(3, 'XADD', 'st', 'MAXLEN', '~', '5', '2-0', 'f', 'v'),
  r(1),
  s(3, 'XREADGROUP', 'GROUP', 'g', 'carol', 'STREAMS', 'st', '>'),
];

/** A stream's data and groups as a replica must mirror them (no idle or delivery times). */
async function streamView(client: Redis): Promise<unknown> {
  const pending = (await client.call('XPENDING', 'st', 'g', '-', '+', '10')) as unknown[][];
  return {
    entries: await client.xrange('st', '-', '+'),
    groups: await client.call('XINFO', 'GROUPS', 'st'),
    pending: pending.map(([id, consumer, , count]) => [id, consumer, count]),
    consumers: ((await client.call('XINFO', 'CONSUMERS', 'st', 'g')) as unknown[][]).map((c) => [c[1], c[3]]),
  };
}

describeWithRedis('blocking stream reads: propagation', () => {
  const servers = realAndBundledPair();
  it('a redis-server replica of each ends with its master\'s stream and groups after served XREADGROUPs', async () => {
    const [real, ours] = await servers.onBoth(async (host, port) => {
      const replica = await startRedisServer({ directives: { replicaof: `${host} ${port}` } });
      const master = new Redis({ host, port, lazyConnect: true });
      const follower = new Redis({ host: replica.host, port: replica.port, lazyConnect: true });
      try {
        await Promise.all([master.connect(), follower.connect()]);
        await waitReplicaInSync(master, follower);
        const transcript = await play(host, port, PROPAGATION_SCENARIO, false);
        await waitReplicaInSync(master, follower);
        const [masterView, replicaView] = await Promise.all([streamView(master), streamView(follower)]);
        expect(replicaView).toEqual(masterView);
        return { transcript, masterView };
      } finally {
        master.disconnect();
        follower.disconnect();
        await replica.stop();
      }
    });
    expect(normalizeIds(ours.transcript)).toEqual(normalizeIds(real.transcript));
    expect(ours.masterView).toEqual(real.masterView);
  });
});
