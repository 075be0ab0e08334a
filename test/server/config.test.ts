// CONFIG REWRITE: round trips through a config file, the file's layout and permissions, failures,
// and the rewritten text compared with what redis-server 7.0 writes for the same file and changes.

import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNode } from '../helpers/bundled-node';
import { describeWithRedis, redisServerPath, waitForPort } from '../helpers/redis-server';
import { RawConnection } from '../helpers/raw-connection';
import { freePort } from '../helpers/ports';
import { loadConfigFromArgv } from '../../src/server/config-loader';
import { ConfigStore } from '../../src/server/config';
import { formatMemory, formatOutputBufferLimits, rewriteConfigText, REWRITE_SIGNATURE } from '../../src/server/persistence/config-rewrite';
import { quoteConfigArg, splitConfigArgs } from '../../src/formats/redis-conf';
import type { RunningServer } from '../../src/server/index';

const SAMPLE = `# Sample configuration
# with comments

port PORT
bind 127.0.0.1
protected-mode no

# Snapshotting
save 900 1
save 300 10
dbfilename "dump.rdb"
dir DIR


   # indented comment
slave-read-only yes
hz 10
hz 12
maxmemory 100mb
loglevel notice
timeout 0
logfile ""
`;

/** The changes every round trip applies, as CONFIG SET name value pairs. */
const CHANGES: Array<[string, string]> = [
  ['masterauth', 'p@ss word "quoted"'],
  ['requirepass', 's3cr\\et'],
  ['maxmemory', '1gb'],
  ['hz', '20'],
  ['client-output-buffer-limit', 'pubsub 1mb 2mb 3'],
  ['maxmemory-policy', 'allkeys-lru'],
  ['save', '60 5'],
  ['slave-read-only', 'no'],
];

let workDir: string;
const opened: RunningServer[] = [];

beforeEach(() => {
  workDir = mkdtempSync(join(tmpdir(), 'rctl-config-'));
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((node) => node.close()));
  rmSync(workDir, { recursive: true, force: true });
});

function writeSample(name: string, port: number | string, mode = 0o600): string {
  const path = join(workDir, name);
  writeFileSync(path, SAMPLE.replace('PORT', String(port)).replace('DIR', workDir));
  chmodSync(path, mode);
  return path;
}

async function nodeFromFile(path: string): Promise<RunningServer> {
  const node = await startNode({ argv: [path] });
  opened.push(node);
  return node;
}

async function commands(host: string, port: number, list: string[][]): Promise<string[]> {
  const conn = await RawConnection.open(host, port);
  try {
    const replies: string[] = [];
    for (const args of list) replies.push(await conn.command(args));
    return replies;
  } finally {
    conn.close();
  }
}

const changeCommands = (): string[][] => CHANGES.map(([name, value]) => ['CONFIG', 'SET', name, value]);

/** A value as CONFIG GET shows it (the file form of an output buffer limit lists one class). */
function shown(store: ConfigStore, name: string): string {
  const value = store.get(name);
  return name === 'client-output-buffer-limit' ? formatOutputBufferLimits(value) : value;
}

describe('CONFIG REWRITE on the bundled node', () => {
  it('refuses without a config file', async () => {
    const node = await startNode();
    opened.push(node);
    expect(await commands(node.host, node.port, [['CONFIG', 'REWRITE']])).toEqual(['-ERR The server is running without a config file\r\n']);
  });

  it('round-trips changed values through the file, keeping its layout and its 0600 mode', async () => {
    const path = writeSample('redis.conf', 0);
    const first = await nodeFromFile(path);
    const replies = await commands(first.host, first.port, [...changeCommands(), ['CONFIG', 'REWRITE']]);
    expect(replies).toEqual([...CHANGES.map(() => '+OK\r\n'), '+OK\r\n']);
    // What REPLICAOF records (the replication module keeps it in the config store).
    first.server.config.setValidated('replicaof', '127.0.0.1 6390');
    expect(await commands(first.host, first.port, [['AUTH', 's3cr\\et'], ['CONFIG', 'REWRITE']])).toEqual(['+OK\r\n', '+OK\r\n']);
    const expectedValues = new Map(CHANGES.map(([name]) => [name, shown(first.server.config, name)] as [string, string]));
    expectedValues.set('replicaof', '127.0.0.1 6390');
    expectedValues.set('port', String(first.port));

    expect(statSync(path).mode & 0o777).toBe(0o600);
    const text = readFileSync(path, 'latin1');
    const lines = text.split('\n');
    // Comments and their places stay; the first hz line is reused and the duplicate blanked.
    expect(lines.slice(0, 3)).toEqual(['# Sample configuration', '# with comments', '']);
    expect(lines).toContain('# indented comment');
    expect(lines.filter((line) => line.startsWith('hz '))).toEqual(['hz 20']);
    expect(lines.filter((line) => line.startsWith('save '))).toEqual(['save 60 5']);
    expect(lines.indexOf('save 60 5')).toBe(lines.indexOf('# Snapshotting') + 1);
    expect(lines).toContain('replica-read-only no');
    expect(lines).toContain('maxmemory 1gb');
    expect(lines).toContain(`port ${first.port}`);
    // Directives that had no line come after the signature, quoted where they are strings. As in
    // Redis, the second rewrite reuses the pubsub limit's line for the (default) normal class first.
    const appended = lines.slice(lines.indexOf(REWRITE_SIGNATURE) + 1).filter((line) => line !== '');
    expect(appended.sort()).toEqual(
      [
        'client-output-buffer-limit normal 0 0 0',
        'client-output-buffer-limit pubsub 1mb 2mb 3',
        'masterauth "p@ss word \\"quoted\\""',
        'maxmemory-policy allkeys-lru',
        'replicaof 127.0.0.1 6390',
        'requirepass "s3cr\\\\et"',
        // As Redis's rewriteConfigUserOption: every ACL user, the default one with requirepass's hash.
        `user default on #${createHash('sha256').update('s3cr\\et').digest('hex')} ~* &* +@all`,
      ].sort(),
    );
    expect(lines.filter((line) => line === REWRITE_SIGNATURE)).toHaveLength(1);
    expect(text).not.toMatch(/\n\n\n/);

    // A new node reads back every value.
    const reloaded = loadConfigFromArgv([path]).store;
    for (const [name, value] of expectedValues) expect(shown(reloaded, name), name).toBe(value);
    await first.close();
    first.server.config.setValidated('replicaof', '');
    reloaded.setValidated('replicaof', '');
  });

  it('starts a node from the rewritten file with the same values, and rewriting again keeps them', async () => {
    const path = writeSample('redis.conf', 0);
    const first = await nodeFromFile(path);
    const getAll = CHANGES.map(([name]) => ['CONFIG', 'GET', name]);
    const firstReplies = await commands(first.host, first.port, [...changeCommands(), ['CONFIG', 'REWRITE'], ...getAll]);
    const before = firstReplies.slice(CHANGES.length + 1);
    const port = first.port;
    await first.close();

    const second = await nodeFromFile(path);
    expect(second.port).toBe(port);
    // The new node asks for the password it was given, then shows the same values.
    const replies = await commands(second.host, second.port, [['CONFIG', 'GET', 'hz'], ['AUTH', 's3cr\\et'], ...getAll, ['CONFIG', 'REWRITE']]);
    expect(replies.slice(0, 2)).toEqual(['-NOAUTH Authentication required.\r\n', '+OK\r\n']);
    expect(replies.slice(2, 2 + CHANGES.length)).toEqual(before);
    expect(replies[replies.length - 1]).toBe('+OK\r\n');
    const reloaded = loadConfigFromArgv([path]).store;
    for (const [name] of CHANGES) expect(shown(reloaded, name), name).toBe(shown(second.server.config, name));
  });

  it('creates the file again when it was removed, and reports a directory that is gone', async () => {
    const path = writeSample('redis.conf', 0);
    const node = await nodeFromFile(path);
    rmSync(path);
    expect(await commands(node.host, node.port, [['CONFIG', 'REWRITE']])).toEqual(['+OK\r\n']);
    expect(existsSync(path)).toBe(true);
    expect(loadConfigFromArgv([path]).store.get('port')).toBe(String(node.port));
    rmSync(workDir, { recursive: true, force: true });
    expect(await commands(node.host, node.port, [['CONFIG', 'REWRITE']])).toEqual(['-ERR Rewriting config file: No such file or directory\r\n']);
  });
});

describe('rewriteConfigText', () => {
  it('keeps lines it cannot parse or does not know as "# ???" comments', () => {
    const text = rewriteConfigText('port 6379\nnosuch-directive 1\nbind "unbalanced\n', new ConfigStore());
    expect(text.split('\n')).toEqual(expect.arrayContaining(['# ??? nosuch-directive 1', '# ??? bind "unbalanced']));
  });

  it('drops the lines of a master-only state: replicaof, and passwords set back to empty', () => {
    const config = new ConfigStore();
    const text = rewriteConfigText('replicaof 10.0.0.58 6379\nmasterauth 123456\nrequirepass 123456\nport 6379\n', config);
    expect(text).not.toMatch(/replicaof|masterauth|requirepass/);
    expect(text).toContain('port 6379');
  });

  it('quotes strings so they read back byte for byte', () => {
    for (const value of ['plain', 'with space', 'quote " and \\ backslash', 'ctl \x00\x07\x08\t\r\n\x7f\xff', "single ' quote", '']) {
      const quoted = quoteConfigArg(value);
      expect(splitConfigArgs(`requirepass ${quoted}`)).toEqual(['requirepass', value]);
    }
  });

  it('writes memory sizes with the largest exact unit', () => {
    expect(formatMemory(0)).toBe('0');
    expect(formatMemory(1000)).toBe('1000');
    expect(formatMemory(2048)).toBe('2kb');
    expect(formatMemory(1024 * 1024)).toBe('1mb');
    expect(formatMemory(3 * 1024 ** 3)).toBe('3gb');
    expect(formatMemory(1024 * 1024 + 1024)).toBe('1025kb');
  });
});

describeWithRedis('CONFIG REWRITE compared with redis-server 7.0', () => {
  const running: Array<() => void> = [];
  afterAll(() => {
    for (const stop of running) stop();
  });

  /** Runs redis-server on a sample file of its own; returns its port. */
  async function startRealFromFile(path: string, port: number): Promise<void> {
    const child = spawn(redisServerPath as string, [path], { stdio: 'ignore' });
    running.push(() => child.kill('SIGKILL'));
    await waitForPort('127.0.0.1', port);
  }

  /** Port and dir differ by construction; redis also writes its ACL users and a latency option. */
  function normalize(text: string): string[] {
    const lines = text
      .split('\n')
      .filter((line) => !line.startsWith('user ') && !line.startsWith('latency-tracking-info-percentiles'))
      .map((line) => line.replace(/^port \d+$/, 'port PORT').replace(/^dir .*$/, 'dir DIR'));
    const signature = lines.indexOf(REWRITE_SIGNATURE);
    // Redis appends in its hash table's order: compare the appended block as a set.
    return signature === -1 ? lines : [...lines.slice(0, signature + 1), ...lines.slice(signature + 1).sort()];
  }

  it('writes the same file for the same sample and changes', async () => {
    const realPort = await freePort('127.0.0.1');
    const realPath = writeSample('real.conf', realPort);
    const ourPath = writeSample('ours.conf', 0);
    await startRealFromFile(realPath, realPort);
    const node = await nodeFromFile(ourPath);
    const script = [...changeCommands(), ['CONFIG', 'REWRITE']];
    const [realReplies, ourReplies] = await Promise.all([commands('127.0.0.1', realPort, script), commands(node.host, node.port, script)]);
    expect(ourReplies).toEqual(realReplies);
    expect(normalize(readFileSync(ourPath, 'latin1'))).toEqual(normalize(readFileSync(realPath, 'latin1')));
    // A second rewrite of the rewritten file (line reuse across classes of the same directive).
    const again = [['AUTH', 's3cr\\et'], ['CONFIG', 'SET', 'hz', '11'], ['CONFIG', 'REWRITE']];
    const [realAgain, ourAgain] = await Promise.all([commands('127.0.0.1', realPort, again), commands(node.host, node.port, again)]);
    expect(ourAgain).toEqual(realAgain);
    expect(normalize(readFileSync(ourPath, 'latin1'))).toEqual(normalize(readFileSync(realPath, 'latin1')));
    // Redis resets the mode to 0644 & ~umask; the node keeps the owner-only mode on purpose.
    expect(statSync(ourPath).mode & 0o777).toBe(0o600);
  });
});
