// Clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN, ...), as Redis 7.0's blocked.c keeps them:
// per key a FIFO of waiting clients; a key that may now serve someone is marked ready, and ready
// keys are served after the command (or the whole EXEC) that made them ready, in the order they
// became ready. A key made ready while serving (BLMOVE's destination) is served in the same pass.
// What "serving" means (which pop, which reply, what to propagate) belongs to the command.

/** What the waiting list needs of a client (context.ts's Client), kept here so that this module imports nothing back. */
export interface BlockableClient {
  readonly dbIndex: number;
  blocked: boolean;
  readonly reply: { error(text: string): void };
  unblock(): void;
}

/**
 * What a waiting command does when one of its keys may have data: true once it replied; false
 * stops the round (the key is drained); 'pass' lets the waiters behind it try (a stream reader
 * waiting for IDs past the new entries leaves the stream to the others).
 */
export type ServeAttempt = (key: string) => boolean | 'pass';

/** How a wait ends from outside: its timeout (or CLIENT UNBLOCK TIMEOUT), or an error reply. */
export type UnblockReason = { kind: 'timeout' } | { kind: 'error'; text: string };

interface Waiter<Client extends BlockableClient> {
  readonly client: Client;
  readonly ids: readonly string[];
  readonly serve: ServeAttempt;
  readonly onTimeout: () => void;
  timer: NodeJS.Timeout | null;
}

/** setTimeout's longest delay; a wait past it re-arms (a timeout days away is rare but legal). */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

export class BlockedKeys<Client extends BlockableClient> {
  /** "db\0key" -> waiting clients, first blocked first. */
  private readonly waiting = new Map<string, Waiter<Client>[]>();
  private readonly byClient = new Map<Client, Waiter<Client>>();
  /** Keys that may serve a waiter, in the order they became so. */
  private ready: string[] = [];
  private readonly readySet = new Set<string>();
  private serving = false;

  /**
   * `asServed` runs a serve attempt as the served client's own command, so what that command
   * owes the client itself (a tracking invalidation) follows its reply, as in Redis.
   */
  constructor(
    private readonly now: () => number,
    private readonly asServed: <T>(client: Client, serve: () => T) => T = (_client, serve) => serve(),
  ) {}

  /** INFO blocked_clients. */
  get count(): number {
    return this.byClient.size;
  }

  /** INFO clients_in_timeout_table: waiters with a deadline. */
  get withTimeout(): number {
    let count = 0;
    for (const waiter of this.byClient.values()) if (waiter.timer) count++;
    return count;
  }

  /**
   * Parks the client on keys of its current database until one can serve it, `deadline` passes
   * (epoch ms; 0 waits forever), or it is unblocked from outside.
   */
  block(client: Client, keys: readonly string[], deadline: number, serve: ServeAttempt, onTimeout: () => void): void {
    const ids = [...new Set(keys)].map((key) => client.dbIndex + '\0' + key);
    const waiter: Waiter<Client> = { client, ids, serve, onTimeout, timer: null };
    for (const id of ids) {
      let queue = this.waiting.get(id);
      if (!queue) this.waiting.set(id, (queue = []));
      queue.push(waiter);
    }
    this.byClient.set(client, waiter);
    client.blocked = true;
    if (deadline > 0) this.arm(waiter, deadline);
  }

  private arm(waiter: Waiter<Client>, deadline: number): void {
    const delay = Math.max(0, deadline - this.now());
    waiter.timer = setTimeout(() => {
      if (this.now() < deadline) return this.arm(waiter, deadline);
      this.end(waiter.client, { kind: 'timeout' });
    }, Math.min(delay, MAX_TIMER_DELAY));
  }

  /** A key changed: when someone waits on it, it is served after the current command. */
  signal(db: number, key: string): void {
    if (this.waiting.size === 0) return;
    const id = db + '\0' + key;
    if (!this.waiting.has(id) || this.readySet.has(id)) return;
    this.readySet.add(id);
    this.ready.push(id);
  }

  /**
   * A database's contents changed wholesale (SWAPDB, or only the keys `which` picks: a flush): the
   * keys waited on in it may serve now.
   */
  signalDb(db: number, which: (key: string) => boolean = () => true): void {
    const prefix = db + '\0';
    for (const id of this.waiting.keys()) {
      if (!id.startsWith(prefix) || this.readySet.has(id) || !which(id.slice(prefix.length))) continue;
      this.readySet.add(id);
      this.ready.push(id);
    }
  }

  /** Serves the ready keys: run by the dispatcher after each top-level command. */
  serveReady(): void {
    if (this.serving || this.ready.length === 0) return;
    this.serving = true;
    try {
      while (this.ready.length > 0) {
        const batch = this.ready;
        this.ready = [];
        this.readySet.clear();
        for (const id of batch) this.serveKey(id);
      }
    } finally {
      this.serving = false;
    }
  }

  private serveKey(id: string): void {
    const queue = this.waiting.get(id);
    if (!queue) return;
    const key = id.slice(id.indexOf('\0') + 1);
    // First blocked, first served; each serve may empty the key, which stops the round.
    for (const waiter of [...queue]) {
      if (!this.byClient.has(waiter.client)) continue;
      const served = this.asServed(waiter.client, () => waiter.serve(key));
      if (served === 'pass') continue;
      if (!served) break;
      this.release(waiter);
      waiter.client.unblock();
    }
  }

  /** Ends a wait from outside; false when the client was not blocked on keys. */
  end(client: Client, reason: UnblockReason): boolean {
    const waiter = this.byClient.get(client);
    if (!waiter) return false;
    this.release(waiter);
    this.asServed(client, () => {
      if (reason.kind === 'timeout') waiter.onTimeout();
      else client.reply.error(reason.text);
    });
    client.unblock();
    return true;
  }

  isBlocked(client: Client): boolean {
    return this.byClient.has(client);
  }

  /** The connection closed: forget it without replying. */
  forget(client: Client): void {
    const waiter = this.byClient.get(client);
    if (waiter) this.release(waiter);
  }

  /** Every blocked client, for unblocking all of them (the node turning into a replica). */
  clients(): Client[] {
    return [...this.byClient.keys()];
  }

  private release(waiter: Waiter<Client>): void {
    this.byClient.delete(waiter.client);
    if (waiter.timer) clearTimeout(waiter.timer);
    waiter.timer = null;
    for (const id of waiter.ids) {
      const queue = this.waiting.get(id);
      if (!queue) continue;
      const at = queue.indexOf(waiter);
      if (at !== -1) queue.splice(at, 1);
      if (queue.length === 0) this.waiting.delete(id);
    }
  }

  stop(): void {
    for (const waiter of this.byClient.values()) if (waiter.timer) clearTimeout(waiter.timer);
  }
}
