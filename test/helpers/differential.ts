// Differential testing: the same commands go to a real redis-server and to the bundled node,
// and every raw reply is compared byte for byte.
//
// Replies whose element order is unspecified in Redis (SMEMBERS, HGETALL, KEYS...) can be marked
// `unordered` (elements compared as sorted lists) or `pairs` (key/value pairs compared as sorted pairs).

import { afterAll, beforeAll, expect, it } from 'vitest';
import { RawConnection, replyLength } from './raw-connection';
import { describeWithRedis, startRedisServer, type RedisProcess } from './redis-server';
import { startNode } from './bundled-node';
import type { RunningServer } from '../../src/server/index';

export interface DiffStep {
  cmd: string[];
  /** Compare the top-level array's elements as a multiset. */
  unordered?: boolean;
  /** Compare the top-level array as a multiset of consecutive pairs (HGETALL, WITHSCORES over equal scores). */
  pairs?: boolean;
  /** Only check that both replied with the same RESP type (random results: SPOP, RANDOMKEY). */
  typeOnly?: boolean;
  /** Send without comparing the reply (setup). */
  setup?: boolean;
}

export interface DiffCase {
  name: string;
  steps: Array<string[] | DiffStep>;
  /** Switch both connections to RESP3 first. */
  resp3?: boolean;
}

export const unordered = (...cmd: string[]): DiffStep => ({ cmd, unordered: true });
export const pairs = (...cmd: string[]): DiffStep => ({ cmd, pairs: true });
export const typeOnly = (...cmd: string[]): DiffStep => ({ cmd, typeOnly: true });
export const setup = (...cmd: string[]): DiffStep => ({ cmd, setup: true });

/** Splits an aggregate reply into its elements' raw bytes. */
export function splitAggregate(reply: Buffer): { header: string; elements: string[] } {
  const headerEnd = reply.indexOf('\r\n');
  const header = reply.toString('latin1', 0, headerEnd);
  const elements: string[] = [];
  let pos = headerEnd + 2;
  while (pos < reply.length) {
    const len = replyLength(reply, pos);
    if (len === null) throw new Error(`incomplete element at byte ${pos} of ${JSON.stringify(reply.toString('latin1'))}`);
    elements.push(reply.toString('latin1', pos, pos + len));
    pos += len;
  }
  return { header, elements };
}

function normalize(step: DiffStep, reply: Buffer): string {
  const text = reply.toString('latin1');
  if (step.typeOnly) return text[0];
  if (!step.unordered && !step.pairs) return text;
  if (!'*~%'.includes(text[0]) || text.startsWith('*-1')) return text;
  const { header, elements } = splitAggregate(reply);
  if (step.pairs) {
    const grouped: string[] = [];
    for (let i = 0; i < elements.length; i += 2) grouped.push(elements[i] + elements[i + 1]);
    return header + '\r\n' + grouped.sort().join('');
  }
  return header + '\r\n' + elements.sort().join('');
}

/**
 * A real redis-server and a bundled node shared by the tests of the enclosing describe:
 * started once before them, stopped after. Read `redis` and `node` inside tests only.
 */
export function realAndBundledPair(directives: Record<string, string> = {}): {
  readonly redis: RedisProcess;
  readonly node: RunningServer;
  /** Runs the same scenario against both servers: [real, bundled]. */
  onBoth<T>(scenario: (host: string, port: number) => Promise<T>): Promise<[T, T]>;
} {
  let redis: RedisProcess;
  let node: RunningServer;
  beforeAll(async () => {
    [redis, node] = await Promise.all([startRedisServer({ directives }), startNode({ config: directives })]);
  });
  afterAll(async () => {
    await Promise.all([redis?.stop(), node?.close()]);
  });
  return {
    get redis() {
      return redis;
    },
    get node() {
      return node;
    },
    onBoth: (scenario) => Promise.all([scenario(redis.host, redis.port), scenario(node.host, node.port)]),
  };
}

export function describeDifferential(group: string, cases: DiffCase[]): void {
  describeWithRedis(`differential: ${group}`, () => {
    const servers = realAndBundledPair();

    for (const testCase of cases) {
      it(testCase.name, async () => {
        const [real, ours] = await servers.onBoth((host, port) => RawConnection.open(host, port));
        try {
          for (const conn of [real, ours]) {
            await conn.command(['FLUSHALL']);
            if (testCase.resp3) await conn.command(['HELLO', '3']);
          }
          for (const raw of testCase.steps) {
            const step: DiffStep = Array.isArray(raw) ? { cmd: raw } : raw;
            real.send(step.cmd);
            ours.send(step.cmd);
            const [expected, actual] = await Promise.all([real.readReply(), ours.readReply()]);
            if (step.setup) continue;
            expect(normalize(step, actual), `reply to ${JSON.stringify(step.cmd)}`).toBe(normalize(step, expected));
          }
        } finally {
          real.close();
          ours.close();
        }
      });
    }
  });
}
