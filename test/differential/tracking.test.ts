// CLIENT TRACKING against a real redis-server 7.0: each scenario runs over several connections on
// both servers and every reply and push is compared byte for byte (client ids masked), including
// where an invalidation lands relative to a reply, redirects to RESP2 subscribers, and errors.

import { expect, it } from 'vitest';
import { describeDifferential, realAndBundledPair } from '../helpers/differential';
import { describeWithRedis } from '../helpers/redis-server';
import { RawConnection } from '../helpers/raw-connection';

const CONNECTIONS = 3;

/** Connection `c` sends `cmd` (`<id:N>` stands for connection N's id) and reads one reply. */
interface Send {
  c: number;
  cmd: string[];
}
/** Connection `read` reads one more message (a push, a Pub/Sub message). */
interface Read {
  read: number;
}
/** Connection `close` closes. */
interface Close {
  close: number;
}
/** Connection `post` sends `cmd` without reading its reply (a command that blocks). */
interface Post {
  post: number;
  cmd: string[];
}
/** The scenario waits (a key's TTL running out, a blocked command reaching the server). */
interface Wait {
  waitMs: number;
}
type Step = Send | Read | Close | Post | Wait;

const s = (c: number, ...cmd: string[]): Send => ({ c, cmd });
const r = (read: number): Read => ({ read });
const p = (post: number, ...cmd: string[]): Post => ({ post, cmd });
const w = (waitMs: number): Wait => ({ waitMs });

async function play(host: string, port: number, steps: Step[]): Promise<string[]> {
  const conns = await Promise.all(Array.from({ length: CONNECTIONS }, () => RawConnection.open(host, port)));
  const transcript: string[] = [];
  try {
    await conns[0].command(['FLUSHALL']);
    const ids = await Promise.all(conns.map(async (conn) => /:(\d+)/.exec(await conn.command(['CLIENT', 'ID']))![1]));
    // Client ids differ between the servers: HELLO's id, and the redirect ids tracking reports.
    const mask = (text: string) => {
      const hello = text.replace(/(\$2\r\nid\r\n):\d+\r\n/, '$1:ID\r\n');
      if (!/redirect|tracking-redir-broken|^:\d+\r\n$/.test(hello)) return hello;
      return ids.reduce((out, id, i) => out.replaceAll(`:${id}\r\n`, `:<id:${i}>\r\n`), hello);
    };
    for (const step of steps) {
      if ('waitMs' in step) {
        await new Promise((resolve) => setTimeout(resolve, step.waitMs));
        continue;
      }
      if ('post' in step) {
        conns[step.post].send(step.cmd);
        transcript.push(`${step.post} ${step.cmd.join(' ')}`);
        continue;
      }
      if ('close' in step) {
        conns[step.close].close();
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      if ('read' in step) {
        transcript.push(`${step.read} <- ${mask((await conns[step.read].readReply(3000)).toString('latin1'))}`);
        continue;
      }
      const cmd = step.cmd.map((arg) => arg.replace(/^<id:(\d)>$/, (_, n: string) => ids[Number(n)]));
      conns[step.c].send(cmd);
      transcript.push(`${step.c} ${step.cmd.join(' ')} -> ${mask((await conns[step.c].readReply(3000)).toString('latin1'))}`);
    }
  } finally {
    for (const conn of conns) conn.close();
  }
  return transcript;
}

interface Scenario {
  name: string;
  steps: Step[];
  /** Masks what legitimately differs (a key Redis picks at random). */
  mask?: (line: string) => string;
}

const scenarios: Scenario[] = [
  {
    name: "a script that reads has its declared keys tracked for its caller (not the keys it read); EVAL_RO's own keys are not",
    steps: [
      s(0, 'HELLO', '3'),
      s(0, 'CLIENT', 'TRACKING', 'ON'),
      s(0, 'EVAL', "redis.call('set', 'written', 'v')", '1', 'declared'),
      s(1, 'MSET', 'declared', '1', 'written', '1'),
      s(0, 'PING'),
      s(0, 'EVAL', "redis.call('get', 'other')", '1', 'declared'),
      s(1, 'MSET', 'declared', '2', 'other', '2'),
      r(0),
      s(0, 'PING'),
      s(0, 'EVAL_RO', "redis.call('ping')", '2', 'k1', 'k2'),
      s(1, 'MSET', 'k1', '1', 'k2', '1'),
      s(0, 'PING'),
      s(0, 'FUNCTION', 'LOAD', 'REPLACE', "#!lua name=trk\nredis.register_function{function_name='rd', callback=function(keys) return redis.call('get', 'elsewhere') end, flags={'no-writes'}}"),
      s(0, 'FCALL_RO', 'rd', '1', 'fkey'),
      s(1, 'SET', 'fkey', '1'),
      r(0),
      s(0, 'FUNCTION', 'DELETE', 'trk'),
    ],
  },
  {
    name: 'default mode: a read key is invalidated once, on the first change by anyone; MGET and a missing key count too',
    steps: [
      s(0, 'HELLO', '3'),
      s(0, 'CLIENT', 'TRACKING', 'ON'),
      s(1, 'SET', 'k', 'v'),
      s(0, 'GET', 'k'),
      s(0, 'MGET', 'a', 'b'),
      s(1, 'SET', 'k', 'w'),
      r(0),
      s(1, 'SET', 'k', 'x'),
      s(1, 'MSET', 'a', '1', 'b', '2'),
      r(0),
      r(0),
      s(0, 'PING'),
      s(1, 'INFO', 'stats'),
    ],
  },
  {
    name: 'the tracking client changing its own key gets the invalidation after its reply; EXEC too; NOLOOP silences it',
    steps: [
      s(0, 'HELLO', '3'),
      s(0, 'CLIENT', 'TRACKING', 'ON'),
      s(0, 'GET', 'k'),
      s(0, 'SET', 'k', 'v'),
      r(0),
      s(0, 'GET', 'k'),
      s(0, 'MULTI'),
      s(0, 'GET', 'k'),
      s(0, 'SET', 'k', 'v2'),
      s(0, 'EXEC'),
      r(0),
      s(0, 'CLIENT', 'TRACKING', 'ON', 'NOLOOP'),
      s(0, 'GET', 'k'),
      s(0, 'DEL', 'k'),
      s(0, 'PING'),
      s(0, 'CLIENT', 'TRACKINGINFO'),
    ],
  },
  {
    name: 'OPTIN and OPTOUT with CLIENT CACHING for the next command only',
    steps: [
      s(0, 'HELLO', '3'),
      s(0, 'CLIENT', 'TRACKING', 'ON', 'OPTIN'),
      s(0, 'GET', 'a'),
      s(0, 'CLIENT', 'CACHING', 'YES'),
      s(0, 'CLIENT', 'TRACKINGINFO'),
      s(0, 'GET', 'b'),
      s(0, 'GET', 'c'),
      s(1, 'MSET', 'a', '1', 'b', '2', 'c', '3'),
      r(0),
      s(0, 'PING'),
      s(2, 'HELLO', '3'),
      s(2, 'CLIENT', 'TRACKING', 'ON', 'OPTOUT'),
      s(2, 'CLIENT', 'CACHING', 'NO'),
      s(2, 'GET', 'x'),
      s(2, 'GET', 'y'),
      s(1, 'MSET', 'x', '1', 'y', '2'),
      r(2),
      s(2, 'PING'),
    ],
  },
  {
    name: 'BCAST with prefixes: changes are batched per event-loop turn, other prefixes stay quiet',
    steps: [
      s(0, 'HELLO', '3'),
      s(0, 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'user:', 'PREFIX', 'order:'),
      s(1, 'SET', 'user:1', 'a'),
      r(0),
      s(1, 'SET', 'other', 'b'),
      s(1, 'MSET', 'order:2', 'x', 'user:3', 'y', 'order:1', 'z'),
      r(0),
      r(0),
      s(0, 'PING'),
      s(0, 'CLIENT', 'TRACKINGINFO'),
      s(1, 'INFO', 'stats'),
      s(0, 'CLIENT', 'TRACKING', 'OFF'),
      s(1, 'SET', 'user:1', 'b'),
      s(0, 'PING'),
    ],
  },
  {
    name: 'a RESP2 client redirects to a RESP2 subscriber of __redis__:invalidate; FLUSHALL sends a null; a closed target breaks the redirect',
    steps: [
      s(2, 'SUBSCRIBE', '__redis__:invalidate'),
      s(0, 'CLIENT', 'TRACKING', 'ON', 'REDIRECT', '<id:2>'),
      s(0, 'CLIENT', 'GETREDIR'),
      s(0, 'GET', 'k'),
      s(1, 'SET', 'k', 'v'),
      r(2),
      s(1, 'FLUSHALL'),
      r(2),
      { close: 2 },
      s(0, 'GET', 'j'),
      s(1, 'SET', 'j', 'v'),
      s(0, 'CLIENT', 'TRACKINGINFO'),
      s(0, 'HELLO', '3'),
      s(0, 'GET', 'j'),
      s(1, 'SET', 'j', 'w'),
      r(0),
    ],
  },
  {
    name: 'a RESP3 tracking client gets FLUSHDB as a null invalidation, once',
    steps: [s(0, 'HELLO', '3'), s(0, 'CLIENT', 'TRACKING', 'ON'), s(0, 'GET', 'k'), s(1, 'FLUSHDB'), r(0), s(1, 'FLUSHALL'), r(0), s(0, 'PING')],
  },
];

describeWithRedis('differential: CLIENT TRACKING', () => {
  const servers = realAndBundledPair();
  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      const [expected, actual] = await servers.onBoth((host, port) => play(host, port, scenario.steps));
      const onlyTracking = (lines: string[]) => lines.map((line) => (line.includes('INFO stats') ? (line.match(/tracking_[a-z_]+:\d+/g) ?? []).join(' ') : line));
      expect(onlyTracking(actual)).toEqual(onlyTracking(expected));
    });
  }
});

/** Scenarios that need DEBUG (SET-ACTIVE-EXPIRE, SLEEP, PAUSE-CRON); each undoes its settings at its end. */
const debugScenarios: Scenario[] = [
  {
    name: 'a key found expired by a NOLOOP BCAST client is still broadcast to it: the server deleted it, not the client',
    steps: [
      s(0, 'DEBUG', 'SET-ACTIVE-EXPIRE', '0'),
      s(1, 'SUBSCRIBE', '__redis__:invalidate'),
      s(0, 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'REDIRECT', '<id:1>', 'NOLOOP'),
      s(0, 'SET', 'k', 'v', 'PX', '1'),
      s(0, 'SET', 'other', 'v'),
      w(20),
      s(0, 'GET', 'k'),
      r(1),
      s(0, 'DEBUG', 'SET-ACTIVE-EXPIRE', '1'),
    ],
  },
  {
    name: 'EXEC judges expiry by the time it started: a key whose TTL runs out during the transaction is read, then expires',
    steps: [
      s(1, 'SUBSCRIBE', '__redis__:invalidate'),
      s(0, 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'REDIRECT', '<id:1>', 'NOLOOP'),
      s(0, 'MULTI'),
      s(0, 'SET', 'k', 'v', 'PX', '1'),
      s(0, 'DEBUG', 'SLEEP', '0.05'),
      s(0, 'GET', 'k'),
      s(0, 'PTTL', 'k'),
      s(0, 'EXEC'),
      r(1),
      s(0, 'EXISTS', 'k'),
    ],
  },
  {
    name: 'an unblocked BLMOVE gets its reply before the invalidation of the key it pushed to',
    steps: [
      s(0, 'RPUSH', 'list2{t}', 'a'),
      s(1, 'HELLO', '3'),
      s(1, 'CLIENT', 'TRACKING', 'ON'),
      s(1, 'LRANGE', 'list2{t}', '0', '-1'),
      p(1, 'BLMOVE', 'list1{t}', 'list2{t}', 'LEFT', 'LEFT', '0'),
      w(50),
      s(0, 'RPUSH', 'list1{t}', 'foo'),
      r(1),
      r(1),
    ],
  },
  {
    name: 'a command queued in MULTI applies tracking-table-max-keys first; DEBUG PAUSE-CRON keeps the cron from doing it',
    mask: (line) => line.replace(/\$6\r\n[12]\{tag\}/g, '$6\r\nK{tag}'),
    steps: [
      s(0, 'CONFIG', 'SET', 'tracking-table-max-keys', '2'),
      s(0, 'DEBUG', 'PAUSE-CRON', '1'),
      s(1, 'HELLO', '3'),
      s(1, 'CLIENT', 'TRACKING', 'ON'),
      s(1, 'MGET', '1{tag}', '2{tag}'),
      s(1, 'MULTI'),
      s(0, 'CONFIG', 'SET', 'tracking-table-max-keys', '1'),
      s(1, 'PING'),
      r(1),
      s(1, 'EXEC'),
      s(0, 'DEBUG', 'PAUSE-CRON', '0'),
      s(0, 'CONFIG', 'SET', 'tracking-table-max-keys', '1000000'),
    ],
  },
  {
    name: 'on an idle server the cron applies a lowered tracking-table-max-keys',
    mask: (line) => line.replace(/\$1\r\n[ab]\r\n/g, '$1\r\nK\r\n'),
    steps: [
      s(0, 'HELLO', '3'),
      s(0, 'CLIENT', 'TRACKING', 'ON'),
      s(0, 'MGET', 'a', 'b'),
      s(1, 'CONFIG', 'SET', 'tracking-table-max-keys', '1'),
      r(0),
      s(1, 'CONFIG', 'SET', 'tracking-table-max-keys', '1000000'),
    ],
  },
];

describeWithRedis('differential: CLIENT TRACKING with DEBUG', () => {
  const servers = realAndBundledPair({ 'enable-debug-command': 'yes' });
  for (const scenario of debugScenarios) {
    it(scenario.name, async () => {
      // A scenario that failed half-way must not leave its settings to the next one.
      await servers.onBoth(async (host, port) => {
        const conn = await RawConnection.open(host, port);
        for (const cmd of [['CONFIG', 'SET', 'tracking-table-max-keys', '1000000'], ['DEBUG', 'PAUSE-CRON', '0'], ['DEBUG', 'SET-ACTIVE-EXPIRE', '1']]) await conn.command(cmd);
        conn.close();
      });
      const [expected, actual] = await servers.onBoth((host, port) => play(host, port, scenario.steps));
      const mask = scenario.mask ?? ((line: string) => line);
      expect(actual.map(mask)).toEqual(expected.map(mask));
    });
  }
});

describeWithRedis('differential: tracking-table-max-keys', () => {
  const servers = realAndBundledPair();

  it('over the cap, remembered keys are invalidated before the next command until the table fits', async () => {
    const [expected, actual] = await servers.onBoth(async (host, port) => {
      const tracker = await RawConnection.open(host, port);
      try {
        await tracker.command(['HELLO', '3']);
        await tracker.command(['CONFIG', 'SET', 'tracking-table-max-keys', '2']);
        await tracker.command(['CLIENT', 'TRACKING', 'ON']);
        let pushes = 0;
        /** The reply to `cmd`, counting the invalidations of evicted keys that arrive before it. */
        const run = async (cmd: string[]) => {
          tracker.send(cmd);
          for (;;) {
            const reply = (await tracker.readReply(3000)).toString('latin1');
            if (!reply.startsWith('>')) return reply;
            pushes++;
          }
        };
        for (const key of ['k1', 'k2', 'k3', 'k4', 'k5']) await run(['GET', key]);
        const info = await run(['INFO', 'stats']);
        await tracker.command(['CONFIG', 'SET', 'tracking-table-max-keys', '1000000']);
        return { pushes, keys: /tracking_total_keys:(\d+)/.exec(info)?.[1] };
      } finally {
        tracker.close();
      }
    });
    expect(actual).toEqual(expected);
    expect(expected).toEqual({ pushes: 3, keys: '2' });
  });
});

describeDifferential('CLIENT TRACKING arguments', [
  {
    name: 'option errors in Redis order, CACHING misuse, GETREDIR and TRACKINGINFO when off',
    resp3: true,
    steps: [
      ['CLIENT', 'GETREDIR'],
      ['CLIENT', 'TRACKINGINFO'],
      ['CLIENT', 'CACHING', 'YES'],
      ['CLIENT', 'TRACKING', 'MAYBE'],
      ['CLIENT', 'TRACKING', 'ON', 'PREFIX', 'a'],
      ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'OPTIN'],
      ['CLIENT', 'TRACKING', 'ON', 'OPTIN', 'OPTOUT'],
      ['CLIENT', 'TRACKING', 'ON', 'REDIRECT', '999999'],
      ['CLIENT', 'TRACKING', 'ON', 'REDIRECT', 'x'],
      ['CLIENT', 'TRACKING', 'ON', 'NOSUCHOPTION'],
      ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'ab', 'PREFIX', 'a'],
      ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'ab'],
      ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'abc'],
      ['CLIENT', 'TRACKING', 'ON'],
      ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'b'],
      ['CLIENT', 'TRACKINGINFO'],
      ['CLIENT', 'CACHING', 'YES'],
      ['CLIENT', 'TRACKING', 'OFF'],
      ['CLIENT', 'TRACKING', 'ON', 'OPTOUT'],
      ['CLIENT', 'TRACKING', 'ON', 'OPTIN'],
      ['CLIENT', 'CACHING', 'YES'],
      ['CLIENT', 'CACHING', 'MAYBE'],
      ['CLIENT', 'CACHING', 'NO'],
      ['CLIENT', 'TRACKINGINFO'],
      ['CLIENT', 'GETREDIR'],
      ['CLIENT', 'TRACKING', 'OFF'],
    ],
  },
]);
