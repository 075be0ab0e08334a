// The value types a key can hold. Strings are latin1 JS strings (one char per byte):
// binary safe, and V8 stores them in one byte per char, which keeps small keys compact.
// Hashes and sets are plain Map/Set; lists and sorted sets have their own structures.

import { Deque } from './deque';
import { SortedSet } from './sorted-set';
import { Stream } from './stream';

export type HashValue = Map<string, string>;
export type SetValue = Set<string>;
export type ListValue = Deque<string>;
export type ZSetValue = SortedSet;
export type StreamValue = Stream;
export type Value = string | HashValue | SetValue | ListValue | ZSetValue | StreamValue;

export type TypeName = 'string' | 'hash' | 'set' | 'list' | 'zset' | 'stream';

export function typeOf(value: Value): TypeName {
  if (typeof value === 'string') return 'string';
  if (value instanceof Map) return 'hash';
  if (value instanceof Set) return 'set';
  if (value instanceof Deque) return 'list';
  if (value instanceof Stream) return 'stream';
  return 'zset';
}

export function isHash(value: Value): value is HashValue {
  return value instanceof Map;
}
export function isSet(value: Value): value is SetValue {
  return value instanceof Set;
}
export function isList(value: Value): value is ListValue {
  return value instanceof Deque;
}
export function isZSet(value: Value): value is ZSetValue {
  return value instanceof SortedSet;
}
export function isStream(value: Value): value is StreamValue {
  return value instanceof Stream;
}
