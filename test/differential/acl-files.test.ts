// ACL users from the config file (`user` lines) and from an ACL file (aclfile, ACL LOAD, ACL SAVE),
// against a real redis-server 7.0: the same files on both, replies and saved files compared byte
// for byte (file names masked, single-command rules compared in sorted order, see acl.test.ts).

import { afterEach, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithRedis, startRedisServer } from '../helpers/redis-server';
import { startNode } from '../helpers/bundled-node';
import { RawConnection } from '../helpers/raw-connection';

const USER_LINES = ['user alice on >alice-pw ~a* &news +get +set', 'user bob off nopass +@all -@dangerous', 'user default on nopass ~* &* +@all -flushdb'];

function normalizeRules(text: string): string {
  const tokens = text.split(' ');
  let lastCategory = -1;
  tokens.forEach((token, i) => {
    if (/^[+-]@/.test(token)) lastCategory = i;
  });
  return [...tokens.slice(0, lastCategory + 1), ...tokens.slice(lastCategory + 1).sort()].join(' ');
}

const normalizeLines = (text: string) =>
  text
    .split('\n')
    .map((line) => (line.endsWith('\r') ? normalizeRules(line.slice(0, -1)) + '\r' : normalizeRules(line)))
    .join('\n');

interface Started {
  host: string;
  port: number;
  configFile: string;
  stop(): Promise<void>;
}

async function startBoth(directives: Record<string, string>, nodeDirectives: Record<string, string>, userLines: string[] = []): Promise<[Started, Started]> {
  const redisDirectives = { ...directives };
  // One directive per line: the helper writes `name value`, so extra `user` lines ride on the first.
  if (userLines.length > 0) redisDirectives.user = userLines.join('\n').slice('user '.length);
  const redis = await startRedisServer({ directives: redisDirectives });
  const dir = mkdtempSync(join(tmpdir(), 'rctl-acl-conf-'));
  const conf = join(dir, 'node.conf');
  writeFileSync(conf, [...Object.entries({ ...nodeDirectives, dir, save: '""' }).map(([k, v]) => `${k} ${v}`), ...userLines].join('\n') + '\n');
  const node = await startNode({ argv: [conf, '--port', '0', '--bind', '127.0.0.1'] });
  return [
    { host: redis.host, port: redis.port, configFile: join(redis.dir, 'redis.conf'), stop: () => redis.stop() },
    { host: node.host, port: node.port, configFile: conf, stop: () => node.close() },
  ];
}

async function run(server: Started, commands: string[][], maskFile: string): Promise<string[]> {
  const conn = await RawConnection.open(server.host, server.port);
  try {
    const out: string[] = [];
    for (const cmd of commands) {
      const reply = (await conn.command(cmd)).split(maskFile).join('ACLFILE');
      out.push(`${cmd.join(' ')} -> ${normalizeLines(reply)}`);
    }
    return out;
  } finally {
    conn.close();
  }
}

describeWithRedis('differential: ACL users from files', () => {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  it('`user` lines of the config file define the users', async () => {
    const [redis, node] = await startBoth({}, {}, USER_LINES);
    stops.push(redis.stop, node.stop);
    const commands = [['ACL', 'LIST'], ['AUTH', 'alice', 'alice-pw'], ['GET', 'a1'], ['GET', 'b1'], ['ACL', 'WHOAMI'], ['AUTH', 'bob', 'x']];
    expect(await run(node, commands, '\0')).toEqual(await run(redis, commands, '\0'));
  });

  it('CONFIG REWRITE writes every user as a `user` line', async () => {
    const [redis, node] = await startBoth({}, {}, USER_LINES.slice(0, 2));
    stops.push(redis.stop, node.stop);
    const commands = [['ACL', 'SETUSER', 'zed', 'on', '>zed-pw', '~z*', '+@all', '-@admin'], ['ACL', 'DELUSER', 'alice'], ['CONFIG', 'REWRITE']];
    expect(await run(node, commands, '\0')).toEqual(await run(redis, commands, '\0'));
    const userLines = (file: string) => normalizeLines(readFileSync(file, 'latin1').split('\n').filter((line) => line.startsWith('user ')).join('\n'));
    expect(userLines(node.configFile)).toBe(userLines(redis.configFile));
    expect(readFileSync(node.configFile, 'latin1')).not.toContain('zed-pw');
  });

  it('ACL SAVE writes the same file; ACL LOAD reports the same errors and loads the same users', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rctl-aclfile-'));
    const redisFile = join(dir, 'redis.acl');
    const nodeFile = join(dir, 'node.acl');
    for (const file of [redisFile, nodeFile]) writeFileSync(file, 'user default on nopass ~* &* +@all\nuser carol on >carol-pw ~c* +@read\n');
    const [redis, node] = await startBoth({ aclfile: redisFile }, { aclfile: nodeFile });
    stops.push(redis.stop, node.stop);
    const both = async (commands: string[][]) => {
      const [r, n] = [await run(redis, commands, redisFile), await run(node, commands, nodeFile)];
      expect(n).toEqual(r);
    };
    await both([['ACL', 'LIST'], ['ACL', 'USERS']]);
    await both([['ACL', 'SETUSER', 'dave', 'on', '>dave-pw', '%R~d*', '&chan', '-@all', '+get'], ['ACL', 'SAVE']]);
    expect(normalizeLines(readFileSync(nodeFile, 'latin1'))).toBe(normalizeLines(readFileSync(redisFile, 'latin1')));
    expect(readFileSync(nodeFile, 'latin1')).not.toContain('dave-pw');

    const broken = 'user eve on +nosuchcommand\n# a comment\nuser frank on %X~a\nuser eve off\n\nuser  \nuser default on nopass ~* &* +@all\n';
    for (const file of [redisFile, nodeFile]) writeFileSync(file, broken);
    await both([['ACL', 'LOAD'], ['ACL', 'LIST']]);

    // A client authenticated as a user of the old set is disconnected by a successful load.
    const asDave = async (server: Started) => {
      const conn = await RawConnection.open(server.host, server.port);
      await conn.command(['AUTH', 'dave', 'dave-pw']);
      return conn;
    };
    const daves = [await asDave(redis), await asDave(node)];
    for (const file of [redisFile, nodeFile]) writeFileSync(file, 'user gina on >g ~g* &* +@all -@admin\n');
    await both([['ACL', 'LOAD'], ['ACL', 'LIST'], ['AUTH', 'gina', 'g'], ['ACL', 'WHOAMI'], ['CONFIG', 'SET', 'port', '0']]);
    const afterLoad = await Promise.all(daves.map((conn) => conn.command(['PING']).then((reply) => reply, () => 'CONNECTION CLOSED')));
    expect(afterLoad).toEqual(['CONNECTION CLOSED', 'CONNECTION CLOSED']);
  });

  it('both refuse to start with `user` lines and an aclfile at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rctl-aclfile-'));
    const file = join(dir, 'users.acl');
    writeFileSync(file, 'user default on nopass ~* &* +@all\n');
    const redisError = await startRedisServer({ directives: { aclfile: file, user: 'x on nopass' } }).then(
      (r) => (stops.push(r.stop), null),
      (error: Error) => error.message,
    );
    expect(redisError).toContain('please define either an ACL file or declare users directly in your redis.conf, but not both');
    const conf = join(dir, 'node.conf');
    writeFileSync(conf, `aclfile ${file}\nuser x on nopass\n`);
    await expect(startNode({ argv: [conf, '--port', '0', '--bind', '127.0.0.1'] })).rejects.toThrow(
      'please define either an ACL file or declare users directly in your redis.conf, but not both',
    );
  });
});
