// Random sampling over hashes and sets (HRANDFIELD, SRANDMEMBER, SPOP). JS Maps and Sets have no
// random access, so a single pick walks to a random position, and multi-element picks copy the
// collection to an array once.

export function randomIndex(length: number): number {
  return Math.floor(Math.random() * length);
}

/** One uniformly random element of a non-empty collection. */
export function randomElement<T>(collection: Iterable<T> & { size: number }): T {
  let skip = randomIndex(collection.size);
  for (const element of collection) {
    if (skip-- === 0) return element;
  }
  throw new Error('randomElement on an empty collection');
}

/** `count` distinct elements of `items` in random order (count <= items.length); reorders `items`. */
export function distinctSample<T>(items: T[], count: number): T[] {
  // Partial Fisher-Yates: the first `count` slots end up a uniform random sample.
  for (let i = 0; i < count; i++) {
    const j = i + randomIndex(items.length - i);
    const swap = items[i];
    items[i] = items[j];
    items[j] = swap;
  }
  items.length = count;
  return items;
}
