// Start-up and shutdown of the built binary, `node bin/rctl.js server ...`: configuration errors
// reported exactly as redis-server reports them, a taken port, SIGTERM and SHUTDOWN, log format,
// config files with quotes and comments, logfile and pidfile.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RawConnection } from '../helpers/raw-connection';
import { describeWithRedis, redisServerPath, waitForPort } from '../helpers/redis-server';
import { freePort } from '../helpers/ports';
import { repoRoot, rctlBin } from '../helpers/bundled-node';

/** A Redis log line: "pid:role dd Mon yyyy hh:mm:ss.mmm level message". */
const LOG_LINE = /^(\d+):([XCSM]) \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2}\.\d{3} ([.\-*#]) (.+)$/;
/** What Redis logs from inside a signal handler: "pid:signal-handler (unixtime) message". */
const SIGNAL_LINE = /^(\d+):signal-handler \((\d+)\) (.+)$/;

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<Finished>;
}

const children = new Set<ChildProcess>();

function launch(command: string, args: string[], cwd: string): Running {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<Finished>((resolve) => {
    child.once('close', (code) => {
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

const launchNode = (args: string[], cwd: string) => launch(process.execPath, [rctlBin, 'server', ...args], cwd);
const launchRedis = (args: string[], cwd: string) => launch(redisServerPath as string, args, cwd);

/** Newest modification time under a directory. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    const stat = statSync(full);
    newest = Math.max(newest, stat.isDirectory() ? newestMtime(full) : stat.mtimeMs);
  }
  return newest;
}

/** `npm test` builds first; a direct `vitest run` may find dist/ older than the sources. */
async function ensureBuilt(): Promise<void> {
  const bundle = join(repoRoot, 'dist', 'server.js');
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= newestMtime(join(repoRoot, 'src'))) return;
  const build = await launch(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], repoRoot).exited;
  if (build.code !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function messages(log: string): string[] {
  return log
    .split('\n')
    .filter(Boolean)
    .map((line) => (LOG_LINE.exec(line)?.[5] ?? SIGNAL_LINE.exec(line)?.[3] ?? `<not a log line> ${line}`));
}

let work: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'rctl-startup-'));
  await ensureBuilt();
}, 120_000);

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

function configFile(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

describeWithRedis('startup: configuration errors match redis-server', () => {
  const cases: Array<{ name: string; file?: string; args?: string[] }> = [
    { name: 'a bad directive in a file', file: 'port 7999\n# comment\nbogus-directive yes\n' },
    { name: 'a directive with the wrong number of arguments', file: 'port 7999 8000\n' },
    { name: 'a value that is not an integer', file: 'save ""\nport abc\n' },
    { name: 'a yes/no directive given another word', file: 'appendonly maybe\n' },
    { name: 'unbalanced quotes', file: 'save ""\nrequirepass "a b\n' },
    { name: 'an unknown command-line option', args: ['--nosuch-option', '1'] },
    { name: 'a bad value on the command line', args: ['--port', 'abc'] },
    { name: 'a file and a bad command-line option', file: 'save ""\n\nport 7999\n', args: ['--hz', 'x'] },
    { name: 'a log file in a missing directory', args: ['--logfile', '/nonexistent-rctl-dir/node.log'] },
    { name: 'rename-command of a command that does not exist', file: 'save ""\nrename-command NOSUCHCOMMAND other\n' },
    { name: 'rename-command onto an existing name', file: 'rename-command get set\n' },
    { name: 'rename-command onto a name an earlier rename took', file: 'rename-command get fetch\nrename-command set fetch\n' },
    { name: 'rename-command with one argument', file: 'rename-command get\n' },
  ];
  for (const testCase of cases) {
    it(testCase.name, async () => {
      const args = [...(testCase.file ? [configFile('bad.conf', testCase.file)] : []), ...(testCase.args ?? [])];
      const [redis, node] = await Promise.all([launchRedis(args, work).exited, launchNode(args, work).exited]);
      expect(redis.code).toBe(1);
      expect(redis.stderr).toContain('*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***');
      expect(node.stderr).toBe(redis.stderr);
      expect(node.code).toBe(1);
    });
  }
});

describe('startup: running and stopping', () => {
  it('logs in Redis format, and stops on SIGTERM with status 0', async () => {
    const port = await freePort();
    const node = launchNode(['--port', String(port), '--bind', '127.0.0.1', '--save', ''], work);
    await waitForPort('127.0.0.1', port);
    const conn = await RawConnection.open('127.0.0.1', port);
    expect(await conn.command(['PING'])).toBe('+PONG\r\n');
    conn.close();
    node.child.kill('SIGTERM');
    const result = await node.exited;
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n').filter(Boolean);
    const pid = String(node.child.pid);
    for (const line of lines) {
      const match = LOG_LINE.exec(line) ?? SIGNAL_LINE.exec(line);
      expect(match, `log line ${JSON.stringify(line)}`).not.toBeNull();
      expect(match?.[1]).toBe(pid);
    }
    const logged = messages(result.stdout);
    expect(logged).toContain('Ready to accept connections');
    expect(logged).toContain('Received SIGTERM scheduling shutdown...');
    expect(logged.at(-1)).toBe('Redis is now ready to exit, bye bye...');
  });

  it('stops on SHUTDOWN with status 0', async () => {
    const port = await freePort();
    const node = launchNode(['--port', String(port), '--bind', '127.0.0.1', '--save', ''], work);
    await waitForPort('127.0.0.1', port);
    const conn = await RawConnection.open('127.0.0.1', port);
    conn.send(['SHUTDOWN', 'NOSAVE']);
    expect((await conn.readUntilClose()).toString('latin1')).toBe('');
    const result = await node.exited;
    expect(result.code).toBe(0);
    const logged = messages(result.stdout);
    expect(logged).toContain('User requested shutdown...');
    expect(logged.at(-1)).toBe('Redis is now ready to exit, bye bye...');
  });

  describe('a port in use', () => {
    let blocker: NetServer;
    let port: number;
    beforeAll(async () => {
      port = await freePort();
      blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

    it('gives a one-line error and a non-zero status', async () => {
      const result = await launchNode(['--port', String(port), '--bind', '127.0.0.1', '--save', ''], work).exited;
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`rctl server: Could not create server TCP listening socket 127.0.0.1:${port}: bind: Address already in use\n`);
    });

    it.runIf(redisServerPath)('logs the failure with the lines redis-server logs', async () => {
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', ''];
      const [redis, node] = await Promise.all([launchRedis(args, work).exited, launchNode(args, work).exited]);
      expect(redis.code).toBe(1);
      expect(messages(node.stdout).slice(-2)).toEqual(messages(redis.stdout).slice(-2));
    });
  });

  it('writes the pid file and the log file, and removes the pid file on exit', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(work, 'files-'));
    const pidfile = join(dir, 'node.pid');
    const logfile = join(dir, 'node.log');
    const node = launchNode(['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--pidfile', pidfile, '--logfile', logfile], work);
    await waitForPort('127.0.0.1', port);
    // The pid file is written once listening; "Ready to accept connections" is logged after it.
    await waitFor(() => existsSync(logfile) && readFileSync(logfile, 'utf8').includes('Ready to accept connections'));
    expect(readFileSync(pidfile, 'utf8')).toBe(`${node.child.pid}\n`);
    node.child.kill('SIGTERM');
    const result = await node.exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(existsSync(pidfile)).toBe(false);
    const logged = messages(readFileSync(logfile, 'utf8'));
    expect(logged.every((message) => !message.startsWith('<not a log line>'))).toBe(true);
    expect(logged).toContain('Ready to accept connections');
    expect(logged.slice(-2)).toEqual(['Removing the pid file.', 'Redis is now ready to exit, bye bye...']);
  });
});

describeWithRedis('startup: a config file with quotes and comments', () => {
  const password = 'pa ss!"q\'';
  const text = (port: number) =>
    [
      '# a comment line',
      '   # an indented comment',
      '',
      `port ${port}`,
      'bind 127.0.0.1',
      `requirepass "pa ss\\x21\\"q'"`,
      'save ""',
      "dbfilename 'my dump.rdb'",
      '  appendonly   no  ',
      'maxmemory-policy "allkeys-lru"',
      '',
    ].join('\n');

  it('loads the same way as in redis-server', async () => {
    const replies: string[][] = [];
    for (const launcher of [launchRedis, launchNode]) {
      const port = await freePort();
      const server = launcher([configFile(`quoted-${port}.conf`, text(port))], work);
      await waitForPort('127.0.0.1', port);
      const conn = await RawConnection.open('127.0.0.1', port);
      replies.push([
        await conn.command(['PING']),
        await conn.command(['AUTH', 'pa ss!']),
        await conn.command(['AUTH', password]),
        await conn.command(['CONFIG', 'GET', 'dbfilename']),
        await conn.command(['CONFIG', 'GET', 'maxmemory-policy']),
        await conn.command(['CONFIG', 'GET', 'appendonly']),
      ]);
      conn.close();
      server.child.kill('SIGTERM');
      expect((await server.exited).code).toBe(0);
    }
    const [redis, node] = replies;
    expect(redis[2]).toBe('+OK\r\n');
    expect(node).toEqual(redis);
  });

  it("redis-server's own log lines match the format the node is checked against", async () => {
    const port = await freePort();
    const redis = launchRedis(['--port', String(port), '--bind', '127.0.0.1', '--save', ''], work);
    await waitForPort('127.0.0.1', port);
    redis.child.kill('SIGTERM');
    const result = await redis.exited;
    const lines = result.stdout.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(LOG_LINE.test(line) || SIGNAL_LINE.test(line), line).toBe(true);
  });
});

describeWithRedis('startup: a relative dir', () => {
  it('is entered once: SAVE writes into it, CONFIG GET dir shows its absolute path, as redis-server does', async () => {
    const results: Array<{ dir: string; saved: boolean }> = [];
    for (const launcher of [launchRedis, launchNode]) {
      const cwd = mkdtempSync(join(tmpdir(), 'rctl-reldir-'));
      try {
        mkdirSync(join(cwd, 'sub'));
        const port = await freePort();
        const running = launcher(['--port', String(port), '--bind', '127.0.0.1', '--dir', './sub', '--save', '3600 1'], cwd);
        await waitForPort('127.0.0.1', port);
        const conn = await RawConnection.open('127.0.0.1', port);
        const dir = (await conn.command(['CONFIG', 'GET', 'dir'])).split('\r\n')[4];
        await conn.command(['SET', 'k', 'v']);
        expect(await conn.command(['SAVE'])).toBe('+OK\r\n');
        // FLUSHALL with save points set saves too, into the same place.
        expect(await conn.command(['FLUSHALL'])).toBe('+OK\r\n');
        conn.close();
        running.child.kill('SIGKILL');
        await running.exited;
        results.push({ dir: dir.replace(cwd, '<cwd>'), saved: existsSync(join(cwd, 'sub', 'dump.rdb')) && !existsSync(join(cwd, 'sub', 'sub')) });
      } finally {
        rmSync(cwd, { recursive: true, force: true });
      }
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[0]).toEqual({ dir: '<cwd>/sub', saved: true });
  });
});

describeWithRedis('startup: a hardened config with rename-command', () => {
  it('starts, and the renamed and removed commands answer as redis-server answers them', async () => {
    const file = configFile('hardened.conf', 'save ""\nrename-command CONFIG ""\nrename-command FLUSHALL wipe-everything-7f3a\nrename-command DEBUG ""\nrename-command KEYS ""\n');
    const transcripts: string[][] = [];
    for (const launcher of [launchRedis, launchNode]) {
      const port = await freePort();
      const running = launcher([file, '--port', String(port), '--bind', '127.0.0.1'], work);
      await waitForPort('127.0.0.1', port);
      const conn = await RawConnection.open('127.0.0.1', port);
      const transcript: string[] = [];
      for (const cmd of [['SET', 'k', 'v'], ['CONFIG', 'GET', 'port'], ['KEYS', '*'], ['FLUSHALL'], ['WIPE-EVERYTHING-7F3A'], ['DBSIZE'], ['COMMAND', 'INFO', 'wipe-everything-7f3a']]) {
        transcript.push(`${cmd.join(' ')} -> ${(await conn.command(cmd)).split('\r\n').slice(0, 3).join('|')}`);
      }
      conn.close();
      running.child.kill('SIGKILL');
      await running.exited;
      transcripts.push(transcript);
    }
    expect(transcripts[1]).toEqual(transcripts[0]);
    expect(transcripts[0][4]).toBe('WIPE-EVERYTHING-7F3A -> +OK|');
  });
});
