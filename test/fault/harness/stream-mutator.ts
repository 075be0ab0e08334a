// Replication streams for fuzzing a replica: a valid stream of write commands (several dbs,
// transactions, GETACKs, binary values), and mutations of it: byte flips, truncation, inserted
// garbage, absurd bulk and multibulk lengths, NULs, spliced ranges. Everything comes from one
// seeded generator, so a seed reproduces a run.

import { encodeCommand } from '../../helpers/raw-connection';
import { prng } from '../../helpers/prng';

/** mulberry32: small, fast, good enough to spread mutations. */
export class Random {
  readonly next: () => number;

  constructor(seed: number) {
    this.next = prng(seed);
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = this.int(256);
    return out;
  }
}

const KEYS = ['k1', 'k2', 'list', 'hash', 'set', 'zset', 'counter', 'bin\x00\xff', 'ttl'];
const FUTURE_MS = String(Date.UTC(2100, 0, 1));

function value(random: Random): string {
  const kind = random.int(4);
  if (kind === 0) return String(random.int(100000) - 500);
  if (kind === 1) return random.bytes(random.int(24)).toString('latin1');
  if (kind === 2) return 'v'.repeat(random.int(300));
  return `value-${random.int(1000)}`;
}

/** One write command as a master would propagate it. */
function writeCommand(random: Random): string[] {
  const key = random.pick(KEYS);
  switch (random.int(14)) {
    case 0: return ['SET', key, value(random)];
    case 1: return ['SET', key, value(random), 'PXAT', FUTURE_MS];
    case 2: return ['DEL', key];
    case 3: return ['INCRBY', 'counter', String(random.int(10))];
    case 4: return ['RPUSH', 'list', value(random), value(random)];
    case 5: return ['LPOP', 'list'];
    case 6: return ['HSET', 'hash', `f${random.int(10)}`, value(random)];
    case 7: return ['SADD', 'set', value(random)];
    case 8: return ['SREM', 'set', value(random)];
    case 9: return ['ZADD', 'zset', String(random.int(100) / 7), value(random)];
    case 10: return ['PEXPIREAT', key, FUTURE_MS];
    case 11: return ['PERSIST', key];
    case 12: return ['PING'];
    default: return ['REPLCONF', 'GETACK', '*'];
  }
}

/** A valid stream of `commands` writes, with SELECTs and MULTI/EXEC blocks mixed in. */
export function validStream(random: Random, commands: number): Buffer {
  const parts: Buffer[] = [encodeCommand(['SELECT', String(random.int(4))])];
  for (let i = 0; i < commands; i++) {
    const roll = random.int(10);
    if (roll === 0) parts.push(encodeCommand(['SELECT', String(random.int(4))]));
    if (roll === 1) {
      parts.push(encodeCommand(['MULTI']));
      for (let j = random.int(4) + 1; j > 0; j--) parts.push(encodeCommand(writeCommand(random)));
      parts.push(encodeCommand(['EXEC']));
      continue;
    }
    parts.push(encodeCommand(writeCommand(random)));
  }
  return Buffer.concat(parts);
}

export type MutationKind = 'flip' | 'truncate' | 'garbage' | 'huge-bulk' | 'huge-multibulk' | 'nul' | 'splice' | 'inline';

export const MUTATIONS: readonly MutationKind[] = ['flip', 'truncate', 'garbage', 'huge-bulk', 'huge-multibulk', 'nul', 'splice', 'inline'];

const BAD_BULK_LENGTHS = ['2147483648', '9223372036854775807', '99999999999999999999', '-7', 'abc', '', '104857600', '1048577', '00', '+5'];
const BAD_MULTIBULK_COUNTS = ['2147483647', '1073741824', '-1', '99999999999', '0', 'x', '4294967296', '-2147483648'];
const INLINE_GARBAGE = ['SET "unbalanced', 'DEL k1 "a\\xZZ"', '\'', 'FLUSHALL ""x', '   ', 'GET', 'HTTP/1.1 200 OK'];

/** Offsets where a RESP header starting with `marker` begins. */
function headers(stream: Buffer, marker: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < stream.length; i++) if (stream[i] === marker && (i === 0 || stream[i - 1] === 0x0a)) out.push(i);
  return out;
}

function replaceHeader(stream: Buffer, at: number, replacement: string): Buffer {
  const end = stream.indexOf('\r\n', at);
  return Buffer.concat([stream.subarray(0, at + 1), Buffer.from(replacement, 'latin1'), stream.subarray(end)]);
}

/** Applies one mutation of the given kind. */
export function mutate(random: Random, stream: Buffer, kind: MutationKind): Buffer {
  const at = random.int(stream.length);
  switch (kind) {
    case 'flip': {
      const out = Buffer.from(stream);
      for (let n = random.int(4) + 1; n > 0; n--) out[random.int(out.length)] ^= random.int(255) + 1;
      return out;
    }
    case 'truncate':
      return stream.subarray(0, at);
    case 'garbage':
      return Buffer.concat([stream.subarray(0, at), random.bytes(random.int(32) + 1), stream.subarray(at)]);
    case 'huge-bulk': {
      const positions = headers(stream, 0x24);
      return replaceHeader(stream, random.pick(positions), random.pick(BAD_BULK_LENGTHS));
    }
    case 'huge-multibulk': {
      const positions = headers(stream, 0x2a);
      return replaceHeader(stream, random.pick(positions), random.pick(BAD_MULTIBULK_COUNTS));
    }
    case 'nul':
      return Buffer.concat([stream.subarray(0, at), Buffer.alloc(random.int(3) + 1), stream.subarray(at)]);
    case 'splice': {
      const from = random.int(stream.length);
      const to = Math.min(stream.length, from + random.int(64) + 1);
      return random.int(2) === 0
        ? Buffer.concat([stream.subarray(0, from), stream.subarray(to)])
        : Buffer.concat([stream.subarray(0, to), stream.subarray(from, to), stream.subarray(to)]);
    }
    case 'inline': {
      const positions = headers(stream, 0x2a);
      const where = random.pick(positions);
      return Buffer.concat([stream.subarray(0, where), Buffer.from(random.pick(INLINE_GARBAGE) + '\r\n', 'latin1'), stream.subarray(where)]);
    }
  }
}
