// Deep copies of values (COPY, and the old values a snapshot keeps). Apart from the value types
// because a copy must also carry its source's encoding, which keyspace/encodings.ts remembers.

import { Deque } from './deque';
import { preserveEncoding } from './encodings';
import type { Value } from './values';

export function cloneValue(value: Value): Value {
  if (typeof value === 'string') return value;
  // A copy keeps the encoding of its source: Redis never converts a hash table back to a listpack.
  if (value instanceof Map) {
    const copy = new Map(value);
    preserveEncoding(value, copy);
    return copy;
  }
  if (value instanceof Set) {
    const copy = new Set(value);
    preserveEncoding(value, copy);
    return copy;
  }
  if (value instanceof Deque) return Deque.from(value.toArray());
  return value.clone();
}
