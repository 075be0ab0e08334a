import { describe, expect, it } from 'vitest';
import {
  SortedSet,
  LEX_MAX,
  LEX_MIN,
  type LexRange,
  type ScoreRange,
  type ZSetEncoding,
  lexGteMin,
  lexLteMax,
  scoreGteMin,
  scoreLteMax,
} from '../../src/server/keyspace/sorted-set';

type Entry = [string, number];

/** The obvious model: an array kept sorted by (score, member). */
class NaiveZSet {
  entries: Entry[] = [];
  private sort(): void {
    this.entries.sort((a, b) => (a[1] !== b[1] ? a[1] - b[1] : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
  add(member: string, score: number): void {
    const found = this.entries.find((e) => e[0] === member);
    if (found) found[1] = score;
    else this.entries.push([member, score]);
    this.sort();
  }
  remove(member: string): boolean {
    const index = this.entries.findIndex((e) => e[0] === member);
    if (index >= 0) this.entries.splice(index, 1);
    return index >= 0;
  }
  inScore(range: ScoreRange): Entry[] {
    return this.entries.filter((e) => scoreGteMin(e[1], range) && scoreLteMax(e[1], range));
  }
  inLex(range: LexRange): Entry[] {
    return this.entries.filter((e) => lexGteMin(e[0], range) && lexLteMax(e[0], range));
  }
}

/** Deterministic PRNG so a failure can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function all(set: SortedSet): Entry[] {
  return [...set.entries()];
}

function walked(set: SortedSet, start: number, reverse: boolean, count: number): Entry[] {
  const out: Entry[] = [];
  if (count <= 0) return out;
  set.walk(start, reverse, (member, score) => {
    out.push([member, score]);
    return out.length < count;
  });
  return out;
}

describe('SortedSet basics', () => {
  for (const encoding of ['listpack', 'skiplist'] as ZSetEncoding[]) {
    describe(encoding, () => {
      it('orders by score then by member bytes', () => {
        const set = new SortedSet(encoding);
        set.add('b', 1);
        set.add('a', 1);
        set.add('\xff', 0);
        set.add('c', -Infinity);
        set.add('ab', 1);
        expect(all(set)).toEqual([
          ['c', -Infinity],
          ['\xff', 0],
          ['a', 1],
          ['ab', 1],
          ['b', 1],
        ]);
        expect(set.rank('ab')).toBe(3);
        expect(set.rank('ab', true)).toBe(1);
        expect(set.rank('zz')).toBeUndefined();
        expect(set.encoding).toBe(encoding);
      });

      it('reports added, updated and unchanged', () => {
        const set = new SortedSet(encoding);
        expect(set.add('m', 1)).toBe('added');
        expect(set.add('m', 1)).toBe('unchanged');
        expect(set.add('m', 2)).toBe('updated');
        expect(set.score('m')).toBe(2);
        expect(set.remove('m')).toBe(true);
        expect(set.remove('m')).toBe(false);
        expect(set.size).toBe(0);
      });

      it('pops from both ends', () => {
        const set = new SortedSet(encoding);
        for (let i = 0; i < 5; i++) set.add('m' + i, i);
        expect(set.popMin()).toEqual(['m0', 0]);
        expect(set.popMax()).toEqual(['m4', 4]);
        expect(all(set).map((e) => e[0])).toEqual(['m1', 'm2', 'm3']);
      });

      it('clones independently', () => {
        const set = new SortedSet(encoding);
        set.add('a', 1);
        const copy = set.clone();
        copy.add('b', 2);
        set.remove('a');
        expect(all(copy)).toEqual([
          ['a', 1],
          ['b', 2],
        ]);
        expect(set.size).toBe(0);
        expect(copy.encoding).toBe(encoding);
      });
    });
  }

  it('stores -0 as 0 in the compact encoding only, like a listpack', () => {
    const compact = new SortedSet('listpack');
    compact.add('z', -0);
    expect(Object.is(compact.score('z'), 0)).toBe(true);
    const big = new SortedSet('skiplist');
    big.add('z', -0);
    expect(Object.is(big.score('z'), -0)).toBe(true);
  });

  it('converts to a skiplist when the limits are exceeded, as zsetAdd does', () => {
    const limits = { maxListpackEntries: 3, maxListpackValue: 4 };
    const set = new SortedSet();
    for (const m of ['a', 'b', 'c']) set.add(m, 1, limits);
    expect(set.encoding).toBe('listpack');
    set.add('a', 5, limits);
    expect(set.encoding).toBe('listpack');
    set.add('d', 0, limits);
    expect(set.encoding).toBe('skiplist');
    expect(all(set).map((e) => e[0])).toEqual(['d', 'b', 'c', 'a']);

    const long = new SortedSet();
    long.add('12345', 1, limits);
    expect(long.encoding).toBe('skiplist');
  });

  it('fromEntries picks the encoding by size and shrinkIfFits converts back', () => {
    const limits = { maxListpackEntries: 2, maxListpackValue: 64 };
    expect(SortedSet.fromEntries([['a', 1]], limits).encoding).toBe('listpack');
    const big = SortedSet.fromEntries(
      [
        ['c', 3],
        ['a', 1],
        ['b', 2],
      ],
      limits,
    );
    expect(big.encoding).toBe('skiplist');
    expect(all(big).map((e) => e[0])).toEqual(['a', 'b', 'c']);
    big.remove('c');
    big.shrinkIfFits(limits);
    expect(big.encoding).toBe('listpack');
    expect(all(big).map((e) => e[0])).toEqual(['a', 'b']);
  });

  it('lex ranges with - and + and exclusive bounds', () => {
    for (const encoding of ['listpack', 'skiplist'] as ZSetEncoding[]) {
      const set = new SortedSet(encoding);
      for (const m of ['a', 'b', 'c', 'd']) set.add(m, 0);
      const range: LexRange = { min: 'b', minExclusive: true, max: LEX_MAX, maxExclusive: true };
      expect(set.lexRangeStart(range, false)).toBe(2);
      expect(set.lexRangeStart(range, true)).toBe(3);
      expect(set.countInLexRange(range)).toBe(2);
      expect(set.countInLexRange({ min: LEX_MIN, minExclusive: true, max: 'a', maxExclusive: true })).toBe(0);
      expect(set.countInLexRange({ min: 'c', minExclusive: false, max: 'b', maxExclusive: false })).toBe(0);
      expect(set.deleteLexRange({ min: LEX_MIN, minExclusive: true, max: 'b', maxExclusive: false })).toBe(2);
      expect(all(set).map((e) => e[0])).toEqual(['c', 'd']);
    }
  });
});

describe('SortedSet against a naive model (randomized)', () => {
  const scorePool = [-Infinity, -2.5, -1, 0, 0.5, 1, 1, 2, 3.25, 10, Infinity];

  function randomScoreRange(rand: () => number): ScoreRange {
    const pick = () => scorePool[Math.floor(rand() * scorePool.length)];
    return { min: pick(), max: pick(), minExclusive: rand() < 0.3, maxExclusive: rand() < 0.3 };
  }

  function randomLexRange(rand: () => number, members: string[]): LexRange {
    const pick = () => {
      const r = rand();
      if (r < 0.1) return LEX_MIN;
      if (r < 0.2) return LEX_MAX;
      return members[Math.floor(rand() * members.length)];
    };
    const min = pick();
    const max = pick();
    return {
      min,
      max,
      minExclusive: typeof min !== 'string' || rand() < 0.4,
      maxExclusive: typeof max !== 'string' || rand() < 0.4,
    };
  }

  for (const [label, encoding, seed, memberCount] of [
    ['compact', 'listpack', 7, 40],
    ['skiplist', 'skiplist', 11, 300],
    ['converting', 'listpack', 23, 200],
  ] as const) {
    it(`${label}: 3000 random operations agree with the model`, () => {
      const rand = prng(seed);
      const limits = label === 'converting' ? { maxListpackEntries: 64, maxListpackValue: 64 } : undefined;
      const set = new SortedSet(encoding);
      const model = new NaiveZSet();
      const members = Array.from({ length: memberCount }, (_, i) => 'm' + String.fromCharCode(97 + (i % 26)) + i);
      for (let step = 0; step < 3000; step++) {
        const op = rand();
        const member = members[Math.floor(rand() * members.length)];
        if (op < 0.45) {
          const score = rand() < 0.7 ? scorePool[Math.floor(rand() * scorePool.length)] : Math.round(rand() * 100) / 4;
          set.add(member, score, limits);
          model.add(member, score);
        } else if (op < 0.6) {
          expect(set.remove(member)).toBe(model.remove(member));
        } else if (op < 0.68) {
          const range = randomScoreRange(rand);
          const expected = model.inScore(range);
          expect(set.countInScoreRange(range)).toBe(expected.length);
          const [first, last] = set.scoreRangeRanks(range);
          expect(walked(set, first, false, Math.max(0, last - first + 1))).toEqual(last >= first ? expected : []);
          if (rand() < 0.3) {
            expect(set.deleteScoreRange(range)).toBe(expected.length);
            for (const [m] of expected) model.remove(m);
          }
        } else if (op < 0.74) {
          // Lex ranges are only specified for equal scores: compare on a same-score copy.
          const flat = new SortedSet(set.encoding);
          const flatModel = new NaiveZSet();
          for (const [m] of model.entries) {
            flat.add(m, 0);
            flatModel.add(m, 0);
          }
          const range = randomLexRange(rand, members);
          const expected = flatModel.inLex(range);
          expect(flat.countInLexRange(range)).toBe(expected.length);
          const start = flat.lexRangeStart(range, false);
          expect(start < 0 ? [] : walked(flat, start, false, expected.length)).toEqual(expected);
          const end = flat.lexRangeStart(range, true);
          expect(end < 0 ? [] : walked(flat, end, true, expected.length)).toEqual([...expected].reverse());
          expect(flat.deleteLexRange(range)).toBe(expected.length);
        } else if (op < 0.8) {
          const size = model.entries.length;
          const start = Math.floor(rand() * (size + 2)) - 1;
          const end = start + Math.floor(rand() * 5);
          const from = Math.max(0, start);
          const to = Math.min(size - 1, end);
          const expected = from <= to ? model.entries.slice(from, to + 1) : [];
          expect(set.deleteRanks(start, end)).toBe(expected.length);
          for (const [m] of expected) model.remove(m);
        } else if (op < 0.85) {
          const fromMin = rand() < 0.5;
          const popped = fromMin ? set.popMin() : set.popMax();
          const expected = fromMin ? model.entries[0] : model.entries[model.entries.length - 1];
          expect(popped).toEqual(expected);
          if (expected) model.remove(expected[0]);
        } else {
          const index = model.entries.findIndex((e) => e[0] === member);
          expect(set.rank(member)).toBe(index < 0 ? undefined : index);
          expect(set.rank(member, true)).toBe(index < 0 ? undefined : model.entries.length - 1 - index);
          expect(set.score(member)).toBe(index < 0 ? undefined : model.entries[index][1]);
          if (model.entries.length > 0) {
            const r = Math.floor(rand() * model.entries.length);
            expect(set.at(r)).toEqual(model.entries[r]);
            expect(walked(set, r, true, 3)).toEqual(model.entries.slice(Math.max(0, r - 2), r + 1).reverse());
          }
        }
        expect(set.size).toBe(model.entries.length);
      }
      expect(all(set)).toEqual(model.entries);
      if (label === 'converting') expect(set.encoding).toBe('skiplist');
    });
  }

  it('a live member iterator (ZSCAN) sees every member present throughout while scores change', () => {
    const set = new SortedSet('skiplist');
    for (let i = 0; i < 500; i++) set.add('k' + i, i);
    const iterator = set.memberIterator();
    expect(iterator).not.toBeNull();
    const seen = new Set<string>();
    for (let step = 0; step < 250; step++) seen.add(iterator!.next().value as string);
    // Move members around (re-insertions in the skiplist) and add new ones mid-iteration.
    for (let i = 0; i < 500; i += 3) set.add('k' + i, 1000 - i);
    for (let i = 0; i < 50; i++) set.add('new' + i, i);
    for (let r = iterator!.next(); !r.done; r = iterator!.next()) seen.add(r.value);
    for (let i = 0; i < 500; i++) expect(seen.has('k' + i)).toBe(true);
  });

  it('a large skiplist survives mass deletion (array compaction) and keeps ranks right', () => {
    const set = new SortedSet('skiplist');
    for (let i = 0; i < 5000; i++) set.add('k' + i, i % 97);
    const expected = [...set.entries()];
    for (let i = 0; i < 5000; i += 1) if (i % 50 !== 0) set.remove('k' + i);
    const kept = expected.filter(([m]) => Number(m.slice(1)) % 50 === 0);
    expect(all(set)).toEqual(kept);
    kept.forEach(([m], i) => expect(set.rank(m)).toBe(i));
    set.add('new', 50);
    expect(set.score('new')).toBe(50);
    expect(set.size).toBe(kept.length + 1);
  });
});
