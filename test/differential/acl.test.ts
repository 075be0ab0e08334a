// ACL against a real redis-server 7.0: the same scripted scenarios (several connections each) run on
// both, and the raw replies compared byte for byte. Masked: ACL LOG's client-info line and age, and
// the order of single-command rules in descriptions (redis-server emits them in its hash table's
// random order).

import { expect, it } from 'vitest';
import { realAndBundledPair } from '../helpers/differential';
import { describeWithRedis } from '../helpers/redis-server';
import { RawConnection } from '../helpers/raw-connection';

type Step = [conn: number, ...cmd: string[]];

/** Categories keep their order; the single commands after them are sorted. */
function normalizeRules(text: string): string {
  const tokens = text.split(' ');
  let lastCategory = -1;
  tokens.forEach((token, i) => {
    if (/^[+-]@/.test(token)) lastCategory = i;
  });
  return [...tokens.slice(0, lastCategory + 1), ...tokens.slice(lastCategory + 1).sort()].join(' ');
}

function mask(reply: string): string {
  return reply
    .replace(/\$\d+\r\nid=[^\r]*\r\n/g, '$N\r\nCLIENT-INFO\r\n')
    .replace(/(\$2\r\nid\r\n):\d+/g, '$1:ID')
    .replace(/(\$11\r\nage-seconds\r\n)(\$\d+\r\n[^\r]*|,[^\r]*)\r\n/g, '$1AGE\r\n')
    .replace(/(\$\d+\r\n)([^\r]*[+-]@all[^\r]*)\r\n/g, (_, len: string, rules: string) => `${len}${normalizeRules(rules)}\r\n`);
}

async function transcript(host: string, port: number, steps: Step[]): Promise<string[]> {
  const conns: RawConnection[] = [];
  const out: string[] = [];
  try {
    for (const [index, ...cmd] of steps) {
      while (conns.length <= index) conns.push(await RawConnection.open(host, port));
      const conn = conns[index];
      let reply: string;
      try {
        reply = mask(await conn.command(cmd));
      } catch {
        reply = 'CONNECTION CLOSED';
      }
      out.push(`[${index}] ${cmd.join(' ')} -> ${reply}`);
    }
  } finally {
    for (const conn of conns) conn.close();
  }
  return out;
}

const SCENARIOS: Record<string, Step[]> = {
  'SETUSER rules and their descriptions (LIST, USERS, GETUSER)': [
    [0, 'ACL', 'SETUSER', 'a', 'on', '>pw', '~k*', '%R~r*', '&ch*', '+get', '+@string', '-set', '+config|get', '-@dangerous', '+client'],
    [0, 'ACL', 'SETUSER', 'b'],
    [0, 'ACL', 'SETUSER', 'c', '+@all', '-@hash'],
    [0, 'ACL', 'SETUSER', 'e', '+@all', '-config', '-@write', '+config|get'],
    [0, 'ACL', 'SETUSER', 'g', '-@all', '+@read'],
    [0, 'ACL', 'SETUSER', 'x', 'reset', '%RW~a', '%W~b', '%R~c', '~d', '%WR~b', 'skip-sanitize-payload', '+get|sub', '(+get ~x)', '#' + 'a'.repeat(64)],
    [0, 'ACL', 'SETUSER', 'y', 'allkeys', 'allchannels', 'allcommands', 'nopass', 'on'],
    [0, 'ACL', 'SETUSER', 'y', 'resetkeys', 'resetchannels', 'nocommands', 'resetpass', 'off', '+select|0', '+select|1'],
    [0, 'ACL', 'LIST'],
    [0, 'ACL', 'USERS'],
    [0, 'ACL', 'GETUSER', 'a'],
    [0, 'ACL', 'GETUSER', 'x'],
    [0, 'ACL', 'GETUSER', 'default'],
    [0, 'ACL', 'GETUSER', 'nobody'],
    [0, 'ACL', 'SETUSER', 'x', '!' + 'a'.repeat(64), '<nosuch'],
    [0, 'ACL', 'SETUSER', 'x', '!' + 'a'.repeat(64)],
    [0, 'ACL', 'GETUSER', 'x'],
    [0, 'ACL', 'DELUSER', 'a', 'b', 'c', 'e', 'g', 'x', 'y', 'nobody'],
    [0, 'ACL', 'DELUSER', 'default'],
    [0, 'ACL', 'USERS'],
  ],
  'descriptions pick categories as redis-server does': [
    ...[
      ['+@set', '+@hash'],
      ['+@stream', '+@list', '+@set', '+@hash'],
      ['+@geo', '+@bitmap'],
      ['+@scripting', '+@transaction', '+@blocking'],
      ['+@read', '-@keyspace'],
      ['+@read', '+@write', '-@keyspace', '+select|0'],
      ['+@all', '-@dangerous'],
      ['+@all', '-@admin', '-@hash', '+hset'],
      ['+@all', '-@read', '-@write'],
      ['+@all', '-client', '+client|id', '-config|set'],
    ].map((rules, i): Step => [0, 'ACL', 'SETUSER', `d${i}`, 'reset', ...rules]),
    [0, 'ACL', 'LIST'],
    [0, 'ACL', 'DELUSER', ...Array.from({ length: 10 }, (_, i) => `d${i}`)],
  ],
  'SETUSER errors leave the user unchanged': [
    [0, 'ACL', 'SETUSER', 'x', 'on', '~a'],
    [0, 'ACL', 'SETUSER', 'x', 'allkeys', '%RW~a'],
    [0, 'ACL', 'SETUSER', 'x', 'allchannels', '&foo'],
    [0, 'ACL', 'SETUSER', 'x', '%X~a'],
    [0, 'ACL', 'SETUSER', 'x', '%~a'],
    [0, 'ACL', 'SETUSER', 'x', '%RR~a'],
    [0, 'ACL', 'SETUSER', 'x', 'foo'],
    [0, 'ACL', 'SETUSER', 'x', '+nocmd'],
    [0, 'ACL', 'SETUSER', 'x', '+@nocat'],
    [0, 'ACL', 'SETUSER', 'x', '<nopw'],
    [0, 'ACL', 'SETUSER', 'x', '#abc'],
    [0, 'ACL', 'SETUSER', 'x', '+config|nosuch'],
    [0, 'ACL', 'SETUSER', 'x', '+config|get|x'],
    [0, 'ACL', 'SETUSER', 'x', '+select|'],
    [0, 'ACL', 'SETUSER', 'x', '-select|0'],
    [0, 'ACL', 'SETUSER', 'a b'],
    [0, 'ACL', 'SETUSER', 'x', '(+get', '~x'],
    [0, 'ACL', 'SETUSER', 'x', '~k', 'bogus'],
    [0, 'ACL', 'LIST'],
    [0, 'ACL', 'DELUSER', 'x'],
  ],
  'AUTH, NOPERM for commands, keys and channels, DRYRUN and the ACL log': [
    [0, 'ACL', 'LOG', 'RESET'],
    [0, 'ACL', 'SETUSER', 'u1', 'on', '>p1', '~k*', '%R~r*', '&ch', '+get', '+set', '+publish', '+subscribe', '+psubscribe', '+select|0', '+acl'],
    [1, 'AUTH', 'u1', 'wrong'],
    [1, 'AUTH', 'nouser', 'x'],
    [1, 'AUTH', 'u1', 'p1'],
    [1, 'ACL', 'WHOAMI'],
    [1, 'GET', 'k1'],
    [1, 'GET', 'x1'],
    [1, 'SET', 'x1', 'v'],
    [1, 'GET', 'r1'],
    [1, 'SET', 'r1', 'v'],
    [1, 'DEL', 'k1'],
    [1, 'PUBLISH', 'ch', 'hi'],
    [1, 'PUBLISH', 'other', 'hi'],
    [1, 'SELECT', '0'],
    [1, 'SELECT', '1'],
    [1, 'CONFIG', 'GET', 'port'],
    [1, 'PING'],
    [1, 'MULTI'],
    [1, 'GET', 'zz'],
    [1, 'HGETALL', 'k'],
    [1, 'EXEC'],
    [0, 'ACL', 'DRYRUN', 'u1', 'get', 'x'],
    [0, 'ACL', 'DRYRUN', 'u1', 'get', 'k'],
    [0, 'ACL', 'DRYRUN', 'u1', 'hset', 'k', 'a', 'b'],
    [0, 'ACL', 'DRYRUN', 'u1', 'publish', 'zz', '1'],
    [0, 'ACL', 'DRYRUN', 'u1', 'config', 'get', 'x'],
    [0, 'ACL', 'DRYRUN', 'nouser', 'get', 'a'],
    [0, 'ACL', 'DRYRUN', 'u1', 'nocmd'],
    [0, 'ACL', 'DRYRUN', 'u1', 'get'],
    [0, 'ACL', 'LOG'],
    [0, 'ACL', 'LOG', '2'],
    [0, 'ACL', 'LOG', '-1'],
    [0, 'ACL', 'LOG', 'x'],
    [0, 'ACL', 'LOG', 'RESET'],
    [0, 'ACL', 'LOG'],
    [1, 'HELLO', '2', 'AUTH', 'u1', 'bad'],
    [1, 'HELLO', '3', 'AUTH', 'default', 'x'],
    [0, 'ACL', 'LOG', '1'],
    [0, 'ACL', 'DELUSER', 'u1'],
  ],
  'the default user mirrors requirepass': [
    [0, 'CONFIG', 'SET', 'requirepass', 'secret'],
    [0, 'ACL', 'GETUSER', 'default'],
    [0, 'ACL', 'LIST'],
    [1, 'GET', 'x'],
    [1, 'AUTH', 'wrong'],
    [1, 'AUTH', 'secret'],
    [1, 'ACL', 'WHOAMI'],
    [2, 'AUTH', 'default', 'secret'],
    [2, 'CONFIG', 'SET', 'requirepass', ''],
    [2, 'ACL', 'LIST'],
    [2, 'AUTH', 'x'],
    [3, 'PING'],
  ],
  'deleting a user disconnects its clients; revoking channels disconnects its subscribers': [
    [0, 'ACL', 'SETUSER', 'v', 'on', 'nopass', '+@all', '~*', '&ch*'],
    [1, 'AUTH', 'v', 'any'],
    [1, 'PING'],
    [2, 'AUTH', 'v', 'any'],
    [2, 'SUBSCRIBE', 'ch1'],
    [0, 'ACL', 'SETUSER', 'v', '&zz'],
    [1, 'PING'],
    [0, 'ACL', 'SETUSER', 'v', 'resetchannels', '&other'],
    [3, 'CLIENT', 'LIST', 'USER', 'v'],
    [0, 'ACL', 'SETUSER', 'v', 'off', '-@all'],
    [1, 'PING'],
    [3, 'CLIENT', 'KILL', 'USER', 'nobody'],
    [0, 'ACL', 'SETUSER', 'v2', 'on', 'nopass', '+@all'],
    [4, 'AUTH', 'v2', 'x'],
    [3, 'CLIENT', 'KILL', 'USER', 'v2'],
    [4, 'PING'],
    [0, 'ACL', 'DELUSER', 'v'],
    [1, 'PING'],
    [3, 'ACL', 'USERS'],
  ],
  'EXEC checks queued commands again against rules changed meanwhile': [
    [0, 'ACL', 'SETUSER', 'm', 'on', 'nopass', '+@all', '~*', '&*'],
    [1, 'AUTH', 'm', 'x'],
    [1, 'MULTI'],
    [1, 'SET', 'k1', 'v'],
    [1, 'GET', 'k2'],
    [1, 'PUBLISH', 'ch', 'm'],
    [1, 'PING'],
    [0, 'ACL', 'SETUSER', 'm', 'resetkeys', '~k2', 'resetchannels', '-ping'],
    [1, 'EXEC'],
    [0, 'ACL', 'LOG', '3'],
    [0, 'ACL', 'LOG', 'RESET'],
    [0, 'ACL', 'DELUSER', 'm'],
  ],
  'AUTH inside a transaction is logged in the multi context; a disabled default user': [
    [0, 'ACL', 'LOG', 'RESET'],
    [1, 'MULTI'],
    [1, 'AUTH', 'nobody', 'x'],
    [1, 'EXEC'],
    [0, 'ACL', 'LOG'],
    [0, 'ACL', 'SETUSER', 'default', 'off'],
    [2, 'PING'],
    [2, 'AUTH', 'x'],
    [2, 'AUTH', 'default', 'x'],
    [2, 'HELLO', '3'],
    [0, 'ACL', 'SETUSER', 'default', 'on'],
    [3, 'PING'],
    [0, 'ACL', 'LOG', 'RESET'],
  ],
  'RESP3 replies: GETUSER and LOG are maps, flags a set, age a double': [
    [0, 'HELLO', '3'],
    [0, 'ACL', 'LOG', 'RESET'],
    [0, 'ACL', 'SETUSER', 'r3', 'on', '>pw', '~k', '(+get ~x)', '-@all', '+set'],
    [0, 'ACL', 'GETUSER', 'r3'],
    [1, 'AUTH', 'r3', 'pw'],
    [1, 'GET', 'k'],
    [0, 'ACL', 'LOG'],
    [0, 'ACL', 'GETUSER', 'missing'],
    [0, 'ACL', 'DRYRUN', 'r3', 'get', 'x'],
    [0, 'ACL', 'DRYRUN', 'r3', 'get', 'y'],
    [0, 'ACL', 'DELUSER', 'r3'],
    [0, 'ACL', 'LOG', 'RESET'],
  ],
  'a user deleting itself gets its reply, then is disconnected': [
    [0, 'ACL', 'SETUSER', 'w', 'on', '>pw', '+@all', '~*'],
    [1, 'AUTH', 'w', 'pw'],
    [1, 'ACL', 'DELUSER', 'w'],
    [1, 'PING'],
  ],
  'selectors: any selector may grant a command': [
    [0, 'ACL', 'SETUSER', 's', 'on', 'nopass', '-@all', 'resetkeys', '(+@write ~write::*)', '(+@read ~read::*)'],
    [1, 'AUTH', 's', 'x'],
    [1, 'PING'],
    [1, 'SET', 'write::foo', 'bar'],
    [1, 'GET', 'read::foo'],
    [1, 'GET', 'write::foo'],
    [1, 'SET', 'read::foo', 'bar'],
    [0, 'ACL', 'GETUSER', 's'],
    [0, 'ACL', 'LIST'],
    [0, 'ACL', 'SETUSER', 's', 'clearselectors'],
    [0, 'ACL', 'LIST'],
    [0, 'ACL', 'DELUSER', 's'],
  ],
  'acl-pubsub-default, CAT, GENPASS, HELP, LOAD and SAVE without a file': [
    [0, 'CONFIG', 'GET', 'aclfile'],
    [0, 'CONFIG', 'GET', 'acllog-max-len'],
    [0, 'CONFIG', 'GET', 'acl-pubsub-default'],
    [0, 'CONFIG', 'SET', 'acl-pubsub-default', 'allchannels'],
    [0, 'ACL', 'SETUSER', 'p'],
    [0, 'CONFIG', 'SET', 'acl-pubsub-default', 'resetchannels'],
    [0, 'ACL', 'SETUSER', 'q', 'reset'],
    [0, 'ACL', 'LIST'],
    [0, 'ACL', 'DELUSER', 'p', 'q'],
    [0, 'ACL', 'CAT'],
    [0, 'ACL', 'CAT', 'nosuch'],
    [0, 'ACL', 'CAT', 'a', 'b'],
    [0, 'ACL', 'GENPASS', '0'],
    [0, 'ACL', 'GENPASS', '4097'],
    [0, 'ACL', 'GENPASS', 'x'],
    [0, 'ACL', 'HELP'],
    [0, 'ACL', 'LOAD'],
    [0, 'ACL', 'SAVE'],
    [0, 'ACL', 'NOSUCH'],
    [0, 'ACL', 'WHOAMI', 'x'],
    [0, 'ACL'],
  ],
};

describeWithRedis('differential: ACL', () => {
  const servers = realAndBundledPair();

  for (const [name, steps] of Object.entries(SCENARIOS)) {
    it(name, async () => {
      const [real, ours] = await servers.onBoth((host, port) => transcript(host, port, steps));
      expect(ours).toEqual(real);
    });
  }

  it('SLOWLOG shows ACL SETUSER with its name and rules redacted', async () => {
    const [real, ours] = await servers.onBoth(async (host, port) => {
      const conn = await RawConnection.open(host, port);
      try {
        await conn.command(['CONFIG', 'SET', 'slowlog-log-slower-than', '0']);
        await conn.command(['SLOWLOG', 'RESET']);
        await conn.command(['ACL', 'SETUSER', 'slow', 'on', '>very-secret']);
        const raw = await conn.command(['SLOWLOG', 'GET', '1']);
        await conn.command(['CONFIG', 'SET', 'slowlog-log-slower-than', '10000']);
        await conn.command(['ACL', 'DELUSER', 'slow']);
        return raw.replace(/\*6\r\n:\d+\r\n:\d+\r\n:\d+\r\n/g, '*6\r\n:ID\r\n:TIME\r\n:USEC\r\n').replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT');
      } finally {
        conn.close();
      }
    });
    expect(ours).toBe(real);
    expect(ours).not.toContain('very-secret');
  });

  it('ACL CAT <category> lists the same commands; GENPASS gives hex of the asked length', async () => {
    const [real, ours] = await servers.onBoth(async (host, port) => {
      const conn = await RawConnection.open(host, port);
      try {
        const out: string[] = [];
        for (const category of ['keyspace', 'read', 'write', 'string', 'admin', 'dangerous', 'pubsub', 'connection', 'scripting', 'fast', 'slow']) {
          const reply = await conn.command(['ACL', 'CAT', category]);
          const [header, ...rest] = reply.split('\r\n');
          out.push(`${category}: ${header} ${rest.filter((line) => !line.startsWith('$')).sort().join(' ')}`);
        }
        for (const bits of ['1', '5', '256', '4096']) {
          const reply = await conn.command(['ACL', 'GENPASS', bits]);
          out.push(`${bits}: ${reply.replace(/[0-9a-f]/g, 'h')}`);
        }
        return out;
      } finally {
        conn.close();
      }
    });
    expect(ours).toEqual(real);
  });
});
