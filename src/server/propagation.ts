// Collects what a command changed, for replicas and the AOF, the way Redis's call() does:
// by default the command as received; a handler may rewrite it (SET EX -> SET PXAT,
// SPOP -> SREM, INCRBYFLOAT -> SET KEEPTTL) or add more (DEL of keys found expired).
// Everything collected during one top-level call leaves together when the call ends;
// more than one command leaves wrapped in MULTI/EXEC so replicas apply it atomically.

export interface PropagatedCommand {
  db: number;
  args: string[];
}

/** fromMasterStream: the commands came from our master; replication relays the raw stream instead. */
export type PropagationSink = (commands: readonly PropagatedCommand[], fromMasterStream: boolean) => void;

export class Propagation {
  private depth = 0;
  private pending: PropagatedCommand[] = [];
  /** Per nested call: the rewritten form set by the handler, or null for "as received". */
  private readonly rewrites: Array<PropagatedCommand[] | null> = [];
  private readonly sinks: PropagationSink[] = [];
  /** Set while replaying an AOF at start: nothing is re-propagated. */
  suppressed = false;
  /** Set while applying our master's stream: only the AOF takes these. */
  fromMasterStream = false;
  /**
   * The running top-level command may touch any key (SCAN, RANDOMKEY): the DELs of keys it found
   * expired leave one by one, not as a transaction (Redis's CMD_TOUCHES_ARBITRARY_KEYS).
   */
  private arbitraryKeys = false;

  /** Called by the dispatcher for a top-level command flagged touches-arbitrary-keys. */
  touchesArbitraryKeys(): void {
    if (this.depth === 1) this.arbitraryKeys = true;
  }

  addSink(sink: PropagationSink): void {
    this.sinks.push(sink);
  }

  get hasSinks(): boolean {
    return this.sinks.length > 0;
  }

  begin(): void {
    this.depth++;
    this.rewrites.push(null);
  }

  /** Propagate `args` in place of the current command (may be called several times to emit several). */
  rewrite(db: number, args: string[]): void {
    const top = this.rewrites.length - 1;
    if (top < 0) return;
    (this.rewrites[top] ??= []).push({ db, args });
  }

  /** Propagate nothing for the current command, even though it changed the dataset. */
  prevent(): void {
    const top = this.rewrites.length - 1;
    if (top >= 0) this.rewrites[top] = [];
  }

  /** Called by the dispatcher after a write changed the dataset. */
  addDefault(db: number, args: string[]): void {
    const rewritten = this.rewrites[this.rewrites.length - 1];
    if (rewritten) this.pending.push(...rewritten);
    else this.pending.push({ db, args });
  }

  /** A change made outside any command's own effects (an expired key's DEL): sent as soon as possible. */
  also(db: number, args: string[]): void {
    this.pending.push({ db, args });
    if (this.depth === 0) this.flush();
  }

  /** Commands collected so far in this top-level call (a script's redis.set_repl(REPL_NONE) drops its own). */
  get pendingCount(): number {
    return this.pending.length;
  }

  truncatePending(count: number): void {
    this.pending.length = Math.min(this.pending.length, count);
  }

  /** After a command threw: drop its half-collected state so later commands propagate normally. */
  recover(): void {
    this.depth = 0;
    this.rewrites.length = 0;
    this.pending = [];
    this.fromMasterStream = false;
  }

  end(): void {
    this.rewrites.pop();
    this.depth--;
    if (this.depth === 0) {
      if (this.pending.length > 0) this.flush();
      this.arbitraryKeys = false;
    }
  }

  private flush(): void {
    const commands = this.pending;
    this.pending = [];
    if (this.suppressed || this.sinks.length === 0) return;
    let out: PropagatedCommand[] = commands;
    if (commands.length > 1 && !this.arbitraryKeys) {
      const db = commands[0].db;
      out = [{ db, args: ['MULTI'] }, ...commands, { db: commands[commands.length - 1].db, args: ['EXEC'] }];
    }
    for (const sink of this.sinks) sink(out, this.fromMasterStream);
  }
}
