// Server-assisted client-side caching (CLIENT TRACKING), as Redis 7.0's tracking.c does it.
//
// Default mode: the keys a tracking client reads are remembered (key -> client ids, one table for
// every database, as in Redis); the first change to such a key sends those clients one
// invalidation and forgets the key. BCAST mode: clients subscribe to key prefixes instead, and
// every change to a matching key is collected and broadcast once per event-loop turn.
// An invalidation goes to the client itself as a RESP3 push (["invalidate", [keys]]), or to the
// client it redirects to: a RESP3 push there too, or a Pub/Sub message on __redis__:invalidate
// when that client is a RESP2 subscriber. A client that runs the command changing its own tracked
// key gets the invalidation after the command's reply, never inside it.

export const INVALIDATE_CHANNEL = '__redis__:invalidate';

/** What tracking needs of a connection (context.ts's Client). */
export interface TrackedClient {
  readonly id: number;
  readonly closed: boolean;
  readonly inPubSub: boolean;
  readonly reply: { readonly resp: 2 | 3; raw(encoded: string): void; pushing(write: () => void): void };
  sendNow(encoded: string): void;
}

export interface TrackingOptions {
  /** Client id the invalidations go to; 0: this connection. */
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  prefixes: readonly string[];
}

interface TrackingState extends TrackingOptions {
  /** CLIENT CACHING yes (OPTIN) / no (OPTOUT) for the next command. */
  caching: boolean;
  /** The redirect target was gone when an invalidation was due. */
  brokenRedirect: boolean;
}

interface PrefixState {
  readonly clients: Set<number>;
  /** Keys changed since the last broadcast, with the id of the client that changed each (NOLOOP). */
  changed: Map<string, number | null>;
}

/** Byte order, as Redis's radix trees iterate keys and prefixes (strings are latin1). */
const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const bulk = (text: string) => `$${text.length}\r\n${text}\r\n`;

/**
 * [keys] as a RESP array, or a null for a flush (everything is invalid): Redis writes the null of
 * the tracking client's protocol, even when the message goes to a redirect target.
 */
function keysPayload(keys: readonly string[] | null, trackingResp: 2 | 3): string {
  if (keys === null) return trackingResp === 3 ? '_\r\n' : '$-1\r\n';
  return `*${keys.length}\r\n${keys.map(bulk).join('')}`;
}

export class ClientTracking<Client extends TrackedClient> {
  private readonly states = new Map<number, TrackingState>();
  /** key -> ids of the clients that read it. */
  private readonly table = new Map<string, Set<number>>();
  private totalItems = 0;
  private readonly prefixes = new Map<string, PrefixState>();
  /** Nesting of commands running (EXEC runs its queued commands inside its own). */
  private depth = 0;
  private current: Client | null = null;
  /** Invalidations owed to the running client, sent after its reply (null: a flush). */
  private owed: Array<string | null> = [];
  private flushedDuringCommand = false;
  private flushQueued = false;
  /** Rounds in a row that ended still over tracking-table-max-keys: each tries harder. */
  private overLimitRounds = 0;
  private broadcastScheduled = false;

  constructor(private readonly lookup: (id: number) => Client | undefined) {}

  /** INFO: tracking_clients. */
  get clientCount(): number {
    return this.states.size;
  }
  /** INFO: tracking_total_keys, tracking_total_items, tracking_total_prefixes. */
  get totalKeys(): number {
    return this.table.size;
  }
  get itemCount(): number {
    return this.totalItems;
  }
  get prefixCount(): number {
    return this.prefixes.size;
  }

  stateOf(client: Client): Readonly<TrackingState> | undefined {
    return this.states.get(client.id);
  }

  /** CLIENT TRACKING ON: options were validated by the command. */
  enable(client: Client, options: TrackingOptions): void {
    const previous = this.states.get(client.id);
    const prefixes = options.bcast ? [...(previous?.bcast ? previous.prefixes : []), ...(options.prefixes.length === 0 ? [''] : options.prefixes)] : [];
    const unique = [...new Set(prefixes)].sort(byteOrder);
    this.states.set(client.id, { ...options, prefixes: unique, caching: false, brokenRedirect: false });
    for (const prefix of unique) {
      let state = this.prefixes.get(prefix);
      if (!state) this.prefixes.set(prefix, (state = { clients: new Set(), changed: new Map() }));
      state.clients.add(client.id);
    }
  }

  /** CLIENT TRACKING OFF, or the connection closed. Keys it read stay in the table, as in Redis. */
  disable(client: { readonly id: number }): void {
    const state = this.states.get(client.id);
    if (!state) return;
    for (const prefix of state.prefixes) {
      const prefixState = this.prefixes.get(prefix);
      prefixState?.clients.delete(client.id);
      if (prefixState && prefixState.clients.size === 0) this.prefixes.delete(prefix);
    }
    this.states.delete(client.id);
  }

  /** CLIENT CACHING yes|no: applies to the next command (or the next transaction). */
  setCaching(client: Client): void {
    const state = this.states.get(client.id);
    if (state) state.caching = true;
  }

  beginCommand(client: Client): void {
    if (this.depth++ === 0) this.current = client;
  }

  /**
   * After a command: a read-only one remembers its keys for a default-mode tracking client; at
   * the outermost level the CACHING flag expires (unless a transaction is open or the command was
   * CLIENT ...) and what the client is owed is sent after its reply.
   */
  endCommand(client: Client, readOnlyKeys: (() => readonly string[]) | null, keepsCaching: boolean): void {
    const state = this.states.get(client.id);
    if (state && readOnlyKeys && !state.bcast && !((state.optin && !state.caching) || (state.optout && state.caching))) {
      for (const key of readOnlyKeys()) this.remember(client.id, key);
    }
    if (--this.depth > 0) return;
    this.current = null;
    this.flushedDuringCommand = false;
    if (state && !keepsCaching) state.caching = false;
    if (this.owed.length > 0) {
      const owed = this.owed;
      this.owed = [];
      for (const key of owed) if (!client.closed) this.send(client, key === null ? null : [key], true);
    }
  }

  private remember(id: number, key: string): void {
    let ids = this.table.get(key);
    if (!ids) this.table.set(key, (ids = new Set()));
    if (!ids.has(id)) {
      ids.add(id);
      this.totalItems++;
    }
  }

  /**
   * tracking-table-max-keys (0: no cap): over it, keys are invalidated as if they changed until the
   * table fits, with an effort that grows while it keeps not fitting (Redis's trackingLimitUsedSlots;
   * Redis picks them by a random walk, the node oldest first).
   */
  limit(maxKeys: number): void {
    if (maxKeys === 0 || this.table.size <= maxKeys) {
      this.overLimitRounds = 0;
      return;
    }
    let effort = 100 * (this.overLimitRounds + 1);
    for (const key of this.table.keys()) {
      if (effort-- <= 0) break;
      this.invalidateKey(key, null);
      if (this.table.size <= maxKeys) {
        this.overLimitRounds = 0;
        return;
      }
    }
    this.overLimitRounds++;
  }

  /**
   * A key changed (any database): its readers get one invalidation, matching prefixes collect it.
   * A key deleted because it expired was changed by the server, not by the client whose lookup
   * found it expired: BCAST's NOLOOP does not hold it back (Redis passes no client for it), while
   * the default mode's NOLOOP still compares with the running client, as Redis's does.
   */
  invalidate(key: string, byExpiry = false): void {
    if (this.states.size === 0 && this.table.size === 0) return;
    const changer = this.current;
    if (this.prefixes.size > 0) this.collectForBroadcast(key, byExpiry ? null : (changer?.id ?? null));
    this.invalidateKey(key, changer);
  }

  private invalidateKey(key: string, changer: Client | null): void {
    const ids = this.table.get(key);
    if (!ids) return;
    this.table.delete(key);
    this.totalItems -= ids.size;
    for (const id of ids) {
      const state = this.states.get(id);
      // Tracking off (or in BCAST mode now): the id stays in the table until the key changes.
      if (!state || state.bcast) continue;
      if (state.noloop && changer?.id === id) continue;
      const target = this.lookup(id);
      if (!target || target.closed) continue;
      if (target === changer) this.owed.push(key);
      else this.send(target, [key], false);
    }
  }

  /** FLUSHDB / FLUSHALL: every tracking client learns that everything is invalid. */
  flushAll(): void {
    this.table.clear();
    this.totalItems = 0;
    // One flush per command, though FLUSHALL empties every database; outside a command (a full
    // sync emptying every database) one per turn of the event loop.
    if (this.depth > 0) {
      if (this.flushedDuringCommand) return;
      this.flushedDuringCommand = true;
    } else {
      if (this.flushQueued) return;
      this.flushQueued = true;
      queueMicrotask(() => {
        this.flushQueued = false;
        this.sendFlushes();
      });
      return;
    }
    this.sendFlushes();
  }

  private sendFlushes(): void {
    for (const id of this.states.keys()) {
      const target = this.lookup(id);
      if (!target || target.closed) continue;
      if (target === this.current) this.owed.push(null);
      else this.send(target, null, false);
    }
  }

  private collectForBroadcast(key: string, changer: number | null): void {
    for (const [prefix, state] of this.prefixes) {
      if (!key.startsWith(prefix)) continue;
      state.changed.set(key, changer);
      this.scheduleBroadcast();
    }
  }

  private scheduleBroadcast(): void {
    if (this.broadcastScheduled) return;
    this.broadcastScheduled = true;
    // Redis broadcasts in beforeSleep, once per event-loop turn, in key order (its radix tree).
    setImmediate(() => {
      this.broadcastScheduled = false;
      this.broadcast();
    });
  }

  broadcast(): void {
    for (const prefix of [...this.prefixes.keys()].sort(byteOrder)) {
      const state = this.prefixes.get(prefix) as PrefixState;
      if (state.changed.size === 0) continue;
      const changed = [...state.changed].sort(([a], [b]) => byteOrder(a, b));
      state.changed = new Map();
      for (const id of state.clients) {
        const target = this.lookup(id);
        const tracking = this.states.get(id);
        if (!target || target.closed || !tracking) continue;
        const keys = changed.filter(([, changer]) => !(tracking.noloop && changer === id)).map(([key]) => key);
        if (keys.length > 0) this.send(target, keys, false);
      }
    }
  }

  /** Sends one invalidation for `client`'s tracking, where its redirect says. */
  private send(client: Client, keys: readonly string[] | null, afterReply: boolean): void {
    const state = this.states.get(client.id);
    let target: Client = client;
    if (state && state.redirect !== 0) {
      const redirected = this.lookup(state.redirect);
      if (!redirected || redirected.closed) {
        state.brokenRedirect = true;
        if (client.reply.resp === 3) this.write(client, `>2\r\n${bulk('tracking-redir-broken')}:${state.redirect}\r\n`, afterReply);
        return;
      }
      target = redirected;
    }
    const payload = keysPayload(keys, client.reply.resp);
    if (target.reply.resp === 3) {
      this.write(target, `>2\r\n${bulk('invalidate')}${payload}`, afterReply && target === client);
    } else if (target !== client && target.inPubSub) {
      this.write(target, `*3\r\n${bulk('message')}${bulk(INVALIDATE_CHANNEL)}${payload}`, false);
    }
    // A RESP2 connection without a redirect cannot receive pushes: nothing is sent.
  }

  private write(target: Client, encoded: string, intoReply: boolean): void {
    // A push: written even when the client turned its replies off.
    if (intoReply) target.reply.pushing(() => target.reply.raw(encoded));
    else target.sendNow(encoded);
  }
}
