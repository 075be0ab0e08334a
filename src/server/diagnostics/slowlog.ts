// SLOWLOG: the commands that ran longer than slowlog-log-slower-than microseconds, newest first,
// capped at slowlog-max-len, each argument vector shortened as Redis 7.0's slowlog.c does.

/** Arguments kept per entry; the last kept slot says how many more there were. */
const MAX_ARGS = 32;
/** Characters kept per argument; the rest is summarised. */
const MAX_ARG_LENGTH = 128;

export interface SlowlogEntry {
  readonly id: number;
  /** Unix seconds when the command finished. */
  readonly time: number;
  readonly durationUsec: number;
  readonly args: readonly string[];
  /** ip:port of the client, as CLIENT LIST's addr. */
  readonly peer: string;
  readonly clientName: string;
}

export class SlowLog {
  private entries: SlowlogEntry[] = [];
  private nextId = 0;

  get length(): number {
    return this.entries.length;
  }

  add(args: readonly string[], durationUsec: number, nowMs: number, peer: string, clientName: string): void {
    this.entries.unshift({ id: this.nextId++, time: Math.floor(nowMs / 1000), durationUsec, args: shorten(args), peer, clientName });
  }

  /** Drops the oldest entries past `maxLength` (Redis trims at every command it considers). */
  trim(maxLength: number): void {
    if (this.entries.length > maxLength) this.entries.length = maxLength;
  }

  /** The newest `count` entries. */
  newest(count: number): readonly SlowlogEntry[] {
    return this.entries.slice(0, count);
  }

  reset(): void {
    this.entries = [];
  }
}

function shorten(args: readonly string[]): string[] {
  const kept = Math.min(args.length, MAX_ARGS);
  const out: string[] = [];
  for (let i = 0; i < kept; i++) {
    if (kept !== args.length && i === kept - 1) {
      out.push(`... (${args.length - kept + 1} more arguments)`);
    } else {
      const arg = args[i];
      out.push(arg.length > MAX_ARG_LENGTH ? `${arg.slice(0, MAX_ARG_LENGTH)}... (${arg.length - MAX_ARG_LENGTH} more bytes)` : arg);
    }
  }
  return out;
}
