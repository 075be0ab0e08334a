// One client connection: its socket, request parser, reply buffer and session state.

import type { Socket } from 'node:net';
import { RequestParser, ProtocolError } from './resp/request-parser';
import { ReplyBuffer } from './resp/reply';
import type { Server } from './server';
import type { Db } from './keyspace/db';
import type { CommandContext, QueuedCommand } from './context';
import { dispatch, type DispatchOutcome } from './dispatch';
import { quoteConfigArg } from '../formats/redis-conf';
import { LOG_OUTPUT_LIMIT_CLOSE, outputLimitOf, SoftLimitClock, UNAUTHENTICATED_OUTPUT_LIMIT } from './output-limits';

/**
 * Whatever client-query-buffer-limit says, the input of one client never holds more: V8 cannot
 * hold the argument array of a bigger frame (it aborts the process, which no guard catches).
 */
const MAX_HELD_INPUT_BYTES = 2 * 1024 * 1024 * 1024;

export class Client implements CommandContext {
  readonly id: number;
  readonly reply = new ReplyBuffer();
  readonly parser: RequestParser;
  readonly createdAt: number;
  lastInteraction: number;
  name = '';
  libName = '';
  libVersion = '';
  dbIndex = 0;
  authenticated: boolean;
  user = 'default';

  /** MULTI state: queued commands, and whether a queued command was rejected (EXECABORT). */
  multi: QueuedCommand[] | null = null;
  multiError = false;
  executingMulti = false;
  /** Set when a watched key changed: EXEC then fails with a null reply. */
  watchDirty = false;
  readonly watched = new Set<string>(); // "db\0key"
  /** Watched keys that had already expired when WATCH ran: their deletion is no change (Redis's wk->expired). */
  readonly watchedStale = new Set<string>();

  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  readonly shardChannels = new Set<string>();

  /** The connection from our master: its commands bypass READONLY and replies are discarded. */
  isMasterLink = false;
  /** A replica attached to us (after SYNC/PSYNC); managed by the replication module. */
  isReplica = false;
  /** CLIENT NO-EVICT etc. are not modelled; flags shown by CLIENT LIST. */
  closeAfterReply = false;
  closed = false;
  lastCommand = 'NULL';
  /** A command held back by CLIENT PAUSE, run when the pause ends. */
  private pausedCommand: string[] | null = null;
  /** Commands parsed but not yet run while the client is paused. */
  private processing = false;
  /** CLIENT REPLY: 'skip' mutes the reply of the next command only. */
  replyMode: 'on' | 'off' | 'skip' = 'on';
  /** Set by blocking commands (WAIT): no further command runs until unblock(). */
  blocked = false;
  /** CLIENT NO-EVICT ON. */
  noEvict = false;
  private readonly softLimit = new SoftLimitClock();

  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;

  constructor(
    readonly server: Server,
    readonly socket: Socket | null,
    id: number,
  ) {
    this.id = id;
    this.createdAt = server.clock.now();
    this.lastInteraction = this.createdAt;
    this.authenticated = server.acl.newClientAuthenticated();
    this.reply.onError = (text) => server.countErrorReply(text);
    this.parser = new RequestParser({
      // Read live (only for bulks over 1 MB) so CONFIG SET proto-max-bulk-len applies to open connections.
      maxBulkLength: () => (this.isMasterLink ? Infinity : server.config.getInt('proto-max-bulk-len')),
      authRequired: () => !this.authenticated && !this.isMasterLink,
    });
    this.unixSocket = unixSocketPath(server, socket);
    this.remoteAddress = this.unixSocket ?? normalizeAddress(socket?.remoteAddress ?? '');
    this.remotePort = socket?.remotePort ?? 0;
    this.localAddress = this.unixSocket ?? normalizeAddress(socket?.localAddress ?? '');
    this.localPort = socket?.localPort ?? 0;
  }

  /** The socket file's path for a client connected over unixsocket (Redis shows it as addr=path:0). */
  readonly unixSocket: string | null;

  get db(): Db {
    return this.server.dbs[this.dbIndex];
  }

  get inPubSub(): boolean {
    return this.channels.size + this.patterns.size + this.shardChannels.size > 0;
  }

  get address(): string {
    return `${this.remoteAddress}:${this.remotePort}`;
  }

  get isLocal(): boolean {
    if (this.unixSocket !== null) return true;
    return isLoopback(this.socket?.remoteAddress ?? '127.0.0.1');
  }

  /**
   * Feeds bytes from the socket and runs every complete command. `borrowed` says the caller will
   * reuse the chunk's memory for its next read (a socket with one shared read buffer): whatever
   * the commands left unparsed is then copied before returning.
   */
  onData(chunk: Buffer, borrowed = false): void {
    this.lastInteraction = this.server.clock.now();
    this.server.stats.netInputBytes += chunk.length;
    this.parser.write(chunk);
    if (this.overQueryLimit()) return;
    this.processInput();
    if (this.overQueryLimit()) return;
    if (borrowed) this.parser.retainPending();
  }

  /**
   * client-query-buffer-limit: input that is not consumed (a client sending while paused, a command
   * whose arguments never end) may not grow past it; the client is closed with Redis's log line.
   * Our master's link is exempt, as in Redis.
   */
  private overQueryLimit(): boolean {
    if (this.isMasterLink || this.closed) return false;
    const server = this.server;
    const limit = Math.min(server.config.getInt('client-query-buffer-limit'), MAX_HELD_INPUT_BYTES);
    if (this.parser.heldBytes <= limit) return false;
    server.logger.warning(`Closing client that reached max query buffer length: ${this.describe()} (qbuf initial bytes: ${quoteConfigArg(this.parser.pendingPreview(64))})`);
    server.stats.clientQueryBufferLimitDisconnections++;
    this.close();
    return true;
  }

  /** Runs parsed commands until input runs out, the client closes, or a pause holds it. */
  processInput(): void {
    if (this.processing) return;
    // Our master's stream waits for a busy script, then resumes where it was (Redis does the same).
    if (this.isMasterLink && this.server.scripting.deferUntilIdle(this)) return;
    this.processing = true;
    try {
      if (this.pausedCommand) {
        const held = this.pausedCommand;
        // Still paused: wait on without running the checks again.
        if (this.server.pause.shouldHold(this, held)) return;
        this.pausedCommand = null;
        if (this.runCommand(held) === 'held') {
          this.pausedCommand = held;
          this.server.pause.hold(this);
          return;
        }
      }
      while (!this.closeAfterReply && !this.closed && !this.blocked) {
        const parsed = this.parser.next();
        if (parsed === null) break;
        if (parsed instanceof ProtocolError) {
          this.reply.error('ERR ' + parsed.message);
          this.server.logger.verbose(`Protocol error (${parsed.message}) from client: ${this.describe()}`);
          this.closeAfterReply = true;
          break;
        }
        if (parsed.length === 0) continue;
        // CLIENT PAUSE: dispatch holds a command only once nothing would refuse it (Redis's order).
        if (this.runCommand(parsed) === 'held') {
          this.pausedCommand = parsed;
          this.server.pause.hold(this);
          break;
        }
      }
    } finally {
      this.processing = false;
      this.flush();
    }
  }

  /** Ends a blocking command: its reply has been written; queued input runs again. */
  unblock(): void {
    this.blocked = false;
    this.flush();
    if (!this.closed) setImmediate(() => this.processInput());
  }

  /**
   * Runs one command. A bug in a handler must not take the whole node down: the error is logged,
   * counted (INFO stats internal_errors), answered, and the node keeps serving everyone else.
   */
  private runCommand(args: string[]): DispatchOutcome {
    try {
      this.runningArgs = args;
      return dispatch(this, args);
    } catch (error) {
      const server = this.server;
      server.stats.internalErrors++;
      server.propagation.recover();
      const stack = (error as Error).stack?.split('\n').slice(0, 3).join(' | ') ?? String(error);
      server.logger.warning(`Internal error executing '${args[0].slice(0, 64)}': ${stack}`);
      this.reply.error(`ERR internal error executing '${args[0].slice(0, 64).toLowerCase()}', see the server log`);
      return 'done';
    } finally {
      this.runningArgs = null;
    }
  }

  /** The command being executed, for CLIENT LIST's argv-mem of the client that asks. */
  private runningArgs: string[] | null = null;

  /** Bytes held in this client's buffers (query, arguments, MULTI queue, output), as used_memory counts them. */
  bufferedBytes(): number {
    let bytes = this.parser.pendingBytes + this.parser.partialArgsBytes;
    if (this.multi) for (const queued of this.multi) for (const arg of queued.args) bytes += arg.length;
    return bytes + (this.socket?.writableLength ?? 0) + this.reply.pendingBytes;
  }

  /**
   * CLIENT LIST's memory fields, approximated the way Redis derives them: argv-mem is the
   * arguments held (the running command's, or those parsed of one still arriving); omem is output
   * not yet taken by the kernel, reported as a 16 KB static buffer (obl) plus 16 KB list nodes (oll).
   */
  private memoryFields(): string {
    let argvMem = this.parser.partialArgsBytes;
    if (this.runningArgs) for (const arg of this.runningArgs) argvMem += arg.length;
    const omem = (this.socket?.writableLength ?? 0) + this.reply.pendingBytes;
    const obl = Math.min(omem, REPLY_STATIC_BUFFER);
    const oll = omem > REPLY_STATIC_BUFFER ? Math.ceil((omem - REPLY_STATIC_BUFFER) / REPLY_STATIC_BUFFER) : 0;
    const qbuf = this.parser.pendingBytes;
    const qbufFree = this.parser.spareBytes;
    const multiMem = this.multi ? this.multi.reduce((sum, queued) => sum + queued.args.reduce((s, a) => s + a.length, 0), 0) : 0;
    const totMem = CLIENT_BASE_BYTES + qbuf + qbufFree + argvMem + multiMem + omem;
    return `qbuf=${qbuf} qbuf-free=${qbufFree} argv-mem=${argvMem} multi-mem=${multiMem} rbs=1024 rbp=0 obl=${obl} oll=${oll} omem=${omem} tot-mem=${totMem}`;
  }

  /**
   * Sends everything buffered; closes the connection when a reply asked for it. Writes reach the
   * AOF before the replies that acknowledge them: while a write is pending, the output waits for
   * the end of the event-loop turn, where one AOF write (and fsync) covers every client.
   */
  flush(): void {
    const barrier = this.server.persistence.replyBarrier;
    if (barrier.holdsReplies()) barrier.sendAfterWrite(this);
    else this.sendBuffered();
  }

  sendBuffered(): void {
    const chunks = this.reply.take();
    const socket = this.socket;
    if (chunks.length > 0 && socket && !this.closed) {
      for (const chunk of chunks) {
        this.server.stats.netOutputBytes += chunk.length;
        socket.write(chunk, 'latin1');
      }
      if (this.overOutputLimit()) return;
    }
    if (this.closeAfterReply && !this.closed) this.close({ afterPendingWrites: true });
  }

  /** Writes to the socket now, outside of a command (pub/sub messages, replication stream). */
  sendNow(encoded: string): void {
    if (this.closed || !this.socket) return;
    this.server.stats.netOutputBytes += encoded.length;
    this.socket.write(encoded, 'latin1');
    this.overOutputLimit();
  }

  /**
   * client-output-buffer-limit (and the 1 KB allowed before AUTH): output the peer does not read
   * piles up in the socket's queue; past the limit the client is closed, with Redis's log line.
   * Replicas are watched by the replication cron against their own class.
   */
  private overOutputLimit(): boolean {
    if (this.isReplica || this.isMasterLink || !this.socket) return false;
    const used = this.socket.writableLength;
    if (used === 0) return false;
    const server = this.server;
    const over = !this.authenticated
      ? used > UNAUTHENTICATED_OUTPUT_LIMIT
      : this.softLimit.exceeded(used, outputLimitOf(server.config.get('client-output-buffer-limit'), this.inPubSub ? 'pubsub' : 'normal'), server.clock.now());
    if (!over) return false;
    server.logger.warning(LOG_OUTPUT_LIMIT_CLOSE(this.describe()));
    server.stats.clientOutputBufferLimitDisconnections++;
    this.close();
    return true;
  }

  /**
   * Closes the connection. With afterPendingWrites the socket is torn down only once queued replies
   * reached the kernel (the last reply before QUIT or a protocol error must not be lost when the
   * client reads slowly); the client leaves the server's tables at once either way.
   */
  close(options: { afterPendingWrites?: boolean } = {}): void {
    if (this.closed) return;
    this.closed = true;
    const socket = this.socket;
    if (socket) {
      if (options.afterPendingWrites && socket.writableLength > 0) {
        socket.pause();
        socket.end(() => socket.destroy());
      } else {
        socket.destroy();
      }
    }
    this.server.onClientClosed(this);
  }

  /** One line of CLIENT LIST for this client. */
  describe(): string {
    const now = this.server.clock.now();
    const tracking = this.server.tracking.stateOf(this);
    // In the order of Redis's getClientInfoString.
    const flags =
      (this.server.monitors.has(this) ? 'O' : this.isReplica ? 'S' : '') +
        (this.isMasterLink ? 'M' : '') +
        (this.inPubSub ? 'P' : '') +
        (this.multi ? 'x' : '') +
        (this.blocked ? 'b' : '') +
        (tracking ? 't' : '') +
        (tracking?.brokenRedirect ? 'R' : '') +
        (tracking?.bcast ? 'B' : '') +
        (this.watchDirty ? 'd' : '') +
        (this.closeAfterReply ? 'c' : '') +
        (this.unixSocket !== null ? 'U' : '') +
        (this.noEvict ? 'e' : '') || 'N';
    const age = Math.floor((now - this.createdAt) / 1000);
    const idle = Math.floor((now - this.lastInteraction) / 1000);
    return (
      `id=${this.id} addr=${this.address} laddr=${this.localAddress}:${this.localPort} fd=${this.fdNumber()} name=${this.name} ` +
      `age=${age} idle=${idle} flags=${flags} db=${this.dbIndex} sub=${this.channels.size} psub=${this.patterns.size} ssub=${this.shardChannels.size} ` +
      `multi=${this.multi ? this.multi.length : -1} ${this.memoryFields()} ` +
      `events=r cmd=${this.lastCommand} user=${this.user} ` +
      `redir=${tracking ? tracking.redirect : -1} resp=${this.reply.resp}`
    );
  }

  private fdNumber(): number {
    const handle = (this.socket as unknown as { _handle?: { fd?: number } } | null)?._handle;
    return handle?.fd ?? -1;
  }
}

/** "::ffff:127.0.0.1" -> "127.0.0.1", as Redis shows IPv4 peers. */
/** A socket accepted on the unixsocket listener has no IP address on either side. */
function unixSocketPath(server: Server, socket: Socket | null): string | null {
  if (!socket || socket.remoteAddress !== undefined || socket.localAddress !== undefined) return null;
  const path = server.config.get('unixsocket');
  return path === '' ? null : path;
}

/** Redis's per-client reply buffer (PROTO_REPLY_CHUNK_BYTES), the unit of obl/oll. */
const REPLY_STATIC_BUFFER = 16 * 1024;
/** What a connection costs before any buffers: the client record and its read buffer. */
const CLIENT_BASE_BYTES = 1024 + 2048;

export function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

export function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
}
