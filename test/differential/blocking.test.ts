// Blocking pops against a real redis-server 7.0: each scenario runs over several connections on
// both servers, and every reply is compared byte for byte (including who gets served, in which
// order, the nil forms on timeout, CLIENT UNBLOCK, and what reaches a replica).

import { expect, it } from 'vitest';
import { realAndBundledPair } from '../helpers/differential';
import Redis from 'ioredis';
import { describeWithRedis, startRedisServer } from '../helpers/redis-server';
import { dumpKeyspace } from '../helpers/keyspace-dump';
import { waitReplicaInSync } from '../helpers/info';
import { b, normalizeIds, play, r, s, type Scenario, type ScenarioStep } from './blocking-scenario';
import { describeDifferential } from '../helpers/differential';


const scenarios: Scenario[] = [
  {
    name: 'FIFO on one key; one LPUSH of several elements serves the waiters in order; LPUSH replies the length before serving',
    steps: [b(0, 1, 'BLPOP', 'k', '0'), b(1, 2, 'BRPOP', 'k', '0'), b(2, 3, 'BLMPOP', '0', '1', 'k', 'LEFT', 'COUNT', '2'), s(3, 'LPUSH', 'k', 'a', 'b', 'c', 'd', 'e'), r(0), r(1), r(2), s(3, 'LRANGE', 'k', '0', '-1')],
  },
  {
    name: 'a client waiting on several keys is served by the first key that gets data; others stay blocked',
    steps: [b(0, 1, 'BLPOP', 'k2', 'k1', '0'), b(1, 2, 'BLPOP', 'k1', '0'), s(3, 'RPUSH', 'k1', 'x'), r(0), s(3, 'RPUSH', 'k2', 'y'), s(3, 'RPUSH', 'k1', 'z'), r(1), s(3, 'LRANGE', 'k2', '0', '-1')],
  },
  {
    name: 'keys made ready inside EXEC are served after EXEC, in the order they became ready',
    steps: [
      b(0, 1, 'BLPOP', 'k2', 'k1', '0'),
      b(1, 2, 'BLPOP', 'k1', 'k2', '0'),
      s(3, 'MULTI'),
      s(3, 'LPUSH', 'k1', 'x'),
      s(3, 'LPUSH', 'k2', 'y'),
      s(3, 'EXEC'),
      r(0),
      r(1),
    ],
  },
  {
    name: 'BLMOVE and BRPOPLPUSH served, and a waiter on the destination served in the same pass',
    steps: [b(0, 1, 'BLMOVE', 'k', 'd', 'LEFT', 'RIGHT', '0'), b(1, 2, 'BRPOPLPUSH', 'k', 'd', '0'), b(2, 3, 'BLPOP', 'd', '0'), s(3, 'RPUSH', 'k', 'a', 'b'), r(0), r(1), r(2), s(3, 'LRANGE', 'd', '0', '-1')],
  },
  {
    name: 'sorted sets: BZMPOP with and without COUNT, BZPOPMAX, in blocking order',
    steps: [
      b(0, 1, 'BZMPOP', '0', '1', 'z', 'MIN', 'COUNT', '2'),
      b(1, 2, 'BZPOPMAX', 'z', '0'),
      b(2, 3, 'BZMPOP', '0', '1', 'z', 'MIN'),
      s(3, 'ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'),
      r(0),
      r(1),
      r(2),
      s(3, 'ZRANGE', 'z', '0', '-1', 'WITHSCORES'),
    ],
  },
  {
    name: 'sorted sets in RESP3',
    resp3: true,
    steps: [b(0, 1, 'BZPOPMIN', 'z', '0'), b(1, 2, 'BZMPOP', '0', '1', 'z', 'MAX', 'COUNT', '5'), s(3, 'ZADD', 'z', '1.5', 'a', '2', 'b', '3', 'c'), r(0), r(1)],
  },
  {
    name: 'timeouts answer a null array (BLMOVE too); fractional seconds',
    steps: [
      s(0, 'BLPOP', 'k', '0.05'),
      s(0, 'BRPOP', 'k', 'j', '0.05'),
      s(0, 'BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0.05'),
      s(0, 'BRPOPLPUSH', 'k', 'd', '0.05'),
      s(0, 'BLMPOP', '0.05', '1', 'k', 'LEFT'),
      s(0, 'BZPOPMIN', 'k', '0.05'),
      s(0, 'BZMPOP', '0.05', '1', 'k', 'MIN'),
      s(0, 'BLPOP', 'k', '0.0001'),
    ],
  },
  {
    name: 'timeouts in RESP3 answer null',
    resp3: true,
    steps: [s(0, 'BLPOP', 'k', '0.05'), s(0, 'BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0.05'), s(0, 'BZMPOP', '0.05', '1', 'k', 'MIN')],
  },
  {
    name: 'CLIENT UNBLOCK: timeout (default and explicit) and error; unknown ids and bad arguments',
    steps: [
      b(0, 1, 'BLPOP', 'k', '0'),
      s(3, 'CLIENT', 'UNBLOCK', '999999'),
      s(3, 'CLIENT', 'UNBLOCK', 'abc'),
      s(3, 'CLIENT', 'UNBLOCK', '1', 'foo'),
      s(3, 'CLIENT', 'UNBLOCK', '1', 'timeout', 'x'),
      s(3, 'INFO', 'clients'),
      { unblock: 0, by: 3 },
      r(0),
      { unblock: 0, by: 3 },
      b(1, 1, 'BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0'),
      { unblock: 1, by: 3, reason: 'TIMEOUT' },
      r(1),
      b(2, 1, 'BZPOPMIN', 'k', '0'),
      { unblock: 2, by: 3, reason: 'ERROR' },
      r(2),
      s(3, 'INFO', 'errorstats'),
    ],
  },
  {
    name: 'inside MULTI nothing blocks: null array, BLMOVE null bulk',
    steps: [
      s(0, 'MULTI'),
      s(0, 'BLPOP', 'k', '0'),
      s(0, 'BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0'),
      s(0, 'BRPOPLPUSH', 'k', 'd', '0'),
      s(0, 'BZPOPMIN', 'k', '0'),
      s(0, 'BLMPOP', '0', '1', 'k', 'LEFT'),
      s(0, 'BZMPOP', '0', '1', 'k', 'MIN'),
      s(0, 'RPUSH', 'k', 'a', 'b'),
      s(0, 'BLPOP', 'k', '0'),
      s(0, 'BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0'),
      s(0, 'EXEC'),
    ],
  },
  {
    name: 'WRONGTYPE at once; a key replaced by another type keeps the waiter blocked; BLMOVE onto a wrong-type destination',
    steps: [
      s(3, 'SET', 's', 'x'),
      s(0, 'BLPOP', 'nokey', 's', '0'),
      s(0, 'BZPOPMIN', 's', '0'),
      s(0, 'BLMOVE', 's', 'd', 'LEFT', 'LEFT', '0'),
      b(0, 1, 'BLPOP', 'k', '0'),
      s(3, 'SET', 'k', 'str'),
      s(3, 'DEL', 'k'),
      s(3, 'RPUSH', 'k', 'a'),
      r(0),
      b(1, 1, 'BLMOVE', 'l', 'd', 'LEFT', 'RIGHT', '0'),
      b(2, 2, 'BLPOP', 'l', '0'),
      s(3, 'SET', 'd', 'str'),
      s(3, 'RPUSH', 'l', 'v'),
      r(1),
      r(2),
    ],
  },
  {
    name: 'a command pipelined behind a blocking one waits until it is served',
    steps: [b(0, 1, 'BLPOP', 'k', '0'), { c: 0, cmd: ['PING'], blocks: 1 }, s(3, 'RPUSH', 'k', 'a'), r(0), r(0)],
  },
  {
    name: 'REPLICAOF answers every waiter -UNBLOCKED and closes its connection, pipelined commands unread',
    steps: [
      b(0, 1, 'BLPOP', 'k', '0'),
      b(1, 2, 'BZPOPMIN', 'z', '1000'),
      { c: 1, cmd: ['PING'], blocks: 2 },
      s(3, 'REPLICAOF', '127.0.0.1', '1'),
      r(0),
      { closed: 0 },
      r(1),
      { closed: 1 },
      s(3, 'INFO', 'errorstats'),
      s(3, 'REPLICAOF', 'NO', 'ONE'),
      s(3, 'INFO', 'clients'),
    ],
  },
  {
    name: 'CLIENT PAUSE WRITE: a waiter already blocked still times out during the pause; a blocking pop sent during it answers after',
    steps: [
      b(0, 1, 'BLPOP', 'k', '0.1'),
      s(3, 'CLIENT', 'PAUSE', '400', 'WRITE'),
      r(0),
      s(1, 'BLPOP', 'k', '0.05'),
      s(3, 'INFO', 'clients'),
    ],
  },
  {
    name: 'WAIT with too few replicas is a blocked client: CLIENT UNBLOCK answers its count or UNBLOCKED, its timeout its count, REPLICAOF closes it',
    steps: [
      b(0, 1, 'WAIT', '1', '0'),
      { unblock: 0, by: 3 },
      r(0),
      b(0, 1, 'WAIT', '1', '0'),
      { unblock: 0, by: 3, reason: 'ERROR' },
      r(0),
      s(0, 'WAIT', '1', '50'),
      b(1, 1, 'WAIT', '2', '0'),
      s(3, 'REPLICAOF', '127.0.0.1', '1'),
      r(1),
      { closed: 1 },
      s(3, 'REPLICAOF', 'NO', 'ONE'),
    ],
  },
  {
    name: 'SWAPDB serves a waiter whose key the other database holds',
    steps: [b(0, 1, 'BLPOP', 'k', '0'), b(1, 2, 'BZPOPMIN', 'z', '0'), s(3, 'SELECT', '1'), s(3, 'RPUSH', 'k', 'x', 'y'), s(3, 'ZADD', 'z', '1', 'm'), s(3, 'SWAPDB', '0', '1'), r(0), r(1), s(3, 'LRANGE', 'k', '0', '-1'), s(3, 'SELECT', '0'), s(3, 'LRANGE', 'k', '0', '-1')],
  },
  {
    name: 'a closed waiter is forgotten: the next one is served',
    steps: [b(0, 1, 'BLPOP', 'k', '0'), b(1, 2, 'BLPOP', 'k', '0'), s(3, 'CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes'), s(3, 'INFO', 'clients')],
  },
];

describeWithRedis('differential: blocking pops', () => {
  const servers = realAndBundledPair();
  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      const [expected, actual] = await servers.onBoth((host, port) => play(host, port, scenario.steps, scenario.resp3 ?? false));
      expect(normalizeIds(actual)).toEqual(normalizeIds(expected));
    });
  }
});


describeDifferential('blocking pops: argument errors', [
  {
    name: 'timeouts: negative, not a float, rounding, hex, out of range',
    steps: [
      ['BLPOP', 'k', '-1'],
      ['BLPOP', 'k', 'abc'],
      ['BLPOP', 'k', ' 1'],
      ['BLPOP', 'k', ''],
      ['BLPOP', 'k', 'inf'],
      ['BLPOP', 'k', 'nan'],
      ['BLPOP', 'k', '1e400'],
      ['BLPOP', 'k', '9.3e15'],
      ['BLPOP', 'k', '0x0.01p-4'],
      ['BLMPOP', '-1', '1', 'k', 'LEFT'],
      ['BLMPOP', '0', '0', 'k', 'LEFT'],
      ['BLMPOP', 'abc', '1', 'k', 'LEFT'],
      ['BLMPOP', '0.1', '1', 'k', 'LEFT', 'COUNT', '0'],
      ['BLMPOP', '0.1', '2', 'k', 'LEFT'],
      ['BLMPOP', '0.1', '1', 'k', 'UP'],
      ['BZMPOP', '-1', '1', 'k', 'MIN'],
      ['BZMPOP', '0.1', '1', 'k', 'UP'],
      ['BLMOVE', 'k', 'd', 'x', 'LEFT', '-1'],
      ['BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '-1'],
      ['BZPOPMIN', 'k', '-1'],
      ['BZPOPMIN', 'k'],
      ['BLPOP', 'k'],
      ['BLMOVE', 'k', 'd', 'LEFT', 'LEFT'],
    ],
  },
  {
    name: 'with data at hand each pop answers at once',
    steps: [
      ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'],
      ['BLPOP', 'nokey', 'l', '0'],
      ['BRPOP', 'l', '0'],
      ['BLMOVE', 'l', 'd', 'LEFT', 'RIGHT', '0'],
      ['BRPOPLPUSH', 'l', 'd', '0'],
      ['BLMPOP', '0', '2', 'nokey', 'l', 'RIGHT', 'COUNT', '9'],
      ['LRANGE', 'd', '0', '-1'],
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
      ['BZPOPMIN', 'z', '0'],
      ['BZMPOP', '0', '1', 'z', 'MAX', 'COUNT', '1'],
      ['BZPOPMAX', 'z', '0'],
      ['EXISTS', 'z'],
    ],
  },
]);

const PROPAGATION_SCENARIO: ScenarioStep[] = [
  b(0, 1, 'BLPOP', 'k', '0'),
  b(1, 2, 'BLMPOP', '0', '1', 'k', 'RIGHT', 'COUNT', '5'),
  b(2, 3, 'BLMOVE', 'm', 'd', 'RIGHT', 'LEFT', '0'),
  s(3, 'RPUSH', 'k', 'a', 'b', 'c', 'e'),
  r(0),
  r(1),
  s(3, 'RPUSH', 'm', 'x', 'y'),
  r(2),
  b(0, 1, 'BZPOPMIN', 'z', '0'),
  b(1, 2, 'BZMPOP', '0', '1', 'z', 'MAX'),
  s(3, 'ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'),
  r(0),
  r(1),
  b(2, 1, 'BRPOPLPUSH', 'q', 'd', '0'),
  s(3, 'MULTI'),
  s(3, 'RPUSH', 'q', 'j1', 'j2'),
  s(3, 'LPOP', 'q'),
  s(3, 'RPUSH', 'q', 'j3'),
  s(3, 'EXEC'),
  r(2),
  s(3, 'LRANGE', 'd', '0', '-1'),
  s(3, 'LRANGE', 'q', '0', '-1'),
];

describeWithRedis('blocking pops: propagation', () => {
  const servers = realAndBundledPair();
  it('a redis-server replica of each ends with its master\'s data after served pops, and both masters agree', async () => {
    const [real, ours] = await servers.onBoth(async (host, port) => {
      const replica = await startRedisServer({ directives: { replicaof: `${host} ${port}` } });
      const master = new Redis({ host, port, lazyConnect: true });
      const follower = new Redis({ host: replica.host, port: replica.port, lazyConnect: true });
      try {
        await Promise.all([master.connect(), follower.connect()]);
        await waitReplicaInSync(master, follower);
        const transcript = await play(host, port, PROPAGATION_SCENARIO, false);
        await waitReplicaInSync(master, follower);
        const [masterData, replicaData] = await Promise.all([dumpKeyspace(host, port), dumpKeyspace(replica.host, replica.port)]);
        expect(replicaData).toEqual(masterData);
        return { transcript, masterData };
      } finally {
        master.disconnect();
        follower.disconnect();
        await replica.stop();
      }
    });
    expect(ours.transcript).toEqual(real.transcript);
    expect(ours.masterData).toEqual(real.masterData);
    expect(Object.keys(real.masterData['0'] ?? {}).sort()).toEqual(['d', 'm', 'q', 'z']);
  });
});
