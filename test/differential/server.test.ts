// Server and client command groups against a real redis-server: argument errors, CONFIG GET/SET,
// CLIENT name handling, COMMAND metadata, INFO sections with fixed content, plus raw-connection
// cases for replies that are not one-reply-per-command (CLIENT REPLY, CLIENT KILL).

import { expect, it } from 'vitest';
import { describeDifferential, pairs, setup, unordered, realAndBundledPair } from '../helpers/differential';
import { describeWithRedis, startRedisServer } from '../helpers/redis-server';
import { startNode } from '../helpers/bundled-node';
import { RawConnection } from '../helpers/raw-connection';

describeDifferential('server: CONFIG', [
  {
    name: 'CONFIG arity and unknown subcommands',
    steps: [['CONFIG'], ['CONFIG', 'NOSUCH'], ['CONFIG', 'GET'], ['CONFIG', 'SET', 'port'], ['CONFIG', 'RESETSTAT', 'x'], ['CONFIG', 'REWRITE', 'x'], ['CONFIG', 'HELP', 'x'], ['CONFIG', 'HELP']],
  },
  {
    name: 'CONFIG SET names: unknown, immutable, protected, duplicate, odd arguments',
    steps: [
      ['CONFIG', 'SET', 'foo', '1'],
      ['CONFIG', 'SET', 'a', 'b', 'c'],
      ['CONFIG', 'SET', 'daemonize', 'yes'],
      ['CONFIG', 'SET', 'databases', '4'],
      ['CONFIG', 'SET', 'replicaof', 'x'],
      ['CONFIG', 'SET', 'slaveof', 'x'],
      ['CONFIG', 'SET', 'pidfile', '/tmp/x.pid'],
      ['CONFIG', 'SET', 'dir', '/tmp'],
      ['CONFIG', 'SET', 'dbfilename', 'x.rdb'],
      ['CONFIG', 'SET', 'hz', '5', 'hz', '6'],
      ['CONFIG', 'SET', 'hz', '5', 'HZ', '6'],
      ['CONFIG', 'SET', 'hz', '1', 'foo', '2', 'daemonize', 'yes'],
      ['CONFIG', 'SET', 'daemonize', 'yes', 'foo', '2'],
      ['CONFIG', 'GET', 'hz'],
    ],
  },
  {
    name: 'CONFIG SET value errors name the argument',
    steps: [
      ['CONFIG', 'SET', 'port', 'x'],
      ['CONFIG', 'SET', 'port', '99999'],
      ['CONFIG', 'SET', 'timeout', '-1'],
      ['CONFIG', 'SET', 'maxmemory', 'abc'],
      ['CONFIG', 'SET', 'maxmemory', '-1'],
      ['CONFIG', 'SET', 'appendonly', 'maybe'],
      ['CONFIG', 'SET', 'save', '1 2 3'],
      ['CONFIG', 'SET', 'slave-priority', 'x'],
      ['CONFIG', 'SET', 'SLAVE-PRIORITY', 'x'],
      ['CONFIG', 'SET', 'loglevel', 'loud'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'none'],
      ['CONFIG', 'SET', 'hz', 'x', 'maxmemory', 'y'],
      ['CONFIG', 'SET', 'hz', '5', 'port', 'x'],
      ['CONFIG', 'GET', 'hz'],
    ],
  },
  {
    name: 'CONFIG SET then GET single directives',
    steps: [
      ['CONFIG', 'SET', 'hz', '15', 'timeout', '300'],
      ['CONFIG', 'GET', 'hz'],
      ['CONFIG', 'GET', 'HZ'],
      ['CONFIG', 'GET', 'timeout'],
      ['CONFIG', 'SET', 'maxmemory', '1mb'],
      ['CONFIG', 'GET', 'maxmemory'],
      ['CONFIG', 'SET', 'maxmemory', '3gb'],
      ['CONFIG', 'GET', 'maxmemory'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'ALLKEYS-LRU'],
      ['CONFIG', 'GET', 'maxmemory-policy'],
      ['CONFIG', 'SET', 'slave-priority', '5', 'replica-priority', '6'],
      ['CONFIG', 'GET', 'slave-priority'],
      ['CONFIG', 'GET', 'replica-priority'],
      ['CONFIG', 'SET', 'loglevel', 'VERBOSE'],
      ['CONFIG', 'GET', 'loglevel'],
      ['CONFIG', 'SET', 'save', ''],
      ['CONFIG', 'GET', 'save'],
      ['CONFIG', 'SET', 'save', '100 10 20 5'],
      ['CONFIG', 'GET', 'save'],
      ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1 2 3'],
      ['CONFIG', 'GET', 'client-output-buffer-limit'],
      ['CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1mb 2mb 7'],
      ['CONFIG', 'GET', 'client-output-buffer-limit'],
      ['CONFIG', 'SET', 'repl-backlog-size', '2mb'],
      ['CONFIG', 'GET', 'repl-backlog-size'],
      ['CONFIG', 'SET', 'protected-mode', 'YES'],
      ['CONFIG', 'GET', 'protected-mode'],
      pairs('CONFIG', 'GET', 'hz', 'HZ', 'timeout', 'nosuch'),
      ['CONFIG', 'GET', 'nosuch'],
      // Back to the defaults the shared servers started with.
      setup('CONFIG', 'SET', 'hz', '10', 'timeout', '0', 'maxmemory', '0', 'maxmemory-policy', 'noeviction', 'replica-priority', '100'),
      setup('CONFIG', 'SET', 'slave-priority', '100', 'loglevel', 'notice', 'save', '', 'repl-backlog-size', '1mb', 'protected-mode', 'no'),
      setup('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0 pubsub 33554432 8388608 60'),
    ],
  },
  {
    // rctl fences a demoted master with these: writes refused while it has too few replicas, and
    // min-replicas-max-lag 0 switching the check off altogether.
    name: 'min-replicas-to-write refuses writes; min-replicas-max-lag 0 turns the check off',
    steps: [
      ['CONFIG', 'SET', 'min-replicas-to-write', '2147483647', 'min-replicas-max-lag', '10'],
      ['SET', 'fenced', '1'],
      ['MULTI'],
      ['SET', 'fenced', '2'],
      ['EXEC'],
      ['GET', 'fenced'],
      ['CONFIG', 'SET', 'min-replicas-max-lag', '0'],
      ['SET', 'fenced', '3'],
      ['GET', 'fenced'],
      pairs('CONFIG', 'GET', 'min-replicas-to-write', 'min-replicas-max-lag'),
      setup('CONFIG', 'SET', 'min-replicas-to-write', '0', 'min-replicas-max-lag', '10'),
    ],
  },
  {
    // Redis refuses a write it would refuse anyway before the pause can hold it: with a 60 s
    // pause, a node that held it first would not answer within the test's time.
    name: 'a write refused with NOREPLICAS is refused at once while writes are paused',
    steps: [
      setup('CONFIG', 'SET', 'min-replicas-to-write', '5', 'min-replicas-max-lag', '10'),
      ['CLIENT', 'PAUSE', '60000', 'WRITE'],
      ['SET', 'paused', '1'],
      ['GET', 'paused'],
      ['CLIENT', 'UNPAUSE'],
      setup('CONFIG', 'SET', 'min-replicas-to-write', '0'),
    ],
  },
  {
    name: 'CONFIG GET patterns',
    steps: [
      pairs('CONFIG', 'GET', 'repl-diskless-*'),
      pairs('CONFIG', 'GET', 'REPL-DISKLESS-*'),
      pairs('CONFIG', 'GET', 'maxmemory-p*'),
      pairs('CONFIG', 'GET', 'slave-*-only', 'replica-pri*', 'slave-serve-stale-data'),
      pairs('CONFIG', 'GET', 'zset-max-*-entries', 'set-max-*'),
      pairs('CONFIG', 'GET', 'h?'),
      ['CONFIG', 'GET', 'nosuch*'],
    ],
  },
  { name: 'CONFIG GET in RESP3 is a map', resp3: true, steps: [['CONFIG', 'GET', 'hz'], ['CONFIG', 'GET', 'nosuch']] },
]);

describeDifferential('server: INFO, TIME, LASTSAVE, ROLE, SHUTDOWN, DEBUG, MEMORY', [
  {
    name: 'INFO with sections of fixed content',
    steps: [
      ['INFO', 'nosuch'],
      ['INFO', 'cluster'],
      ['INFO', 'CLUSTER', 'cluster', 'Keyspace'],
      ['INFO', 'modules'],
      ['INFO', 'keyspace'],
    ],
  },
  { name: 'INFO in RESP3 is verbatim text', resp3: true, steps: [['INFO', 'cluster'], ['INFO', 'nosuch']] },
  { name: 'TIME, LASTSAVE and ROLE arity', steps: [['TIME', 'x'], ['LASTSAVE', 'x'], ['ROLE', 'x'], ['ROLE']] },
  {
    name: 'SHUTDOWN argument errors and ABORT without a shutdown',
    steps: [['SHUTDOWN', 'ABORT'], ['SHUTDOWN', 'FOO'], ['SHUTDOWN', 'SAVE', 'NOSAVE'], ['SHUTDOWN', 'ABORT', 'NOW'], ['SHUTDOWN', 'ABORT', 'x'], ['SHUTDOWN', 'NOSAVE', 'NOW', 'SAVE']],
  },
  { name: 'DEBUG is refused by default', steps: [['DEBUG', 'SLEEP', '0'], ['DEBUG']] },
  {
    name: 'MEMORY subcommands and argument errors',
    steps: [
      ['MEMORY', 'USAGE', 'nosuch'],
      ['MEMORY', 'USAGE', 'a', 'SAMPLES'],
      ['MEMORY', 'USAGE', 'a', 'SAMPLES', 'x'],
      ['MEMORY', 'USAGE', 'a', 'SAMPLES', '-1'],
      ['MEMORY', 'USAGE', 'a', 'FOO', '1'],
      ['MEMORY', 'USAGE', 'nosuch', 'samples', '0'],
      ['MEMORY', 'FOO'],
      ['MEMORY', 'HELP'],
      ['MEMORY', 'PURGE'],
      ['MEMORY'],
    ],
  },
]);

describeDifferential('server: COMMAND', [
  {
    name: 'COMMAND INFO of commands with fixed metadata',
    steps: [
      ['COMMAND', 'INFO', 'ping'],
      ['COMMAND', 'INFO', 'PING', 'nosuch', 'echo'],
      ['COMMAND', 'INFO', 'config|get'],
      ['COMMAND', 'INFO', 'config|set', 'client|kill', 'client|list'],
      ['COMMAND', 'INFO', 'info', 'time', 'lastsave', 'role'],
      ['COMMAND', 'INFO', 'subscribe', 'unsubscribe', 'publish', 'pubsub|numsub'],
      ['COMMAND', 'INFO', 'watch', 'memory|usage', 'shutdown'],
      ['COMMAND', 'INFO', 'config|nosuch', 'a|b|c'],
    ],
  },
  { name: 'COMMAND INFO in RESP3 uses sets and maps', resp3: true, steps: [['COMMAND', 'INFO', 'watch', 'config|get']] },
  {
    name: 'COMMAND DOCS with arguments, history and key spec indexes',
    steps: [
      ['COMMAND', 'DOCS', 'get'],
      ['COMMAND', 'DOCS', 'set'],
      ['COMMAND', 'DOCS', 'config|get', 'client|kill', 'client|list'],
      ['COMMAND', 'DOCS', 'zadd', 'lpos', 'expire', 'scan', 'zrangestore'],
      ['COMMAND', 'DOCS', 'subscribe', 'publish', 'shutdown', 'info'],
    ],
  },
  {
    name: 'COMMAND DOCS of commands without arguments',
    steps: [
      ['COMMAND', 'DOCS', 'time'],
      ['COMMAND', 'DOCS', 'lastsave', 'role', 'nosuch'],
      ['COMMAND', 'DOCS', 'config|resetstat', 'client|id', 'pubsub|numpat'],
      ['COMMAND', 'DOCS', 'nosuch'],
    ],
  },
  { name: 'COMMAND DOCS in RESP3', resp3: true, steps: [['COMMAND', 'DOCS', 'time', 'client|getname'], ['COMMAND', 'DOCS', 'set', 'hset']] },
  {
    name: 'COMMAND LIST filters',
    steps: [
      unordered('COMMAND', 'LIST', 'FILTERBY', 'pattern', 'config*'),
      unordered('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'PUBSUB*'),
      unordered('COMMAND', 'LIST', 'FILTERBY', 'pattern', 'command*'),
      ['COMMAND', 'LIST', 'FILTERBY', 'aclcat', 'nosuch'],
      ['COMMAND', 'LIST', 'FILTERBY', 'module', 'nosuch'],
      ['COMMAND', 'LIST', 'FILTERBY'],
      ['COMMAND', 'LIST', 'FOO', 'a', 'b'],
      ['COMMAND', 'LIST', 'FILTERBY', 'color', 'x'],
    ],
  },
  {
    name: 'COMMAND GETKEYS',
    steps: [
      ['COMMAND', 'GETKEYS', 'watch', 'a', 'b'],
      ['COMMAND', 'GETKEYS', 'memory', 'usage', 'k'],
      ['COMMAND', 'GETKEYS', 'ping'],
      ['COMMAND', 'GETKEYS', 'ping', 'x'],
      ['COMMAND', 'GETKEYS', 'nosuch', 'x'],
      ['COMMAND', 'GETKEYS', 'config', 'get', 'x'],
      ['COMMAND', 'GETKEYS', 'memory', 'usage'],
      ['COMMAND', 'GETKEYSANDFLAGS', 'watch', 'a', 'b'],
      // SET and BITFIELD have variable key flags: their own procedures decide them from the arguments.
      ['COMMAND', 'GETKEYSANDFLAGS', 'set', 'k1', 'v1'],
      ['COMMAND', 'GETKEYSANDFLAGS', 'set', 'k1', 'v1', 'EX', '10', 'get'],
      ['COMMAND', 'GETKEYSANDFLAGS', 'bitfield', 'k', 'GET', 'u8', '0', 'OVERFLOW', 'WRAP'],
      ['COMMAND', 'GETKEYSANDFLAGS', 'bitfield', 'k', 'GET', 'u8', '0', 'INCRBY', 'u8', '0', '1'],
      ['COMMAND', 'GETKEYSANDFLAGS', 'bitfield', 'k', 'bogus'],
      ['COMMAND', 'GETKEYSANDFLAGS', 'bitfield_ro', 'k', 'GET', 'u8', '0'],
    ],
  },
  { name: 'COMMAND HELP and errors', steps: [['COMMAND', 'HELP'], ['COMMAND', 'COUNT', 'x'], ['COMMAND', 'NOSUCH'], ['COMMAND', 'GETKEYS']] },
]);

describeDifferential('client', [
  { name: 'CLIENT arity and unknown subcommands', steps: [['CLIENT'], ['CLIENT', 'NOSUCH'], ['CLIENT', 'ID', 'x'], ['CLIENT', 'NO-TOUCH', 'on'], ['CLIENT', 'HELP']] },
  {
    name: 'CLIENT SETNAME and GETNAME',
    steps: [
      ['CLIENT', 'GETNAME'],
      ['CLIENT', 'SETNAME', 'a b'],
      ['CLIENT', 'SETNAME', 'x\ny'],
      ['CLIENT', 'SETNAME', 'caf\xe9'],
      ['CLIENT', 'SETNAME', 'worker-1'],
      ['CLIENT', 'GETNAME'],
      ['CLIENT', 'SETNAME', ''],
      ['CLIENT', 'GETNAME'],
      ['CLIENT', 'SETNAME', 'a', 'b'],
    ],
  },
  {
    name: 'CLIENT KILL argument errors',
    steps: [
      ['CLIENT', 'KILL', 'ID', '0'],
      ['CLIENT', 'KILL', 'ID', 'x'],
      ['CLIENT', 'KILL', '1.2.3.4:5'],
      ['CLIENT', 'KILL', 'TYPE', 'foo', 'x'],
      ['CLIENT', 'KILL', 'USER', 'bob'],
      ['CLIENT', 'KILL', 'SKIPME', 'maybe'],
      ['CLIENT', 'KILL', 'ID'],
      ['CLIENT', 'KILL', 'ID', '99', 'TYPE'],
      ['CLIENT', 'KILL', 'ADDR', '1.1.1.1:1'],
      ['CLIENT', 'KILL', 'MAXAGE', '1'],
      ['CLIENT', 'KILL', 'TYPE', 'master'],
      ['CLIENT', 'KILL'],
    ],
  },
  {
    name: 'CLIENT LIST argument errors and empty selections',
    steps: [
      ['CLIENT', 'LIST', 'ID', 'x'],
      ['CLIENT', 'LIST', 'ID', '1', 'x'],
      ['CLIENT', 'LIST', 'TYPE', 'x'],
      ['CLIENT', 'LIST', 'foo'],
      ['CLIENT', 'LIST', 'ID'],
      ['CLIENT', 'LIST', 'ID', '999999'],
      ['CLIENT', 'LIST', 'TYPE', 'master'],
      ['CLIENT', 'LIST', 'TYPE', 'replica'],
    ],
  },
  {
    name: 'CLIENT PAUSE, REPLY, NO-EVICT argument errors',
    steps: [
      ['CLIENT', 'PAUSE', 'x'],
      ['CLIENT', 'PAUSE', '-1'],
      ['CLIENT', 'PAUSE', '10', 'x'],
      ['CLIENT', 'PAUSE', '10', 'WRITE', 'x'],
      ['CLIENT', 'PAUSE'],
      ['CLIENT', 'UNPAUSE'],
      ['CLIENT', 'REPLY', 'x'],
      ['CLIENT', 'REPLY', 'ON'],
      ['CLIENT', 'NO-EVICT', 'x'],
      ['CLIENT', 'NO-EVICT', 'on'],
      ['CLIENT', 'NO-EVICT', 'OFF'],
    ],
  },
  { name: 'CLIENT tracking state without tracking', steps: [['CLIENT', 'GETREDIR'], ['CLIENT', 'TRACKINGINFO']] },
  { name: 'CLIENT TRACKINGINFO and GETNAME in RESP3', resp3: true, steps: [['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'GETNAME']] },
]);

describeWithRedis('differential: client connections', () => {
  const servers = realAndBundledPair();

  it('CLIENT REPLY OFF, SKIP and ON', async () => {
    const [expected, actual] = await servers.onBoth(async (host, port) => {
      const conn = await RawConnection.open(host, port);
      try {
        for (const cmd of [['CLIENT', 'REPLY', 'OFF'], ['ECHO', 'hidden'], ['CLIENT', 'REPLY', 'SKIP'], ['CLIENT', 'REPLY', 'ON'], ['ECHO', 'a'], ['CLIENT', 'REPLY', 'SKIP'], ['ECHO', 'b'], ['ECHO', 'c']]) {
          conn.send(cmd);
        }
        return [(await conn.readReply()).toString('latin1'), (await conn.readReply()).toString('latin1'), (await conn.readReply()).toString('latin1')];
      } finally {
        conn.close();
      }
    });
    expect(actual).toEqual(expected);
  });

  it('CLIENT KILL by ID, by ADDR (old form) and by TYPE, and the caller with SKIPME no', async () => {
    const [expected, actual] = await servers.onBoth(async (host, port) => {
      const killer = await RawConnection.open(host, port);
      const victims = await Promise.all([RawConnection.open(host, port), RawConnection.open(host, port), RawConnection.open(host, port)]);
      try {
        const ids = await Promise.all(victims.map(async (v) => (await v.command(['CLIENT', 'ID'])).slice(1, -2)));
        const results: string[] = [];
        results.push(await killer.command(['CLIENT', 'KILL', 'ID', ids[0]]));
        results.push((await victims[0].readUntilClose()).toString('latin1'));
        const info = await victims[1].command(['CLIENT', 'INFO']);
        const addr = /addr=(\S+)/.exec(info)?.[1] as string;
        results.push(await killer.command(['CLIENT', 'KILL', addr]));
        results.push(await killer.command(['CLIENT', 'KILL', addr]));
        await victims[2].command(['SUBSCRIBE', 'ch']);
        results.push(await killer.command(['CLIENT', 'KILL', 'TYPE', 'pubsub']));
        results.push(await killer.command(['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes']));
        results.push(await killer.command(['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'no']));
        results.push((await killer.readUntilClose()).toString('latin1'));
        return results;
      } finally {
        killer.close();
        for (const victim of victims) victim.close();
      }
    });
    expect(actual).toEqual(expected);
  });

  it('CLIENT LIST and CLIENT INFO print the same fields in the same order', async () => {
    const fieldNames = (line: string) => line.trim().split(' ').map((field) => field.slice(0, field.indexOf('=')));
    const [expected, actual] = await servers.onBoth(async (host, port) => {
      const conn = await RawConnection.open(host, port);
      try {
        await conn.command(['CLIENT', 'SETNAME', 'lister']);
        const info = await conn.command(['CLIENT', 'INFO']);
        const body = info.slice(info.indexOf('\r\n') + 2, -2);
        const id = (await conn.command(['CLIENT', 'ID'])).slice(1, -2);
        const listed = await conn.command(['CLIENT', 'LIST', 'ID', id]);
        const listedBody = listed.slice(listed.indexOf('\r\n') + 2, -2);
        return { fields: fieldNames(body), listedFields: fieldNames(listedBody), name: /name=(\S*)/.exec(body)?.[1] };
      } finally {
        conn.close();
      }
    });
    expect(actual.fields).toEqual(expected.fields);
    expect(actual.listedFields).toEqual(expected.listedFields);
    expect(actual.name).toEqual(expected.name);
  });
});

describeWithRedis('differential: SHUTDOWN', () => {
  it('SHUTDOWN NOSAVE closes the connection without a reply and stops the server', async () => {
    const [redis, node] = await Promise.all([startRedisServer(), startNode()]);
    try {
      const transcripts = await Promise.all(
        [redis, node].map(async ({ host, port }) => {
          const conn = await RawConnection.open(host, port);
          const name = await conn.command(['CLIENT', 'SETNAME', 'stopper']);
          conn.send(['SHUTDOWN', 'NOSAVE']);
          const rest = (await conn.readUntilClose()).toString('latin1');
          const refused = await RawConnection.open(host, port).then(
            (late) => {
              late.close();
              return 'accepted';
            },
            (error: NodeJS.ErrnoException) => error.code,
          );
          return [name, rest, refused];
        }),
      );
      expect(transcripts[1]).toEqual(transcripts[0]);
      expect(transcripts[0]).toEqual(['+OK\r\n', '', 'ECONNREFUSED']);
      expect(node.server.isStopping).toBe(true);
    } finally {
      await Promise.all([redis.stop(), node.close()]);
    }
  });
});

describeDifferential('commands Redis refuses inside MULTI', [
  {
    name: 'SAVE, SHUTDOWN, SYNC and PSYNC are refused when queued; the transaction is then discarded by EXEC',
    steps: [['MULTI'], ['SAVE'], ['SET', 'k', 'v'], ['SYNC'], ['PSYNC', '?', '-1'], ['SHUTDOWN', 'NOSAVE'], ['EXEC'], ['GET', 'k']],
  },
]);
