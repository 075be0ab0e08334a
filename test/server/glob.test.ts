import { describe, expect, it } from 'vitest';
import { globMatch } from '../../src/server/glob';
import { prng } from '../helpers/prng';

/**
 * A literal transcription of Redis's stringmatchlen walk without its early cut: exponential on
 * many stars, so only fed small inputs, but obviously the same semantics as Redis (signed chars,
 * C-locale tolower, the '*'-never-matches-'' loop condition, the 1000-level nesting cap).
 */
function reference(p: string, s: string, nocase: boolean): boolean {
  const sc = (c: number) => (c >= 128 ? c - 256 : c);
  const low = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);
  const at = (t: string, i: number) => (i < t.length ? t.charCodeAt(i) : 0);
  const walk = (pi: number, si: number, nesting: number): boolean => {
    if (nesting > 1000) return false;
    let plen = p.length - pi;
    let slen = s.length - si;
    while (plen && slen) {
      const c = at(p, pi);
      if (c === 42 /* * */) {
        while (plen && at(p, pi + 1) === 42) { pi++; plen--; }
        if (plen === 1) return true;
        while (slen) {
          if (walk(pi + 1, si, nesting + 1)) return true;
          si++; slen--;
        }
        return false;
      } else if (c === 63 /* ? */) {
        si++; slen--;
      } else if (c === 91 /* [ */) {
        pi++; plen--;
        const not = at(p, pi) === 94;
        if (not) { pi++; plen--; }
        let match = false;
        for (;;) {
          if (at(p, pi) === 92 && plen >= 2) {
            pi++; plen--;
            if (at(p, pi) === at(s, si)) match = true;
          } else if (at(p, pi) === 93) {
            break;
          } else if (plen === 0) {
            pi--; plen++;
            break;
          } else if (plen >= 3 && at(p, pi + 1) === 45) {
            let start = sc(at(p, pi));
            let end = sc(at(p, pi + 2));
            let ch = sc(at(s, si));
            if (start > end) [start, end] = [end, start];
            if (nocase) { start = low(start); end = low(end); ch = low(ch); }
            pi += 2; plen -= 2;
            if (ch >= start && ch <= end) match = true;
          } else if (nocase ? low(at(p, pi)) === low(at(s, si)) : at(p, pi) === at(s, si)) {
            match = true;
          }
          pi++; plen--;
        }
        if (not) match = !match;
        if (!match) return false;
        si++; slen--;
      } else {
        if (c === 92 && plen >= 2) { pi++; plen--; }
        const pc = at(p, pi);
        const tc = at(s, si);
        if (nocase ? low(pc) !== low(tc) : pc !== tc) return false;
        si++; slen--;
      }
      pi++; plen--;
      if (slen === 0) {
        while (plen && at(p, pi) === 42) { pi++; plen--; }
        break;
      }
    }
    return plen === 0 && slen === 0;
  };
  return walk(0, 0, 0);
}

const PATTERN_ALPHABET = ['a', 'b', 'A', 'B', '*', '*', '?', '[', ']', '^', '-', '\\', 'z', '\u00e9', '\u00ff', '\u0000'];
const TEXT_ALPHABET = ['a', 'b', 'A', 'B', '*', '?', '[', ']', '-', '\\', 'z', '\u00e9', '\u00ff', '\u0000'];

function randomString(rand: () => number, alphabet: string[], maxLength: number): string {
  const length = Math.floor(rand() * (maxLength + 1));
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(rand() * alphabet.length)];
  return out;
}

describe('globMatch', () => {
  it('agrees with a literal transcription of Redis stringmatchlen on random patterns and texts', () => {
    const seed = 19;
    const rand = prng(seed);
    let matches = 0;
    for (let i = 0; i < 40000; i++) {
      const pattern = randomString(rand, PATTERN_ALPHABET, 9);
      // Texts drawn partly from the pattern itself so that matches are common, not just misses.
      const text =
        rand() < 0.5
          ? randomString(rand, TEXT_ALPHABET, 9)
          : pattern.replace(/[*?\\[\]^]/g, () => (rand() < 0.5 ? '' : TEXT_ALPHABET[Math.floor(rand() * 4)]));
      for (const nocase of [false, true]) {
        const expected = reference(pattern, text, nocase);
        if (expected) matches++;
        if (globMatch(pattern, text, nocase) !== expected) {
          throw new Error(`seed ${seed} case ${i}: ${JSON.stringify(pattern)} vs ${JSON.stringify(text)} nocase=${nocase}: expected ${expected}`);
        }
      }
    }
    // The comparison means something only if both outcomes are exercised often.
    expect(matches).toBeGreaterThan(2000);
  });

  it('keeps the documented edge cases', () => {
    expect(globMatch('*', '')).toBe(false); // Redis's loop needs text left for a '*'
    expect(globMatch('', '')).toBe(true);
    expect(globMatch('a*', 'a')).toBe(true);
    expect(globMatch('h[a-b]llo', 'hbllo')).toBe(true);
    expect(globMatch('h[b-a]llo', 'hallo')).toBe(true); // reversed range
    expect(globMatch('h[^e]llo', 'hello')).toBe(false);
    expect(globMatch('a\\', 'a\\')).toBe(true); // trailing backslash is a literal
    expect(globMatch('[abc', 'c')).toBe(true); // unclosed bracket
    expect(globMatch('[\\A]', 'a', true)).toBe(false); // escaped member compares exactly
    expect(globMatch('[A]', 'a', true)).toBe(true);
    expect(globMatch('[\u0080-a]', 'b')).toBe(false); // signed-char ranges: 0x80 sorts below 'a'
    expect(globMatch('[\u0080-a]', '\u00ff')).toBe(true);
    expect(globMatch('*'.repeat(5) + 'b', 'aaab')).toBe(true);
  });

  it('answers pathological star patterns in polynomial time', () => {
    const text = 'a'.repeat(200);
    const pattern = 'a*'.repeat(30) + 'b';
    expect(globMatch(pattern, text)).toBe(false);
    expect(globMatch(pattern, text + 'b')).toBe(true);
    expect(globMatch('*a'.repeat(30) + '*b', text)).toBe(false);
  });

  it('never matches past Redis nesting cap of 1000 stars', () => {
    const pattern = 'a*'.repeat(1002) + 'a';
    expect(globMatch(pattern, 'a'.repeat(1003))).toBe(false);
    expect(globMatch('a*'.repeat(900) + 'a', 'a'.repeat(901))).toBe(true);
  });
});
