// What one key would cost in Redis 7.0, in bytes, modelled on its structures and jemalloc's size
// classes. The node charges this figure, not what V8 holds: the V8 heap only shrinks at the next
// GC, so a DEL would not lower it and an eviction loop reading it would delete far too much. A model
// moves exactly with each write and delete, and stays comparable with Redis's used_memory, so a
// maxmemory set for Redis holds about the same data here. See docs/memory.md.

import type { Value } from '../keyspace/values';
import { isHash, isList, isSet, isStream } from '../keyspace/values';
import { parseInt64 } from '../resp/numbers';

/** jemalloc 5's size class for a request: 8, 16, then steps of 16 to 128, then four per doubling. */
export function allocSize(bytes: number): number {
  if (bytes <= 8) return 8;
  if (bytes <= 128) return Math.ceil(bytes / 16) * 16;
  const spacing = 2 ** (Math.floor(Math.log2(bytes - 1)) - 2);
  return Math.ceil(bytes / spacing) * spacing;
}

/** An sds string's allocation: header by length (sdshdr5/8/16/32), the bytes, the terminator. */
export function sdsSize(length: number): number {
  const header = length < 32 ? 1 : length < 256 ? 3 : length < 65536 ? 5 : 9;
  return allocSize(header + length + 1);
}

const ROBJ = 16;
/** A dictEntry (key, value, next): 24 bytes, served from jemalloc's 32-byte class. */
const DICT_ENTRY = 32;
/** A bucket pointer per entry: the table is a power of two at least as large as the dict. */
const DICT_BUCKET = 8;
const DICT_STRUCT = 64;
/** Redis 7.0's OBJ_ENCODING_EMBSTR_SIZE_LIMIT: robj and sds share one allocation up to 44 bytes. */
const EMBSTR_LIMIT = 44;
/** listpack/intset thresholds of the default config: the compact encodings apply below them. */
const COMPACT_ENTRIES = 128;
const COMPACT_VALUE = 64;
const INTSET_ENTRIES = 512;
/**
 * Collections larger than this are charged from a sample of their first elements, so one HSET on
 * a million-field hash does not walk the whole hash. The key's charge is stored, so what a delete
 * releases is always exactly what was charged.
 */
const EXACT_WALK_LIMIT = 256;

function isIntEncodable(text: string): boolean {
  return text.length <= 20 && text.length > 0 && parseInt64(text) !== null;
}

/** A string value object: int (the robj alone), embstr (one allocation) or raw (robj + sds). */
export function stringValueSize(text: string): number {
  if (isIntEncodable(text)) return ROBJ;
  if (text.length <= EMBSTR_LIMIT) return allocSize(ROBJ + 3 + text.length + 1);
  return ROBJ + sdsSize(text.length);
}

/** One listpack element: encoding byte(s), the bytes, the back-length byte(s). */
function listpackEntry(text: string): number {
  if (isIntEncodable(text)) return text.length <= 2 ? 2 : text.length <= 4 ? 3 : text.length <= 9 ? 5 : 10;
  const n = text.length;
  const head = n < 64 ? 1 : n < 4096 ? 2 : 5;
  const back = n + head < 128 ? 1 : n + head < 16384 ? 2 : 3;
  return head + n + back;
}

/** Sums `cost` over the elements, extrapolating from a sample past EXACT_WALK_LIMIT. */
function sumOver<T>(items: Iterable<T>, count: number, cost: (item: T) => number): number {
  let total = 0;
  let seen = 0;
  for (const item of items) {
    total += cost(item);
    if (++seen >= EXACT_WALK_LIMIT && count > seen) return Math.round((total / seen) * count);
  }
  return total;
}

function tableSize(count: number): number {
  return count === 0 ? 0 : 2 ** Math.ceil(Math.log2(count));
}

function dictSize(count: number): number {
  return DICT_STRUCT + tableSize(count) * DICT_BUCKET + count * DICT_ENTRY;
}

function fitsCompact(count: number, longest: number): boolean {
  return count <= COMPACT_ENTRIES && longest <= COMPACT_VALUE;
}

function hashSize(hash: Map<string, string>): number {
  let longest = 0;
  for (const [field, value] of hash) {
    longest = Math.max(longest, field.length, value.length);
    if (longest > COMPACT_VALUE || hash.size > COMPACT_ENTRIES) break;
  }
  if (fitsCompact(hash.size, longest)) {
    return ROBJ + allocSize(7 + sumOver(hash, hash.size, ([f, v]) => listpackEntry(f) + listpackEntry(v)));
  }
  return ROBJ + dictSize(hash.size) + sumOver(hash, hash.size, ([f, v]) => sdsSize(f.length) + sdsSize(v.length));
}

function setSize(set: Set<string>): number {
  let allIntegers = set.size <= INTSET_ENTRIES;
  if (allIntegers) for (const member of set) if (!isIntEncodable(member)) { allIntegers = false; break; }
  // An intset stores every member at the widest member's width; 8 bytes covers the general case.
  if (allIntegers) return ROBJ + allocSize(8 + set.size * 8);
  return ROBJ + dictSize(set.size) + sumOver(set, set.size, (m) => sdsSize(m.length));
}

function listSize(list: Iterable<string>, length: number): number {
  // A quicklist: 48-byte header, a 32-byte node per listpack of up to 8 KB (list-max-listpack-size -2).
  const bytes = sumOver(list, length, listpackEntry) + 7;
  const nodes = Math.max(1, Math.ceil(bytes / 8192));
  return ROBJ + 48 + nodes * (32 + allocSize(Math.min(bytes, 8192)));
}

function zsetSize(members: Iterable<string>, count: number, compact: boolean): number {
  // A score is stored as a listpack number or string (~9 bytes); the skiplist node holds sds,
  // score, backward pointer and on average 4/3 levels of 16 bytes.
  if (compact) return ROBJ + allocSize(7 + sumOver(members, count, (m) => listpackEntry(m) + 9));
  const skiplistHeader = allocSize(32 + 32 * 16);
  return ROBJ + 16 + dictSize(count) + skiplistHeader + sumOver(members, count, (m) => sdsSize(m.length) + allocSize(24 + 22));
}

/** The value object and what it points to. */
export function valueSize(value: Value): number {
  if (typeof value === 'string') return stringValueSize(value);
  if (isHash(value)) return hashSize(value);
  if (isSet(value)) return setSize(value);
  if (isList(value)) return listSize(value, value.length);
  if (isStream(value)) {
    // Coarse: the rax of listpacks costs about 32 bytes per entry beyond its fields, plus a node
    // header per listpack and the consumer groups' structures.
    return ROBJ + 64 + value.length * 48 + value.nodeCount * 160 + value.groups.size * 256;
  }
  const members = value.memberIterator();
  const list: string[] = [];
  if (!members) {
    value.walk(0, false, (member) => {
      list.push(member);
      return list.length < EXACT_WALK_LIMIT;
    });
  }
  return zsetSize(members ?? list, value.size, value.encoding === 'listpack');
}

/**
 * Everything one key costs in the keyspace: its dict entry, the key's sds, the value, and when it
 * has a TTL, the expires dict's entry (the key's sds is shared). The dicts' bucket tables are
 * charged per database (keyspaceTableBytes), since they grow by doubling, not per key.
 */
export function keyEntrySize(key: string, value: Value, hasExpire: boolean): number {
  const main = DICT_ENTRY + sdsSize(key.length) + valueSize(value);
  return hasExpire ? main + DICT_ENTRY : main;
}

/** A keyspace dict's bucket table: a power of two at least as large as the dict, 4 at least. */
export function keyspaceTableBytes(count: number): number {
  return count === 0 ? 0 : Math.max(4, tableSize(count)) * DICT_BUCKET;
}
