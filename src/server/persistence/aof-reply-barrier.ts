// Replies wait for the AOF, the way Redis orders its beforeSleep: flushAppendOnlyFile (write, and
// fsync under appendfsync always) runs before handleClientsWithPendingWrites. Doing it per client
// would cost one fsync per reply; instead every reply produced during one event-loop turn waits
// for a single write + fsync at the end of that turn (setImmediate runs after the poll phase that
// read all ready sockets), so one fsync acknowledges the writes of every client at once.
//
// A reply to a read waits too when a write is pending in the same turn: it may show that write,
// and a client must never see data that a crash can take back.

/** The AOF as the barrier sees it (persistence/aof.ts): whether writes wait, and how to write them. */
export interface PendingAofWrites {
  readonly hasUnwrittenCommands: boolean;
  /** Writes (and fsyncs, under appendfsync always) every pending command. */
  writePending(): void;
}

export interface ReplyWaiter {
  /** Sends what the client has buffered (the AOF now holds every write it acknowledges). */
  sendBuffered(): void;
}

export class AofReplyBarrier {
  private readonly waiting = new Set<ReplyWaiter>();
  private releaseScheduled = false;

  constructor(private readonly aof: PendingAofWrites) {}

  /** True when a reply produced now would acknowledge a write that is not in the AOF yet. */
  holdsReplies(): boolean {
    return this.releaseScheduled || this.aof.hasUnwrittenCommands;
  }

  /** Sends `waiter`'s output once this turn's AOF write (and fsync) is done. */
  sendAfterWrite(waiter: ReplyWaiter): void {
    this.waiting.add(waiter);
    if (this.releaseScheduled) return;
    this.releaseScheduled = true;
    setImmediate(() => this.release());
  }

  /** Writes (and fsyncs) everything pending, then lets the held replies go. */
  private release(): void {
    this.releaseScheduled = false;
    // On a failed write under appendfsync always the node exits inside writePending; otherwise the
    // commands stay pending for the next try and the writes already done are answered, as in Redis.
    this.aof.writePending();
    const waiters = [...this.waiting];
    this.waiting.clear();
    for (const waiter of waiters) waiter.sendBuffered();
  }
}
