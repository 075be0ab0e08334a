// Unit tests of the request parser. Every fixture is fed whole, byte by byte, split in two at
// every position (small inputs) and cut at random points (fixed seed), also through one reused
// buffer as a socket with a shared read buffer would lend it: the commands, their
// byte counts (lastCommandBytes, used for replication offsets) and the final error or
// pending state must be identical however the bytes arrive.
//
// The expected texts follow Redis 7.0's processInlineBuffer / processMultibulkBuffer;
// test/server/protocol.test.ts checks the same situations against a real redis-server.

import { describe, expect, it } from 'vitest';
import { constants } from 'node:buffer';
import { latin1String } from '../../src/server/latin1';
import { prng } from '../helpers/prng';
import {
  RequestParser,
  ProtocolError,
  parseStrictInteger,
  PROTO_INLINE_MAX_SIZE,
  PROTO_ERR_TOO_BIG_INLINE,
  PROTO_ERR_UNBALANCED_QUOTES,
  PROTO_ERR_TOO_BIG_MBULK_COUNT,
  PROTO_ERR_INVALID_MBULK_LENGTH,
  PROTO_ERR_UNAUTH_MBULK_LENGTH,
  PROTO_ERR_TOO_BIG_BULK_COUNT,
  PROTO_ERR_INVALID_BULK_LENGTH,
  PROTO_ERR_UNAUTH_BULK_LENGTH,
  protoErrExpectedDollar,
  type ParserLimits,
} from '../../src/server/resp/request-parser';

const SEED = 0x5eed1234;
const MAX_STRING_LENGTH = constants.MAX_STRING_LENGTH;
const RANDOM_CHUNKINGS = 12;
/** Inputs up to this size are also split in two at every possible position. */
const EXHAUSTIVE_SPLIT_MAX = 400;

/** RESP encoding of a request, as clients send it. */
function mb(...args: string[]): string {
  return `*${args.length}\r\n` + args.map((arg) => `$${arg.length}\r\n${arg}\r\n`).join('');
}

interface Fixture {
  name: string;
  /** Complete requests in order: the raw bytes (latin1) and the arguments they must parse to. */
  requests: Array<[raw: string, args: string[]]>;
  /** Bytes after the last complete request: an incomplete request, or the one that fails. */
  tail?: string;
  /** The protocol error the tail must produce; without it the tail must stay pending. */
  error?: string;
  authRequired?: boolean;
  maxBulkLength?: number;
}

interface Outcome {
  commands: Array<{ args: string[]; bytes: number }>;
  error: string | null;
  pending: number;
}

function limitsFor(fixture: Fixture): ParserLimits {
  return {
    maxBulkLength: () => fixture.maxBulkLength ?? 512 * 1024 * 1024,
    authRequired: () => fixture.authRequired ?? false,
  };
}

/**
 * Feeds input cut at the given offsets, collecting everything the parser returns. With `borrowed`,
 * every chunk is lent in one reused buffer, overwritten after each call (a socket's shared read
 * buffer), and the parser is told to keep what it still needs with retainPending().
 */
function parseChunked(fixture: Fixture, input: Buffer, cuts: number[], borrowed = false): Outcome {
  const parser = new RequestParser(limitsFor(fixture));
  const outcome: Outcome = { commands: [], error: null, pending: 0 };
  const shared = borrowed ? Buffer.alloc(input.length) : null;
  let start = 0;
  for (const end of [...cuts, input.length]) {
    if (end <= start) continue;
    const chunkLength = end - start;
    if (shared) {
      input.copy(shared, 0, start, end);
      parser.write(shared.subarray(0, end - start));
    } else {
      parser.write(input.subarray(start, end));
    }
    start = end;
    for (;;) {
      const result = parser.next();
      if (result === null) break;
      if (result instanceof ProtocolError) {
        if (outcome.error !== null) throw new Error('second protocol error after the first');
        outcome.error = result.message;
        break;
      }
      outcome.commands.push({ args: result, bytes: parser.lastCommandBytes });
    }
    if (shared) {
      parser.retainPending();
      shared.fill(0xee, 0, chunkLength);
    }
  }
  // A failed parser stays failed: nothing more comes out, whatever arrives.
  if (outcome.error !== null) {
    parser.write(Buffer.from(mb('PING')));
    expect(parser.next()).toBeNull();
  }
  outcome.pending = outcome.error === null ? parser.pendingBytes : 0;
  return outcome;
}

function expectedCommands(fixture: Fixture): Outcome['commands'] {
  return fixture.requests.map(([raw, args]) => ({ args, bytes: Buffer.byteLength(raw, 'latin1') }));
}

function randomCuts(random: () => number, length: number): number[] {
  const count = 1 + Math.floor(random() * Math.min(length, 40));
  const cuts = Array.from({ length: count }, () => Math.floor(random() * length));
  return cuts.sort((a, b) => a - b);
}

function checkFixture(fixture: Fixture, random: () => number): void {
  const input = Buffer.from(fixture.requests.map(([raw]) => raw).join('') + (fixture.tail ?? ''), 'latin1');
  // Compare a compact form first: deep pipelines would make a failing diff unreadable otherwise.
  const summary = (o: Outcome) => ({ count: o.commands.length, error: o.error, pending: o.pending });
  const whole = parseChunked(fixture, input, []);
  const tailLength = Buffer.byteLength(fixture.tail ?? '', 'latin1');
  expect(summary(whole), 'whole input').toEqual({
    count: fixture.requests.length,
    error: fixture.error ?? null,
    // Unparsed bytes: the whole tail, less any header and arguments of it already parsed.
    pending: fixture.error || tailLength === 0 ? 0 : expect.any(Number),
  });
  expect(whole.pending).toBeLessThanOrEqual(tailLength);
  expect(whole.commands, 'whole input').toEqual(expectedCommands(fixture));
  const check = (label: string, cuts: number[], borrowed = false) => {
    const actual = parseChunked(fixture, input, cuts, borrowed);
    expect(summary(actual), label).toEqual(summary(whole));
    expect(actual.commands, label).toEqual(whole.commands);
  };
  check('byte by byte', Array.from({ length: input.length }, (_, i) => i));
  if (input.length <= EXHAUSTIVE_SPLIT_MAX) {
    for (let at = 1; at < input.length; at++) check(`split at ${at}`, [at]);
  }
  for (let round = 0; round < RANDOM_CHUNKINGS; round++) {
    const cuts = randomCuts(random, input.length);
    const label = `random cuts ${JSON.stringify(cuts.length > 20 ? cuts.slice(0, 20).concat(-1) : cuts)}`;
    check(label, cuts);
    check(`${label} in a reused buffer`, cuts, true);
  }
  check('byte by byte in a reused buffer', Array.from({ length: input.length }, (_, i) => i), true);
}

const binary = 'a\r\nb\x00\xff\r\n\n*$';
const allBytes = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');

const multibulkFixtures: Fixture[] = [
  { name: 'one command', requests: [[mb('SET', 'key', 'value'), ['SET', 'key', 'value']]] },
  {
    name: 'a pipeline of different commands',
    requests: [
      [mb('SET', 'k', 'v'), ['SET', 'k', 'v']],
      [mb('GET', 'k'), ['GET', 'k']],
      [mb('PING'), ['PING']],
    ],
  },
  { name: 'empty bulk', requests: [[mb('ECHO', ''), ['ECHO', '']]] },
  { name: '*0 is an empty command', requests: [['*0\r\n', []], [mb('PING'), ['PING']]] },
  { name: '*-1 is an empty command', requests: [['*-1\r\n', []], [mb('PING'), ['PING']]] },
  { name: 'any negative count is an empty command', requests: [['*-5\r\n', []], [mb('PING'), ['PING']]] },
  { name: 'binary payload with CRLF, NUL and high bytes inside', requests: [[mb('SET', binary, binary), ['SET', binary, binary]]] },
  { name: 'every byte value as payload', requests: [[mb('SET', allBytes, allBytes), ['SET', allBytes, allBytes]]] },
  {
    name: 'the two bytes after a payload are skipped unchecked',
    requests: [
      ['*1\r\n$4\r\nPINGxy', ['PING']],
      [mb('PING'), ['PING']],
    ],
  },
  { name: 'the byte after a header CR is skipped unchecked', requests: [['*1\rx$4\rzPING\r\n', ['PING']]] },
  {
    name: 'multibulk and inline mixed in one stream',
    requests: [
      [mb('SET', 'a', '1'), ['SET', 'a', '1']],
      ['GET a\r\n', ['GET', 'a']],
      [mb('GET', 'a'), ['GET', 'a']],
      ['\n', []],
    ],
  },
  { name: 'incomplete header stays pending', requests: [[mb('PING'), ['PING']]], tail: '*2\r' },
  { name: 'incomplete bulk length stays pending', requests: [], tail: '*2\r\n$3\r\nGET\r\n$1' },
  { name: 'incomplete payload stays pending', requests: [], tail: '*2\r\n$3\r\nGET\r\n$10\r\n12345' },
  { name: 'payload without its trailing two bytes stays pending', requests: [], tail: '*1\r\n$4\r\nPING\r' },
  { name: 'a huge announced count just waits for arguments', requests: [], tail: '*2147483647\r\n$4\r\nPING\r\n' },
  {
    name: 'bulks just below and at the big-argument threshold',
    requests: [
      [mb('SET', 'k', 'x'.repeat(32 * 1024 - 1)), ['SET', 'k', 'x'.repeat(32 * 1024 - 1)]],
      [mb('SET', 'k', 'y'.repeat(32 * 1024)), ['SET', 'k', 'y'.repeat(32 * 1024)]],
      [mb('GET', 'k'), ['GET', 'k']],
    ],
  },
  {
    name: 'a 1 MB bulk arriving in pieces, between small commands',
    requests: [
      [mb('PING'), ['PING']],
      [mb('SET', 'big', 'z'.repeat(1024 * 1024)), ['SET', 'big', 'z'.repeat(1024 * 1024)]],
      [mb('GET', 'big'), ['GET', 'big']],
    ],
  },
  { name: 'a big bulk still incomplete stays pending', requests: [], tail: '*2\r\n$3\r\nGET\r\n$100000\r\n' + 'q'.repeat(70000) },
  {
    name: 'a bulk of exactly proto-max-bulk-len is accepted',
    maxBulkLength: 1024 * 1024,
    requests: [[mb('ECHO', 'm'.repeat(1024 * 1024)), ['ECHO', 'm'.repeat(1024 * 1024)]]],
  },
  { name: "bulk lengths up to V8's string limit are accepted", requests: [], tail: `*1\r\n$${MAX_STRING_LENGTH}\r\n`, maxBulkLength: Infinity },
];

const inlineFixtures: Fixture[] = [
  { name: 'CRLF terminated', requests: [['PING\r\n', ['PING']]] },
  { name: 'LF only', requests: [['PING\n', ['PING']], ['ECHO hi\n', ['ECHO', 'hi']]] },
  { name: 'empty lines are empty commands', requests: [['\r\n', []], ['\n', []], ['\n', []], ['PING\n', ['PING']]] },
  { name: 'blank lines of spaces and tabs', requests: [['   \t \r\n', []], ['\t\n', []]] },
  { name: 'runs of spaces between and around arguments', requests: [['  SET   a    b  \r\n', ['SET', 'a', 'b']]] },
  { name: 'tab, CR, vertical tab and form feed between arguments', requests: [['a\tb\rc \x0b\x0cd\r\n', ['a', 'b', 'c', 'd']]] },
  { name: 'vertical tab and form feed inside an unquoted argument', requests: [['a\x0bb c\x0cd\r\n', ['a\x0bb', 'c\x0cd']]] },
  { name: 'high bytes are plain characters', requests: [['ECHO \xe9\xa0\xff\r\n', ['ECHO', '\xe9\xa0\xff']]] },
  { name: 'double quotes keep spaces', requests: [['SET "a b" "c  d"\r\n', ['SET', 'a b', 'c  d']]] },
  { name: 'single quotes keep spaces', requests: [["SET 'a b' 'c  d'\r\n", ['SET', 'a b', 'c  d']]] },
  { name: 'empty quoted arguments', requests: [['ECHO "" \'\'\r\n', ['ECHO', '', '']]] },
  {
    name: 'escapes in double quotes',
    requests: [['ECHO "\\n\\r\\t\\b\\a\\\\\\"\\q"\r\n', ['ECHO', '\n\r\t\b\x07\\"q']]],
  },
  { name: 'hex escapes in double quotes', requests: [['ECHO "\\x41\\x6a\\xFF\\x00"\r\n', ['ECHO', 'Aj\xff\x00']]] },
  { name: 'incomplete hex escapes are literal', requests: [['ECHO "\\x4" "\\xzz" "\\x"\r\n', ['ECHO', 'x4', 'xzz', 'x']]] },
  { name: "single quotes only unescape \\'", requests: [["ECHO 'it\\'s' 'a\\nb' 'c\\d'\r\n", ['ECHO', "it's", 'a\\nb', 'c\\d']]] },
  { name: 'quotes glued after unquoted text join it', requests: [['ECHO foo"bar baz" x\'y z\'\r\n', ['ECHO', 'foobar baz', 'xy z']]] },
  { name: 'a closing quote may be followed by a tab', requests: [['ECHO "a"\tb\r\n', ['ECHO', 'a', 'b']]] },
  { name: 'quoted CR and LF', requests: [['ECHO "a\\r\\nb"\n', ['ECHO', 'a\r\nb']]] },
  { name: 'a lone CR inside the line separates arguments', requests: [['a\rb\r\n', ['a', 'b']]] },
  {
    name: 'a 64 KB line is accepted',
    requests: [['ECHO ' + 'x'.repeat(PROTO_INLINE_MAX_SIZE - 5) + '\n', ['ECHO', 'x'.repeat(PROTO_INLINE_MAX_SIZE - 5)]]],
  },
  { name: 'incomplete line stays pending', requests: [['PING\r\n', ['PING']]], tail: 'ECHO abc' },
  { name: 'a NUL byte hides the line end (Redis uses strchr)', requests: [], tail: 'PING\x00\r\nPING\r\n' },
  { name: 'a NUL byte hides the header end', requests: [], tail: '*1\x00\r\n$4\r\nPING\r\n' },
  { name: 'a NUL byte hides a bulk length end', requests: [], tail: '*1\r\n$\x004\r\nPING\r\n' },
  { name: 'a NUL after the line end does not matter', requests: [['PING\n', ['PING']]], tail: '\x00' },
];

const errorFixtures: Fixture[] = [
  { name: 'unbalanced double quote', requests: [['PING\r\n', ['PING']]], tail: 'ECHO "abc\r\n', error: PROTO_ERR_UNBALANCED_QUOTES },
  { name: 'unbalanced single quote', requests: [], tail: "ECHO 'abc\r\n", error: PROTO_ERR_UNBALANCED_QUOTES },
  { name: 'text right after a closing double quote', requests: [], tail: 'ECHO "a"b\r\n', error: PROTO_ERR_UNBALANCED_QUOTES },
  { name: 'text right after a closing single quote', requests: [], tail: "ECHO 'a'b\n", error: PROTO_ERR_UNBALANCED_QUOTES },
  { name: 'a backslash before a closing single quote escapes it', requests: [], tail: "ECHO 'c\\'\r\n", error: PROTO_ERR_UNBALANCED_QUOTES },
  { name: 'a backslash ending a quoted argument', requests: [], tail: 'ECHO "abc\\\n', error: PROTO_ERR_UNBALANCED_QUOTES },
  { name: 'inline request over 64 KB without a newline', requests: [], tail: 'x'.repeat(PROTO_INLINE_MAX_SIZE + 1), error: PROTO_ERR_TOO_BIG_INLINE },
  {
    name: 'a NUL-hidden line end grows into a too big inline request',
    requests: [],
    tail: 'PING\x00\r\n' + 'y'.repeat(PROTO_INLINE_MAX_SIZE),
    error: PROTO_ERR_TOO_BIG_INLINE,
  },
  { name: 'multibulk count over 64 KB without CR', requests: [], tail: '*' + '1'.repeat(PROTO_INLINE_MAX_SIZE), error: PROTO_ERR_TOO_BIG_MBULK_COUNT },
  {
    name: 'bulk count over 64 KB without CR',
    requests: [[mb('PING'), ['PING']]],
    tail: '*1\r\n$' + '1'.repeat(PROTO_INLINE_MAX_SIZE),
    error: PROTO_ERR_TOO_BIG_BULK_COUNT,
  },
  { name: 'count with letters', requests: [], tail: '*1x\r\n', error: PROTO_ERR_INVALID_MBULK_LENGTH },
  { name: 'empty count', requests: [], tail: '*\r\n', error: PROTO_ERR_INVALID_MBULK_LENGTH },
  { name: 'count with a leading zero', requests: [], tail: '*01\r\n', error: PROTO_ERR_INVALID_MBULK_LENGTH },
  { name: 'count with a plus sign', requests: [], tail: '*+1\r\n', error: PROTO_ERR_INVALID_MBULK_LENGTH },
  { name: 'count with a space', requests: [], tail: '* 1\r\n', error: PROTO_ERR_INVALID_MBULK_LENGTH },
  { name: 'count -0', requests: [], tail: '*-0\r\n', error: PROTO_ERR_INVALID_MBULK_LENGTH },
  { name: 'count over INT_MAX', requests: [], tail: '*2147483648\r\n', error: PROTO_ERR_INVALID_MBULK_LENGTH },
  { name: 'count below the 64-bit range', requests: [], tail: '*-9223372036854775809\r\n', error: PROTO_ERR_INVALID_MBULK_LENGTH },
  { name: 'count of 21 characters', requests: [], tail: '*-00000000000000000001\r\n', error: PROTO_ERR_INVALID_MBULK_LENGTH },
  { name: 'LF before the header CR', requests: [], tail: '*1\n$4\r\nPING\r\n', error: PROTO_ERR_INVALID_MBULK_LENGTH },
  {
    name: "expected '$', got a letter",
    requests: [[mb('PING'), ['PING']]],
    tail: '*1\r\nx\r\n',
    error: protoErrExpectedDollar('x'.charCodeAt(0)),
  },
  { name: "expected '$', got CR (shown as a space)", requests: [], tail: '*1\r\n\r\n', error: "Protocol error: expected '$', got ' '" },
  { name: "expected '$', got LF (shown as a space)", requests: [], tail: '*1\r\n\n\r\n', error: "Protocol error: expected '$', got ' '" },
  { name: "expected '$', got a high byte", requests: [], tail: '*1\r\n\xff4\r\n', error: "Protocol error: expected '$', got '\xff'" },
  { name: 'negative bulk length', requests: [], tail: '*1\r\n$-1\r\n', error: PROTO_ERR_INVALID_BULK_LENGTH },
  { name: 'bulk length with a leading zero', requests: [], tail: '*1\r\n$04\r\nPING\r\n', error: PROTO_ERR_INVALID_BULK_LENGTH },
  { name: 'bulk length with letters', requests: [], tail: '*1\r\n$4a\r\nPING\r\n', error: PROTO_ERR_INVALID_BULK_LENGTH },
  { name: 'empty bulk length', requests: [], tail: '*1\r\n$\r\n\r\n', error: PROTO_ERR_INVALID_BULK_LENGTH },
  {
    name: 'bulk length over proto-max-bulk-len',
    maxBulkLength: 1024 * 1024,
    requests: [],
    tail: `*1\r\n$${1024 * 1024 + 1}\r\n`,
    error: PROTO_ERR_INVALID_BULK_LENGTH,
  },
  { name: 'bulk length over the 64-bit range', requests: [], tail: '*1\r\n$9223372036854775808\r\n', maxBulkLength: Infinity, error: PROTO_ERR_INVALID_BULK_LENGTH },
  {
    name: "a bulk longer than V8's string limit, even from a master",
    requests: [],
    tail: `*1\r\n$${MAX_STRING_LENGTH + 1}\r\n`,
    maxBulkLength: Infinity,
    error: PROTO_ERR_INVALID_BULK_LENGTH,
  },
  { name: 'unauthenticated: more than 10 arguments', authRequired: true, requests: [], tail: '*11\r\n', error: PROTO_ERR_UNAUTH_MBULK_LENGTH },
  {
    name: 'unauthenticated: a bulk over 16384 bytes',
    authRequired: true,
    requests: [],
    tail: '*2\r\n$4\r\nAUTH\r\n$16385\r\n',
    error: PROTO_ERR_UNAUTH_BULK_LENGTH,
  },
  {
    name: 'unauthenticated: an invalid count is reported before the limit',
    authRequired: true,
    requests: [],
    tail: '*2147483648\r\n',
    error: PROTO_ERR_INVALID_MBULK_LENGTH,
  },
];

const unauthenticatedOkFixtures: Fixture[] = [
  {
    name: 'unauthenticated: 10 arguments and a 16384-byte bulk are fine',
    authRequired: true,
    requests: [
      [mb('A', '1', '2', '3', '4', '5', '6', '7', '8', '9'), ['A', '1', '2', '3', '4', '5', '6', '7', '8', '9']],
      [mb('AUTH', 'p'.repeat(16384)), ['AUTH', 'p'.repeat(16384)]],
    ],
  },
  {
    name: 'unauthenticated: inline requests have no argument limit',
    authRequired: true,
    requests: [['A 1 2 3 4 5 6 7 8 9 10 11\r\n', ['A', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']]],
  },
];

function deepPipeline(): Fixture {
  const random = prng(SEED ^ 0xdeadbeef);
  const requests: Fixture['requests'] = [];
  for (let i = 0; i < 10_000; i++) {
    const kind = random();
    const key = `key:${i}`;
    if (kind < 0.6) {
      const value = 'v'.repeat(Math.floor(random() * 40)) + String(i);
      requests.push([mb('SET', key, value), ['SET', key, value]]);
    } else if (kind < 0.85) {
      requests.push([mb('GET', key), ['GET', key]]);
    } else if (kind < 0.95) {
      requests.push([`INCR ${key}\r\n`, ['INCR', key]]);
    } else {
      requests.push(['*0\r\n', []]);
    }
  }
  return { name: 'a pipeline of 10,000 commands', requests };
}

describe('RequestParser fixtures', () => {
  const random = prng(SEED);
  process.stdout.write(`request-parser: random chunking seed 0x${SEED.toString(16)}\n`);
  const groups: Array<[string, Fixture[]]> = [
    ['multibulk', multibulkFixtures],
    ['inline', inlineFixtures],
    ['protocol errors', errorFixtures],
    ['authentication limits', unauthenticatedOkFixtures],
    ['pipelines', [deepPipeline()]],
  ];
  for (const [group, fixtures] of groups) {
    describe(group, () => {
      for (const fixture of fixtures) {
        it(fixture.name, () => checkFixture(fixture, random));
      }
    });
  }
});

describe('RequestParser state', () => {
  it('reads proto-max-bulk-len live and lets masters past it', () => {
    let limit = 2 * 1024 * 1024;
    const parser = new RequestParser({ maxBulkLength: () => limit, authRequired: () => false });
    parser.write(Buffer.from(`*1\r\n$${1536 * 1024}\r\n`));
    expect(parser.next()).toBeNull();
    limit = 1024 * 1024;
    const second = new RequestParser({ maxBulkLength: () => limit, authRequired: () => false });
    second.write(Buffer.from(`*1\r\n$${1536 * 1024}\r\n`));
    expect(second.next()).toEqual(new ProtocolError(PROTO_ERR_INVALID_BULK_LENGTH));
  });

  it('applies the unauthenticated limits only while AUTH is required', () => {
    let authRequired = true;
    const parser = new RequestParser({ maxBulkLength: () => 512 * 1024 * 1024, authRequired: () => authRequired });
    parser.write(Buffer.from(mb('AUTH', 'secret')));
    expect(parser.next()).toEqual(['AUTH', 'secret']);
    authRequired = false;
    const args = Array.from({ length: 20 }, (_, i) => 'x'.repeat(i === 19 ? 20000 : 1));
    parser.write(Buffer.from(mb(...args)));
    expect(parser.next()).toEqual(args);
  });

  it('counts pending bytes, including a half-parsed request', () => {
    const parser = new RequestParser({ maxBulkLength: () => 512 * 1024 * 1024, authRequired: () => false });
    parser.write(Buffer.from(mb('PING') + '*2\r\n$3\r\nGET\r\n$1'));
    expect(parser.pendingBytes).toBe(Buffer.byteLength(mb('PING')) + 15);
    expect(parser.next()).toEqual(['PING']);
    expect(parser.next()).toBeNull();
    // Like Redis's qbuf: parsed arguments of the unfinished request no longer count.
    expect(parser.pendingBytes).toBe(2);
    parser.write(Buffer.from('\r\nk\r\n'));
    expect(parser.next()).toEqual(['GET', 'k']);
    expect(parser.lastCommandBytes).toBe(Buffer.byteLength(mb('GET', 'k')));
    expect(parser.pendingBytes).toBe(0);
  });

  it('gives arguments that do not change when the input buffer is reused', () => {
    const parser = new RequestParser({ maxBulkLength: () => 512 * 1024 * 1024, authRequired: () => false });
    const chunk = Buffer.from(mb('SET', 'k', 'v1'));
    parser.write(chunk);
    const args = parser.next();
    chunk.fill(0x41);
    expect(args).toEqual(['SET', 'k', 'v1']);
  });
});

describe('parseStrictInteger (string2ll rules)', () => {
  const cases: Array<[string, number | null]> = [
    ['0', 0],
    ['7', 7],
    ['-7', -7],
    ['1234567890', 1234567890],
    ['9223372036854775807', 9223372036854775807],
    ['-9223372036854775808', -9223372036854775808],
    ['9223372036854775808', null],
    ['-9223372036854775809', null],
    ['18446744073709551616', null],
    ['', null],
    ['-', null],
    ['-0', null],
    ['00', null],
    ['01', null],
    ['+1', null],
    [' 1', null],
    ['1 ', null],
    ['1.0', null],
    ['0x10', null],
    ['123456789012345678901', null],
  ];
  for (const [text, expected] of cases) {
    it(JSON.stringify(text), () => {
      const buf = Buffer.from(`#${text}#`, 'latin1');
      expect(parseStrictInteger(buf, 1, buf.length - 1)).toBe(expected);
    });
  }
});

describe('latin1String', () => {
  it('gives the same string as latin1Slice for every length and byte value', () => {
    const random = prng(SEED ^ 0x1a71);
    const bytes = Buffer.from(Array.from({ length: 4096 }, () => Math.floor(random() * 256)));
    for (let length = 0; length <= 40; length++) {
      for (let start = 0; start < 64; start++) {
        expect(latin1String(bytes, start, length)).toBe(bytes.latin1Slice(start, start + length));
      }
    }
    const every = Buffer.from(allBytes, 'latin1');
    for (let start = 0; start + 16 <= every.length; start++) expect(latin1String(every, start, 16)).toBe(every.latin1Slice(start, start + 16));
  });
});
