// Consumer groups of a stream, as Redis keeps them: per group its last delivered ID, its
// entries-read counter (-1 when unknown), the pending entries list (PEL: ID -> owner, delivery
// time and count) and its consumers, each with its own PEL. Groups and consumers are listed in
// name order (Redis's rax sorts them bytewise), PELs in ID order.

import type { StreamId } from './stream-id';

export interface PendingEntry {
  readonly id: StreamId;
  consumer: Consumer;
  deliveryTime: number;
  deliveryCount: number;
}

export interface Consumer {
  readonly name: string;
  seenTime: number;
  readonly pending: Map<string, PendingEntry>;
}

export const INVALID_ENTRIES_READ = -1n;

export function pelKey(id: StreamId): string {
  return id.ms.toString(16).padStart(16, '0') + id.seq.toString(16).padStart(16, '0');
}

export class ConsumerGroup {
  readonly pending = new Map<string, PendingEntry>();
  readonly consumers = new Map<string, Consumer>();

  constructor(
    readonly name: string,
    public lastId: StreamId,
    public entriesRead: bigint,
  ) {}

  /** Creates the consumer; null when it exists. */
  createConsumer(name: string, now: number): Consumer | null {
    if (this.consumers.has(name)) return null;
    const consumer: Consumer = { name, seenTime: now, pending: new Map() };
    this.consumers.set(name, consumer);
    return consumer;
  }

  /** Deletes a consumer and its pending entries; returns how many it had. */
  deleteConsumer(consumer: Consumer): number {
    for (const key of consumer.pending.keys()) this.pending.delete(key);
    this.consumers.delete(consumer.name);
    return consumer.pending.size;
  }

  /** The group's PEL in ID order. */
  sortedPending(): PendingEntry[] {
    return sortPending(this.pending);
  }

  sortedConsumers(): Consumer[] {
    return [...this.consumers.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  clone(): ConsumerGroup {
    const copy = new ConsumerGroup(this.name, this.lastId, this.entriesRead);
    for (const consumer of this.consumers.values()) {
      copy.consumers.set(consumer.name, { name: consumer.name, seenTime: consumer.seenTime, pending: new Map() });
    }
    for (const [key, entry] of this.pending) {
      const owner = copy.consumers.get(entry.consumer.name) as Consumer;
      const pending = { ...entry, consumer: owner };
      copy.pending.set(key, pending);
      owner.pending.set(key, pending);
    }
    return copy;
  }
}

export function sortPending(pel: Map<string, PendingEntry>): PendingEntry[] {
  return [...pel.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, entry]) => entry);
}

export function sortedGroups(groups: Map<string, ConsumerGroup>): ConsumerGroup[] {
  return [...groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
