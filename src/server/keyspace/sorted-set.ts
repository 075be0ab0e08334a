// Sorted set values, with Redis's two encodings because several replies depend on which one a
// set has (ZSCAN answering in one step, OBJECT ENCODING, -0 scores becoming 0, ZRANGEBYLEX over
// mixed scores):
// - 'listpack': small sets as two parallel arrays sorted by (score, member), scanned linearly
//   like Redis's listpack. Cheap for the many tiny sets real workloads have.
// - 'skiplist': larger sets in a span-counting skiplist with a member index (sorted-set-skiplist.ts).
// A set starts compact and converts once it outgrows zset-max-listpack-entries/-value; like Redis
// it never converts back by itself, only stores built from scratch (ZUNIONSTORE...) shrink.
//
// Ranks in this API are 0-based. Members are latin1 strings: JS string order is byte order.

import { SkipList } from './sorted-set-skiplist';

export type ZSetEncoding = 'listpack' | 'skiplist';

export interface ZSetLimits {
  /** zset-max-listpack-entries */
  maxListpackEntries: number;
  /** zset-max-listpack-value */
  maxListpackValue: number;
}

export const DEFAULT_ZSET_LIMITS: ZSetLimits = { maxListpackEntries: 128, maxListpackValue: 64 };

export interface ScoreRange {
  min: number;
  max: number;
  minExclusive: boolean;
  maxExclusive: boolean;
}

/** The '-' and '+' bounds of lex ranges: below and above every string. */
export const LEX_MIN = Symbol('lex-min');
export const LEX_MAX = Symbol('lex-max');
export type LexValue = string | typeof LEX_MIN | typeof LEX_MAX;

export interface LexRange {
  min: LexValue;
  max: LexValue;
  minExclusive: boolean;
  maxExclusive: boolean;
}

export type AddResult = 'added' | 'updated' | 'unchanged';

export function scoreGteMin(score: number, range: ScoreRange): boolean {
  return range.minExclusive ? score > range.min : score >= range.min;
}

export function scoreLteMax(score: number, range: ScoreRange): boolean {
  return range.maxExclusive ? score < range.max : score <= range.max;
}

export function compareLex(a: LexValue, b: LexValue): number {
  if (a === b) return 0;
  if (a === LEX_MIN || b === LEX_MAX) return -1;
  if (a === LEX_MAX || b === LEX_MIN) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function lexGteMin(member: string, range: LexRange): boolean {
  const cmp = compareLex(member, range.min);
  return range.minExclusive ? cmp > 0 : cmp >= 0;
}

export function lexLteMax(member: string, range: LexRange): boolean {
  const cmp = compareLex(member, range.max);
  return range.maxExclusive ? cmp < 0 : cmp <= 0;
}

function lexRangeIsEmpty(range: LexRange): boolean {
  const cmp = compareLex(range.min, range.max);
  return cmp > 0 || (cmp === 0 && (range.minExclusive || range.maxExclusive));
}

/** The listpack stores scores as text where an integral -0 prints as "0": it reads back as +0. */
function compactScore(score: number): number {
  return score === 0 ? 0 : score;
}

function precedes(scoreA: number, memberA: string, scoreB: number, memberB: string): boolean {
  return scoreA < scoreB || (scoreA === scoreB && memberA < memberB);
}

export class SortedSet {
  /** Compact encoding: parallel arrays in (score, member) order; null once converted. */
  private members: string[] | null = [];
  private scores: number[] | null = [];
  private list: SkipList | null = null;

  constructor(encoding: ZSetEncoding = 'listpack') {
    if (encoding === 'skiplist') this.toSkiplist();
  }

  /**
   * Builds a set from entries in any order (RDB loading, stores). It gets the encoding Redis
   * would give it after loading: compact when it fits the limits, skiplist otherwise.
   */
  static fromEntries(entries: Iterable<readonly [string, number]>, limits: ZSetLimits = DEFAULT_ZSET_LIMITS): SortedSet {
    const unique = new Map<string, number>();
    for (const [member, score] of entries) unique.set(member, score);
    const sorted = [...unique].sort((a, b) => (precedes(a[1], a[0], b[1], b[0]) ? -1 : precedes(b[1], b[0], a[1], a[0]) ? 1 : 0));
    const set = new SortedSet();
    const members = sorted.map((entry) => entry[0]);
    const scores = sorted.map((entry) => entry[1]);
    if (fitsCompact(members, limits)) {
      set.members = members;
      set.scores = scores.map(compactScore);
    } else {
      set.members = null;
      set.scores = null;
      set.list = SkipList.fromSorted(members, scores);
    }
    return set;
  }

  get encoding(): ZSetEncoding {
    return this.list ? 'skiplist' : 'listpack';
  }

  get size(): number {
    return this.list ? this.list.size : (this.members as string[]).length;
  }

  score(member: string): number | undefined {
    if (this.list) return this.list.score(member);
    const index = (this.members as string[]).indexOf(member);
    return index < 0 ? undefined : (this.scores as number[])[index];
  }

  has(member: string): boolean {
    return this.score(member) !== undefined;
  }

  /**
   * Adds a member or changes its score. With limits, a compact set converts to a skiplist
   * before taking a member that would not fit, exactly when Redis's zsetAdd converts.
   */
  add(member: string, score: number, limits?: ZSetLimits): AddResult {
    if (this.list) {
      const current = this.list.score(member);
      if (current === undefined) {
        this.list.insert(member, score);
        return 'added';
      }
      if (current === score) return 'unchanged';
      this.list.updateScore(member, score);
      return 'updated';
    }
    const members = this.members as string[];
    const scores = this.scores as number[];
    const index = members.indexOf(member);
    if (index >= 0) {
      if (scores[index] === score) return 'unchanged';
      members.splice(index, 1);
      scores.splice(index, 1);
      this.insertCompact(member, score);
      return 'updated';
    }
    if (limits && (members.length + 1 > limits.maxListpackEntries || member.length > limits.maxListpackValue)) {
      this.toSkiplist().insert(member, score);
      return 'added';
    }
    this.insertCompact(member, score);
    return 'added';
  }

  private insertCompact(member: string, score: number): void {
    const members = this.members as string[];
    const scores = this.scores as number[];
    const stored = compactScore(score);
    let low = 0;
    let high = members.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (precedes(scores[mid], members[mid], stored, member)) low = mid + 1;
      else high = mid;
    }
    // Fresh exact-size arrays rather than splice: splice grows the backing store by half plus 16
    // slots, which more than doubles the memory of the typical tiny set.
    const n = members.length;
    const nextMembers: string[] = new Array(n + 1);
    const nextScores: number[] = new Array(n + 1);
    for (let i = 0; i < low; i++) {
      nextMembers[i] = members[i];
      nextScores[i] = scores[i];
    }
    nextMembers[low] = member;
    nextScores[low] = stored;
    for (let i = low; i < n; i++) {
      nextMembers[i + 1] = members[i];
      nextScores[i + 1] = scores[i];
    }
    this.members = nextMembers;
    this.scores = nextScores;
  }

  remove(member: string): boolean {
    if (this.list) return this.list.remove(member);
    const members = this.members as string[];
    const index = members.indexOf(member);
    if (index < 0) return false;
    members.splice(index, 1);
    (this.scores as number[]).splice(index, 1);
    return true;
  }

  /** 0-based rank from the lowest score (or from the highest when reverse); undefined when absent. */
  rank(member: string, reverse = false): number | undefined {
    let rank: number;
    if (this.list) {
      rank = this.list.rank(member) - 1;
    } else {
      rank = (this.members as string[]).indexOf(member);
    }
    if (rank < 0) return undefined;
    return reverse ? this.size - 1 - rank : rank;
  }

  /** The entry at a 0-based rank in ascending order. */
  at(rank: number): [string, number] | undefined {
    if (rank < 0 || rank >= this.size) return undefined;
    if (this.list) {
      const id = this.list.nodeAt(rank + 1);
      return [this.list.memberOf(id), this.list.scoreOf(id)];
    }
    return [(this.members as string[])[rank], (this.scores as number[])[rank]];
  }

  /**
   * Visits entries from a 0-based rank, ascending or descending, until `visit` returns false
   * or the set ends. The set must not change during the walk.
   */
  walk(start: number, reverse: boolean, visit: (member: string, score: number) => boolean | void): void {
    if (start < 0 || start >= this.size) return;
    if (this.list) {
      const list = this.list;
      for (let id = list.nodeAt(start + 1); id !== 0; id = reverse ? list.prev(id) : list.next(id)) {
        if (visit(list.memberOf(id), list.scoreOf(id)) === false) return;
      }
      return;
    }
    const members = this.members as string[];
    const scores = this.scores as number[];
    const step = reverse ? -1 : 1;
    for (let i = start; i >= 0 && i < members.length; i += step) {
      if (visit(members[i], scores[i]) === false) return;
    }
  }

  /** Entries in ascending (score, member) order. */
  *entries(): IterableIterator<[string, number]> {
    if (this.list) {
      const list = this.list;
      for (let id = list.first(); id !== 0; id = list.next(id)) yield [list.memberOf(id), list.scoreOf(id)];
      return;
    }
    const members = (this.members as string[]).slice();
    const scores = (this.scores as number[]).slice();
    for (let i = 0; i < members.length; i++) yield [members[i], scores[i]];
  }

  /** Live member iterator over a skiplist set's index (ZSCAN cursors); null for compact sets. */
  memberIterator(): IterableIterator<string> | null {
    return this.list ? this.list.memberKeys() : null;
  }

  /** Number of leading entries for which `holds` is true (it must hold for a prefix of the order). */
  private countPrefix(holds: (score: number, member: string) => boolean): number {
    if (this.list) return this.list.countPrefix(holds);
    const members = this.members as string[];
    const scores = this.scores as number[];
    let low = 0;
    let high = members.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (holds(scores[mid], members[mid])) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** First and last 0-based ranks inside a score range; empty when first > last. */
  scoreRangeRanks(range: ScoreRange): [first: number, last: number] {
    const first = this.countPrefix((score) => !scoreGteMin(score, range));
    const last = this.countPrefix((score) => scoreLteMax(score, range)) - 1;
    return [first, last];
  }

  countInScoreRange(range: ScoreRange): number {
    const [first, last] = this.scoreRangeRanks(range);
    return Math.max(0, last - first + 1);
  }

  /**
   * Rank where a lex range starts: its first element, or its last one when reverse; -1 when
   * empty. Lex ranges assume equal scores; with mixed scores the result follows Redis's own
   * algorithm for the encoding (a linear scan for compact sets, a descent for skiplists).
   */
  lexRangeStart(range: LexRange, reverse: boolean): number {
    const size = this.size;
    if (size === 0 || lexRangeIsEmpty(range)) return -1;
    const [lastMember] = this.at(size - 1) as [string, number];
    const [firstMember] = this.at(0) as [string, number];
    if (!lexGteMin(lastMember, range) || !lexLteMax(firstMember, range)) return -1;
    if (this.list) {
      if (!reverse) {
        const rank = this.countPrefix((_score, member) => !lexGteMin(member, range));
        const entry = this.at(rank);
        return entry && lexLteMax(entry[0], range) ? rank : -1;
      }
      const rank = this.countPrefix((_score, member) => lexLteMax(member, range)) - 1;
      const entry = this.at(rank);
      return entry && lexGteMin(entry[0], range) ? rank : -1;
    }
    const members = this.members as string[];
    if (!reverse) {
      for (let i = 0; i < members.length; i++) {
        if (lexGteMin(members[i], range)) return lexLteMax(members[i], range) ? i : -1;
      }
      return -1;
    }
    for (let i = members.length - 1; i >= 0; i--) {
      if (lexLteMax(members[i], range)) return lexGteMin(members[i], range) ? i : -1;
    }
    return -1;
  }

  /** How many entries from `start` onwards stay at or below the range's maximum. */
  private countLexRun(start: number, range: LexRange): number {
    let count = 0;
    this.walk(start, false, (member) => {
      if (!lexLteMax(member, range)) return false;
      count++;
      return true;
    });
    return count;
  }

  countInLexRange(range: LexRange): number {
    const first = this.lexRangeStart(range, false);
    if (first < 0) return 0;
    if (!this.list) return this.countLexRun(first, range);
    const last = this.lexRangeStart(range, true);
    return last < 0 ? this.size - first : last - first + 1;
  }

  /** Deletes 0-based ranks start..end (clamped); returns how many were removed. */
  deleteRanks(start: number, end: number): number {
    const from = Math.max(0, start);
    const to = Math.min(this.size - 1, end);
    if (from > to) return 0;
    if (this.list) return this.list.deleteRanks(from + 1, to + 1);
    (this.members as string[]).splice(from, to - from + 1);
    (this.scores as number[]).splice(from, to - from + 1);
    return to - from + 1;
  }

  deleteScoreRange(range: ScoreRange): number {
    const [first, last] = this.scoreRangeRanks(range);
    return this.deleteRanks(first, last);
  }

  deleteLexRange(range: LexRange): number {
    // Redis's skiplist deletion descends without the emptiness pre-checks of its listpack path.
    const first = this.list
      ? this.countPrefix((_score, member) => !lexGteMin(member, range))
      : this.lexRangeStart(range, false);
    if (first < 0) return 0;
    return this.deleteRanks(first, first + this.countLexRun(first, range) - 1);
  }

  popMin(): [string, number] | undefined {
    const entry = this.at(0);
    if (entry) this.deleteRanks(0, 0);
    return entry;
  }

  popMax(): [string, number] | undefined {
    const entry = this.at(this.size - 1);
    if (entry) this.deleteRanks(this.size - 1, this.size - 1);
    return entry;
  }

  convertToSkiplist(): void {
    this.toSkiplist();
  }

  private toSkiplist(): SkipList {
    if (this.list) return this.list;
    const list = SkipList.fromSorted(this.members as string[], this.scores as number[]);
    this.list = list;
    this.members = null;
    this.scores = null;
    return list;
  }

  /** Converts a skiplist set back to the compact encoding when it fits (what stores do at the end). */
  shrinkIfFits(limits: ZSetLimits): void {
    if (!this.list) return;
    const list = this.list;
    if (list.size > limits.maxListpackEntries || list.maxMemberLength() > limits.maxListpackValue) return;
    const members: string[] = [];
    const scores: number[] = [];
    for (let id = list.first(); id !== 0; id = list.next(id)) {
      members.push(list.memberOf(id));
      scores.push(compactScore(list.scoreOf(id)));
    }
    this.members = members;
    this.scores = scores;
    this.list = null;
  }

  clone(): SortedSet {
    const copy = new SortedSet();
    if (this.list) {
      copy.list = this.list.clone();
      copy.members = null;
      copy.scores = null;
    } else {
      copy.members = (this.members as string[]).slice();
      copy.scores = (this.scores as number[]).slice();
    }
    return copy;
  }
}

function fitsCompact(members: readonly string[], limits: ZSetLimits): boolean {
  if (members.length > limits.maxListpackEntries) return false;
  for (const member of members) if (member.length > limits.maxListpackValue) return false;
  return true;
}
