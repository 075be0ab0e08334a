// A write load as an application under Redis Sentinel runs it: ioredis finds the master through
// the sentinels, every write is awaited, and each acknowledged one is recorded with its time, so
// that a switch of master can be judged by what the client was promised (lost writes, the longest
// gap) and by what it was told (the errors). Shared by test/sentinel/ and bench/sentinel.ts.

import Redis, { type RedisOptions } from 'ioredis';
import { performance } from 'node:perf_hooks';

export interface SentinelClientOptions {
  sentinels: Array<{ host: string; port: number }>;
  name: string;
  sentinelPassword?: string;
  password?: string;
  /**
   * tuned: what ioredis' documentation suggests for fast failover (it follows +switch-master, and
   * reconnects on READONLY); defaults: the same connection settings and nothing else, as many
   * applications run it.
   */
  profile: 'tuned' | 'defaults';
}

/** An ioredis client that asks the sentinels for the master (and checks its ROLE) on every (re)connect. */
export function sentinelClient(options: SentinelClientOptions): Redis {
  const base: RedisOptions = {
    sentinels: options.sentinels,
    name: options.name,
    sentinelPassword: options.sentinelPassword,
    password: options.password,
  };
  const tuned: RedisOptions = {
    // Without it, a client stays on the old master until that connection breaks: after Sentinel's
    // own failover, the old master keeps accepting writes for seconds before Sentinel demotes it.
    failoverDetector: true,
    // A demoted master keeps its connections open and answers every write with READONLY: without
    // a reconnect the client never asks the sentinels again. 1: fail this command, then reconnect
    // (2 would resend it; the load counts it as an error and moves on to its next key instead).
    reconnectOnError: (error) => error.message.startsWith('READONLY'),
    // The default (min(n*50, 2000) ms) waits up to 2 s between attempts; a switch over loopback
    // takes tens of ms, so retry often but not in a tight loop.
    retryStrategy: (times) => Math.min(times * 20, 200),
    sentinelRetryStrategy: (times) => Math.min(times * 20, 500),
  };
  const client = new Redis(options.profile === 'tuned' ? { ...base, ...tuned } : base);
  // Errors also reach the command that failed; the 'error' event only needs a listener so that
  // ioredis does not print them.
  client.on('error', () => {});
  return client;
}

export interface AckedWrite {
  key: string;
  /** The value the key must hold on the master: the SET's value, or what the INCR answered. */
  value: string;
  /** performance.now() when the reply arrived. */
  at: number;
}

export interface ErrorKind {
  kind: string;
  count: number;
  /** One full message of this kind, as the client saw it. */
  example: string;
  firstAt: number;
  lastAt: number;
}

/** Groups error messages that differ only in numbers, addresses or a trailing detail. */
export function errorKind(message: string): string {
  const code = /^([A-Z][A-Z_]+) /.exec(message)?.[1];
  if (code) return code;
  return message
    .replace(/\d+\.\d+\.\d+\.\d+:\d+/g, 'HOST:PORT')
    .replace(/\d+/g, 'N')
    .slice(0, 80);
}

/**
 * Writes one key at a time, alternating SET key value and INCR key (unique keys: every write
 * is a new key), with a short rest between writes. It never stops on an error: the failed write
 * is counted and the next key is tried.
 */
export class AckedWriteLoad {
  readonly acked: AckedWrite[] = [];
  private readonly errorKinds = new Map<string, ErrorKind>();
  private running = true;
  private seq = 0;
  private readonly done: Promise<void>;

  constructor(
    readonly client: Redis,
    private readonly prefix: string,
    private readonly restMs = 1,
  ) {
    this.done = this.loop();
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const n = this.seq++;
      const key = `${this.prefix}:${n}`;
      try {
        if (n % 2 === 0) {
          const value = `v${n}`;
          await this.client.set(key, value);
          this.acked.push({ key, value, at: performance.now() });
        } else {
          const reply = await this.client.incr(key);
          this.acked.push({ key, value: String(reply), at: performance.now() });
          // ioredis resends the commands in flight when a connection breaks: an INCR applied before
          // the break is applied again. Not a lost write, but the application was told 2.
          if (reply !== 1) this.noteError(`INCR of the fresh key ${key} answered ${reply}`, 'INCR applied twice');
        }
      } catch (error) {
        this.noteError((error as Error).message);
      }
      await new Promise((resolve) => setTimeout(resolve, this.restMs));
    }
  }

  private noteError(message: string, kind = errorKind(message)): void {
    const now = performance.now();
    const known = this.errorKinds.get(kind);
    if (known) {
      known.count++;
      known.lastAt = now;
    } else {
      this.errorKinds.set(kind, { kind, count: 1, example: message, firstAt: now, lastAt: now });
    }
  }

  /** Errors by kind, most frequent first. */
  errors(): ErrorKind[] {
    return [...this.errorKinds.values()].sort((a, b) => b.count - a.count);
  }

  errorCount(): number {
    let total = 0;
    for (const kind of this.errorKinds.values()) total += kind.count;
    return total;
  }

  /** The longest time in [from, to] without an acknowledged write (the edges count: a load still stuck at `to` shows). */
  longestGap(from: number, to: number): number {
    let previous = from;
    let longest = 0;
    for (let i = this.indexAfter(from); i < this.acked.length && this.acked[i].at <= to; i++) {
      longest = Math.max(longest, this.acked[i].at - previous);
      previous = this.acked[i].at;
    }
    return Math.max(longest, to - previous);
  }

  /** The first acknowledged write after `at`, or null. */
  firstAckAfter(at: number): AckedWrite | null {
    return this.acked[this.indexAfter(at)] ?? null;
  }

  /** The index of the first write acknowledged after `at` (acked is in time order). */
  private indexAfter(at: number): number {
    let low = 0;
    let high = this.acked.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.acked[middle].at <= at) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
    this.client.disconnect();
  }
}

/** Acknowledged writes that `reader` (a direct connection to the master) does not hold: missing, or with another value. */
export async function checkAcked(reader: Redis, acked: readonly AckedWrite[]): Promise<{ missing: AckedWrite[]; wrong: Array<AckedWrite & { found: string }> }> {
  const missing: AckedWrite[] = [];
  const wrong: Array<AckedWrite & { found: string }> = [];
  for (let i = 0; i < acked.length; i += 2000) {
    const batch = acked.slice(i, i + 2000);
    const values = await reader.mget(...batch.map((write) => write.key));
    batch.forEach((write, j) => {
      const found = values[j];
      if (found === null) missing.push(write);
      else if (found !== write.value) wrong.push({ ...write, found });
    });
  }
  return { missing, wrong };
}
