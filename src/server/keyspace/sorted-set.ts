// Sorted set: placeholder shape, replaced by the skiplist implementation of the zset group.

export class SortedSet {
  private readonly scores = new Map<string, number>();

  get size(): number {
    return this.scores.size;
  }

  score(member: string): number | undefined {
    return this.scores.get(member);
  }

  clone(): SortedSet {
    const copy = new SortedSet();
    for (const [member, score] of this.scores) copy.scores.set(member, score);
    return copy;
  }
}
