// The stream value type. Entries live in a sorted array of fixed-width hex keys (so string order
// is ID order) plus a Map, and deleted entries stay as tombstones until their node goes, because
// Redis 7.0 keeps them in its listpacks too and they show through: the first ID a MINID trim is
// rewritten to, and the node boundaries that decide what "~" trimming removes. The nodes model
// Redis's rax of listpacks: their entry counts and their listpack sizes, computed the way
// listpack.c encodes each element, are what stream-node-max-entries/-bytes are compared with.

import { ListpackBuilder, encodedIntegerSize } from '../rdb/listpack';
import type { ConsumerGroup } from './stream-groups';
import { UINT64_MAX, MIN_ID, MAX_ID, compareIds, type StreamId } from './stream-id';

/** Bytes a listpack element takes (encoding, data and backlen), strings that are integers as integers. */
function listpackEntrySize(text: string): number {
  return ListpackBuilder.encodedSize(text);
}

function listpackIntegerSize(value: number | bigint): number {
  return encodedIntegerSize(value);
}

export { UINT64_MAX, MIN_ID, MAX_ID, compareIds, formatId, type StreamId } from './stream-id';

/** The sort key of an ID: 32 hex digits, so that string comparison is ID comparison. */
function idKey(id: StreamId): string {
  return id.ms.toString(16).padStart(16, '0') + id.seq.toString(16).padStart(16, '0');
}

/** The ID after `id`, or null at the last possible ID (streamIncrID). */
export function nextId(id: StreamId): StreamId | null {
  if (id.seq < UINT64_MAX) return { ms: id.ms, seq: id.seq + 1n };
  if (id.ms < UINT64_MAX) return { ms: id.ms + 1n, seq: 0n };
  return null;
}

/** The ID before `id`, or null at 0-0 (streamDecrID). */
export function previousId(id: StreamId): StreamId | null {
  if (id.seq > 0n) return { ms: id.ms, seq: id.seq - 1n };
  if (id.ms > 0n) return { ms: id.ms - 1n, seq: UINT64_MAX };
  return null;
}

export interface StreamEntry {
  readonly id: StreamId;
  readonly key: string;
  /** field, value, field, value... */
  readonly fields: readonly string[];
  deleted: boolean;
  node: StreamNode;
}

/** What a writer may read of a node. */
export type StoredNode = Readonly<StreamNode>;

/** One listpack of Redis's rax: its master entry and counts of live and deleted entries. */
interface StreamNode {
  readonly master: StreamId;
  readonly masterFields: readonly string[];
  live: number;
  deleted: number;
  /** Listpack bytes apart from the two count elements, which change size as they change. */
  bodyBytes: number;
  /** The last entry appended, tombstone or not (lpGetEdgeStreamID). */
  last: StreamId;
}

export interface NodeLimits {
  maxBytes: number;
  maxEntries: number;
}

/** Redis caps a node's listpack at 1GB whatever stream-node-max-bytes says. */
const LISTPACK_MAX_SIZE = 1 << 30;
const LISTPACK_HEADER_AND_END = 7;
const FLAG_SAMEFIELDS = 2;

export function nodeBytes(node: StreamNode): number {
  return node.bodyBytes + listpackIntegerSize(node.live) + listpackIntegerSize(node.deleted);
}

export function sameFields(fields: readonly string[], master: readonly string[]): boolean {
  if (fields.length / 2 !== master.length) return false;
  for (let i = 0; i < master.length; i++) if (fields[i * 2] !== master[i]) return false;
  return true;
}

/** A uint64 difference as the int64 Redis stores (it casts, so huge gaps wrap negative). */
function asInt64(value: bigint): bigint {
  return BigInt.asIntN(64, value);
}

export class Stream {
  /** Every entry still in a node, tombstones included, in ID order. */
  private keys: string[] = [];
  private readonly entries = new Map<string, StreamEntry>();
  private nodes: StreamNode[] = [];
  length = 0;
  lastId: StreamId = MIN_ID;
  maxDeletedId: StreamId = MIN_ID;
  entriesAdded = 0n;
  /** Consumer groups by name. */
  readonly groups = new Map<string, ConsumerGroup>();

  get nodeCount(): number {
    return this.nodes.length;
  }

  /** Appends an entry with an ID already checked to be above lastId. */
  append(id: StreamId, fields: readonly string[], limits: NodeLimits): void {
    const numFields = fields.length / 2;
    let node: StreamNode | undefined = this.nodes[this.nodes.length - 1];
    if (node !== undefined) {
      let maxBytes = limits.maxBytes;
      if (maxBytes === 0 || maxBytes > LISTPACK_MAX_SIZE) maxBytes = LISTPACK_MAX_SIZE;
      let totalLength = 0;
      for (const element of fields) totalLength += element.length;
      if (nodeBytes(node) + totalLength >= maxBytes) node = undefined;
      else if (limits.maxEntries !== 0 && node.live + node.deleted >= limits.maxEntries) node = undefined;
    }
    let flags = 0;
    if (node === undefined) {
      const masterFields: string[] = [];
      for (let i = 0; i < fields.length; i += 2) masterFields.push(fields[i]);
      let bodyBytes = LISTPACK_HEADER_AND_END + listpackIntegerSize(numFields);
      for (const field of masterFields) bodyBytes += listpackEntrySize(field);
      bodyBytes += listpackIntegerSize(0n);
      // The new node's count starts at 1 for the entry being added.
      node = { master: id, masterFields, live: 0, deleted: 0, bodyBytes, last: id };
      this.nodes.push(node);
      flags = FLAG_SAMEFIELDS;
    } else if (sameFields(fields, node.masterFields)) {
      flags = FLAG_SAMEFIELDS;
    }
    let bytes = listpackIntegerSize(flags);
    bytes += listpackIntegerSize(asInt64(id.ms - node.master.ms));
    bytes += listpackIntegerSize(asInt64(id.seq - node.master.seq));
    if (flags !== FLAG_SAMEFIELDS) bytes += listpackIntegerSize(numFields);
    for (let i = 0; i < fields.length; i += 2) {
      if (flags !== FLAG_SAMEFIELDS) bytes += listpackEntrySize(fields[i]);
      bytes += listpackEntrySize(fields[i + 1]);
    }
    const lpCount = numFields + 3 + (flags === FLAG_SAMEFIELDS ? 0 : numFields + 1);
    bytes += listpackIntegerSize(lpCount);
    node.bodyBytes += bytes;
    node.live++;
    node.last = id;
    const key = idKey(id);
    const entry: StreamEntry = { id, key, fields, deleted: false, node };
    this.keys.push(key);
    this.entries.set(key, entry);
    this.length++;
    this.entriesAdded++;
    this.lastId = id;
  }

  /** Index of the first key >= `key` in the sorted key array. */
  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Live entries in [start, end], ascending (or descending), at most `count` (0: all). */
  range(start: StreamId, end: StreamId, count: number, reverse = false): StreamEntry[] {
    const out: StreamEntry[] = [];
    if (compareIds(start, end) > 0) return out;
    const startKey = idKey(start);
    const endKey = idKey(end);
    if (!reverse) {
      for (let i = this.lowerBound(startKey); i < this.keys.length; i++) {
        const key = this.keys[i];
        if (key > endKey) break;
        const entry = this.entries.get(key) as StreamEntry;
        if (entry.deleted) continue;
        out.push(entry);
        if (count !== 0 && out.length >= count) break;
      }
    } else {
      let i = this.lowerBound(endKey);
      if (i >= this.keys.length || this.keys[i] > endKey) i--;
      for (; i >= 0; i--) {
        const key = this.keys[i];
        if (key < startKey) break;
        const entry = this.entries.get(key) as StreamEntry;
        if (entry.deleted) continue;
        out.push(entry);
        if (count !== 0 && out.length >= count) break;
      }
    }
    return out;
  }

  /** Whether an entry in [start, end] may have been deleted (streamRangeHasTombstones). */
  rangeHasTombstones(start: StreamId, end: StreamId = MAX_ID): boolean {
    if (this.length === 0 || compareIds(this.maxDeletedId, MIN_ID) === 0) return false;
    return compareIds(start, this.maxDeletedId) <= 0 && compareIds(this.maxDeletedId, end) <= 0;
  }

  /** streamEstimateDistanceFromFirstEverEntry: an entry's counter, or -1 when unknown. */
  estimateDistance(id: StreamId): bigint {
    if (this.entriesAdded === 0n) return 0n;
    if (this.length === 0 && compareIds(id, this.lastId) < 1) return this.entriesAdded;
    const cmpLast = compareIds(id, this.lastId);
    if (cmpLast === 0) return this.entriesAdded;
    if (cmpLast > 0) return -1n;
    const first = this.edgeId(true) ?? MIN_ID;
    const cmpFirst = compareIds(id, first);
    if (compareIds(this.maxDeletedId, MIN_ID) === 0 || compareIds(this.maxDeletedId, first) < 0) {
      if (cmpFirst < 0) return this.entriesAdded - BigInt(this.length);
      if (cmpFirst === 0) return this.entriesAdded - BigInt(this.length) + 1n;
    }
    return -1n;
  }

  /** The first (or last) live entry's ID, or null when empty. */
  edgeId(first: boolean): StreamId | null {
    if (first) {
      for (const key of this.keys) {
        const entry = this.entries.get(key) as StreamEntry;
        if (!entry.deleted) return entry.id;
      }
    } else {
      for (let i = this.keys.length - 1; i >= 0; i--) {
        const entry = this.entries.get(this.keys[i]) as StreamEntry;
        if (!entry.deleted) return entry.id;
      }
    }
    return null;
  }

  /** The first entry in the nodes, tombstone or not (streamGetEdgeID with skip_tombstones 0). */
  firstStoredId(): StreamId | null {
    return this.keys.length === 0 ? null : (this.entries.get(this.keys[0]) as StreamEntry).id;
  }

  get(id: StreamId): StreamEntry | undefined {
    const entry = this.entries.get(idKey(id));
    return entry === undefined || entry.deleted ? undefined : entry;
  }

  /** Marks an entry deleted; its node goes when its last live entry does. True when it was live. */
  delete(id: StreamId): boolean {
    const entry = this.get(id);
    if (entry === undefined) return false;
    this.markDeleted(entry);
    if (compareIds(id, this.maxDeletedId) > 0) this.maxDeletedId = id;
    return true;
  }

  /** XDEL drops a node with its last live entry; trimming inside a node (7.0) leaves it empty. */
  private markDeleted(entry: StreamEntry, dropEmptyNode = true): void {
    entry.deleted = true;
    const node = entry.node;
    node.live--;
    node.deleted++;
    this.length--;
    if (dropEmptyNode && node.live === 0) this.removeNode(node);
  }

  private removeNode(node: StreamNode): void {
    const at = this.nodes.indexOf(node);
    this.nodes.splice(at, 1);
    // A node's entries are contiguous in the key array.
    let first = -1;
    let count = 0;
    for (let i = this.lowerBound(idKey(node.master)); i < this.keys.length; i++) {
      const entry = this.entries.get(this.keys[i]) as StreamEntry;
      if (entry.node !== node) break;
      if (first === -1) first = i;
      this.entries.delete(this.keys[i]);
      count++;
    }
    if (first !== -1) this.keys.splice(first, count);
  }

  /**
   * streamTrim of 7.0: whole nodes from the head while they may go; then, unless approximate,
   * single entries of the node that straddles the limit. `limit` bounds the entries removed
   * (0: none). Returns how many entries were removed.
   */
  trim(strategy: 'maxlen' | 'minid', maxlen: number, minid: StreamId, approx: boolean, limit: number): number {
    let removed = 0;
    while (this.nodes.length > 0) {
      if (strategy === 'maxlen' && this.length <= maxlen) break;
      const node = this.nodes[0];
      const entries = node.live;
      if (limit !== 0 && removed + entries > limit) break;
      const wholeNode = strategy === 'maxlen' ? this.length - entries >= maxlen : compareIds(node.last, minid) < 0;
      if (wholeNode) {
        this.length -= entries;
        removed += entries;
        this.removeNode(node);
        continue;
      }
      if (approx) break;
      for (let i = this.lowerBound(idKey(node.master)); i < this.keys.length; i++) {
        const entry = this.entries.get(this.keys[i]) as StreamEntry;
        if (entry.node !== node) break;
        if (strategy === 'maxlen' ? this.length <= maxlen : compareIds(entry.id, minid) >= 0) break;
        if (entry.deleted) continue;
        this.markDeleted(entry, false);
        removed++;
      }
      break;
    }
    return removed;
  }

  clone(): Stream {
    const copy = new Stream();
    const nodeCopies = new Map<StreamNode, StreamNode>();
    for (const node of this.nodes) {
      const nodeCopy = { ...node };
      nodeCopies.set(node, nodeCopy);
      copy.nodes.push(nodeCopy);
    }
    copy.keys = [...this.keys];
    for (const [key, entry] of this.entries) {
      copy.entries.set(key, { ...entry, node: nodeCopies.get(entry.node) as StreamNode });
    }
    copy.length = this.length;
    copy.lastId = this.lastId;
    copy.maxDeletedId = this.maxDeletedId;
    copy.entriesAdded = this.entriesAdded;
    for (const [name, group] of this.groups) copy.groups.set(name, group.clone());
    return copy;
  }

  /** The nodes with their entries, tombstones included, for writing them as listpacks (RDB). */
  *storedNodes(): IterableIterator<{ node: StoredNode; entries: StreamEntry[] }> {
    let i = 0;
    for (const node of this.nodes) {
      const entries: StreamEntry[] = [];
      while (i < this.keys.length) {
        const entry = this.entries.get(this.keys[i]) as StreamEntry;
        if (entry.node !== node) break;
        entries.push(entry);
        i++;
      }
      yield { node, entries };
    }
  }

  /** Rebuilds a node read from a listpack of `listpackBytes` bytes (RDB load). */
  loadNode(master: StreamId, masterFields: readonly string[], entries: ReadonlyArray<{ id: StreamId; fields: readonly string[]; deleted: boolean }>, listpackBytes: number): void {
    const node: StreamNode = { master, masterFields, live: 0, deleted: 0, bodyBytes: 0, last: master };
    for (const loaded of entries) {
      const key = idKey(loaded.id);
      this.keys.push(key);
      this.entries.set(key, { id: loaded.id, key, fields: loaded.fields, deleted: loaded.deleted, node });
      if (loaded.deleted) node.deleted++;
      else node.live++;
      node.last = loaded.id;
    }
    node.bodyBytes = listpackBytes - listpackIntegerSize(node.live) - listpackIntegerSize(node.deleted);
    this.nodes.push(node);
  }

  /** Every live entry in ID order. */
  *liveEntries(): IterableIterator<StreamEntry> {
    for (const key of this.keys) {
      const entry = this.entries.get(key) as StreamEntry;
      if (!entry.deleted) yield entry;
    }
  }
}
