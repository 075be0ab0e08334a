// Which internal encoding Redis 7.0 would use for a hash or a set. It decides behaviour users can
// see: small hashes (listpack) reply in insertion order and HSCAN returns them in one step;
// small all-integer sets (intset) reply in ascending numeric order and SSCAN returns them in one
// step. Conversion to a hash table is one-way in Redis, so collections that crossed a limit are
// remembered here (weakly: the mark dies with the collection).

import type { ConfigStore } from '../config';
import type { HashValue, SetValue } from './values';
import { parseInt64 } from '../resp/numbers';

const convertedToHashtable = new WeakSet<HashValue | SetValue>();

export type HashEncoding = 'listpack' | 'hashtable';
export type SetEncoding = 'intset' | 'hashtable';

/** True when Redis would store the member in an intset (string2ll accepts it). */
export function isIntsetMember(member: string): boolean {
  const first = member.charCodeAt(0);
  // Cheap reject before parsing: integers start with a digit or '-'.
  if (!((first >= 48 && first <= 57) || first === 45)) return false;
  return parseInt64(member) !== null;
}

function limit(config: ConfigStore, name: string): number {
  return Number(config.get(name));
}

export function hashEncoding(hash: HashValue, config: ConfigStore): HashEncoding {
  if (convertedToHashtable.has(hash)) return 'hashtable';
  if (hash.size > limit(config, 'hash-max-listpack-entries')) return 'hashtable';
  const maxValue = limit(config, 'hash-max-listpack-value');
  for (const [field, value] of hash) {
    if (field.length > maxValue || value.length > maxValue) return 'hashtable';
  }
  return 'listpack';
}

/**
 * Records a write of field/value pairs (HSET, HINCRBY...): Redis converts the hash when a written
 * field or value is longer than hash-max-listpack-value or the hash outgrows hash-max-listpack-entries.
 */
export function noteHashWrite(hash: HashValue, config: ConfigStore, longestArgument: number): void {
  if (convertedToHashtable.has(hash)) return;
  if (longestArgument > limit(config, 'hash-max-listpack-value') || hash.size > limit(config, 'hash-max-listpack-entries')) {
    convertedToHashtable.add(hash);
  }
}

export function setEncoding(set: SetValue, config: ConfigStore): SetEncoding {
  if (convertedToHashtable.has(set)) return 'hashtable';
  if (set.size > limit(config, 'set-max-intset-entries')) return 'hashtable';
  for (const member of set) if (!isIntsetMember(member)) return 'hashtable';
  return 'intset';
}

/** Records members added to a set (SADD, SMOVE): a non-integer or too many members convert it. */
export function noteSetAdd(set: SetValue, config: ConfigStore, members: readonly string[], from = 0): void {
  if (convertedToHashtable.has(set)) return;
  if (set.size > limit(config, 'set-max-intset-entries')) {
    convertedToHashtable.add(set);
    return;
  }
  for (let i = from; i < members.length; i++) {
    if (!isIntsetMember(members[i])) {
      convertedToHashtable.add(set);
      return;
    }
  }
}

/** Marks a collection as hash-table encoded regardless of its content. */
export function markHashtable(value: HashValue | SetValue): void {
  convertedToHashtable.add(value);
}

/** For copies (COPY): Redis duplicates a hash-table collection as a hash table, whatever it holds. */
export function preserveEncoding(source: HashValue | SetValue, copy: HashValue | SetValue): void {
  if (convertedToHashtable.has(source)) convertedToHashtable.add(copy);
}

/** Integer members in ascending numeric order: how an intset iterates. */
export function intsetOrder(members: Iterable<string>): string[] {
  const keyed: Array<{ member: string; value: number | bigint }> = [];
  for (const member of members) keyed.push({ member, value: parseInt64(member) as number | bigint });
  keyed.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return keyed.map((entry) => entry.member);
}

/** A set's members in the order Redis 7.0 iterates it (numeric for intsets, ours otherwise). */
export function setIterationOrder(set: SetValue, config: ConfigStore): Iterable<string> {
  return setEncoding(set, config) === 'intset' ? intsetOrder(set) : set;
}

/**
 * The order of a set Redis builds from scratch (SUNION, SDIFF, SPOP of a whole set): it starts as
 * an intset, so it stays sorted unless a member is not an integer or there are too many.
 */
export function freshSetOrder(members: SetValue, config: ConfigStore): Iterable<string> {
  if (members.size > limit(config, 'set-max-intset-entries')) return members;
  for (const member of members) if (!isIntsetMember(member)) return members;
  return intsetOrder(members);
}
