// The large-set representation of a sorted set (Redis's "skiplist" encoding): a skiplist ordered
// by (score, member) with span counts for O(log n) ranks, plus a member -> node index.
//
// Nodes are records in one ArrayBuffer instead of one JS object each: about 27 bytes per node
// (plus 8 for the member's slot) instead of ~150 bytes of objects, almost nothing for the GC to
// trace, and a node's score and links share cache lines, which is what a descent reads.
// A node id is the record's offset in 32-bit words. Record layout:
//   [0..1] score (float64)   [2] backward id   [3] memberSlot * 64 + level
//   [4 + 2i] forward id at level i   [5 + 2i] span at level i
// Records have an even word count, so every score stays 8-byte aligned. Freed records are
// recycled per level (same size), keeping their member slot. Record 0 is the header, and 0 also
// means "no node" in forward/backward links (nothing ever points to the header).

const MAX_LEVEL = 32;
const LEVEL_PROBABILITY = 0.25;
const NIL = 0;
const HEADER = 0;
const BACKWARD = 2;
const SLOT_LEVEL = 3;
const LINKS = 4;
const LEVEL_BITS = 64;

function randomLevel(): number {
  let level = 1;
  while (level < MAX_LEVEL && Math.random() < LEVEL_PROBABILITY) level++;
  return level;
}

function recordWords(level: number): number {
  return LINKS + 2 * level;
}

/** Member order inside equal scores: byte order, which is JS code-unit order for latin1 strings. */
function precedes(scoreA: number, memberA: string, scoreB: number, memberB: string): boolean {
  return scoreA < scoreB || (scoreA === scoreB && memberA < memberB);
}

export class SkipList {
  private words: Int32Array;
  private floats: Float64Array;
  private used: number;
  /** Members by slot; a record keeps its slot for life. */
  private members: (string | undefined)[] = [];
  /** Freed record ids by level, reused by nodes of the same level so the record fits. */
  private freeIds: number[][] = Array.from({ length: MAX_LEVEL + 1 }, () => []);
  private level = 1;
  private tail = NIL;
  length = 0;
  /** member -> node id; the score is read from the node, so the map holds only small integers. */
  private index = new Map<string, number>();
  // Scratch arrays for the search paths (a skiplist is used by one command at a time).
  private readonly update = new Int32Array(MAX_LEVEL);
  private readonly rankAt = new Float64Array(MAX_LEVEL);

  constructor(capacity = 16) {
    // An even word count keeps the Float64Array view over the same buffer valid.
    const buffer = new ArrayBuffer(4 * (recordWords(MAX_LEVEL) + 2 * Math.ceil(capacity * 3.5)));
    this.words = new Int32Array(buffer);
    this.floats = new Float64Array(buffer);
    this.words[SLOT_LEVEL] = MAX_LEVEL;
    this.used = recordWords(MAX_LEVEL);
  }

  /** Builds from entries already in (score, member) order, in O(n). */
  static fromSorted(members: readonly string[], scores: ArrayLike<number>, nodeLevels?: ArrayLike<number>): SkipList {
    const list = new SkipList(members.length);
    const last = new Int32Array(MAX_LEVEL); // all start at the header
    const lastRank = new Float64Array(MAX_LEVEL);
    let previous = NIL;
    for (let r = 1; r <= members.length; r++) {
      const nodeLevel = nodeLevels ? nodeLevels[r - 1] : randomLevel();
      const id = list.allocate(nodeLevel);
      const words = list.words;
      list.members[words[id + SLOT_LEVEL] >>> 6] = members[r - 1];
      list.floats[id >> 1] = scores[r - 1];
      list.index.set(members[r - 1], id);
      for (let i = 0; i < nodeLevel; i++) {
        const slot = last[i] + LINKS + 2 * i;
        words[slot] = id;
        words[slot + 1] = r - lastRank[i];
        words[id + LINKS + 2 * i] = NIL;
        last[i] = id;
        lastRank[i] = r;
      }
      words[id + BACKWARD] = previous;
      previous = id;
      if (nodeLevel > list.level) list.level = nodeLevel;
    }
    const n = members.length;
    for (let i = 0; i < MAX_LEVEL; i++) {
      const slot = last[i] + LINKS + 2 * i;
      list.words[slot] = NIL;
      list.words[slot + 1] = n - lastRank[i];
    }
    list.length = n;
    list.tail = previous;
    return list;
  }

  get size(): number {
    return this.length;
  }

  score(member: string): number | undefined {
    const id = this.index.get(member);
    return id === undefined ? undefined : this.floats[id >> 1];
  }

  has(member: string): boolean {
    return this.index.has(member);
  }

  memberOf(id: number): string {
    return this.members[this.words[id + SLOT_LEVEL] >>> 6] as string;
  }

  scoreOf(id: number): number {
    return this.floats[id >> 1];
  }

  next(id: number): number {
    return this.words[id + LINKS];
  }

  prev(id: number): number {
    return this.words[id + BACKWARD];
  }

  first(): number {
    return this.words[HEADER + LINKS];
  }

  last(): number {
    return this.tail;
  }

  /** Largest member length, for deciding whether the set fits the compact encoding. */
  maxMemberLength(): number {
    let max = 0;
    for (const member of this.index.keys()) if (member.length > max) max = member.length;
    return max;
  }

  /** Members in the index's order, a live iterator (ZSCAN cursors). */
  memberKeys(): IterableIterator<string> {
    return this.index.keys();
  }

  private allocate(nodeLevel: number): number {
    const free = this.freeIds[nodeLevel];
    if (free.length > 0) return free.pop() as number;
    const id = this.used;
    const need = id + recordWords(nodeLevel);
    if (need > this.words.length) this.grow(need);
    this.used = need;
    const slot = this.members.length;
    this.members.push(undefined);
    this.words[id + SLOT_LEVEL] = slot * LEVEL_BITS + nodeLevel;
    return id;
  }

  private grow(need: number): void {
    const buffer = new ArrayBuffer(4 * Math.max(need, this.words.length * 2));
    const words = new Int32Array(buffer);
    words.set(this.words);
    this.words = words;
    this.floats = new Float64Array(buffer);
  }

  /** Frees a node; `keepIndexEntry` when the member is re-inserted right away (see updateScore). */
  private release(id: number, keepIndexEntry = false): void {
    const packed = this.words[id + SLOT_LEVEL];
    const slot = packed >>> 6;
    if (!keepIndexEntry) this.index.delete(this.members[slot] as string);
    this.members[slot] = undefined;
    this.freeIds[packed & (LEVEL_BITS - 1)].push(id);
  }

  /** Inserts a member that is not in the set yet. */
  insert(member: string, score: number): void {
    const nodeLevel = randomLevel();
    const id = this.allocate(nodeLevel);
    const { words, floats, members, update, rankAt } = this;
    let x = HEADER;
    for (let i = this.level - 1; i >= 0; i--) {
      rankAt[i] = i === this.level - 1 ? 0 : rankAt[i + 1];
      for (;;) {
        const slot = x + LINKS + 2 * i;
        const fwd = words[slot];
        if (fwd === NIL || !precedes(floats[fwd >> 1], members[words[fwd + SLOT_LEVEL] >>> 6] as string, score, member)) break;
        rankAt[i] += words[slot + 1];
        x = fwd;
      }
      update[i] = x;
    }
    if (nodeLevel > this.level) {
      for (let i = this.level; i < nodeLevel; i++) {
        rankAt[i] = 0;
        update[i] = HEADER;
        words[HEADER + LINKS + 2 * i + 1] = this.length;
      }
      this.level = nodeLevel;
    }
    members[words[id + SLOT_LEVEL] >>> 6] = member;
    floats[id >> 1] = score;
    for (let i = 0; i < nodeLevel; i++) {
      const slot = update[i] + LINKS + 2 * i;
      const own = id + LINKS + 2 * i;
      const distance = rankAt[0] - rankAt[i];
      words[own] = words[slot];
      words[slot] = id;
      words[own + 1] = words[slot + 1] - distance;
      words[slot + 1] = distance + 1;
    }
    for (let i = nodeLevel; i < this.level; i++) words[update[i] + LINKS + 2 * i + 1]++;
    words[id + BACKWARD] = update[0] === HEADER ? NIL : update[0];
    const after = words[id + LINKS];
    if (after !== NIL) words[after + BACKWARD] = id;
    else this.tail = id;
    this.length++;
    this.index.set(member, id);
  }

  /** Fills `update` with the last node before (score, member) at every level. */
  private findPath(score: number, member: string): void {
    const { words, floats, members, update } = this;
    let x = HEADER;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const fwd = words[x + LINKS + 2 * i];
        if (fwd === NIL || !precedes(floats[fwd >> 1], members[words[fwd + SLOT_LEVEL] >>> 6] as string, score, member)) break;
        x = fwd;
      }
      update[i] = x;
    }
  }

  private unlink(x: number): void {
    const { words, update } = this;
    for (let i = 0; i < this.level; i++) {
      const slot = update[i] + LINKS + 2 * i;
      if (words[slot] === x) {
        words[slot + 1] += words[x + LINKS + 2 * i + 1] - 1;
        words[slot] = words[x + LINKS + 2 * i];
      } else {
        words[slot + 1]--;
      }
    }
    const after = words[x + LINKS];
    if (after !== NIL) words[after + BACKWARD] = words[x + BACKWARD];
    else this.tail = words[x + BACKWARD];
    while (this.level > 1 && words[HEADER + LINKS + 2 * (this.level - 1)] === NIL) this.level--;
    this.length--;
  }

  remove(member: string): boolean {
    const id = this.index.get(member);
    if (id === undefined) return false;
    this.findPath(this.floats[id >> 1], member);
    this.unlink(id);
    this.release(id);
    this.maybeCompact();
    return true;
  }

  /** Changes the score of a present member, in place when its position does not change (as Redis does). */
  updateScore(member: string, newScore: number): void {
    const id = this.index.get(member) as number;
    const before = this.words[id + BACKWARD];
    const after = this.words[id + LINKS];
    const floats = this.floats;
    if ((before === NIL || floats[before >> 1] < newScore) && (after === NIL || floats[after >> 1] > newScore)) {
      floats[id >> 1] = newScore;
      return;
    }
    this.findPath(floats[id >> 1], member);
    this.unlink(id);
    // The member keeps its place in the index's iteration order, so a ZSCAN in progress
    // (a live iterator over the index) neither loses nor re-visits it.
    this.release(id, true);
    this.insert(member, newScore);
  }

  /** 1-based rank of a member, 0 when absent. */
  rank(member: string): number {
    const id = this.index.get(member);
    if (id === undefined) return 0;
    const { words, floats, members } = this;
    const score = floats[id >> 1];
    let rank = 0;
    let x = HEADER;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const slot = x + LINKS + 2 * i;
        const fwd = words[slot];
        if (fwd === NIL) break;
        const fs = floats[fwd >> 1];
        if (!(fs < score || (fs === score && (members[words[fwd + SLOT_LEVEL] >>> 6] as string) <= member))) break;
        rank += words[slot + 1];
        x = fwd;
      }
      if (x === id) return rank;
    }
    return 0;
  }

  /** Node at a 1-based rank, NIL when out of range. */
  nodeAt(rank: number): number {
    if (rank < 1 || rank > this.length) return NIL;
    if (rank === this.length) return this.tail;
    const words = this.words;
    let traversed = 0;
    let x = HEADER;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const slot = x + LINKS + 2 * i;
        const fwd = words[slot];
        if (fwd === NIL || traversed + words[slot + 1] > rank) break;
        traversed += words[slot + 1];
        x = fwd;
      }
      if (traversed === rank) return x;
    }
    return NIL;
  }

  /**
   * How many leading nodes satisfy `holds`, which must be true for a prefix of the order
   * (e.g. "score below the range minimum"): the skiplist descent Redis uses for range bounds.
   */
  countPrefix(holds: (score: number, member: string) => boolean): number {
    const { words, floats, members } = this;
    let rank = 0;
    let x = HEADER;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const slot = x + LINKS + 2 * i;
        const fwd = words[slot];
        if (fwd === NIL || !holds(floats[fwd >> 1], members[words[fwd + SLOT_LEVEL] >>> 6] as string)) break;
        rank += words[slot + 1];
        x = fwd;
      }
    }
    return rank;
  }

  /** Deletes the nodes of 1-based ranks start..end (clamped by the caller); returns how many. */
  deleteRanks(start: number, end: number): number {
    const { words, update } = this;
    let traversed = 0;
    let x = HEADER;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const slot = x + LINKS + 2 * i;
        const fwd = words[slot];
        if (fwd === NIL || traversed + words[slot + 1] >= start) break;
        traversed += words[slot + 1];
        x = fwd;
      }
      update[i] = x;
    }
    traversed++;
    x = words[x + LINKS];
    let removed = 0;
    while (x !== NIL && traversed <= end) {
      const following = words[x + LINKS];
      this.unlink(x);
      this.release(x);
      removed++;
      traversed++;
      x = following;
    }
    this.maybeCompact();
    return removed;
  }

  /** Rebuilds into right-sized storage once most records are free, so shrunk sets give memory back. */
  private maybeCompact(): void {
    const records = this.members.length;
    if (records < 256 || this.length * 4 > records) return;
    const n = this.length;
    const members: string[] = new Array(n);
    const scores = new Float64Array(n);
    const nodeLevels = new Uint8Array(n);
    let k = 0;
    for (let id = this.first(); id !== NIL; id = this.next(id)) {
      members[k] = this.memberOf(id);
      scores[k] = this.scoreOf(id);
      nodeLevels[k] = this.words[id + SLOT_LEVEL] & (LEVEL_BITS - 1);
      k++;
    }
    const rebuilt = SkipList.fromSorted(members, scores, nodeLevels);
    this.words = rebuilt.words;
    this.floats = rebuilt.floats;
    this.used = rebuilt.used;
    this.members = rebuilt.members;
    this.freeIds = rebuilt.freeIds;
    this.level = rebuilt.level;
    this.tail = rebuilt.tail;
    this.length = rebuilt.length;
    // A new index: live ZSCAN iterators keep walking the old one, which still holds every
    // member present throughout (their scores are looked up again, so removed ones are skipped).
    this.index = rebuilt.index;
  }

  clone(): SkipList {
    const copy = new SkipList(0);
    const buffer = this.words.buffer.slice(0);
    copy.words = new Int32Array(buffer);
    copy.floats = new Float64Array(buffer);
    copy.used = this.used;
    copy.members = this.members.slice();
    copy.freeIds = this.freeIds.map((ids) => ids.slice());
    copy.level = this.level;
    copy.tail = this.tail;
    copy.length = this.length;
    copy.index = new Map(this.index);
    return copy;
  }
}
