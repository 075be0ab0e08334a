// bench:hostile — hostile and careless clients against the bundled node and redis-server, side by
// side in one run: how much memory each server takes (peak VmRSS) and how long it takes to cut the
// client off (or, for the cases where nobody should be cut off, to finish).
//
// test/hostile/node-survives.test.ts provokes the same cases and asserts; this measures. Each case
// runs on a fresh server of each kind, one server at a time, so the two never share the machine.
//
//   npm run bench:hostile                         full sizes
//   npm run bench:hostile -- --quick              small sizes, to check the script works
//   --with-redis-huge-argc                        also run *200000001 against redis-server (~7 GB)
//   --only <case-id>[,<case-id>...]               a subset, e.g. --only keys,connections

import { spawn, spawnSync } from 'node:child_process';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot, residentBytes, startServerProcess, stopServerProcess, type ServerKind, type ServerProcess } from './lib/servers';
import { RespClient, loadKeys, type Reply } from './lib/resp';
import { encodeCommand, ReplyError } from '../src/node/resp';
import { currentLoad, formatInt, formatMb, formatRatio, machineInfo, markdownTable, type MachineInfo } from './lib/report';

const KB = 1024;
const MB = 1024 * KB;
const SAMPLE_MS = 20;
const resultsDir = join(repoRoot, 'bench', 'results');

const OUTPUT_LIMIT_LINE = /Client id=\d+ addr=.* scheduled to be closed ASAP for overcoming of output buffer limits\./;
const PUBSUB_LIMIT_LINE = /Client id=\d+ addr=.*sub=1.* scheduled to be closed ASAP for overcoming of output buffer limits\./;
const QUERY_LIMIT_LINE = /Closing client that reached max query buffer length/;

const log = (line: string) => process.stderr.write(line + '\n');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Wall-clock milliseconds with sub-millisecond precision, comparable with the servers' log timestamps. */
const wallNow = () => performance.timeOrigin + performance.now();

interface Options {
  quick: boolean;
  withRedisHugeArgc: boolean;
  only: string[] | null;
  pipelinedGets: number;
  connections: number;
  keys: number;
  /** Quick mode lowers client-query-buffer-limit for the *200000001 case: 1 GB of input takes a while. */
  hugeArgcQueryLimit: string | null;
}

function parseOptions(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const onlyAt = argv.indexOf('--only');
  return {
    quick,
    withRedisHugeArgc: argv.includes('--with-redis-huge-argc'),
    only: onlyAt >= 0 ? (argv[onlyAt + 1] ?? '').split(',').filter(Boolean) : null,
    pipelinedGets: quick ? 800 : 8000,
    connections: quick ? 1000 : 11_000,
    keys: quick ? 100_000 : 1_000_000,
    hugeArgcQueryLimit: quick ? '16mb' : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Measuring tools

/** Peak VmRSS of a process, sampled every 20 ms until stopped. */
class RssSampler {
  readonly start: number;
  private peakBytes: number;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.start = residentBytes(pid);
    this.peakBytes = this.start;
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
  }

  sample(): number {
    try {
      this.peakBytes = Math.max(this.peakBytes, residentBytes(this.pid));
    } catch {
      // The process is gone: the case reports it as not surviving.
    }
    return this.peakBytes;
  }

  stop(): number {
    clearInterval(this.timer);
    return this.sample();
  }
}

interface LogSighting {
  line: string;
  /** When this process read the line from the file. */
  observedAt: number;
  /** The server's own timestamp on the line (ms precision), or null when it does not parse. */
  loggedAt: number | null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "pid:M dd Mon yyyy hh:mm:ss.mmm ..." in local time, as both servers write it. */
function logTimestamp(line: string): number | null {
  const match = /^\d+:[A-Z] (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2})\.(\d{3})/.exec(line);
  if (!match) return null;
  const month = MONTHS.indexOf(match[2]);
  if (month < 0) return null;
  return new Date(Number(match[3]), month, Number(match[1]), Number(match[4]), Number(match[5]), Number(match[6]), Number(match[7])).getTime();
}

/**
 * Follows the server's log file from its current end and notes when a line matching `pattern`
 * shows up. Polling every 5 ms is cheap and, unlike the client's socket, does not depend on
 * whether the client is reading.
 */
class LogWatch {
  private readonly fd: number;
  private offset: number;
  private partial = '';
  private readonly timer: NodeJS.Timeout;
  sighting: LogSighting | null = null;

  constructor(
    path: string,
    private readonly pattern: RegExp,
  ) {
    this.fd = openSync(path, 'r');
    this.offset = fstatSync(this.fd).size;
    this.timer = setInterval(() => this.poll(), 5);
  }

  poll(): LogSighting | null {
    if (this.sighting) return this.sighting;
    const size = fstatSync(this.fd).size;
    if (size <= this.offset) return null;
    const buffer = Buffer.alloc(size - this.offset);
    const read = readSync(this.fd, buffer, 0, buffer.length, this.offset);
    this.offset += read;
    const lines = (this.partial + buffer.toString('utf8', 0, read)).split('\n');
    this.partial = lines.pop() ?? '';
    const observedAt = wallNow();
    for (const line of lines) {
      if (this.pattern.test(line)) {
        this.sighting = { line, observedAt, loggedAt: logTimestamp(line) };
        this.stop();
        break;
      }
    }
    return this.sighting;
  }

  async waitFor(timeoutMs: number): Promise<LogSighting | null> {
    const deadline = Date.now() + timeoutMs;
    while (!this.poll() && Date.now() < deadline) await sleep(5);
    return this.sighting;
  }

  stop(): void {
    clearInterval(this.timer);
    try {
      closeSync(this.fd);
    } catch {
      // closed already
    }
  }
}

function rawSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves when `check` holds, or after timeoutMs (whatever it says then). */
async function until(check: () => boolean, timeoutMs: number, stepMs = 5): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() >= deadline) return false;
    await sleep(stepMs);
  }
  return true;
}

/**
 * From t0 to the server's log line. The line's timestamp is truncated to the millisecond, so t0 is
 * truncated too: the difference is whole milliseconds, right to within 1 ms.
 */
function logDelay(sighting: LogSighting, t0: number): number {
  if (sighting.loggedAt === null) return sighting.observedAt - t0;
  return Math.max(0, sighting.loggedAt - Math.floor(t0));
}

/** The bytes of `$<n>\r\n<n bytes>\r\n`: one bulk reply. */
const bulkBytes = (length: number) => `$${length}\r\n`.length + length + 2;

// ---------------------------------------------------------------------------------------------
// Results

type Timing = 'server log' | 'socket close' | 'finish' | 'none';

interface CaseResult {
  id: string;
  kind: ServerKind;
  /** VmRSS when the hostile traffic began (after the case's set-up) and its peak until the end. */
  startRss: number;
  peakRss: number;
  /** Time to disconnect (or to finish, for cases that should not disconnect), in ms. */
  ms: number | null;
  timing: Timing;
  /** When the client itself saw its socket close, from the first hostile byte; null if it did not. */
  socketCloseMs: number | null;
  disconnected: boolean;
  expectDisconnect: boolean;
  /** Whether the expected log line appeared; null when the case expects none. */
  logLine: boolean | null;
  /** The server still answers PING after the case. */
  survived: boolean;
  detail: Record<string, string | number | boolean | null>;
  error?: string;
}

type CaseOutcome = Omit<CaseResult, 'id' | 'kind' | 'survived'>;

/**
 * A case where the server should drop the client: timed by the server's log line when it was seen
 * (the server's own clock), else by when the client saw its socket close.
 */
function disconnectOutcome(rss: RssSampler, watch: LogWatch, t0: number, closedAt: number | null, detail: CaseResult['detail']): CaseOutcome {
  const peakRss = rss.stop();
  const sighting = watch.sighting as LogSighting | null;
  const closeMs = closedAt === null ? null : closedAt - t0;
  const logMs = sighting ? logDelay(sighting, t0) : null;
  return {
    startRss: rss.start,
    peakRss,
    ms: logMs ?? closeMs,
    timing: logMs !== null ? 'server log' : closeMs !== null ? 'socket close' : 'none',
    socketCloseMs: closeMs,
    disconnected: closedAt !== null,
    expectDisconnect: true,
    logLine: sighting !== null,
    detail,
  };
}

/** A socket read until `expected` bytes arrived, it closed, or `timeoutMs` passed. */
interface Reading {
  done: Promise<void>;
  received: number;
  finishedAt: number | null;
  /** When the server closed it before the last byte (our own destroy() afterwards is not a disconnect). */
  closedAt: number | null;
}

function readUntil(socket: Socket, expected: number, timeoutMs: number, onChunk?: (chunk: Buffer) => void): Reading {
  const reading: Reading = { done: Promise.resolve(), received: 0, finishedAt: null, closedAt: null };
  reading.done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      onChunk?.(chunk);
      reading.received += chunk.length;
      if (reading.received >= expected) {
        reading.finishedAt = wallNow();
        clearTimeout(timer);
        resolve();
      }
    });
    socket.once('close', () => {
      if (reading.finishedAt === null) reading.closedAt = wallNow();
      clearTimeout(timer);
      resolve();
    });
  });
  return reading;
}

/** A case where the server should send everything and keep the client: timed to the last byte. */
function finishOutcome(startRss: number, peakRss: number, t0: number, reading: Reading, detail: CaseResult['detail']): CaseOutcome {
  return {
    startRss,
    peakRss,
    ms: reading.finishedAt !== null ? reading.finishedAt - t0 : null,
    timing: reading.finishedAt !== null ? 'finish' : 'none',
    socketCloseMs: reading.closedAt === null ? null : reading.closedAt - t0,
    disconnected: reading.finishedAt === null && reading.closedAt !== null,
    expectDisconnect: false,
    logLine: null,
    detail,
  };
}

interface CaseDefinition {
  id: string;
  title: string;
  /** Whether this kind runs by default (false: skipped unless a flag asks). */
  kinds: (options: Options) => ServerKind[];
  serverArgs: (options: Options) => string[];
  /** How `ms` is measured, for the report. */
  measures: string;
  run: (server: ServerProcess, options: Options) => Promise<CaseOutcome>;
}

const logPath = (server: ServerProcess) => join(server.dir, `${server.kind}.log`);

async function admin(port: number, password?: string): Promise<RespClient> {
  const client = await RespClient.open(port);
  if (password) expectOk(await client.command('AUTH', password), 'AUTH');
  return client;
}

function expectOk(reply: Reply, what: string): void {
  if (reply !== 'OK') throw new Error(`${what}: ${reply instanceof ReplyError ? reply.text : String(reply)}`);
}

/**
 * The shared shape of cases 1, 3, 4 and 6: write `prelude`, then `chunk` up to `times` times
 * without reading a byte, until the server logs `line` or closes the socket.
 *
 * A server that closes a client after reading all it sent sends FIN; a paused Node socket only
 * sees that once it reads again. So the server's log line (its own timestamp) is the time of
 * disconnect, and the socket is resumed as soon as the line shows up so that the client-side close
 * is measured too.
 */
async function floodWithoutReading(
  server: ServerProcess,
  options: { prelude?: string; chunk: Buffer; times: number; line: RegExp; password?: string; afterSendMs?: number },
): Promise<CaseOutcome> {
  const watch = new LogWatch(logPath(server), options.line);
  const socket = await rawSocket(server.port);
  socket.pause();
  socket.on('error', () => {});
  let closedAt: number | null = null;
  socket.once('close', () => (closedAt = wallNow()));
  const rss = new RssSampler(server.pid);
  const t0 = wallNow();
  let sentBytes = 0;
  try {
    if (options.prelude) {
      socket.write(options.prelude);
      sentBytes += options.prelude.length;
    }
    for (let i = 0; i < options.times && closedAt === null && !watch.poll(); i++) {
      sentBytes += options.chunk.length;
      if (!socket.write(options.chunk)) {
        // Back-pressure: wait for the kernel to take it, the server to give up on us, or a while.
        await new Promise<void>((resolve) => {
          const done = () => {
            clearInterval(check);
            clearTimeout(timer);
            socket.off('drain', done);
            socket.off('close', done);
            resolve();
          };
          const check = setInterval(() => watch.poll() && done(), 5);
          const timer = setTimeout(done, 200);
          socket.once('drain', done);
          socket.once('close', done);
        });
      }
    }
    // All sent, or the server decided: give it a moment to log, then read so a FIN is seen.
    await watch.waitFor(closedAt === null && !watch.sighting ? (options.afterSendMs ?? 5000) : 0);
    socket.on('data', () => {});
    socket.resume();
    await until(() => closedAt !== null, watch.sighting ? 10_000 : 1000);
    // The log line can trail the close by a little.
    if (closedAt !== null) await watch.waitFor(2000);
  } finally {
    watch.stop();
    socket.destroy();
  }
  const sighting = watch.sighting as LogSighting | null;
  return disconnectOutcome(rss, watch, t0, closedAt, { sentMb: Number((sentBytes / MB).toFixed(1)), logLineObservedMs: sighting ? Number((sighting.observedAt - t0).toFixed(1)) : null });
}

// ---------------------------------------------------------------------------------------------
// The cases

const CASES: CaseDefinition[] = [
  {
    id: 'ping-flood',
    title: '1. unauthenticated PING flood, never reading (requirepass pw)',
    kinds: () => ['node', 'redis'],
    serverArgs: () => ['--requirepass', 'pw'],
    measures: 'server log timestamp of the output-limit close',
    run: (server) =>
      // 600 KB of PINGs per write, up to 300 MB: every -NOAUTH reply piles up unread.
      floodWithoutReading(server, { chunk: Buffer.from('PING\r\n'.repeat(100_000)), times: 500, line: OUTPUT_LIMIT_LINE }),
  },
  {
    id: 'pubsub',
    title: '2. subscriber that never reads, publisher sending 64 KB messages (up to 300 MB)',
    kinds: () => ['node', 'redis'],
    serverArgs: () => [],
    measures: 'server log timestamp of the pubsub-limit close, from the first PUBLISH',
    run: async (server) => {
      const watch = new LogWatch(logPath(server), PUBSUB_LIMIT_LINE);
      const subscriber = await rawSocket(server.port);
      subscriber.on('error', () => {});
      const subscribed = new Promise<void>((resolve) => subscriber.once('data', () => resolve()));
      subscriber.write(encodeCommand(['SUBSCRIBE', 'news']));
      await subscribed;
      subscriber.pause();
      let closedAt: number | null = null;
      subscriber.once('close', () => (closedAt = wallNow()));
      const publisher = await admin(server.port);
      const message = 'm'.repeat(64 * KB);
      const rss = new RssSampler(server.pid);
      const t0 = wallNow();
      let published = 0;
      let receivers = 0;
      try {
        // 4,800 x 64 KB = 300 MB, ten times the 32 MB hard limit; stop once the server gave up.
        while (published < 4800 && closedAt === null && !watch.poll()) {
          const replies = await Promise.all(Array.from({ length: 100 }, () => publisher.command('PUBLISH', 'news', message)));
          published += 100;
          receivers += replies.reduce<number>((sum, reply) => sum + (typeof reply === 'number' ? reply : 0), 0);
        }
        await watch.waitFor(5000);
        subscriber.on('data', () => {});
        subscriber.resume();
        await until(() => closedAt !== null, 10_000);
      } finally {
        watch.stop();
        subscriber.destroy();
        publisher.close();
      }
      return disconnectOutcome(rss, watch, t0, closedAt, { publishedMb: Number(((published * message.length) / MB).toFixed(1)), deliveredToSubscriber: receivers });
    },
  },
  {
    id: 'query-buffer',
    title: '3. client-query-buffer-limit 1mb, a 3,000,000-byte argument announced and sent',
    kinds: () => ['node', 'redis'],
    serverArgs: () => [],
    measures: 'server log timestamp of the query-buffer close',
    run: async (server) => {
      const client = await admin(server.port);
      expectOk(await client.command('CONFIG', 'SET', 'client-query-buffer-limit', '1mb'), 'CONFIG SET client-query-buffer-limit');
      client.close();
      return floodWithoutReading(server, {
        prelude: '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3000000\r\n',
        chunk: Buffer.from('x'.repeat(64 * KB)),
        times: 46,
        line: QUERY_LIMIT_LINE,
      });
    },
  },
  {
    id: 'output-buffer',
    title: '4. client-output-buffer-limit normal 4mb 0 0, pipelined GETs of a 100 KB value, never reading',
    kinds: () => ['node', 'redis'],
    serverArgs: () => [],
    measures: 'server log timestamp of the output-limit close',
    run: async (server) => {
      const client = await admin(server.port);
      expectOk(await client.command('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 4mb 0 0'), 'CONFIG SET client-output-buffer-limit');
      expectOk(await client.command('SET', 'big', 'v'.repeat(100 * KB)), 'SET big');
      client.close();
      // 20 x 1,000 GETs: 2 GB of replies if nothing stopped them.
      return floodWithoutReading(server, { chunk: Buffer.from('GET big\r\n'.repeat(1000)), times: 20, line: OUTPUT_LIMIT_LINE });
    },
  },
  {
    id: 'pipelined-gets',
    title: '5. pipelined GETs of a 100 KB value in one write, read fully',
    kinds: () => ['node', 'redis'],
    serverArgs: () => [],
    measures: 'from the write to the last reply byte received',
    run: async (server, options) => {
      const count = options.pipelinedGets;
      const client = await admin(server.port);
      const value = 'v'.repeat(100 * KB);
      expectOk(await client.command('SET', 'big', value), 'SET big');
      client.close();
      const socket = await rawSocket(server.port);
      socket.on('error', () => {});
      const expected = count * bulkBytes(value.length);
      let head = '';
      const reading = readUntil(socket, expected, 180_000, (chunk) => {
        if (head.length < 16) head += chunk.toString('latin1', 0, 16 - head.length);
      });
      const rss = new RssSampler(server.pid);
      const t0 = wallNow();
      socket.write(Buffer.from('GET big\r\n'.repeat(count)));
      await reading.done;
      socket.destroy();
      const peakRss = rss.stop();
      if (reading.finishedAt !== null && !head.startsWith(`$${value.length}\r\nvvv`)) throw new Error(`unexpected reply head ${JSON.stringify(head)}`);
      return finishOutcome(rss.start, peakRss, t0, reading, { gets: count, replyMb: Number((expected / MB).toFixed(1)), receivedMb: Number((reading.received / MB).toFixed(1)) });
    },
  },
  {
    id: 'huge-argc',
    title: '6. *200000001 followed by empty bulks ($0\\r\\n\\r\\n)',
    kinds: (options) => (options.withRedisHugeArgc ? ['node', 'redis'] : ['node']),
    serverArgs: () => [],
    measures: 'server log timestamp of the query-buffer close (or the end of sending, if none)',
    run: async (server, options) => {
      if (options.hugeArgcQueryLimit) {
        const client = await admin(server.port);
        expectOk(await client.command('CONFIG', 'SET', 'client-query-buffer-limit', options.hugeArgcQueryLimit), 'CONFIG SET client-query-buffer-limit');
        client.close();
      }
      // 2,000 x 100,000 empty bulks: every one of the 200,000,001 announced but the last.
      const result = await floodWithoutReading(server, {
        prelude: '*200000001\r\n',
        chunk: Buffer.from('$0\r\n\r\n'.repeat(100_000)),
        times: 2000,
        line: QUERY_LIMIT_LINE,
        afterSendMs: 2000,
      });
      result.detail.queryBufferLimit = options.hugeArgcQueryLimit ?? '1gb (default)';
      return result;
    },
  },
  {
    id: 'connections',
    title: '7. connections opened all at once, each sending PING and waiting for +PONG',
    kinds: () => ['node', 'redis'],
    serverArgs: () => ['--maxclients', '12000'],
    measures: 'from the first connect() to the last +PONG (client in a child process)',
    run: (server, options) => connectionsCase(server, options.connections),
  },
  {
    id: 'keys',
    title: '8. KEYS * on a loaded keyspace',
    kinds: () => ['node', 'redis'],
    serverArgs: () => [],
    measures: 'from sending KEYS * to the last byte of its reply',
    run: (server, options) => keysCase(server, options.keys),
  },
];

// ---------------------------------------------------------------------------------------------
// Case 7: many connections. The client side runs in a child process: 11,000 sockets need their own
// file descriptors, and their handshakes would otherwise starve this process's 20 ms RSS sampler.

/** The soft and hard "Max open files" of a process, from /proc/<pid>/limits. */
function openFilesLimit(pid: number | 'self'): { soft: number; hard: number } {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const fields = (line ?? '').trim().split(/\s+/);
  const parse = (value: string | undefined) => (value === 'unlimited' ? Infinity : Number(value));
  return { soft: parse(fields[3]), hard: parse(fields[4]) };
}

/**
 * TcpExt ListenOverflows + ListenDrops from /proc/net/netstat: connections the kernel turned away
 * because the accept queue was full. A dropped SYN is retried after a second, which shows in the time.
 */
function listenDrops(): number | null {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
    const header = lines.findIndex((line) => line.startsWith('TcpExt:'));
    const names = lines[header].split(/\s+/);
    const values = lines[header + 1].split(/\s+/).map(Number);
    return values[names.indexOf('ListenOverflows')] + values[names.indexOf('ListenDrops')];
  } catch {
    return null;
  }
}

interface ConnectionsReport {
  ponged: number;
  failures: Record<string, number>;
  ms: number;
  openFiles: number;
}

async function connectionsChild(port: number, count: number): Promise<void> {
  const sockets: Socket[] = [];
  const failures: Record<string, number> = {};
  let settled = 0;
  let ponged = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    for (let i = 0; i < count; i++) {
      let reply = '';
      let finished = false;
      const finish = (failure: string | null) => {
        if (finished) return;
        finished = true;
        if (failure === null) ponged++;
        else failures[failure] = (failures[failure] ?? 0) + 1;
        if (++settled === count) resolve();
      };
      const socket = connect({ port, host: '127.0.0.1' });
      sockets.push(socket);
      socket.on('connect', () => socket.write('PING\r\n'));
      socket.on('data', (chunk: Buffer) => {
        reply += chunk.toString('latin1');
        if (reply.includes('\r\n')) finish(reply.startsWith('+PONG') ? null : reply.trim().slice(0, 60));
      });
      socket.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
      socket.on('close', () => finish('closed without a reply'));
    }
  });
  const report: ConnectionsReport = { ponged, failures, ms: performance.now() - started, openFiles: openFilesLimit('self').soft };
  process.stdout.write(JSON.stringify(report) + '\n');
  // Hold every connection until the parent has sampled the server with all of them open.
  process.stdin.resume();
  await new Promise<void>((resolve) => process.stdin.once('end', () => resolve()).once('close', () => resolve()));
  for (const socket of sockets) socket.destroy();
  process.exit(0);
}

async function connectionsCase(server: ServerProcess, count: number): Promise<CaseOutcome> {
  const own = openFilesLimit('self');
  const wanted = count + 1000;
  // A soft limit can be raised up to the hard one without privileges.
  const limit = Math.min(own.hard, Math.max(own.soft, wanted));
  const ulimitArg = Number.isFinite(limit) ? String(limit) : 'unlimited';
  const client = await admin(server.port);
  const maxclients = await client.command('CONFIG', 'GET', 'maxclients');
  client.close();
  const dropsBefore = listenDrops();
  const rss = new RssSampler(server.pid);
  const child = spawn('sh', ['-c', `ulimit -n ${ulimitArg} 2>/dev/null; exec "$0" "$@"`, process.execPath, __filename, '--connections-child', String(server.port), String(count)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const firstLine = await new Promise<string>((resolve) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', (line) => resolve(line));
    child.once('exit', () => resolve(''));
  });
  // All connections are still open here: one more sample with the server holding every one.
  rss.sample();
  await sleep(200);
  child.stdin?.end();
  await exited;
  const peakRss = rss.stop();
  if (!firstLine) throw new Error('the connections child exited without a report');
  const report = JSON.parse(firstLine) as ConnectionsReport;
  const serverLimit = openFilesLimit(server.pid);
  const dropsAfter = listenDrops();
  return {
    startRss: rss.start,
    peakRss,
    ms: report.ponged === count ? report.ms : null,
    timing: report.ponged === count ? 'finish' : 'none',
    socketCloseMs: null,
    disconnected: report.ponged !== count,
    expectDisconnect: false,
    logLine: null,
    detail: {
      connections: count,
      ponged: report.ponged,
      failures: Object.keys(report.failures).length > 0 ? JSON.stringify(report.failures) : null,
      msUntilAllSettled: Number(report.ms.toFixed(1)),
      clientOpenFiles: report.openFiles,
      serverOpenFiles: serverLimit.soft,
      maxclients: Array.isArray(maxclients) ? String(maxclients[1]) : String(maxclients),
      listenQueueDrops: dropsBefore === null || dropsAfter === null ? null : dropsAfter - dropsBefore,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Case 8: KEYS * on a big keyspace. A second, idle client sends PING just after KEYS: how long it
// waits is how long the server was unavailable to everyone else.

async function keysCase(server: ServerProcess, keys: number): Promise<CaseOutcome> {
  const keyName = (i: number) => `key:${i}`;
  const loadStarted = performance.now();
  await loadKeys(server.port, keys, keyName, (i) => String(i));
  const loadMs = performance.now() - loadStarted;
  const setup = await admin(server.port);
  const size = await setup.command('DBSIZE');
  if (size !== keys) throw new Error(`DBSIZE is ${String(size)}, expected ${keys}`);
  const slowlogReset = await setup.command('SLOWLOG', 'RESET');
  let expected = `*${keys}\r\n`.length;
  for (let i = 0; i < keys; i++) expected += bulkBytes(keyName(i).length);

  const socket = await rawSocket(server.port);
  socket.on('error', () => {});
  const bystander = await rawSocket(server.port);
  const reading = readUntil(socket, expected, 120_000);
  let pingSentAt = 0;
  const pong = new Promise<number>((resolve) => bystander.once('data', () => resolve(wallNow() - pingSentAt)));
  const rss = new RssSampler(server.pid);
  const t0 = wallNow();
  socket.write(encodeCommand(['KEYS', '*']));
  // A moment later, so that KEYS is surely the server's first job.
  await sleep(2);
  pingSentAt = wallNow();
  bystander.write(encodeCommand(['PING']));
  await reading.done;
  const pingMs = await Promise.race([pong, sleep(10_000).then(() => NaN)]);
  const peakRss = rss.stop();
  socket.destroy();
  bystander.destroy();
  // The server's own view of how long KEYS ran, where SLOWLOG is supported.
  let slowlogMs: number | string = 'SLOWLOG unsupported';
  if (slowlogReset === 'OK') {
    const entries = await setup.command('SLOWLOG', 'GET', '10');
    if (Array.isArray(entries)) {
      for (const entry of entries) {
        if (Array.isArray(entry) && Array.isArray(entry[3]) && String(entry[3][0]).toUpperCase() === 'KEYS' && typeof entry[2] === 'number') slowlogMs = entry[2] / 1000;
      }
    }
  }
  setup.close();
  return finishOutcome(rss.start, peakRss, t0, reading, {
      keys,
      replyMb: Number((expected / MB).toFixed(1)),
      loadMs: Math.round(loadMs),
      slowlogMs: typeof slowlogMs === 'number' ? Number(slowlogMs.toFixed(1)) : slowlogMs,
      bystanderPingMs: Number.isFinite(pingMs) ? Number(pingMs.toFixed(1)) : null,
  });
}

// ---------------------------------------------------------------------------------------------
// Running and reporting

async function stillAnswers(server: ServerProcess, password?: string): Promise<boolean> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return false;
  try {
    const client = await admin(server.port, password);
    const reply = await Promise.race([client.command('PING'), sleep(10_000).then(() => null)]);
    client.close();
    return reply === 'PONG';
  } catch {
    return false;
  }
}

async function runCase(definition: CaseDefinition, kind: ServerKind, options: Options): Promise<CaseResult> {
  const extraArgs = definition.serverArgs(options);
  const password = extraArgs.includes('--requirepass') ? extraArgs[extraArgs.indexOf('--requirepass') + 1] : undefined;
  const server = await startServerProcess(kind, { extraArgs });
  try {
    const result = await definition.run(server, options);
    const survived = await stillAnswers(server, password);
    return { id: definition.id, kind, survived, ...result };
  } catch (error) {
    return {
      id: definition.id,
      kind,
      startRss: NaN,
      peakRss: NaN,
      ms: null,
      timing: 'none',
      socketCloseMs: null,
      disconnected: false,
      expectDisconnect: false,
      logLine: null,
      survived: await stillAnswers(server, password),
      detail: {},
      error: (error as Error).message,
    };
  } finally {
    await stopServerProcess(server);
  }
}

const yesNo = (value: boolean | null) => (value === null ? '-' : value ? 'yes' : 'no');
const formatMs = (ms: number | null) => (ms === null ? 'n/a' : ms >= 100 ? formatInt(ms) : ms.toFixed(1));

function describeDetail(result: CaseResult): string {
  const parts = Object.entries(result.detail)
    .filter(([, value]) => value !== null)
    .map(([key, value]) => `${key}=${typeof value === 'number' && Number.isInteger(value) ? formatInt(value) : String(value)}`);
  if (result.socketCloseMs !== null && result.timing !== 'socket close') parts.push(`socket closed at ${formatMs(result.socketCloseMs)} ms`);
  if (!result.survived) parts.push('SERVER DID NOT SURVIVE');
  if (result.error) parts.push(`error: ${result.error}`);
  return parts.join(', ');
}

function markdown(machine: MachineInfo, options: Options, results: CaseResult[], limits: { soft: number; hard: number }): string {
  const title = (id: string) => CASES.find((c) => c.id === id)?.title ?? id;
  const rows = results.map((r) => [
    title(r.id).split(' ')[0] + ' ' + r.id,
    r.kind,
    formatMb(r.startRss),
    formatMb(r.peakRss),
    // Log timestamps are whole milliseconds: under one is "<1", not a measured zero.
    r.timing === 'server log' && r.ms !== null && r.ms < 1 ? '<1' : formatMs(r.ms),
    r.timing,
    yesNo(r.disconnected),
    yesNo(r.logLine),
    yesNo(r.survived),
  ]);
  const ratioRows: string[][] = [];
  for (const definition of CASES) {
    const node = results.find((r) => r.id === definition.id && r.kind === 'node');
    const redis = results.find((r) => r.id === definition.id && r.kind === 'redis');
    if (!node || !redis) continue;
    const rssRatio = node.peakRss / redis.peakRss;
    // A ratio against next to nothing (redis growing by kilobytes, closing within a millisecond or
    // two) says nothing: those show as n/a, the table above has the absolute numbers.
    const redisGrowth = redis.peakRss - redis.startRss;
    const growthRatio = redisGrowth >= MB ? (node.peakRss - node.startRss) / redisGrowth : NaN;
    const timeRatio = node.ms !== null && redis.ms !== null && redis.ms >= 5 ? node.ms / redis.ms : NaN;
    ratioRows.push([definition.id, formatRatio(rssRatio), formatRatio(growthRatio), formatRatio(timeRatio)]);
  }
  const caseLines = CASES.filter((c) => results.some((r) => r.id === c.id)).map((c) => `- **${c.id}** — ${c.title}; time: ${c.measures}`);
  const detailLines = results.map((r) => `- ${r.id} / ${r.kind}: ${describeDetail(r) || '-'}`);
  const skipped = CASES.flatMap((c) => (['node', 'redis'] as const).filter((kind) => !c.kinds(options).includes(kind) && (options.only === null || options.only.includes(c.id))).map((kind) => `${c.id} / ${kind}`));
  return [
    `# bench:hostile — hostile clients, bundled node vs redis-server${options.quick ? ' (--quick: small sizes)' : ''}`,
    '',
    `- date: ${machine.date}`,
    `- machine: ${machine.nproc} CPUs (${machine.cpuModel}), node ${machine.node}, redis-server ${machine.redis}`,
    `- 1-minute load average: ${machine.loadAverageStart} at start, ${machine.loadAverageEnd ?? 'n/a'} at end (the machine may be shared: other work skews timings)`,
    `- open files (ulimit -n) of the bench: soft ${limits.soft}, hard ${limits.hard}; the servers inherit it, the connections client raises its own soft limit up to the hard one`,
    '- each case runs on a fresh server of each kind, one server at a time; VmRSS is sampled every 20 ms from the first hostile byte (after the case\'s set-up) to the end of the case',
    '- **time to disconnect** is the timestamp on the server\'s own log line (ms precision, same clock) minus the time the client wrote its first hostile byte (whole ms, right to within 1 ms): a server that closes a paused socket after reading everything sends FIN, which the paused client only sees once it reads again, so the client-side close (resumed as soon as the line is logged) is listed separately in the details',
    '- cases that should not disconnect report the time to finish instead (timing "finish")',
    '',
    '## Cases',
    '',
    ...caseLines,
    ...(skipped.length > 0 ? ['', `Skipped by default: ${skipped.join(', ')} (redis-server survives *200000001 by growing to ~7 GB; pass --with-redis-huge-argc to include it).`] : []),
    '',
    '## Results',
    '',
    markdownTable(['case', 'server', 'start RSS MB', 'peak RSS MB', 'time ms', 'timing', 'disconnected', 'log line', 'survived'], rows),
    '',
    '## node / redis',
    '',
    'Peak RSS ratio, RSS growth ratio (peak minus start; n/a when redis-server grew by under 1 MB), and time ratio (n/a when redis-server took under 5 ms), where both servers ran the case.',
    '',
    markdownTable(['case', 'peak RSS', 'RSS growth', 'time'], ratioRows),
    '',
    '## Details',
    '',
    ...detailLines,
    '',
  ].join('\n');
}

/** redis-server caps maxclients at the open-files limit: raise our soft limit first if we may. */
function reexecWithMoreFiles(): boolean {
  if (process.env.RCTL_BENCH_HOSTILE_REEXEC) return false;
  const { soft, hard } = openFilesLimit('self');
  const wanted = 12_000 + 32 + 1000;
  if (soft >= wanted || hard <= soft) return false;
  const limit = Math.min(hard, wanted);
  const child = spawnSync('sh', ['-c', `ulimit -n ${Number.isFinite(limit) ? limit : 'unlimited'} && exec "$0" "$@"`, process.execPath, __filename, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, RCTL_BENCH_HOSTILE_REEXEC: '1' },
  });
  process.exit(child.status ?? 1);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const childAt = argv.indexOf('--connections-child');
  if (childAt >= 0) return connectionsChild(Number(argv[childAt + 1]), Number(argv[childAt + 2]));
  reexecWithMoreFiles();
  const options = parseOptions(argv);
  const machine = machineInfo();
  const limits = openFilesLimit('self');
  const results: CaseResult[] = [];
  for (const definition of CASES) {
    if (options.only !== null && !options.only.includes(definition.id)) continue;
    for (const kind of definition.kinds(options)) {
      log(`${definition.id} / ${kind}...`);
      const result = await runCase(definition, kind, options);
      log(
        `  peak RSS ${formatMb(result.peakRss)} MB, ${formatMs(result.ms)} ms (${result.timing}), disconnected ${yesNo(result.disconnected)}, log line ${yesNo(result.logLine)}, survived ${yesNo(result.survived)}${result.error ? `, error: ${result.error}` : ''}`,
      );
      results.push(result);
    }
  }
  machine.loadAverageEnd = currentLoad();
  const text = markdown(machine, options, results, limits);
  mkdirSync(resultsDir, { recursive: true });
  const parameters = { quick: options.quick, pipelinedGets: options.pipelinedGets, connections: options.connections, keys: options.keys, hugeArgcQueryLimit: options.hugeArgcQueryLimit, withRedisHugeArgc: options.withRedisHugeArgc, sampleMs: SAMPLE_MS, openFiles: limits };
  const cases = CASES.map((c) => ({ id: c.id, title: c.title, measures: c.measures }));
  writeFileSync(join(resultsDir, 'hostile.json'), JSON.stringify({ machine, parameters, cases, results }, null, 2) + '\n');
  writeFileSync(join(resultsDir, 'hostile.md'), text + '\n');
  log('wrote bench/results/hostile.json and hostile.md');
  process.stdout.write(text + '\n');
}

main().catch((error) => {
  process.stderr.write(`bench:hostile failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
