// The node's glob (KEYS, SCAN MATCH, PSUBSCRIBE, CONFIG GET): the shortcut that makes `a*a*...b`
// polynomial must not change a single answer. Checked against the plain backtracking search on
// random patterns over an alphabet full of glob syntax, then on the pathological patterns that
// used to take seconds to minutes, through a real node.

import { describe, expect, it } from 'vitest';
import { globMatch, globMatchExhaustive } from '../../src/server/glob';
import { prng } from '../helpers/prng';
import { startNode } from '../helpers/bundled-node';
import { RawConnection } from '../helpers/raw-connection';

const PATTERN_CHARS = ['a', 'b', 'A', '*', '*', '?', '[', ']', '^', '-', '\\', 'c'];
const TEXT_CHARS = ['a', 'b', 'A', 'c', '-', ']', '*'];

function randomString(random: () => number, chars: string[], maxLength: number): string {
  let out = '';
  const length = Math.floor(random() * (maxLength + 1));
  for (let i = 0; i < length; i++) out += chars[Math.floor(random() * chars.length)];
  return out;
}

describe('glob matching', () => {
  it('agrees with the exhaustive search on 200,000 random pattern/string pairs, case-sensitive and not', () => {
    const random = prng(20261205);
    let matches = 0;
    for (let i = 0; i < 200_000; i++) {
      const pattern = randomString(random, PATTERN_CHARS, 10);
      const text = randomString(random, TEXT_CHARS, 10);
      const nocase = i % 2 === 1;
      const expected = globMatchExhaustive(pattern, text, nocase);
      if (globMatch(pattern, text, nocase) !== expected) {
        throw new Error(`pattern ${JSON.stringify(pattern)} text ${JSON.stringify(text)} nocase ${nocase}: expected ${expected}`);
      }
      if (expected) matches++;
    }
    // Enough of both answers for the comparison to mean something.
    expect(matches).toBeGreaterThan(5_000);
  });

  it('answers the pathological patterns at once', () => {
    const text = 'a'.repeat(60);
    for (const stars of [8, 12, 20, 40]) {
      expect(globMatch('a*'.repeat(stars) + 'b', text)).toBe(false);
      expect(globMatch('a*'.repeat(stars) + 'a', text)).toBe(true);
      expect(globMatch('*a'.repeat(stars) + '*?[b]', text + 'b')).toBe(true);
    }
  });

  it('KEYS and SCAN MATCH with a 30-star pattern over long keys: the node answers, then still answers PING', async () => {
    const node = await startNode();
    const conn = await RawConnection.open(node.host, node.port);
    try {
      for (let i = 0; i < 200; i++) await conn.command(['SET', 'a'.repeat(50) + i, 'v']);
      const pattern = 'a*'.repeat(30) + 'b';
      expect(await conn.command(['KEYS', pattern])).toBe('*0\r\n');
      expect(await conn.command(['SCAN', '0', 'MATCH', pattern, 'COUNT', '1000'])).toBe('*2\r\n$1\r\n0\r\n*0\r\n');
      expect(await conn.command(['PING'])).toBe('+PONG\r\n');
    } finally {
      conn.close();
      await node.close();
    }
  });
});
