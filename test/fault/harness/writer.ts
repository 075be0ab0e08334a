// A write load on the master that remembers every write the master acknowledged, so a scenario
// can count acknowledged writes missing from each node at the end (the data loss).
//
// Each step n is one pipeline: `HSET ack:<n % 64> <n> <payload>` is the counted write (a field
// per step, never overwritten); around it go writes of every other type, in two databases, with
// relative expirations and deletions, so the final key-by-key comparison checks the whole stream.

import type Redis from 'ioredis';
import type { DumpedKey } from '../../helpers/keyspace-dump';

const ACK_BUCKETS = 64;

export interface WriterOptions {
  /** Bytes of the counted value (sets how fast the replication stream grows). */
  payloadBytes?: number;
  /** Pause between steps, to keep a cut within the backlog; 0 writes as fast as the master answers. */
  pauseMs?: number;
  /** Each step as one MULTI/EXEC transaction (the master propagates it wrapped the same way). */
  transactions?: boolean;
}

export class AckedWriter {
  readonly acked = new Set<number>();
  errors = 0;
  lastError = '';
  private next = 0;
  private stopping = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly client: Redis,
    private readonly options: WriterOptions = {},
  ) {}

  start(): this {
    this.loop = this.run();
    return this;
  }

  /** Stops after the step in flight; resolves when it is answered. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
  }

  get steps(): number {
    return this.next;
  }

  private async run(): Promise<void> {
    const payloadBytes = this.options.payloadBytes ?? 64;
    const pauseMs = this.options.pauseMs ?? 0;
    while (!this.stopping) {
      const n = this.next++;
      const payload = `${n}:`.padEnd(payloadBytes, String.fromCharCode(97 + (n % 26)));
      const p = this.options.transactions ? this.client.multi() : this.client.pipeline();
      p.hset(`ack:${n % ACK_BUCKETS}`, String(n), payload);
      p.rpush('log', String(n));
      p.incr('counter');
      p.zadd('scores', String(n % 97), `m${n % 500}`);
      p.set(`tmp:${n % 20}`, String(n), 'PX', 600_000);
      if (n % 7 === 0) p.del(`tmp:${(n + 3) % 20}`);
      if (n % 5 === 0) p.sadd(`set:${n % 3}`, String(n));
      if (n % 11 === 0) p.expire(`set:${n % 3}`, 100_000);
      if (n % 9 === 0) p.lpop('log');
      if (!this.options.transactions) {
        // SELECT inside MULTI would leave the connection in db 2 if the transaction were discarded.
        p.select(2);
        p.hincrby('db2:hash', `f${n % 10}`, 1);
        p.select(0);
      }
      try {
        const results = (await p.exec()) ?? [];
        const [hsetError] = results[0] ?? [new Error('no reply')];
        if (hsetError) throw hsetError;
        this.acked.add(n);
        const failed = results.find(([error]) => error);
        if (failed) throw failed[0];
      } catch (error) {
        this.errors++;
        this.lastError = (error as Error).message;
      }
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }

  /** Acknowledged steps whose counted write is not in a node's dump. */
  missingIn(dump: Record<string, Record<string, DumpedKey>>): number[] {
    const db0 = dump['0'] ?? {};
    const missing: number[] = [];
    for (const n of this.acked) {
      const bucket = db0[`ack:${n % ACK_BUCKETS}`];
      const fields = bucket && bucket.type === 'hash' ? (bucket.value as Record<string, string>) : {};
      if (!(String(n) in fields)) missing.push(n);
    }
    return missing.sort((a, b) => a - b);
  }
}
