// The bundled node: listeners, clients, databases, the command table and the periodic
// housekeeping (active expiry, idle timeouts). Replication and persistence plug in through
// the propagation sinks and the ReplicationRole.

import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { tlsServerOptions } from './tls';
import { changeListeners, listenUnix, removeUnixSocketFile, type ListenerChange } from './listeners';
import { adoptWithSharedReadBuffer } from './shared-read';
import { EventEmitter } from 'node:events';
import { Client, isLoopback } from './client';
import { CommandTable } from './commands/table';
import { registerAllCommands } from './commands';
import { ConfigStore } from './config';
import { Db, type KeyspaceHooks } from './keyspace/db';
import { isStream } from './keyspace/values';
import { Logger, type LogSink, type LogLevel } from './log';
import { PauseState } from './pause';
import { BlockedKeys } from './blocking';
import { runAsBlockedCommand } from './blocked-serving';
import { Propagation } from './propagation';
import { PubSub } from './pubsub';
import { KeyspaceEvents, NOTIFY_EXPIRED, NOTIFY_NEW } from './keyspace-events';
import { SlowLog } from './diagnostics/slowlog';
import { ClientTracking } from './tracking';
import { LatencyMonitor } from './diagnostics/latency';
import { Monitors } from './diagnostics/monitor';
import { Replication } from './replication/replication';
import { Persistence, StartupLoadError } from './persistence/persistence';
import { CLIENT_BASE_BYTES, ServerMemory } from './memory/server-memory';
import { systemClock, type Clock } from './clock';
import { ERR_MAX_CLIENTS } from './errors';
import { newStats, type ServerStats } from './stats';
import { renderInfo } from './info';
import { Acl } from './acl/acl';
import type { CommandContext, ServerContext } from './context';
import { Scripting } from './scripting';
import { loadLuaRuntime } from './scripting/lua-runtime';
import { RedisRandom } from './scripting/redis-random';
import { scriptingCommands } from './commands/scripting';
import { functionCommands } from './commands/functions';

const ERR_MISCONF_RDB =
  "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";

const DENIED_PROTECTED_MODE =
  "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Set up an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n";

export interface ServerInit {
  config: ConfigStore;
  configFile?: string;
  clock?: Clock;
  logSink?: LogSink | null;
  /** Keep every log line in memory as well (tests read replication events). */
  keepLog?: boolean;
}

/** A bind entry: "-addr" may fail, "*" and "::*" are every IPv4 and IPv6 address. */
function bindAddress(entry: string): { host: string; optional: boolean } {
  const optional = entry.startsWith('-');
  const host = optional ? entry.slice(1) : entry;
  return { host: host === '*' ? '0.0.0.0' : host === '::*' ? '::' : host, optional };
}

export class Server extends EventEmitter implements ServerContext {
  readonly config: ConfigStore;
  readonly configFile?: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly commands = new CommandTable();
  dbs: Db[];
  readonly clients = new Map<number, Client>();
  readonly pubsub = new PubSub();
  readonly keyspaceEvents = new KeyspaceEvents(this.pubsub);
  readonly slowlog = new SlowLog();
  readonly tracking: ClientTracking<CommandContext> = new ClientTracking<CommandContext>((id) => this.clients.get(id));
  readonly latency = new LatencyMonitor();
  readonly monitors = new Monitors<CommandContext>();
  readonly propagation = new Propagation();
  readonly acl: Acl;
  readonly pause: PauseState;
  readonly blocking: BlockedKeys<CommandContext>;
  stats: ServerStats;
  replication: Replication;
  readonly persistence: Persistence;
  /** EVAL's scripts and FUNCTION's libraries, each on a Lua state of its own. */
  readonly scripting: Scripting;
  readonly memory: ServerMemory;
  /** Count of changes since the last save, as Redis's server.dirty. */
  dirty = 0;
  loading = false;
  lastSaveTime: number;
  /** Set by the persistence module when the last background save failed. */
  lastBgsaveFailed = false;
  readonly runId: string;
  /** Listening addresses after start. */
  readonly netServers: NetServer[] = [];
  private nextClientId = 1;
  private keyspaceHooks!: KeyspaceHooks;
  /**
   * The time expiry judges by while a command runs (EXEC and its queued commands alike): taken
   * when the outermost command starts, as 7.0's call() freezes it (fixed_time_expire), so a key
   * cannot expire half-way through a command or a transaction. Null between commands.
   */
  commandTimeMs: number | null = null;
  private cronTimer: NodeJS.Timeout | null = null;
  activeExpireEnabled = true;
  disableDenyScripts = false;
  cronPaused = false;
  private stopping = false;
  /** "db\0key" -> clients watching it. */
  private readonly watchers = new Map<string, Set<Client>>();
  /** Hooks run at shutdown before clients close (persistence saves here). */
  readonly shutdownHooks: Array<(options: { save: boolean | null }) => Promise<void> | void> = [];

  constructor(init: ServerInit) {
    super();
    // Every client in WAIT listens for replica acknowledgements: no listener cap.
    this.setMaxListeners(0);
    this.config = init.config;
    this.configFile = init.configFile;
    this.clock = init.clock ?? systemClock;
    this.logger = new Logger(init.logSink ?? null, () => this.clock.now());
    if (init.keepLog) this.logger.memory = [];
    this.logger.level = this.config.get('loglevel') as LogLevel;
    this.config.onChange('loglevel', (value) => (this.logger.level = value as LogLevel));
    this.keyspaceEvents.configure(this.config.get('notify-keyspace-events'));
    this.config.onChange('notify-keyspace-events', (value) => this.keyspaceEvents.configure(value));
    this.stats = newStats(this.clock.now());
    this.lastSaveTime = Math.floor(this.clock.now() / 1000);
    this.runId = randomHex(40);
    const hooks: KeyspaceHooks = {
      // Keys expire as of the start of the running script (a busy one spans event-loop turns), else of
      // the outermost command (Redis 7.0's keyIsExpired: script snapshot, then fixed_time_expire).
      now: () => this.scripting?.timeSnapshot() ?? this.commandTimeMs ?? this.clock.now(),
      // Nothing expires while loading (AOF replay): Redis applies the file as it was written.
      // Nor during CLIENT PAUSE (as 7.0's expireIfNeeded): an expired key reads as missing, but
      // its DEL would move the replication offset a failover is waiting to see settle.
      mayDeleteExpired: () => !this.replication.isReplica() && !this.loading && !this.pause.active,
      expiredKeysVisible: () => this.propagation.fromMasterStream || this.loading,
      expiryHeld: () => this.pause.mode !== null,
      onExpired: (db, key) => {
        this.memory.account(db, key);
        this.stats.expiredKeys++;
        this.signalKeyModified(db, key, true);
        this.propagation.also(db.index, ['DEL', key]);
        this.keyspaceEvents.notify(NOTIFY_EXPIRED, 'expired', key, db.index);
      },
      onNewKey: (db, key) => this.keyspaceEvents.notify(NOTIFY_NEW, 'new', key, db.index),
      onKeyModified: (db, key, value) => {
        this.memory.account(db, key, value);
        this.signalKeyModified(db, key);
      },
      onAccess: (db, key) => this.memory.touch(db, key),
      onDbCleared: (db) => {
        this.memory.ledgers.forget(db);
        this.signalDbCleared(db);
      },
    };
    this.keyspaceHooks = hooks;
    this.dbs = this.createDbs();
    this.pause = new PauseState(
      () => this.clock.now(),
      (name) => this.commands.get(name)?.isWrite ?? false,
    );
    this.blocking = new BlockedKeys<CommandContext>(
      () => this.clock.now(),
      (client, serve) => runAsBlockedCommand(this, client as Client, serve),
    );
    this.replication = new Replication(this);
    this.memory = new ServerMemory(this, {
      clientBuffers: () => {
        const totals = { normal: 0, replicas: 0, replicaOutput: 0 };
        for (const client of this.clients.values()) {
          const buffered = client.bufferedBytes();
          totals[client.isReplica ? 'replicas' : 'normal'] += CLIENT_BASE_BYTES + buffered;
          if (client.isReplica) totals.replicaOutput += buffered;
        }
        return totals;
      },
      backlogBytes: () => this.replication.backlog?.histlen ?? 0,
    });
    this.persistence = new Persistence(this);
    registerAllCommands(this.commands, () => this.acl);
    // Started now so it is ready long before a client can send EVAL; start() awaits it.
    loadLuaRuntime().catch(() => {});
    const server = this;
    this.scripting = new Scripting(
      {
        commands: this.commands,
        get dirty() {
          return server.dirty;
        },
        persistenceWriteError: () => this.persistenceWriteError(),
        replication: {
          isReplica: () => this.replication.isReplica(),
          linkUp: () => this.replication.linkUp(),
          enoughGoodReplicas: () => this.replication.enoughGoodReplicas(),
        },
        config: this.config,
        propagation: this.propagation,
        logger: this.logger,
        outOfMemory: () => this.memory.maxmemory > 0 && this.memory.lastResult === 'fail',
        now: () => this.clock.now(),
        random: new RedisRandom(),
        acl: {
          checkForScript: (client, cmd, args, log) => this.acl.checkForScript(client, cmd, args, log),
        },
        onInternalError: (error) => {
          this.stats.internalErrors++;
          this.logger.warning(`Internal error in a function scripts call: ${(error as Error)?.stack?.split('\n').slice(0, 3).join(' | ') ?? String(error)}`);
        },
        context: this,
      },
      {
        isReplica: () => this.replication.isReplica(),
        linkUp: () => this.replication.linkUp(),
        serveStaleData: () => this.config.getBool('replica-serve-stale-data'),
        replicaReadOnly: () => this.config.getBool('replica-read-only'),
        persistenceWriteError: () => this.persistenceWriteError(),
        enoughGoodReplicas: () => this.replication.enoughGoodReplicas(),
        outOfMemory: () => this.memory.maxmemory > 0 && this.memory.lastResult === 'fail',
      },
    );
    this.commands.register(scriptingCommands(this.scripting));
    this.commands.register(functionCommands(this.scripting));
    for (const { from, to } of this.config.commandRenames) this.commands.rename(from, to);
    this.acl = new Acl(this.commands, this.config, this.clock, this.logger, () => this.clients.values());
    this.config.onChange('requirepass', (value) => this.acl.setDefaultPassword(value));
  }

  /** Whether the default user needs a password (protected mode, AUTH <password>), as Redis's DefaultUser nopass flag. */
  authRequired(): boolean {
    return !this.acl.defaultUserHasNoPassword();
  }

  busyScriptError(): string | null {
    return this.scripting.busyError();
  }

  /** The MISCONF error when writes must be refused because persistence is failing, else null. */
  persistenceWriteError(): string | null {
    if (this.lastBgsaveFailed && this.config.getBool('stop-writes-on-bgsave-error') && this.config.get('save') !== '') return ERR_MISCONF_RDB;
    const aofError = this.persistence.aof.lastWriteError;
    if (aofError !== null) return `MISCONF Errors writing to the AOF file: ${aofError}`;
    return null;
  }

  /** Binds every configured address; rejects with a one-line reason when a port is taken. */
  async listen(): Promise<void> {
    // Before the port opens: a client's first EVAL must find the Lua VM loaded.
    await loadLuaRuntime();
    const port = this.config.getInt('port');
    const binds = this.config.get('bind').split(' ').filter(Boolean);
    let boundPort = port;
    for (const entry of binds.length > 0 ? binds : ['127.0.0.1']) {
      const { host, optional } = bindAddress(entry);
      try {
        const listener = await this.listenOn(host, boundPort);
        this.netServers.push(listener);
        const address = listener.address();
        if (address && typeof address === 'object') boundPort = address.port;
      } catch (error) {
        if (optional) continue;
        await this.closeListeners();
        const code = (error as NodeJS.ErrnoException).code;
        const reason = code === 'EADDRINUSE' ? 'Address already in use' : code === 'EADDRNOTAVAIL' ? 'Cannot assign requested address' : (error as Error).message;
        throw new ListenError(`Could not create server TCP listening socket ${host}:${port}: bind: ${reason}`);
      }
    }
    if (port === 0) this.config.setValidated('port', String(boundPort));
    const tlsPort = this.config.getInt('tls-port');
    if (tlsPort > 0) await this.listenTls(binds.length > 0 ? binds : ['127.0.0.1'], tlsPort);
    const unixPath = this.config.get('unixsocket');
    if (unixPath !== '') {
      try {
        this.netServers.push(await listenUnix(this, unixPath, this.config.getInt('unixsocketperm')));
      } catch (error) {
        await this.closeListeners();
        const code = (error as NodeJS.ErrnoException).code;
        const reason = code === 'ENOENT' ? 'No such file or directory' : code === 'EADDRINUSE' ? 'Address already in use' : code === 'EACCES' ? 'Permission denied' : (error as Error).message;
        throw new ListenError(`Failed opening Unix socket: bind: ${reason}`);
      }
    }
  }

  /** Entry point for every listener's accepted sockets (listeners.ts opens some at run time). */
  acceptConnection(socket: Socket): void {
    this.accept(socket);
  }

  /** CONFIG SET port / bind / tls-port: rebinds, or names the directive that could not be applied. */
  changeListeners(change: ListenerChange): Promise<{ directive: string; reason: string } | null> {
    return changeListeners(this, change);
  }

  /** tls-port: the same node behind TLS, on every bind address. */
  private async listenTls(binds: string[], tlsPort: number): Promise<void> {
    let options;
    try {
      options = tlsServerOptions(this.config);
    } catch (error) {
      await this.closeListeners();
      throw new ListenError(`Failed to configure TLS: ${(error as Error).message}`);
    }
    for (const entry of binds) {
      const { host, optional } = bindAddress(entry);
      try {
        const listener = await new Promise<NetServer>((resolvePromise, rejectPromise) => {
          const server = createTlsServer(options, (socket) => this.accept(socket));
          server.on('tlsClientError', (error) => this.logger.verbose(`Error accepting a client connection: ${error.message}`));
          server.once('error', rejectPromise);
          server.listen({ host, port: tlsPort, backlog: 511, exclusive: true }, () => {
            server.off('error', rejectPromise);
            resolvePromise(server);
          });
        });
        this.netServers.push(listener);
      } catch (error) {
        if (optional) continue;
        await this.closeListeners();
        const code = (error as NodeJS.ErrnoException).code;
        throw new ListenError(`Could not create server TLS listening socket ${host}:${tlsPort}: bind: ${code === 'EADDRINUSE' ? 'Address already in use' : (error as Error).message}`);
      }
    }
  }

  /**
   * Loads the dataset, then starts housekeeping and replication. Like redis-server, the port is
   * already open while the dataset loads, and clients get -LOADING meanwhile.
   */
  async start(): Promise<void> {
    if (this.config.get('replicaof') !== '') this.logger.role = 'S';
    // Functions in the RDB compile on load, and EVAL must find the VM ready.
    await loadLuaRuntime();
    const aclError = this.acl.loadAtStartup();
    if (aclError !== null) {
      await this.closeListeners();
      throw new StartupLoadError(aclError);
    }
    try {
      await this.persistence.loadAtStartup();
    } catch (error) {
      await this.closeListeners();
      throw error;
    }
    this.startCron();
    this.startReplicationFromConfig();
  }

  /** The replicaof directive: follow that master from the start, as redis-server does. */
  private startReplicationFromConfig(): void {
    const replicaof = this.config.get('replicaof');
    if (replicaof === '') return;
    const [host, port] = replicaof.split(' ');
    this.replication.replicaOf(host, Number(port), null);
  }

  private listenOn(host: string, port: number): Promise<NetServer> {
    return new Promise((resolvePromise, rejectPromise) => {
      // Paused so the socket can be moved to a shared read buffer before anything is read.
      const listener = createServer({ noDelay: true, pauseOnConnect: true }, (socket) => this.accept(socket));
      listener.once('error', rejectPromise);
      listener.listen({ host, port, backlog: 511, exclusive: true }, () => {
        listener.off('error', rejectPromise);
        listener.on('error', (error) => this.logger.warning(`Accept error: ${error.message}`));
        resolvePromise(listener);
      });
    });
  }

  get port(): number {
    return this.config.getInt('port');
  }

  private accept(socket: Socket): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const keepalive = this.config.getInt('tcp-keepalive');
    if (keepalive > 0) socket.setKeepAlive(true, keepalive * 1000);
    socket.on('error', () => {});
    this.stats.connectionsReceived++;
    if (this.clients.size >= this.config.getInt('maxclients')) {
      this.stats.rejectedConnections++;
      socket.end('-' + ERR_MAX_CLIENTS + '\r\n');
      return;
    }
    // Unix socket connections have no remote address and are local by definition.
    const remote = socket.remoteAddress;
    if (this.config.getBool('protected-mode') && !this.authRequired() && remote !== undefined && !isLoopback(remote)) {
      this.stats.rejectedConnections++;
      socket.end(DENIED_PROTECTED_MODE);
      return;
    }
    const client = this.attachAcceptedSocket(socket);
    this.logger.verbose(`Accepted ${client.address}`);
  }

  /** A client on an accepted socket, reading into the shared buffer when the socket allows it. */
  private attachAcceptedSocket(accepted: Socket): Client {
    let client: Client | null = null;
    const adopted = adoptWithSharedReadBuffer(accepted, (chunk) => client?.onData(chunk, true));
    if (!adopted) {
      const fallback = this.attachSocket(accepted);
      accepted.resume();
      return fallback;
    }
    adopted.setNoDelay(true);
    adopted.on('error', () => {});
    client = new Client(this, adopted, this.nextClientId++);
    this.clients.set(client.id, client);
    const owner = client;
    adopted.on('close', () => owner.close());
    return client;
  }

  /** Wraps a connected socket as a client (also used for the link to our master). */
  attachSocket(socket: Socket): Client {
    const client = new Client(this, socket, this.nextClientId++);
    this.clients.set(client.id, client);
    socket.on('data', (chunk: Buffer) => client.onData(chunk));
    socket.on('close', () => client.close());
    return client;
  }

  /** A fresh, empty set of databases sharing this server's hooks (loading a full sync into the side). */
  createDbs(): Db[] {
    return Array.from({ length: this.config.getInt('databases') }, (_, i) => new Db(i, this.keyspaceHooks));
  }

  /** Replaces every database at once; watchers of any key see a change. */
  installDbs(dbs: Db[]): void {
    for (const db of this.dbs) this.signalDbCleared(db);
    this.dbs = dbs;
  }

  info(sections: readonly string[]): string {
    return renderInfo(this, sections);
  }

  /** INFO errorstats: error replies by their code, the first word of the text (ERR, WRONGTYPE...). */
  countErrorReply(text: string): void {
    const space = text.indexOf(' ');
    const code = space === -1 ? text : text.slice(0, space);
    // Redis 7.0 tracks at most 128 distinct prefixes: later new ones are not listed (still totalled).
    if (!this.stats.errorsByCode.has(code) && this.stats.errorsByCode.size >= 128) {
      this.stats.errorsPastPrefixCap++;
      return;
    }
    this.stats.errorsByCode.set(code, (this.stats.errorsByCode.get(code) ?? 0) + 1);
  }

  allocateClientId(): number {
    return this.nextClientId++;
  }

  onClientClosed(client: Client): void {
    this.clients.delete(client.id);
    if (client.isReplica) this.replication.masterSide.detach(client);
    this.pubsub.removeClient(client);
    this.unwatchAll(client);
    this.pause.release(client);
    this.blocking.forget(client);
    this.monitors.remove(client);
    this.tracking.disable(client);
    this.emit('clientClosed', client);
  }

  // --- WATCH ----------------------------------------------------------------

  watch(client: Client, key: string): void {
    const id = client.dbIndex + '\0' + key;
    if (client.watched.has(id)) return;
    client.watched.add(id);
    if (client.db.isExpired(key)) client.watchedStale.add(id);
    let set = this.watchers.get(id);
    if (!set) this.watchers.set(id, (set = new Set()));
    set.add(client);
  }

  unwatchAll(client: Client): void {
    for (const id of client.watched) {
      const set = this.watchers.get(id);
      set?.delete(client);
      if (set && set.size === 0) this.watchers.delete(id);
    }
    client.watched.clear();
    client.watchedStale.clear();
    client.watchDirty = false;
  }

  signalKeyModified(db: Db, key: string, byExpiry = false): void {
    this.blocking.signal(db.index, key);
    this.tracking.invalidate(key, byExpiry);
    if (this.watchers.size === 0) return;
    const id = db.index + '\0' + key;
    const set = this.watchers.get(id);
    if (!set) return;
    for (const client of set) {
      // A key that was already expired when watched, now deleted: logically no change (Redis's touchWatchedKey).
      if (client.watchedStale.has(id) && !db.data.has(key)) {
        client.watchedStale.delete(id);
        continue;
      }
      client.watchDirty = true;
    }
  }

  private signalDbCleared(db: Db): void {
    this.tracking.flushAll();
    // A stream about to vanish unblocks its XREADGROUP readers (7.0's scanDatabaseForDeletedStreams).
    this.blocking.signalDb(db.index, (key) => {
      const value = db.data.get(key);
      return value !== undefined && isStream(value);
    });
    if (this.watchers.size === 0) return;
    const prefix = db.index + '\0';
    for (const [id, set] of this.watchers) {
      if (!id.startsWith(prefix)) continue;
      // A watched key that did not exist is not invalidated by a flush, as in Redis.
      if (!db.data.has(id.slice(prefix.length))) continue;
      for (const client of set) {
        // One already expired when watched is now deleted: no logical change.
        if (client.watchedStale.delete(id)) continue;
        client.watchDirty = true;
      }
    }
  }

  /** SWAPDB: exchanges two databases in place; watchers of either see the change as Redis judges it. */
  swapDbs(a: number, b: number): void {
    const first = this.dbs[a];
    const second = this.dbs[b];
    this.dbs[a] = second;
    this.dbs[b] = first;
    second.index = a;
    first.index = b;
    for (const [id, set] of this.watchers) {
      const separator = id.indexOf('\0');
      const index = Number(id.slice(0, separator));
      if (index !== a && index !== b) continue;
      // At this index, `emptied` held the key before the swap and `replacement` holds it now.
      const emptied = index === a ? first : second;
      const replacement = index === a ? second : first;
      touchSwappedWatch(id.slice(separator + 1), id, set, emptied, replacement);
    }
    // A client blocked on a key of either index now waits on the other database's key (Redis 7.0).
    this.blocking.signalDb(a);
    this.blocking.signalDb(b);
  }

  // --- housekeeping -----------------------------------------------------------

  private startCron(): void {
    if (this.cronTimer) clearInterval(this.cronTimer);
    this.config.onChange('hz', () => {
      if (this.cronTimer) this.startCron();
    });
    const hz = Math.max(1, Math.min(500, this.config.getInt('hz')));
    this.cronTimer = setInterval(() => this.cron(), Math.floor(1000 / hz));
    this.cronTimer.unref();
  }

  /** Active expiry and idle-client timeouts, run hz times per second. */
  cron(): void {
    if (this.cronPaused) return;
    this.persistence.cron();
    this.memory.refreshOverhead();
    // Nothing expires under a busy script: its keys must not change while it is parked.
    if (this.pause.mode === null && this.activeExpireEnabled && this.scripting.busyError() === null) {
      const effort = this.config.getInt('active-expire-effort');
      const started = performance.now();
      for (const db of this.dbs) {
        // Like Redis's activeExpireCycle: repeat while a sample is mostly expired.
        for (let round = 0; round < 16; round++) {
          const removed = db.sweepExpired(20 * effort);
          if (removed < 5) break;
        }
      }
      this.latency.sampleIfNeeded('expire-cycle', Math.floor(performance.now() - started), this.config.getInt('latency-monitor-threshold'), this.clock.now());
    }
    // Also before every command (call.ts); here too, so a CONFIG SET of tracking-table-max-keys
    // takes effect on an idle server, as Redis's serverCron does.
    if (this.tracking.clientCount > 0) this.tracking.limit(this.config.getInt('tracking-table-max-keys'));
    const timeout = this.config.getInt('timeout');
    if (timeout > 0) {
      const now = this.clock.now();
      for (const client of this.clients.values()) {
        // A blocked client is waiting on purpose (BLPOP 0, WAIT): Redis never closes it for idleness.
        if (client.isMasterLink || client.isReplica || client.inPubSub || client.blocked) continue;
        if (now - client.lastInteraction > timeout * 1000) {
          this.logger.verbose('Closing idle client');
          client.close();
        }
      }
    }
  }

  // --- shutdown ---------------------------------------------------------------

  /** Stops accepting, runs shutdown hooks (saving when asked), closes clients. */
  async shutdown(options: { save: boolean | null } = { save: null }): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.logger.warning('User requested shutdown...');
    for (const hook of this.shutdownHooks) {
      try {
        await hook(options);
      } catch (error) {
        // Redis refuses to exit when the final save fails, and keeps serving.
        this.logger.warning(`Errors trying to shut down the server. Check the logs for more information. (${(error as Error).message})`);
        this.stopping = false;
        throw error;
      }
    }
    await this.stop();
    this.logger.warning('Redis is now ready to exit, bye bye...');
    this.emit('shutdown');
  }

  /** Releases every resource without saving (tests, and the end of shutdown). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.cronTimer) clearInterval(this.cronTimer);
    this.cronTimer = null;
    this.pause.stop();
    this.blocking.stop();
    this.replication.stop();
    this.persistence.aof.writePending();
    for (const client of [...this.clients.values()]) {
      client.sendBuffered();
      client.close();
    }
    await this.closeListeners();
    const unixPath = this.config.get('unixsocket');
    if (unixPath !== '') removeUnixSocketFile(unixPath);
  }

  private async closeListeners(): Promise<void> {
    await Promise.all(this.netServers.map((listener) => new Promise<void>((done) => listener.close(() => done()))));
    this.netServers.length = 0;
  }

  get isStopping(): boolean {
    return this.stopping;
  }
}

export class ListenError extends Error {}

function randomHex(length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0');
  return out.slice(0, length);
}

/**
 * A watched key after SWAPDB (Redis 7.0's touchAllWatchedKeysInDb): unchanged when it exists on
 * neither side; an already-expired key that is gone, or replaced by an expired one, is no change;
 * a missing key replaced by an expired one becomes a stale watch; anything else dirties the watch.
 */
function touchSwappedWatch(key: string, id: string, watchers: Set<Client>, emptied: Db, replacement: Db): void {
  const existed = emptied.data.has(key);
  const replaced = replacement.data.has(key);
  if (!existed && !replaced) return;
  for (const client of watchers) {
    if (client.watchedStale.has(id)) {
      if (!replaced) {
        client.watchedStale.delete(id);
        continue;
      }
      if (replacement.isExpired(key)) continue;
    } else if (!existed && replacement.isExpired(key)) {
      client.watchedStale.add(id);
      continue;
    }
    client.watchDirty = true;
  }
}
