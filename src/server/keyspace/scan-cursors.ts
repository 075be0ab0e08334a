// Cursors for SCAN, HSCAN, SSCAN and ZSCAN over JS Maps and Sets.
//
// Redis's guarantee: an element present for the whole iteration is returned at least once,
// elements may be returned twice, and the cursor is the only state the client holds.
// Redis gets there by scanning hash buckets in reverse-binary order. Our collections are JS
// Maps/Sets, whose live iterators give the same guarantee directly: they walk insertion order,
// tolerate deletions, and see insertions. So a cursor number stands for a live iterator kept
// here, per server, in a small LRU.
//
// Termination: new entries are always appended after every entry that existed when the
// iteration began, and entries never move while present. So once an iteration has visited as
// many entries as the collection had at its start, every entry present throughout has been
// returned and the iteration can end even if writers keep appending.
//
// Trade-off when a cursor is unknown (evicted from the LRU, reused after being consumed, or
// issued for another collection, e.g. after SWAPDB): the cursor also encodes how many entries
// had been visited (high bits), so we restart a fresh iterator and skip that many. That always
// makes progress and never loses entries unless some were deleted before that position
// meanwhile, in which case a few entries present throughout may be skipped. Redis never
// skips; we accept it only on this fallback path, which needs more than MAX_LIVE_CURSORS
// iterations in flight at once (or a client replaying old cursors).

/** Live iterators kept per server; each costs an iterator object and a map entry. */
const MAX_LIVE_CURSORS = 1000;
/** Low bits of a cursor: an id distinguishing iterations at the same position. */
const ID_BITS = 20n;
const ID_MASK = (1n << ID_BITS) - 1n;
const ULONG_MAX = (1n << 64n) - 1n;
/** Largest position we encode, so the cursor stays within an unsigned 64-bit number. */
const MAX_POSITION = Number((ULONG_MAX >> ID_BITS) - 1n);

interface LiveCursor {
  source: object;
  iterator: Iterator<unknown>;
  /** Entries visited so far (also encoded in the cursor for the fallback). */
  position: number;
  /** Entries still to visit before the iteration is known complete. */
  remaining: number;
}

class CursorRegistry {
  /** Insertion order doubles as LRU order: a used cursor is deleted and its successor re-added. */
  readonly live = new Map<bigint, LiveCursor>();
  private nextId = 1n;

  issue(state: LiveCursor): bigint {
    const id = this.nextId;
    this.nextId = this.nextId === ID_MASK ? 1n : this.nextId + 1n;
    const cursor = (BigInt(state.position) << ID_BITS) | id;
    this.live.delete(cursor);
    this.live.set(cursor, state);
    if (this.live.size > MAX_LIVE_CURSORS) {
      const oldest = this.live.keys().next();
      if (!oldest.done) this.live.delete(oldest.value);
    }
    return cursor;
  }
}

const registries = new WeakMap<object, CursorRegistry>();

function registryFor(scope: object): CursorRegistry {
  let registry = registries.get(scope);
  if (!registry) registries.set(scope, (registry = new CursorRegistry()));
  return registry;
}

/**
 * Parses a cursor as Redis does with strtoul(base 10): optional sign (a negative value wraps),
 * no leading space, nothing after the digits, within unsigned 64 bits. An empty string is 0.
 * Returns null for an invalid cursor.
 */
export function parseScanCursor(text: string): bigint | null {
  if (text.length === 0) return 0n;
  const match = /^([+-]?)(\d+)$/.exec(text);
  if (!match) return null;
  const magnitude = BigInt(match[2]);
  if (magnitude > ULONG_MAX) return null;
  if (match[1] === '-' && magnitude !== 0n) return ULONG_MAX + 1n - magnitude;
  return magnitude;
}

export interface ScanStepOptions<T> {
  /** Identifies the registry (one per server): cursors are shared by all of its clients. */
  scope: object;
  /** The collection iterated (db.data, a hash's Map...): a cursor only resumes on the same object. */
  source: object;
  /** The cursor the client sent, from parseScanCursor. */
  cursor: bigint;
  /** A fresh live iterator over the source. */
  makeIterator: () => Iterator<T>;
  /** Number of entries in the source now. */
  size: number;
  /** Entries to visit in this call (COUNT); Infinity returns everything at once. */
  count: number;
}

export interface ScanStepResult<T> {
  /** 0n when the iteration is complete. */
  cursor: bigint;
  /** Entries visited in this call, before any MATCH/TYPE filtering. */
  items: T[];
}

/** Visits up to `count` entries from where `cursor` left off; see the module comment for the guarantees. */
export function scanStep<T>(options: ScanStepOptions<T>): ScanStepResult<T> {
  const registry = registryFor(options.scope);
  const state = resume(registry, options);
  const items: T[] = [];
  let finished = state.remaining <= 0;
  while (!finished && items.length < options.count) {
    const step = state.iterator.next();
    if (step.done) {
      finished = true;
      break;
    }
    items.push(step.value as T);
    state.position++;
    state.remaining--;
    if (state.remaining <= 0 || state.position >= MAX_POSITION) finished = true;
  }
  if (finished) return { cursor: 0n, items };
  return { cursor: registry.issue(state), items };
}

function resume<T>(registry: CursorRegistry, options: ScanStepOptions<T>): LiveCursor {
  if (options.cursor !== 0n) {
    const known = registry.live.get(options.cursor);
    if (known && known.source === options.source) {
      // A cursor is single use: its iterator is about to move, so replaying it must not reuse it.
      registry.live.delete(options.cursor);
      return known;
    }
  }
  const iterator = options.makeIterator();
  const skip = Math.min(Number(options.cursor >> ID_BITS), options.size);
  let position = 0;
  while (position < skip && !iterator.next().done) position++;
  return { source: options.source, iterator, position, remaining: options.size - position };
}
