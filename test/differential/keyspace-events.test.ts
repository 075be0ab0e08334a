// Keyspace notifications against a real redis-server 7.0: the same commands run on both servers
// with every class on (and K, E, m, n), a subscriber on each records every event in order, and the
// two transcripts are compared. Also: CONFIG GET's normalised flags, class filtering, and RESP3.

import { expect, it } from 'vitest';
import { describeDifferential, realAndBundledPair } from '../helpers/differential';
import { describeWithRedis } from '../helpers/redis-server';
import { RawConnection } from '../helpers/raw-connection';

const END = 'end-of-scenario';

interface Scenario {
  name: string;
  commands: string[][];
  /** The notify-keyspace-events value (default: everything). */
  classes?: string;
  /** Subscriber in RESP3 (push messages). */
  resp3?: boolean;
}

/** Runs the commands with a subscriber attached; returns the replies and the messages it got, in order. */
async function play(host: string, port: number, scenario: Scenario): Promise<{ replies: string[]; events: string[] }> {
  const writer = await RawConnection.open(host, port);
  const subscriber = await RawConnection.open(host, port);
  try {
    await writer.command(['FLUSHALL']);
    await writer.command(['DEBUG', 'SET-ACTIVE-EXPIRE', '0']);
    await writer.command(['CONFIG', 'SET', 'notify-keyspace-events', scenario.classes ?? 'AKEmn']);
    if (scenario.resp3) await subscriber.command(['HELLO', '3']);
    await subscriber.command(['PSUBSCRIBE', '__key*__:*']);
    await subscriber.command(['SUBSCRIBE', END]);
    const replies: string[] = [];
    const waiters: RawConnection[] = [];
    const payloads = new Map<string, Buffer>();
    for (const cmd of scenario.commands) {
      if (cmd[0] === 'SLEEP') {
        await new Promise((resolve) => setTimeout(resolve, Number(cmd[1])));
        continue;
      }
      if (cmd[0] === 'DUMP-INTO') {
        // Keeps the payload client-side (it is binary): RESTORE-FROM sends it back.
        writer.send(['DUMP', cmd[2]]);
        payloads.set(cmd[1], await writer.readReply(3000));
        continue;
      }
      if (cmd[0] === 'RESTORE-FROM') {
        const payload = payloads.get(cmd[3]) as Buffer;
        const body = payload.subarray(payload.indexOf('\r\n') + 2, payload.length - 2).toString('latin1');
        const restore = ['RESTORE', cmd[1], cmd[2], body, ...cmd.slice(4)];
        replies.push(`${['RESTORE', cmd[1], cmd[2], '<payload>', ...cmd.slice(4)].join(' ')} -> ${(await writer.command(restore)).trim()}`);
        continue;
      }
      if (cmd[0] === 'BLOCKED') {
        // Sent on a connection of its own, which then waits until a later command serves it.
        const waiter = await RawConnection.open(host, port);
        waiters.push(waiter);
        waiter.send(cmd.slice(1));
        await untilBlocked(writer, waiters.length);
        continue;
      }
      replies.push(`${cmd.join(' ')} -> ${(await writer.command(cmd)).trim()}`);
    }
    for (const waiter of waiters) replies.push(`served -> ${(await waiter.readReply(3000)).toString('latin1').trim()}`);
    for (const waiter of waiters) waiter.close();
    await writer.command(['PUBLISH', END, 'x']);
    const events: string[] = [];
    for (;;) {
      const message = (await subscriber.readReply(3000)).toString('latin1');
      if (message.includes(END)) break;
      events.push(message);
    }
    return { replies, events };
  } finally {
    await writer.command(['CONFIG', 'SET', 'notify-keyspace-events', '']).catch(() => {});
    await writer.command(['DEBUG', 'SET-ACTIVE-EXPIRE', '1']).catch(() => {});
    writer.close();
    subscriber.close();
  }
}

async function untilBlocked(control: RawConnection, count: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (Number(/blocked_clients:(\d+)/.exec(await control.command(['INFO', 'clients']))?.[1]) === count) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`never ${count} blocked clients`);
}

const c = (...args: string[]) => args;

const scenarios: Scenario[] = [
  {
    name: 'evicted: CONFIG SET maxmemory below the usage evicts at once, with nothing else sent',
    commands: [
      c('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'),
      c('SET', 'foo', 'bar'),
      c('CONFIG', 'SET', 'maxmemory', '1'),
      c('SLEEP', '100'),
      c('CONFIG', 'SET', 'maxmemory', '0'),
      c('CONFIG', 'SET', 'maxmemory-policy', 'noeviction'),
      c('EXISTS', 'foo'),
    ],
  },
  {
    name: 'strings: SET (EX, GET, NX), SETNX, SETEX, MSET, GETSET, GETDEL, GETEX, INCR family, APPEND, SETRANGE',
    commands: [
      c('SET', 's', '1'),
      c('SET', 's', '2', 'EX', '100'),
      c('SET', 's', '3', 'GET'),
      c('SET', 's', '4', 'NX'),
      c('SETNX', 'n', 'x'),
      c('SETEX', 'e', '100', 'v'),
      c('PSETEX', 'p', '100000', 'v'),
      c('MSET', 'a', '1', 'b', '2'),
      c('MSETNX', 'a', '1', 'z', '2'),
      c('GETSET', 'a', '5'),
      c('GETDEL', 'b'),
      c('GETDEL', 'missing'),
      c('GETEX', 'a', 'EX', '100'),
      c('GETEX', 'a', 'PERSIST'),
      c('GETEX', 'a', 'PERSIST'),
      c('GETEX', 'a', 'PXAT', '1'),
      c('INCR', 'i'),
      c('DECRBY', 'i', '5'),
      c('INCRBYFLOAT', 'f', '1.5'),
      c('APPEND', 'ap', 'abc'),
      c('APPEND', 'ap', 'def'),
      c('SETRANGE', 'r', '3', 'xy'),
      c('SETRANGE', 'r', '0', ''),
      c('GET', 'nothing'),
      c('MGET', 'nothing', 'ap'),
    ],
  },
  {
    name: 'lists: pushes, pops with and without count, LSET, LINSERT, LREM, LTRIM, LMOVE, RPOPLPUSH, LMPOP, emptied keys',
    commands: [
      c('LPUSH', 'l', 'a', 'b', 'c'),
      c('RPUSH', 'l', 'd'),
      c('LPUSHX', 'l', 'e'),
      c('RPUSHX', 'nolist', 'e'),
      c('LPOP', 'l'),
      c('RPOP', 'l', '2'),
      c('LPOP', 'l', '0'),
      c('LSET', 'l', '0', 'x'),
      c('LINSERT', 'l', 'BEFORE', 'x', 'y'),
      c('LINSERT', 'l', 'BEFORE', 'nope', 'y'),
      c('LREM', 'l', '0', 'zz'),
      c('LREM', 'l', '0', 'y'),
      c('RPUSH', 'l', 'm', 'n'),
      c('LTRIM', 'l', '0', '-1'),
      c('LTRIM', 'l', '1', '0'),
      c('RPUSH', 'src', 'a', 'b'),
      c('LMOVE', 'src', 'dst', 'LEFT', 'RIGHT'),
      c('RPOPLPUSH', 'src', 'dst'),
      c('LMPOP', '2', 'none', 'dst', 'RIGHT', 'COUNT', '5'),
      c('RPUSH', 'rot', 'a'),
      c('LMOVE', 'rot', 'rot', 'LEFT', 'RIGHT'),
    ],
  },
  {
    name: 'hashes and sets: HSET, HSETNX, HINCRBY(FLOAT), HDEL; SADD, SREM, SMOVE, SPOP (one, some, all), S*STORE',
    commands: [
      c('HSET', 'h', 'f', '1', 'g', '2'),
      c('HMSET', 'h', 'f', '3'),
      c('HSETNX', 'h', 'f', '4'),
      c('HSETNX', 'h', 'n', '4'),
      c('HINCRBY', 'h', 'f', '2'),
      c('HINCRBYFLOAT', 'h', 'x', '0.5'),
      c('HDEL', 'h', 'nope'),
      c('HDEL', 'h', 'f', 'g', 'n', 'x'),
      c('SADD', 's', 'a', 'b', 'c'),
      c('SADD', 's', 'a'),
      c('SREM', 's', 'a', 'zz'),
      c('SMOVE', 's', 't', 'b'),
      c('SMOVE', 's', 't', 'c'),
      c('SMOVE', 't', 't', 'c'),
      c('SADD', 'p', '1'),
      c('SPOP', 'p'),
      c('SADD', 'p', '1', '2', '3', '4', '5'),
      c('SPOP', 'p', '0'),
      c('SPOP', 'p', '9'),
      c('SADD', 'x', '1', '2'),
      c('SADD', 'y', '2', '3'),
      c('SINTERSTORE', 'd1', 'x', 'y'),
      c('SUNIONSTORE', 'd2', 'x', 'y'),
      c('SDIFFSTORE', 'd3', 'x', 'y'),
      c('SINTERSTORE', 'd1', 'x', 'nothing'),
      c('SDIFFSTORE', 'd2', 'x', 'x'),
    ],
  },
  {
    name: 'sorted sets: ZADD (INCR, no change), ZINCRBY, ZREM, ZREMRANGEBY*, ZPOPMIN/MAX, ZMPOP, Z*STORE, ZRANGESTORE',
    commands: [
      c('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'),
      c('ZADD', 'z', '1', 'a'),
      c('ZADD', 'z', 'INCR', '1', 'a'),
      c('ZINCRBY', 'z', '1', 'b'),
      c('ZREM', 'z', 'nope'),
      c('ZREM', 'z', 'a'),
      c('ZREMRANGEBYRANK', 'z', '0', '0'),
      c('ZREMRANGEBYSCORE', 'z', '100', '200'),
      c('ZADD', 'lex', '0', 'a', '0', 'b'),
      c('ZREMRANGEBYLEX', 'lex', '-', '+'),
      c('ZPOPMIN', 'z'),
      c('ZPOPMAX', 'z', '0'),
      c('ZADD', 'z2', '1', 'x', '2', 'y'),
      c('ZUNIONSTORE', 'u', '2', 'z', 'z2'),
      c('ZINTERSTORE', 'i', '2', 'z', 'z2'),
      c('ZDIFFSTORE', 'df', '1', 'z2'),
      c('ZRANGESTORE', 'rs', 'z2', '0', '-1'),
      c('ZRANGESTORE', 'rs', 'z2', '5', '6'),
      c('ZMPOP', '2', 'z', 'z2', 'MAX', 'COUNT', '10'),
      c('ZPOPMAX', 'z', '5'),
    ],
  },
  {
    name: 'generic: DEL, UNLINK, EXPIRE (future, past, flags), PERSIST, RENAME (over a key), RENAMENX, MOVE, COPY (REPLACE, DB), lazy expiry',
    commands: [
      c('MSET', 'a', '1', 'b', '2', 'c', '3'),
      c('DEL', 'a', 'missing', 'b'),
      c('UNLINK', 'c'),
      c('SET', 'k', 'v'),
      c('EXPIRE', 'k', '100'),
      c('EXPIRE', 'k', '50', 'GT'),
      c('PEXPIRE', 'k', '200000'),
      c('PERSIST', 'k'),
      c('PERSIST', 'k'),
      c('EXPIREAT', 'k', '1'),
      c('MSET', 'r1', '1', 'r2', '2'),
      c('RENAME', 'r1', 'r2'),
      c('RENAME', 'r2', 'r3'),
      c('RENAMENX', 'r3', 'r3'),
      c('SET', 'm', 'v'),
      c('MOVE', 'm', '1'),
      c('SET', 'cp', 'v'),
      c('COPY', 'cp', 'cp2'),
      c('COPY', 'cp', 'cp2', 'REPLACE'),
      c('COPY', 'cp', 'cp2', 'DB', '2'),
      c('COPY', 'nothing', 'cp3'),
      c('SET', 'short', 'v', 'PX', '1'),
      c('SLEEP', '20'),
      c('GET', 'short'),
      c('SELECT', '1'),
      c('FLUSHALL'),
    ],
  },
  {
    name: 'blocking pops served: the push, then the pop (and del) of each waiter, BLMOVE onto a new list',
    commands: [
      c('BLOCKED', 'BLPOP', 'q', '0'),
      c('BLOCKED', 'BZPOPMIN', 'zq', '0'),
      c('BLOCKED', 'BLMOVE', 'q2', 'dst', 'LEFT', 'LEFT', '0'),
      c('RPUSH', 'q', 'a', 'b'),
      c('ZADD', 'zq', '1', 'm'),
      c('RPUSH', 'q2', 'x'),
    ],
  },
  {
    name: 'bitmaps: SETBIT (changed or not), BITFIELD (with and without changes), BITOP to a key and to nothing',
    commands: [
      c('SETBIT', 'b', '7', '1'),
      c('SETBIT', 'b', '7', '1'),
      c('SETBIT', 'b', '100', '0'),
      c('BITFIELD', 'f', 'SET', 'u8', '0', '255', 'GET', 'u8', '0'),
      c('BITFIELD', 'f', 'GET', 'u8', '0'),
      c('BITFIELD', 'f', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '0', '1'),
      c('BITOP', 'OR', 'dest', 'b', 'f'),
      c('BITOP', 'AND', 'dest', 'none1', 'none2'),
    ],
  },
  {
    name: 'RESTORE: new key, REPLACE, and a past TTL deleting the replaced key',
    commands: [
      c('SET', 'src', 'value'),
      c('DUMP-INTO', 'payload', 'src'),
      c('RESTORE-FROM', 'copy', '0', 'payload'),
      c('RESTORE-FROM', 'copy', '0', 'payload', 'REPLACE'),
      c('RESTORE-FROM', 'copy', '1', 'payload', 'REPLACE', 'ABSTTL'),
    ],
  },
  {
    name: 'HyperLogLog, GEO and SORT: pfadd (PFMERGE too), zadd from GEOADD, the store commands and their del',
    commands: [
      c('PFADD', 'h1', 'a', 'b'),
      c('PFADD', 'h1', 'a'),
      c('PFADD', 'h2', 'c'),
      c('PFMERGE', 'h3', 'h1', 'h2'),
      c('GEOADD', 'g', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'),
      c('GEOSEARCHSTORE', 'gs', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km'),
      c('GEORADIUS', 'g', '15', '37', '200', 'km', 'STORE', 'gr'),
      c('GEOSEARCHSTORE', 'gs', 'g', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'),
      c('GEORADIUS', 'nosuch', '15', '37', '200', 'km', 'STORE', 'gr'),
      c('RPUSH', 'l', '3', '1', '2'),
      c('SORT', 'l', 'STORE', 'sorted'),
      c('SORT', 'empty', 'STORE', 'sorted'),
    ],
  },
  {
    name: 'only keyevent notifications for lists: other classes and keyspace channels stay quiet',
    classes: 'El',
    commands: [c('SET', 'a', '1'), c('RPUSH', 'l', 'x'), c('LPOP', 'l'), c('DEL', 'a'), c('GET', 'missing')],
  },
  {
    name: 'keyspace only, generic and expired, with new keys: n is kept even though CONFIG GET hides it behind A',
    classes: 'AnK',
    commands: [c('SET', 'a', '1'), c('SET', 'a', '2'), c('HSET', 'h', 'f', 'v'), c('EXPIRE', 'a', '0'), c('CONFIG', 'GET', 'notify-keyspace-events')],
  },
  {
    name: 'a RESP3 subscriber gets push messages',
    resp3: true,
    commands: [c('SET', 'a', '1'), c('INCR', 'a'), c('DEL', 'a')],
  },
  {
    name: 'inside MULTI/EXEC each command publishes as it runs',
    commands: [c('MULTI'), c('SET', 'a', '1'), c('LPUSH', 'l', 'x'), c('DEL', 'a'), c('EXEC')],
  },
  {
    name: 'streams: XADD (new key, trimming), XTRIM, XDEL, XSETID, no-ops and read misses',
    commands: [
      c('XADD', 's', '1-0', 'f', 'v'), c('XADD', 's', 'MAXLEN', '1', '2-0', 'f', 'v'), c('XADD', 's', 'MAXLEN', '5', '3-0', 'f', 'v'),
      c('XTRIM', 's', 'MAXLEN', '0'), c('XTRIM', 's', 'MAXLEN', '0'), c('XADD', 's', '4-0', 'f', 'v'), c('XDEL', 's', '4-0'),
      c('XDEL', 's', '4-0'), c('XSETID', 's', '9-0'), c('XADD', 'n', 'NOMKSTREAM', '1-0', 'f', 'v'), c('XLEN', 'nosuch'),
      c('XRANGE', 'nosuch', '-', '+'), c('XREAD', 'STREAMS', 'nosuch', 's', '0', '0'), c('XADD', 's', '1-0', 'f', 'v'),
    ],
  },
  {
    name: 'stream groups: XGROUP subcommands, consumers created by XREADGROUP, XCLAIM and XAUTOCLAIM',
    commands: [
      c('XGROUP', 'CREATE', 'g', 'grp', '$', 'MKSTREAM'), c('XGROUP', 'CREATE', 'g', 'grp', '$'), c('XADD', 'g', '1-0', 'f', 'v'),
      c('XGROUP', 'CREATECONSUMER', 'g', 'grp', 'c1'), c('XGROUP', 'CREATECONSUMER', 'g', 'grp', 'c1'),
      c('XREADGROUP', 'GROUP', 'grp', 'c2', 'STREAMS', 'g', '>'), c('XACK', 'g', 'grp', '1-0'),
      c('XCLAIM', 'g', 'grp', 'c3', '0', '1-0', 'FORCE', 'JUSTID'), c('XAUTOCLAIM', 'g', 'grp', 'c4', '0', '0', 'JUSTID'),
      c('XGROUP', 'SETID', 'g', 'grp', '0'), c('XGROUP', 'DELCONSUMER', 'g', 'grp', 'c1'), c('XGROUP', 'DELCONSUMER', 'g', 'grp', 'zz'),
      c('XGROUP', 'DESTROY', 'g', 'grp'), c('XGROUP', 'DESTROY', 'g', 'grp'), c('XINFO', 'STREAM', 'nosuch'),
    ],
  },
];

describeWithRedis('differential: keyspace notifications', () => {
  const servers = realAndBundledPair();
  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      const [expected, actual] = await servers.onBoth((host, port) => play(host, port, scenario));
      expect(actual.replies).toEqual(expected.replies);
      expect(actual.events).toEqual(expected.events);
      // A scenario that publishes nothing would prove nothing.
      expect(expected.events.length).toBeGreaterThan(0);
    });
  }
});

describeDifferential('notify-keyspace-events configuration', [
  {
    name: 'CONFIG GET shows the flags normalised as Redis prints them; a bad class is refused',
    steps: [
      ...['AKE', 'KEA', 'g$lshzxetd', 'g$lshzxetdK', 'AnKE', 'nE', 'mE', 'Em', 'xeK', 'lls', 'Ag', 'A', 'K', 'd', 't$', ''].flatMap((classes) => [
        c('CONFIG', 'SET', 'notify-keyspace-events', classes),
        c('CONFIG', 'GET', 'notify-keyspace-events'),
      ]),
      c('CONFIG', 'SET', 'notify-keyspace-events', 'KEQ'),
      c('CONFIG', 'SET', 'notify-keyspace-events', 'a'),
      c('CONFIG', 'GET', 'notify-keyspace-events'),
      c('CONFIG', 'SET', 'notify-keyspace-events', ''),
    ],
  },
]);
