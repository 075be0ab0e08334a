// Differential protocol tests: the same raw bytes (malformed requests, inline commands, quoting,
// pipelines) go to a real redis-server and to the node; the reply bytes must be identical and both
// must close the connection in the same cases.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { RawConnection } from '../helpers/raw-connection';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { startNode } from '../helpers/bundled-node';
import type { RunningServer } from '../../src/server/index';

/** Redis reads at most this much per read and errors once over 64 KB are unparsed. */
const INLINE_LIMIT = 64 * 1024;
const PASSWORD = 's3cret';

interface Endpoint {
  host: string;
  port: number;
}

interface ProtocolCase {
  name: string;
  bytes: string;
  /** Number of replies to read; the connection must stay open. Absent: the server must close it. */
  replies?: number;
}

function mb(...args: string[]): string {
  return `*${args.length}\r\n` + args.map((arg) => `$${arg.length}\r\n${arg}\r\n`).join('');
}

/**
 * Sends the bytes on a fresh connection and collects the outcome. Requests that must fail are sized
 * so the server has read every byte when it closes: unread input would make the kernel reset the
 * connection and could discard the reply before the test reads it.
 */
async function exchange(endpoint: Endpoint, testCase: ProtocolCase): Promise<{ reply: string; closed: boolean }> {
  const conn = await RawConnection.open(endpoint.host, endpoint.port);
  try {
    conn.sendRaw(Buffer.from(testCase.bytes, 'latin1'));
    if (testCase.replies === undefined) {
      const rest = await conn.readUntilClose(10_000);
      return { reply: rest.toString('latin1'), closed: true };
    }
    const replies: string[] = [];
    for (let i = 0; i < testCase.replies; i++) replies.push((await conn.readReply(10_000)).toString('latin1'));
    // Still usable afterwards: a ping gets an answer (PONG, or NOAUTH) on the same connection.
    const liveness = await conn.command(['PING']).catch(() => null);
    return { reply: replies.join(''), closed: liveness === null };
  } finally {
    conn.close();
  }
}

function describeProtocolDiff(title: string, directives: Record<string, string>, cases: ProtocolCase[]): void {
  describeWithRedis(title, () => {
    let redis: RedisProcess;
    let node: RunningServer;
    beforeAll(async () => {
      const nodeConfig: Record<string, string> = {};
      for (const [name, value] of Object.entries(directives)) nodeConfig[name] = value.replace(/^"(.*)"$/, '$1');
      [redis, node] = await Promise.all([startRedisServer({ directives }), startNode({ config: nodeConfig })]);
    });
    afterAll(async () => {
      await Promise.all([redis?.stop(), node?.close()]);
    });
    for (const testCase of cases) {
      it(testCase.name, async () => {
        const [expected, actual] = await Promise.all([exchange(redis, testCase), exchange(node, testCase)]);
        expect(expected.closed, 'redis-server closed the connection').toBe(testCase.replies === undefined);
        expect(JSON.stringify(actual.reply)).toBe(JSON.stringify(expected.reply));
        expect(actual.closed).toBe(expected.closed);
      });
    }
  });
}

const padTo = (prefix: string, total: number, fill: string) => prefix + fill.repeat(total - prefix.length);

describeProtocolDiff('protocol: malformed requests', {}, [
  { name: 'unbalanced double quote', bytes: 'ECHO "abc\r\n' },
  { name: 'unbalanced single quote', bytes: "ECHO 'abc\r\n" },
  { name: 'text after a closing quote', bytes: 'ECHO "a"b\r\n' },
  { name: 'backslash before a closing single quote', bytes: "ECHO 'c\\'\r\n" },
  { name: 'replies before the error are kept, input after it is ignored', bytes: 'PING\r\n' + mb('ECHO', 'x') + 'ECHO "oops\r\nPING\r\n' },
  { name: 'too big inline request', bytes: 'x'.repeat(INLINE_LIMIT + 1) },
  { name: 'a NUL byte hides the line end until the inline limit', bytes: padTo('PING\x00\r\nPING\r\n', INLINE_LIMIT + 1, 'y') },
  { name: 'too big mbulk count string', bytes: '*' + '1'.repeat(INLINE_LIMIT) },
  { name: 'a NUL byte hides the header end until the limit', bytes: padTo('*1\x00\r\n$4\r\nPING\r\n', INLINE_LIMIT + 1, '2') },
  { name: 'too big bulk count string', bytes: '*1\r\n$' + '1'.repeat(INLINE_LIMIT) },
  { name: 'invalid multibulk length: letters', bytes: '*1x\r\n' },
  { name: 'invalid multibulk length: empty', bytes: '*\r\n' },
  { name: 'invalid multibulk length: leading zero', bytes: '*01\r\n' },
  { name: 'invalid multibulk length: plus sign', bytes: '*+1\r\n' },
  { name: 'invalid multibulk length: -0', bytes: '*-0\r\n' },
  { name: 'invalid multibulk length: over INT_MAX', bytes: '*2147483648\r\n' },
  { name: 'invalid multibulk length: below the 64-bit range', bytes: '*-9223372036854775809\r\n' },
  { name: 'invalid multibulk length: LF before CR', bytes: '*1\n$4\r\nPING\r\n' },
  { name: "expected '$', got a letter", bytes: mb('PING') + '*1\r\nx\r\n' },
  { name: "expected '$', got CR", bytes: '*1\r\n\r\n' },
  { name: "expected '$', got LF", bytes: '*1\r\n\n\r\n' },
  { name: "expected '$', got a high byte", bytes: '*1\r\n\xff4\r\n' },
  { name: "expected '$', got ':'", bytes: '*2\r\n$4\r\nECHO\r\n:1\r\n' },
  { name: 'invalid bulk length: negative', bytes: '*1\r\n$-1\r\n' },
  { name: 'invalid bulk length: leading zero', bytes: '*1\r\n$04\r\nPING\r\n' },
  { name: 'invalid bulk length: letters', bytes: '*1\r\n$4a\r\nPING\r\n' },
  { name: 'invalid bulk length: empty', bytes: '*1\r\n$\r\n\r\n' },
  { name: 'invalid bulk length: over proto-max-bulk-len', bytes: '*1\r\n$536870913\r\n' },
  { name: 'QUIT closes after its reply', bytes: 'PING\r\nQUIT\r\nPING\r\n' },
  { name: 'QUIT in a pipeline of multibulk requests', bytes: mb('ECHO', 'a') + mb('QUIT') + mb('ECHO', 'b') },
]);

const quoting: string[] = [
  'ECHO hello',
  '  ECHO   spaced   ',
  'ECHO "a b"',
  "ECHO 'a b'",
  'ECHO ""',
  "ECHO ''",
  'ECHO "\\n\\r\\t\\b\\a\\\\\\"\\q"',
  'ECHO "\\x41\\x6a\\xFF\\x00"',
  'ECHO "\\x4"',
  'ECHO "\\xzz"',
  "ECHO 'it\\'s'",
  "ECHO 'a\\nb'",
  'ECHO foo"bar baz"',
  "ECHO x'y z'",
  'ECHO "a"\tb',
  'ECHO a\x0bb',
  'ECHO \x0b\x0ca',
  'ECHO a\x0cb',
  'ECHO \xe9\xff',
  'a\rb',
  'a\x0bb c',
  'NOSUCH "x y" \'z\'',
  // Errors quoting arguments with CR/LF: Redis turns them into spaces.
  'NOSUCH "a\\r\\nb" "c\\n"',
  '"BAD\\r\\nNAME" x',
  'HELLO 3 "opt\\r\\nion"',
  'CONFIG "GE\\nT" x',
];

describeProtocolDiff('protocol: inline commands', {}, [
  { name: 'CRLF and LF line ends', bytes: 'PING\r\nPING\nECHO x\n', replies: 3 },
  { name: 'empty lines are skipped', bytes: '\r\n\n\n   \t\r\nPING\r\n\r\n', replies: 1 },
  { name: 'a lone CR line is empty', bytes: '\r\r\nPING\r\n', replies: 1 },
  ...quoting.map((line) => ({ name: `quoting: ${JSON.stringify(line)}`, bytes: line + '\r\n', replies: 1 })),
  { name: 'inline and multibulk mixed', bytes: 'ECHO a\r\n' + mb('ECHO', 'b') + 'ECHO c\n' + mb('ECHO', 'd'), replies: 4 },
  { name: '*0 and negative counts are empty commands', bytes: '*0\r\n*-1\r\n*-7\r\nPING\r\n', replies: 1 },
  { name: 'the two bytes after a payload are not checked', bytes: '*2\r\n$4\r\nECHO\r\n$1\r\nxAB' + mb('ECHO', 'y'), replies: 2 },
  { name: 'the byte after a header CR is not checked', bytes: '*2\rx$4\rzECHO\r\n$1\r\nq\r\n', replies: 1 },
  { name: 'binary payloads with CRLF inside', bytes: mb('ECHO', 'a\r\nb\x00\xff\r\n') + mb('ECHO', '*1\r\n$4\r\nPING\r\n'), replies: 2 },
  { name: 'a 64 KB inline line is accepted', bytes: 'ECHO ' + 'x'.repeat(INLINE_LIMIT - 5) + '\n', replies: 1 },
]);

function bigPipeline(): ProtocolCase {
  let bytes = '';
  let replies = 0;
  for (let i = 0; i < 3000; i++) {
    switch (i % 6) {
      case 0: bytes += mb('ECHO', `value-${i}`); break;
      case 1: bytes += `ECHO "quoted ${i}"\r\n`; break;
      case 2: bytes += '\r\n'; replies--; break;
      case 3: bytes += mb('PING', String(i)); break;
      case 4: bytes += `NOSUCH ${i}\n`; break;
      default: bytes += mb('SELECT', String(i % 20)); break;
    }
    replies++;
  }
  return { name: 'a pipeline of 3000 mixed requests in one write', bytes, replies };
}

describeProtocolDiff('protocol: pipelines', {}, [bigPipeline()]);

describeProtocolDiff('protocol: requirepass', { requirepass: PASSWORD, 'proto-max-bulk-len': '1mb' }, [
  { name: 'NOAUTH for a command before AUTH', bytes: mb('ECHO', 'x') + 'PING\r\n', replies: 2 },
  { name: 'wrong password', bytes: mb('AUTH', 'nope') + mb('ECHO', 'x'), replies: 2 },
  { name: 'unauthenticated: more than 10 arguments', bytes: mb('ECHO', ...Array.from({ length: 10 }, (_, i) => String(i))) },
  { name: 'unauthenticated: 10 arguments are parsed', bytes: mb('ECHO', ...Array.from({ length: 9 }, (_, i) => String(i))), replies: 1 },
  { name: 'unauthenticated: a bulk over 16384 bytes', bytes: '*2\r\n$4\r\nAUTH\r\n$16385\r\n' },
  { name: 'unauthenticated: a 16384-byte bulk is parsed', bytes: mb('AUTH', 'p'.repeat(16384)), replies: 1 },
  { name: 'unauthenticated: inline requests have no argument limit', bytes: 'ECHO 1 2 3 4 5 6 7 8 9 10 11 12\r\n', replies: 1 },
  {
    name: 'after AUTH the limits are lifted',
    bytes: mb('AUTH', PASSWORD) + mb('ECHO', ...Array.from({ length: 11 }, (_, i) => String(i))) + mb('ECHO', 'z'.repeat(20000)),
    replies: 3,
  },
  { name: 'proto-max-bulk-len 1mb: one byte over', bytes: mb('AUTH', PASSWORD) + `*2\r\n$4\r\nECHO\r\n$${1024 * 1024 + 1}\r\n` },
  { name: 'QUIT works without AUTH', bytes: 'QUIT\r\n' },
]);
