// What a command handler may touch of its client and of the server. Handlers see the node only
// through these interfaces, so the command groups sit below the client, the dispatcher and the
// server that implement them (client.ts, server.ts) and never import them.

import type { BlockedKeys } from './blocking';
import type { Clock } from './clock';
import type { ConfigStore } from './config';
import type { Db } from './keyspace/db';
import type { KeyspaceEvents } from './keyspace-events';
import type { SlowLog } from './diagnostics/slowlog';
import type { ClientTracking } from './tracking';
import type { LatencyMonitor } from './diagnostics/latency';
import type { Monitors } from './diagnostics/monitor';
import type { Logger } from './log';
import type { PauseState } from './pause';
import type { Propagation } from './propagation';
import type { PubSub, Subscriber } from './pubsub';
import type { ReplyBuffer } from './resp/reply';
import type { ServerStats } from './stats';
import type { ServerMemory } from './memory/server-memory';

/** A command queued by MULTI, run by EXEC. */
export interface QueuedCommand {
  args: string[];
}

/** Any connected client as CLIENT LIST and CLIENT KILL see it. */
export interface ClientIdentity {
  readonly id: number;
  readonly address: string;
  readonly localAddress: string;
  readonly localPort: number;
  readonly user: string;
  readonly isMasterLink: boolean;
  readonly isReplica: boolean;
  readonly inPubSub: boolean;
  /** One line of CLIENT LIST. */
  describe(): string;
  close(): void;
}

/** The client a command runs for: its reply, its session state and the server behind it. */
export interface CommandContext extends ClientIdentity, Subscriber {
  readonly server: ServerContext;
  readonly reply: ReplyBuffer;
  dbIndex: number;
  readonly db: Db;
  name: string;
  user: string;
  authenticated: boolean;
  /** Connected from the loopback interface, or the node's own client with no socket. */
  readonly isLocal: boolean;
  readonly closed: boolean;
  closeAfterReply: boolean;
  replyMode: 'on' | 'off' | 'skip';
  /** Set by a blocking command (WAIT): no further command runs until unblock(). */
  blocked: boolean;
  /** The client redis.call runs commands on (Redis's CLIENT_SCRIPT). */
  readonly isScript?: boolean;
  /** For that client: whoever ran the script, whom client-side caching tracks the script's reads for. */
  readonly scriptCaller?: CommandContext | null;
  /** And the keys the script declared (EVAL's KEYS, FCALL's keys). */
  readonly scriptKeys?: readonly string[];
  /** CLIENT NO-EVICT ON: shown in CLIENT LIST. */
  noEvict: boolean;
  multi: QueuedCommand[] | null;
  /** EXEC is running the queued commands: blocking commands answer at once instead of waiting. */
  executingMulti: boolean;
  multiError: boolean;
  readonly watchDirty: boolean;
  readonly watched: Set<string>;
  /** Of those, the ones already expired when watched. */
  readonly watchedStale?: ReadonlySet<string>;
  /** Sends what is buffered, for replies written after the command returned. */
  flush(): void;
  unblock(): void;
}

/** What SAVE, BGSAVE, BGREWRITEAOF and FLUSHALL ask of persistence. */
export interface PersistenceControl {
  readonly bgsaveInProgress: boolean;
  saveNow(): void;
  startBgsave(): boolean;
  afterFlushAll(): void;
  debugReload(options: { merge: boolean; noflush: boolean; nosave: boolean }): string | null;
  readonly aof: { readonly rewriteInProgress: boolean; startRewrite(): boolean; reloadForDebug(): Promise<void> };
}

/** What a connection said with REPLCONF before it asked to sync. */
export interface ReplicaAnnouncement {
  listeningPort: number;
  announcedIp: string | null;
  capaEof: boolean;
  capaPsync2: boolean;
}

/** What REPLICAOF, SYNC, PSYNC, REPLCONF, WAIT, FAILOVER, ROLE and HELLO ask of replication. */
export interface ReplicationControl {
  readonly failoverState: 'no-failover' | 'waiting-for-sync' | 'failover-in-progress';
  readonly masterHost: string | null;
  readonly masterPort: number;
  readonly offset: number;
  readonly link: { sendAck(): void } | null;
  isReplica(): boolean;
  replicaOf(host: string, port: number, requester: string | null): boolean;
  promote(requester: string): void;
  startFailover(target: { host: string; port: number } | null, timeoutMs: number, force: boolean): void;
  abortFailover(reason: string): void;
  /** The replication module may answer ROLE itself (replica form, connected replicas). */
  roleReply?(reply: ReplyBuffer): void;
  readonly masterSide: {
    readonly replicas: ReadonlySet<{ readonly ip: string; readonly listeningPort: number; isOnline(): boolean }>;
    /** The connection turns into an attached replica: it must be the client SYNC or PSYNC came on. */
    handleSyncRequest(client: CommandContext, request: { replid: string; offset: number; failover?: boolean } | null): void;
    announcementOf(client: CommandContext): ReplicaAnnouncement;
    onAck(client: CommandContext, offset: number): void;
    countAcked(offset: number): number;
    requestAcks(): void;
  };
}

/**
 * What command handlers other than ACL's own ask of the ACL (acl/acl.ts implements it; ACL's
 * commands get the whole object from their registration). Declared here so that this file does
 * not depend on the ACL, which depends on the command table.
 */
export interface AclControl {
  authenticate(client: CommandContext, username: string, password: string, commandName: string): boolean;
  defaultUserHasNoPassword(): boolean;
  newClientAuthenticated(): boolean;
  /** EXEC's check of a queued command: null, or the NOPERM error. */
  recheckQueued(client: CommandContext, cmd: { readonly name: string }, args: string[]): string | null;
  getUser(name: string): unknown;
  configRewriteLines(): string[] | null;
}

/** The server as command handlers see it. */
export interface ServerContext {
  readonly config: ConfigStore;
  readonly configFile?: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly stats: ServerStats;
  readonly dbs: Db[];
  /** Changes since the last save, as Redis's server.dirty: handlers add theirs. */
  dirty: number;
  readonly lastSaveTime: number;
  /** While the dataset loads, a past expiry does not delete: the file replayed says when. */
  readonly loading: boolean;
  /** DEBUG SET-ACTIVE-EXPIRE: whether the cron's sweep deletes expired keys (lazy expiry always does). */
  activeExpireEnabled: boolean;
  /** DEBUG SET-DISABLE-DENY-SCRIPTS: scripts may call noscript commands (Redis's own tests use it). */
  disableDenyScripts: boolean;
  /** DEBUG PAUSE-CRON: the cron does nothing while set (tests use it to keep it from interfering). */
  cronPaused: boolean;
  /** The time expiry judges by while a command runs (set by call()); null between commands. */
  commandTimeMs: number | null;
  readonly clients: ReadonlyMap<number, ClientIdentity>;
  readonly propagation: Propagation;
  readonly pubsub: PubSub;
  readonly keyspaceEvents: KeyspaceEvents;
  readonly slowlog: SlowLog;
  /** CLIENT TRACKING: server-assisted client-side caching. */
  readonly tracking: ClientTracking<CommandContext>;
  readonly latency: LatencyMonitor;
  /** Clients in MONITOR mode. */
  readonly monitors: Monitors<CommandContext>;
  readonly pause: PauseState;
  /** Clients blocked on keys (BLPOP and the other blocking pops). */
  readonly blocking: BlockedKeys<CommandContext>;
  readonly persistence: PersistenceControl;
  readonly replication: ReplicationControl;
  /** Users, permission checks and the ACL log. */
  readonly acl: AclControl;
  /** The memory model, maxmemory and eviction (memory/). */
  readonly memory: ServerMemory;
  authRequired(): boolean;
  swapDbs(a: number, b: number): void;
  watch(client: CommandContext, key: string): void;
  unwatchAll(client: CommandContext): void;
  /** The text of INFO for the requested sections. */
  info(sections: readonly string[]): string;
  /** WAIT listens for replicas' acknowledgements. */
  on(event: 'replicaAck', listener: () => void): unknown;
  off(event: 'replicaAck', listener: () => void): unknown;
  shutdown(options: { save: boolean | null }): Promise<void>;
  /** CONFIG SET port / bind / tls-port: null once rebound, else the directive and Redis's reason. */
  changeListeners(change: { port: number; bind: string; tlsPort: number }): Promise<{ directive: string; reason: string } | null>;
}
