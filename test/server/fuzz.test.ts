// Protocol fuzzing of one in-process node: random bytes and mutations of valid multibulk and
// inline requests, cut into random chunks, over a few connections. After every batch a separate
// healthy client must still get PONG and read back what it SET; the node must never throw, and
// everything it sends on the fuzzed connections must be well-formed RESP.
//
// Deterministic: the seed is printed; rerun with RCTL_FUZZ_SEED=<seed> to reproduce a failure.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RawConnection, replyLength } from '../helpers/raw-connection';
import { startNode } from '../helpers/bundled-node';
import type { RunningServer } from '../../src/server/index';
import { prng } from '../helpers/prng';

const SEED = Number(process.env.RCTL_FUZZ_SEED ?? 0x0f0220);
const INPUTS = Number(process.env.RCTL_FUZZ_INPUTS ?? 20_000);
const BATCH = 200;
const CONNECTIONS = 4;

const random = prng(SEED);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(items: ArrayLike<T>): T => items[int(items.length)];

/**
 * Requests the fuzzer starts from. Deliberately absent: anything that could stop the node, block
 * every client, reach the network, write files or wipe the health client's keys (SHUTDOWN,
 * CLIENT PAUSE/KILL, REPLICAOF, SAVE, CONFIG, FLUSHALL, SWAPDB...). Single-byte mutations of
 * these names cannot spell those.
 */
const VOCABULARY: readonly string[][] = [
  ['PING'],
  ['PING', 'hello world'],
  ['ECHO', 'a\r\nb\x00\xff'],
  ['SET', 'k1', 'v1'],
  ['SET', 'k2', '12', 'EX', '100'],
  ['SET', 'k3', 'x', 'NX', 'GET'],
  ['GET', 'k1'],
  ['GETEX', 'k1', 'PX', '100000'],
  ['MGET', 'k1', 'k2', 'k3'],
  ['MSET', 'k1', 'a', 'k2', 'b'],
  ['APPEND', 'k2', 'xyz'],
  ['STRLEN', 'k2'],
  ['SETRANGE', 'k4', '5', 'abc'],
  ['GETRANGE', 'k4', '0', '-1'],
  ['INCR', 'n'],
  ['INCRBY', 'n', '-7'],
  ['INCRBYFLOAT', 'f', '1.5e3'],
  ['DECR', 'n'],
  ['DEL', 'k1', 'k2'],
  ['EXISTS', 'k1', 'n'],
  ['TYPE', 'k1'],
  ['EXPIRE', 'k2', '100'],
  ['TTL', 'k2'],
  ['PERSIST', 'k2'],
  ['LPUSH', 'list', 'a', 'b', 'c'],
  ['RPUSH', 'list', 'd'],
  ['LRANGE', 'list', '0', '-1'],
  ['LPOP', 'list', '2'],
  ['LLEN', 'list'],
  ['HSET', 'hash', 'f1', 'v1', 'f2', 'v2'],
  ['HGET', 'hash', 'f1'],
  ['HGETALL', 'hash'],
  ['HINCRBY', 'hash', 'n', '3'],
  ['SADD', 'set', 'm1', 'm2'],
  ['SMEMBERS', 'set'],
  ['ZADD', 'z', '1.5', 'm1', '2', 'm2'],
  ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
  ['ZINCRBY', 'z', '2', 'm1'],
  ['SCAN', '0', 'COUNT', '5'],
  ['KEYS', 'k*'],
  ['DBSIZE'],
  ['SELECT', '2'],
  ['SELECT', '0'],
  ['MULTI'],
  ['EXEC'],
  ['DISCARD'],
  ['WATCH', 'k1'],
  ['UNWATCH'],
  ['HELLO', '3'],
  ['HELLO', '2'],
  ['SUBSCRIBE', 'chan'],
  ['PSUBSCRIBE', 'ch*'],
  ['UNSUBSCRIBE'],
  ['PUNSUBSCRIBE'],
  ['PUBLISH', 'chan', 'message'],
  ['CLIENT', 'SETNAME', 'fuzzer'],
  ['CLIENT', 'GETNAME'],
  ['CLIENT', 'ID'],
  ['COMMAND', 'COUNT'],
  ['COMMAND', 'INFO', 'get'],
  ['INFO', 'keyspace'],
  ['OBJECT', 'ENCODING', 'list'],
  ['RESET'],
  ['AUTH', 'nopass'],
];

/** Bytes that matter to the parsers: most mutations use them, not uniform noise. */
const SPECIAL = '*$\r\n0123456789-+:"\'\\x \t\x00\x0b';

function specialOrRandomByte(): string {
  return random() < 0.8 ? pick(SPECIAL) : String.fromCharCode(int(256));
}

function multibulk(args: readonly string[]): string {
  return `*${args.length}\r\n` + args.map((arg) => `$${arg.length}\r\n${arg}\r\n`).join('');
}

/** An inline request, quoting arguments that need it the way redis-cli would. */
function inline(args: readonly string[]): string {
  const quoted = args.map((arg) => {
    if (arg !== '' && /^[\x21-\x7e]+$/.test(arg) && !/["'\\]/.test(arg)) return arg;
    let out = '"';
    for (const ch of arg) {
      const code = ch.charCodeAt(0);
      if (ch === '"' || ch === '\\') out += '\\' + ch;
      else if (code < 0x20 || code > 0x7e) out += '\\x' + code.toString(16).padStart(2, '0');
      else out += ch;
    }
    return out + '"';
  });
  return quoted.join(' ') + (random() < 0.5 ? '\r\n' : '\n');
}

function validRequest(): string {
  const args = [...pick(VOCABULARY)];
  if (random() < 0.3) args.push('x'.repeat(int(3000)));
  return random() < 0.7 ? multibulk(args) : inline(args);
}

function randomNumberText(): string {
  return pick(['0', '-1', '-0', '01', '+5', '1', '10', '11', '16385', '65536', '2147483648', '4194305', '9223372036854775808', String(int(100))]);
}

function mutate(input: string): string {
  const at = () => int(input.length + 1);
  switch (int(8)) {
    case 0: {
      const i = at();
      return input.slice(0, i) + specialOrRandomByte() + input.slice(i + 1);
    }
    case 1: {
      const i = at();
      return input.slice(0, i) + specialOrRandomByte() + input.slice(i);
    }
    case 2: {
      const i = at();
      return input.slice(0, i) + input.slice(i + 1);
    }
    case 3: {
      const i = at();
      const j = Math.min(input.length, i + int(40));
      return input.slice(0, j) + input.slice(i, j) + input.slice(j);
    }
    case 4:
      return input.slice(0, at());
    case 5: {
      const numbers = [...input.matchAll(/-?\d+/g)];
      if (numbers.length === 0) return input + '\r\n';
      const target = pick(numbers);
      const start = target.index ?? 0;
      return input.slice(0, start) + randomNumberText() + input.slice(start + target[0].length);
    }
    case 6: {
      const i = at();
      return input.slice(0, i) + pick(['\r\n', '\r', '\n', '\x00']) + input.slice(i);
    }
    default: {
      const i = int(Math.max(1, input.length));
      const j = int(Math.max(1, input.length));
      const chars = input.split('');
      [chars[i], chars[j]] = [chars[j], chars[i]];
      return chars.join('');
    }
  }
}

function randomBytes(): string {
  let out = '';
  const length = 1 + int(300);
  for (let i = 0; i < length; i++) out += random() < 0.3 ? String.fromCharCode(int(256)) : random() < 0.5 ? pick(SPECIAL) : String.fromCharCode(97 + int(26));
  return out;
}

/** One fuzz input: noise, a mutated request, or a mutated pipeline. */
function fuzzInput(): string {
  const kind = random();
  if (kind < 0.15) return randomBytes();
  if (kind < 0.3) return validRequest();
  let input = '';
  const requests = kind < 0.75 ? 1 : 2 + int(6);
  for (let i = 0; i < requests; i++) input += validRequest();
  const mutations = 1 + int(3);
  for (let i = 0; i < mutations; i++) input = mutate(input);
  return input;
}

/** A fuzzed connection: everything received is kept to check it is well-formed RESP. */
class FuzzConnection {
  received: Buffer[] = [];
  closed = false;
  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.received.push(chunk));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => {});
  }
  static open(host: string, port: number): Promise<FuzzConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port }, () => resolve(new FuzzConnection(socket)));
      socket.once('error', reject);
    });
  }
  /**
   * Throws when the bytes are not a sequence of RESP replies (a trailing partial one is allowed).
   * Returns how many replies there were, and how many were errors and protocol errors.
   */
  checkReplies(): { replies: number; errors: number; protocolErrors: number } {
    const all = Buffer.concat(this.received);
    const counts = { replies: 0, errors: 0, protocolErrors: 0 };
    let pos = 0;
    while (pos < all.length) {
      let length: number | null;
      try {
        length = replyLength(all, pos);
      } catch (error) {
        throw new Error(`malformed reply at byte ${pos}: ${(error as Error).message}; before it: ${JSON.stringify(all.toString('latin1', Math.max(0, pos - 80), pos))}`);
      }
      if (length === null) break;
      counts.replies++;
      if (all[pos] === 0x2d /* '-' */) {
        counts.errors++;
        if (all.toString('latin1', pos, pos + 19) === '-ERR Protocol error') counts.protocolErrors++;
      }
      pos += length;
    }
    return counts;
  }
}

async function writeInChunks(conn: FuzzConnection, input: string): Promise<void> {
  const bytes = Buffer.from(input, 'latin1');
  const chunks = 1 + int(4);
  const cuts = Array.from({ length: chunks - 1 }, () => int(bytes.length)).sort((a, b) => a - b);
  let start = 0;
  for (const end of [...cuts, bytes.length]) {
    if (conn.closed) return;
    if (end > start) conn.socket.write(bytes.subarray(start, end));
    start = end;
    // Yielding lets the node read the chunks separately now and then.
    if (random() < 0.3) await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('fuzz: protocol robustness of one node', () => {
  let node: RunningServer;
  let dir: string;
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);

  beforeAll(async () => {
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    dir = mkdtempSync(join(tmpdir(), 'rctl-fuzz-'));
    // A small proto-max-bulk-len keeps mutated lengths from reserving hundreds of MB.
    node = await startNode({ config: { 'proto-max-bulk-len': '4mb', dir } });
    process.stdout.write(`fuzz: seed ${SEED} (RCTL_FUZZ_SEED=${SEED} to reproduce), ${INPUTS} inputs\n`);
  });

  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
    await node?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`survives ${INPUTS} random and mutated inputs`, { timeout: 120_000 }, async () => {
    const health = await RawConnection.open(node.host, node.port);
    await health.command(['SELECT', '9']);
    const pool: FuzzConnection[] = [];
    const finished: FuzzConnection[] = [];
    for (let i = 0; i < CONNECTIONS; i++) pool.push(await FuzzConnection.open(node.host, node.port));
    let sent = 0;
    let reconnects = 0;
    try {
      for (let batch = 0; sent < INPUTS; batch++) {
        for (let i = 0; i < BATCH && sent < INPUTS; i++, sent++) {
          const slot = int(CONNECTIONS);
          // Replace connections the node closed (protocol errors, QUIT), and some others to reset their state.
          if (pool[slot].closed || random() < 0.08) {
            finished.push(pool[slot]);
            pool[slot].socket.destroy();
            pool[slot] = await FuzzConnection.open(node.host, node.port);
            reconnects++;
          }
          await writeInChunks(pool[slot], fuzzInput());
        }
        const value = `value-${batch}-${int(1e9)}\r\n\x00\xff`;
        expect(await health.command(['PING']), `PING after batch ${batch}`).toBe('+PONG\r\n');
        expect(await health.command(['SET', `health:${batch}`, value]), `SET after batch ${batch}`).toBe('+OK\r\n');
        expect(await health.command(['GET', `health:${batch}`]), `GET after batch ${batch}`).toBe(`$${value.length}\r\n${value}\r\n`);
        expect(uncaught, `uncaught exceptions after batch ${batch}`).toEqual([]);
        // Handler exceptions are caught and logged by the node; for the fuzzer any of them is a bug.
        expect(node.server.stats.internalErrors, `handler exceptions after batch ${batch}`).toBe(0);
      }
      // Let the node answer what is still in flight before checking the reply streams.
      await health.command(['PING']);
      const totals = { replies: 0, errors: 0, protocolErrors: 0 };
      for (const conn of [...finished, ...pool]) {
        const counts = conn.checkReplies();
        totals.replies += counts.replies;
        totals.errors += counts.errors;
        totals.protocolErrors += counts.protocolErrors;
      }
      process.stdout.write(
        `fuzz: ${sent} inputs, ${reconnects} reconnections, ${totals.replies} replies ` +
          `(${totals.errors} errors, ${totals.protocolErrors} protocol errors)\n`,
      );
      // The mix must exercise both paths, or the generator has degenerated.
      expect(totals.protocolErrors).toBeGreaterThan(INPUTS / 100);
      expect(totals.replies - totals.errors).toBeGreaterThan(INPUTS / 20);
    } finally {
      for (const conn of pool) conn.socket.destroy();
      health.close();
    }
    // Every closed connection leaves the node's client table.
    for (let waited = 0; node.server.clients.size > 0 && waited < 200; waited++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(node.server.clients.size).toBe(0);
    expect(uncaught).toEqual([]);
    expect(node.server.stats.internalErrors).toBe(0);
  });
});
