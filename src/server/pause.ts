// CLIENT PAUSE: holds clients' commands until a deadline or CLIENT UNPAUSE.
// In WRITE mode only commands that may change data wait (writes, PUBLISH, EVAL...), as in Redis 6.2+.
// Replication traffic is never paused, and neither are the master link or replicas.


const MAY_WRITE = new Set(['publish', 'eval', 'evalsha', 'fcall', 'pfcount', 'wait', 'spublish']);
/** setTimeout's longest delay: a longer one fires after 1 ms (TimeoutOverflowWarning). */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

export type PauseMode = 'all' | 'write';

/** A client as CLIENT PAUSE sees it: whether it is exempt, what it queued, and how to resume it. */
export interface PausableClient {
  readonly closed: boolean;
  readonly isMasterLink: boolean;
  readonly isReplica: boolean;
  readonly multi: ReadonlyArray<{ args: string[] }> | null;
  /** Runs the input held while paused. */
  processInput(): void;
}

export class PauseState {
  mode: PauseMode | null = null;
  until = 0;
  private readonly held = new Set<PausableClient>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly now: () => number,
    private readonly isWriteCommand: (name: string) => boolean,
  ) {}

  get active(): boolean {
    return this.mode !== null;
  }

  pause(mode: PauseMode, ms: number): void {
    // The stricter mode and the later deadline win over an existing pause, as in Redis.
    if (this.mode !== 'all') this.mode = mode;
    this.until = Math.max(this.until, this.now() + ms);
    this.schedule();
  }

  unpause(): void {
    this.mode = null;
    this.until = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const clients = [...this.held];
    this.held.clear();
    for (const client of clients) if (!client.closed) client.processInput();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    // FAILOVER pauses with no deadline of its own: wake up at most every ~24.8 days to look again.
    const delay = Math.min(MAX_TIMER_DELAY, Math.max(0, this.until - this.now()));
    this.timer = setTimeout(() => {
      if (this.now() >= this.until) this.unpause();
      else this.schedule();
    }, delay);
    this.timer.unref?.();
  }

  shouldHold(client: PausableClient, args: string[]): boolean {
    if (this.mode === null || client.isMasterLink || client.isReplica) return false;
    if (this.now() >= this.until) {
      this.unpause();
      return false;
    }
    if (this.mode === 'all') return true;
    const name = args[0].toLowerCase();
    if (name === 'exec' && client.multi) {
      return client.multi.some((q) => this.isWriteCommand(q.args[0].toLowerCase()) || MAY_WRITE.has(q.args[0].toLowerCase()));
    }
    if (client.multi) return false;
    return this.isWriteCommand(name) || MAY_WRITE.has(name);
  }

  hold(client: PausableClient): void {
    this.held.add(client);
  }

  release(client: PausableClient): void {
    this.held.delete(client);
  }

  /** Remaining pause in ms, for INFO / FAILOVER. */
  remaining(): number {
    return this.mode === null ? 0 : Math.max(0, this.until - this.now());
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
