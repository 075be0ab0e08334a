// The replica's link to its master: an explicit handshake state machine in the order of
// Redis 7.0's replication.c, the RDB transfer, and then the command stream, which is applied
// and relayed byte for byte to our own replicas.

import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { tlsClientOptions } from '../tls';
import { Client } from '../client';
import { dispatch } from '../dispatch';
import { ProtocolError } from '../resp/request-parser';
import type { Replication } from './replication';
import { RdbTransferLoader } from './rdb-transfer';
import { encodeCommand } from './stream';

export enum HandshakeState {
  /** Waiting for the cron to open a connection (first attempt or after a failure, with backoff). */
  Connect = 'connect',
  /** TCP connect in progress. */
  Connecting = 'connecting',
  /** PING sent: the first reply proves the master is alive (NOAUTH counts as alive). */
  ReceivePingReply = 'receive_ping_reply',
  /** AUTH sent with masterauth (skipped without one); the REPLCONFs are pipelined behind it. */
  ReceiveAuthReply = 'receive_auth_reply',
  /** REPLCONF listening-port sent: lets the master show our port in INFO. */
  ReceivePortReply = 'receive_port_reply',
  /** REPLCONF ip-address sent (only with replica-announce-ip). */
  ReceiveIpReply = 'receive_ip_reply',
  /** REPLCONF capa eof capa psync2 sent: we accept diskless RDBs and +CONTINUE <newid>. */
  ReceiveCapaReply = 'receive_capa_reply',
  /** PSYNC <replid> <offset> (or PSYNC ? -1) sent; waiting for +FULLRESYNC / +CONTINUE / an error. */
  ReceivePsyncReply = 'receive_psync_reply',
  /** SYNC sent after the master refused PSYNC: the RDB follows with no +FULLRESYNC line. */
  ReceiveSyncPayload = 'receive_sync_payload',
  /** Receiving the RDB payload of a full resync. */
  Transfer = 'transfer',
  /** Applying the master's command stream. */
  Connected = 'connected',
  /** Closed for good (REPLICAOF changed or shutdown). */
  Closed = 'closed',
}

const HANDSHAKE_STATES = new Set([
  HandshakeState.ReceivePingReply,
  HandshakeState.ReceiveAuthReply,
  HandshakeState.ReceivePortReply,
  HandshakeState.ReceiveIpReply,
  HandshakeState.ReceiveCapaReply,
  HandshakeState.ReceivePsyncReply,
]);

const MIN_RETRY_MS = 100;
const MAX_RETRY_MS = 1000;

const SOCKET_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  ETIMEDOUT: 'Connection timed out',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  EPIPE: 'Broken pipe',
};

export class MasterLink {
  state = HandshakeState.Connect;
  private socket: Socket | null = null;
  private input: Buffer = Buffer.alloc(0);
  private nextAttemptAt = 0;
  private retryDelay = MIN_RETRY_MS;
  /** Replies still expected after the pipelined AUTH/REPLCONF. */
  private pendingHandshake: HandshakeState[] = [];
  private transfer: RdbTransferLoader | null = null;
  private fullSync: { replid: string; offset: number } | null = null;
  private client: Client | null = null;
  /** Bytes received but not yet applied (for relaying exactly what was applied). */
  private unapplied: Buffer[] = [];
  /** Commands of a MULTI from the master whose EXEC has not arrived: not yet counted in the offset. */
  private openTransaction: Buffer[] = [];
  lastIoTime = 0;
  downSince = 0;
  /** Bytes read from the master stream (slave_read_repl_offset). */
  readOffset = 0;
  /** The last reason the link failed, for INFO and the logs. */
  lastError = '';
  private lastAckSent = 0;
  /** Wall-clock time of the last bytes from the master, for the handshake timeout. */
  private lastIoWallTime = 0;
  private handshakeStartedAt = 0;

  constructor(
    private readonly replication: Replication,
    readonly host: string,
    readonly port: number,
  ) {}

  private get server() {
    return this.replication.server;
  }

  private get logger() {
    return this.server.logger;
  }

  initialOffset(): number {
    return this.replication.offset;
  }

  start(): void {
    this.downSince = this.server.clock.now();
    this.nextAttemptAt = 0;
    this.connectNow();
  }

  /** Leaves the first connection attempt to the cron (a replicaof directive at start). */
  startOnNextCron(): void {
    this.downSince = this.server.clock.now();
    this.nextAttemptAt = 0;
    this.state = HandshakeState.Connect;
  }

  /** Called every 100 ms: reconnects, sends ACKs, enforces timeouts. */
  cron(): void {
    const now = this.server.clock.now();
    if (this.state === HandshakeState.Connect && Date.now() >= this.nextAttemptAt) {
      this.connectNow();
      return;
    }
    const timeoutMs = this.server.config.getInt('repl-timeout') * 1000;
    // Keepalive newlines from a master preparing its snapshot count as activity, as in Redis.
    const handshakeIdle = Date.now() - Math.max(this.handshakeStartedAt, this.lastIoWallTime);
    if ((HANDSHAKE_STATES.has(this.state) || this.state === HandshakeState.Connecting) && handshakeIdle > timeoutMs) {
      this.fail('Timeout connecting to the MASTER...');
      return;
    }
    if (this.state === HandshakeState.Transfer && now - this.lastIoTime > timeoutMs) {
      this.fail('Timeout receiving bulk data from MASTER... If the problem persists try to set the \'repl-timeout\' parameter in redis.conf to a larger value.');
      return;
    }
    if (this.state === HandshakeState.Connected) {
      if (now - this.lastIoTime > timeoutMs) {
        this.fail('MASTER timeout: no data nor PING received...');
        return;
      }
      if (now - this.lastAckSent >= 1000) this.sendAck();
    }
  }

  private connectNow(): void {
    this.logger.notice(`Connecting to MASTER ${this.host}:${this.port}`);
    this.state = HandshakeState.Connecting;
    this.handshakeStartedAt = Date.now();
    this.input = Buffer.alloc(0);
    let socket: Socket;
    const useTls = this.server.config.getBool('tls-replication');
    try {
      socket = useTls ? tlsConnect({ host: this.host, port: this.port, ...tlsClientOptions(this.server.config) }) : connect({ host: this.host, port: this.port });
    } catch (error) {
      this.logger.notice('MASTER <-> REPLICA sync started');
      this.fail(`Error condition on socket for SYNC: ${(error as Error).message}`);
      return;
    }
    this.socket = socket;
    socket.setNoDelay(true);
    this.logger.notice('MASTER <-> REPLICA sync started');
    socket.once(useTls ? 'secureConnect' : 'connect', () => {
      if (this.socket !== socket) return;
      this.logger.notice('Non blocking connect for SYNC fired the event.');
      this.state = HandshakeState.ReceivePingReply;
      socket.write(encodeCommand(['PING']), 'latin1');
    });
    socket.on('data', (chunk: Buffer) => {
      if (this.socket === socket) this.onData(chunk);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (this.socket !== socket) return;
      if (this.state === HandshakeState.Connecting) {
        this.fail(`Error condition on socket for SYNC: ${SOCKET_ERRORS[error.code ?? ''] ?? error.message}`);
      }
    });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.onDisconnect();
    });
  }

  private onData(chunk: Buffer): void {
    this.lastIoTime = this.server.clock.now();
    this.lastIoWallTime = Date.now();
    if (this.state === HandshakeState.Connected) {
      this.applyStream(chunk);
      return;
    }
    this.input = this.input.length === 0 ? chunk : Buffer.concat([this.input, chunk]);
    while (this.socket && this.input.length > 0) {
      if (this.state === HandshakeState.Transfer || this.state === HandshakeState.ReceiveSyncPayload) {
        const rest = this.input;
        this.input = Buffer.alloc(0);
        this.feedTransfer(rest);
        return;
      }
      if ((this.state as HandshakeState) === HandshakeState.Connected) {
        const rest = this.input;
        this.input = Buffer.alloc(0);
        this.applyStream(rest);
        return;
      }
      const newline = this.input.indexOf('\n');
      if (newline === -1) {
        if (this.input.length > 64 * 1024) this.fail('Master sent an overlong reply line');
        return;
      }
      const line = this.input.latin1Slice(0, newline).replace(/\r$/, '');
      this.input = this.input.subarray(newline + 1);
      // Masters send bare newlines as keepalives while preparing the RDB.
      if (line === '' && this.state !== HandshakeState.ReceivePingReply) continue;
      this.onReplyLine(line);
    }
  }

  private onReplyLine(line: string): void {
    switch (this.state) {
      case HandshakeState.ReceivePingReply: {
        // NOAUTH/NOPERM mean the master is alive and will want AUTH next.
        if (line[0] !== '+' && !line.startsWith('-NOAUTH') && !line.startsWith('-NOPERM') && !line.startsWith('-ERR operation not permitted')) {
          this.fail(`Error reply to PING from master: '${line}'`);
          return;
        }
        this.logger.notice('Master replied to PING, replication can continue...');
        this.sendHandshake();
        return;
      }
      case HandshakeState.ReceiveAuthReply:
        if (line[0] === '-') {
          this.fail(`Unable to AUTH to MASTER: ${line}`);
          return;
        }
        this.advanceHandshake();
        return;
      case HandshakeState.ReceivePortReply:
        if (line[0] === '-') this.logger.notice(`(Non critical) Master does not understand REPLCONF listening-port: ${line}`);
        this.advanceHandshake();
        return;
      case HandshakeState.ReceiveIpReply:
        if (line[0] === '-') this.logger.notice(`(Non critical) Master does not understand REPLCONF ip-address: ${line}`);
        this.advanceHandshake();
        return;
      case HandshakeState.ReceiveCapaReply:
        if (line[0] === '-') this.logger.notice(`(Non critical) Master does not understand REPLCONF capa: ${line}`);
        this.advanceHandshake();
        return;
      case HandshakeState.ReceivePsyncReply:
        this.onPsyncReply(line);
        return;
      default:
        return;
    }
  }

  /** Pipelines AUTH (with masterauth), REPLCONF listening-port, ip-address and capa, like Redis 7.0. */
  private sendHandshake(): void {
    const config = this.server.config;
    const socket = this.socket as Socket;
    let out = '';
    const queue: HandshakeState[] = [];
    const masterauth = config.get('masterauth');
    if (masterauth !== '') {
      const user = config.get('masteruser');
      out += encodeCommand(user !== '' ? ['AUTH', user, masterauth] : ['AUTH', masterauth]);
      queue.push(HandshakeState.ReceiveAuthReply);
    }
    const announcedPort = config.getInt('replica-announce-port') || this.server.port;
    out += encodeCommand(['REPLCONF', 'listening-port', String(announcedPort)]);
    queue.push(HandshakeState.ReceivePortReply);
    const announceIp = config.get('replica-announce-ip');
    if (announceIp !== '') {
      out += encodeCommand(['REPLCONF', 'ip-address', announceIp]);
      queue.push(HandshakeState.ReceiveIpReply);
    }
    out += encodeCommand(['REPLCONF', 'capa', 'eof', 'capa', 'psync2']);
    queue.push(HandshakeState.ReceiveCapaReply);
    socket.write(out, 'latin1');
    this.pendingHandshake = queue;
    this.advanceHandshake();
  }

  private advanceHandshake(): void {
    const next = this.pendingHandshake.shift();
    if (next !== undefined) {
      this.state = next;
      return;
    }
    this.sendPsync();
  }

  private sendPsync(): void {
    const cached = this.replication.cachedMaster;
    let replid = '?';
    let offset = -1;
    if (cached) {
      replid = cached.replid;
      offset = cached.offset + 1;
      this.logger.notice(`Trying a partial resynchronization (request ${replid}:${offset}).`);
    } else {
      this.logger.notice('Partial resynchronization not possible (no cached master)');
    }
    this.state = HandshakeState.ReceivePsyncReply;
    // During FAILOVER the target promotes itself when it sees this flag, then answers as our master.
    const psync = ['PSYNC', replid, String(offset)];
    if (this.replication.failoverState === 'failover-in-progress') psync.push('FAILOVER');
    this.socket?.write(encodeCommand(psync), 'latin1');
  }

  private onPsyncReply(line: string): void {
    const replication = this.replication;
    if (replication.failoverState === 'failover-in-progress') {
      if (line.startsWith('+CONTINUE') || line.startsWith('+FULLRESYNC')) replication.clearFailover();
      else {
        replication.abortFailover('Failover target rejected psync request');
        return;
      }
    }
    if (line.startsWith('+FULLRESYNC')) {
      const [, replid, offsetText] = line.split(' ');
      const offset = Number(offsetText);
      if (!replid || replid.length !== 40 || !Number.isFinite(offset)) {
        this.fail(`Master replied with wrong +FULLRESYNC syntax: ${line}`);
        return;
      }
      this.logger.notice(`Full resync from master: ${replid}:${offset}`);
      if (replication.cachedMaster) {
        this.logger.notice('Discarding previously cached master state.');
        replication.cachedMaster = null;
      }
      this.fullSync = { replid, offset };
      this.beginTransfer();
      return;
    }
    if (line.startsWith('+CONTINUE')) {
      this.onContinue(line.slice('+CONTINUE'.length).trim());
      return;
    }
    if (line.startsWith('-NOMASTERLINK') || line.startsWith('-LOADING')) {
      this.fail(`Master is currently unable to PSYNC but should be in the future: ${line}`);
      return;
    }
    if (line.startsWith('-')) {
      this.logger.warning(`Master does not support PSYNC or is in error state (reply: ${line})`);
      // Fall back to SYNC: the RDB follows directly, without replication ID or offset.
      this.fullSync = { replid: '', offset: 0 };
      replication.cachedMaster = null;
      this.state = HandshakeState.ReceiveSyncPayload;
      this.socket?.write(encodeCommand(['SYNC']), 'latin1');
      this.transfer = null;
      return;
    }
    this.fail(`Unexpected reply to PSYNC from master: ${line}`);
  }

  private onContinue(newReplid: string): void {
    const replication = this.replication;
    const cached = replication.cachedMaster;
    if (!cached) {
      this.fail('Master accepted a partial resynchronization we did not ask for');
      return;
    }
    this.logger.notice('Successful partial resynchronization with master.');
    if (newReplid !== '' && newReplid !== cached.replid) {
      // The master changed history (it was promoted): the old ID stays valid up to our offset.
      replication.replid2 = cached.replid;
      replication.secondReplOffset = cached.offset + 1;
      replication.replid = newReplid;
      this.logger.notice(`Master replication ID changed to ${newReplid}`);
      replication.masterSide.disconnectAll();
    } else {
      replication.replid = cached.replid;
    }
    replication.ensureBacklog();
    replication.offset = cached.offset;
    replication.cachedMaster = null;
    this.logger.notice('MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.');
    this.becomeConnected(cached.db);
  }

  private beginTransfer(): void {
    this.state = HandshakeState.Transfer;
    this.transfer = null;
  }

  /** Receives the `$<len>` or `$EOF:<mark>` header and the payload, loading as bytes arrive. */
  private feedTransfer(data: Buffer): void {
    let rest = data;
    if (!this.transfer) {
      // Skip keepalive newlines before the header.
      let start = 0;
      while (start < rest.length && rest[start] === 0x0a) start++;
      rest = rest.subarray(start);
      if (rest.length === 0) return;
      const newline = rest.indexOf('\n');
      if (newline === -1) {
        this.input = rest;
        return;
      }
      const header = rest.latin1Slice(0, newline).replace(/\r$/, '');
      rest = rest.subarray(newline + 1);
      if (header[0] === '-') {
        this.fail(`MASTER aborted replication with an error: ${header.slice(1)}`);
        return;
      }
      if (header[0] !== '$') {
        this.fail(`Bad protocol from MASTER, the first byte is not '$' (we received '${header}'), are you sure the host and port are right?`);
        return;
      }
      let eofMark: string | null = null;
      let length = -1;
      if (header.startsWith('$EOF:')) {
        eofMark = header.slice(5);
        if (eofMark.length !== 40) {
          this.fail(`Bad EOF mark from MASTER: '${header}'`);
          return;
        }
        this.logger.notice('MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk');
      } else {
        length = Number(header.slice(1));
        if (!Number.isSafeInteger(length) || length < 0) {
          this.fail(`Bad bulk length from MASTER: '${header}'`);
          return;
        }
        this.logger.notice(`MASTER <-> REPLICA sync: receiving ${length} bytes from master to disk`);
      }
      this.transfer = new RdbTransferLoader(this.server, length, eofMark);
      this.state = HandshakeState.Transfer;
    }
    let result;
    try {
      result = this.transfer.write(rest);
    } catch (error) {
      this.fail(`MASTER <-> REPLICA sync: ${(error as Error).message}`);
      return;
    }
    if (result.done) this.finishTransfer(result.leftover);
  }

  private finishTransfer(leftover: Buffer): void {
    const transfer = this.transfer as RdbTransferLoader;
    const replication = this.replication;
    const fullSync = this.fullSync ?? { replid: '', offset: 0 };
    this.logger.notice('MASTER <-> REPLICA sync: Flushing old data');
    this.logger.notice('MASTER <-> REPLICA sync: Loading DB in memory');
    try {
      transfer.install();
    } catch (error) {
      this.fail(`Failed trying to load the MASTER synchronization DB from socket: ${(error as Error).message}`);
      return;
    }
    this.transfer = null;
    // The master's history is now ours: its ID and offset, no secondary ID, a fresh backlog.
    replication.resetHistory(fullSync.replid || undefined);
    replication.backlog = null;
    replication.offset = fullSync.offset;
    replication.ensureBacklog();
    replication.masterSide.disconnectAll();
    this.logger.notice('MASTER <-> REPLICA sync: Finished with success');
    this.becomeConnected(transfer.streamDb);
    // The first ACK tells a diskless master we are reading the stream again.
    this.sendAck();
    if (leftover.length > 0) this.applyStream(leftover);
  }

  /** The db the master link's commands run in (what our own sub-replicas' RDBs must announce). */
  get streamDb(): number {
    return this.client?.dbIndex ?? 0;
  }

  private becomeConnected(streamDb = 0): void {
    const server = this.server;
    const socket = this.socket as Socket;
    this.state = HandshakeState.Connected;
    this.retryDelay = MIN_RETRY_MS;
    this.downSince = 0;
    this.lastError = '';
    this.lastIoTime = server.clock.now();
    this.readOffset = this.replication.offset;
    const client = new Client(server, socket, server.allocateClientId());
    client.isMasterLink = true;
    client.authenticated = true;
    client.reply.muted = true;
    client.dbIndex = streamDb;
    server.clients.set(client.id, client);
    this.client = client;
    const rest = this.input;
    this.input = Buffer.alloc(0);
    if (rest.length > 0) this.applyStream(rest);
  }

  /** Applies the master's commands and relays exactly the applied bytes to the backlog and our replicas. */
  private applyStream(chunk: Buffer): void {
    const client = this.client;
    if (!client) return;
    const server = this.server;
    this.readOffset += chunk.length;
    this.unapplied.push(chunk);
    client.parser.write(chunk);
    let pending = this.unapplied.length === 1 ? this.unapplied[0] : Buffer.concat(this.unapplied);
    let consumed = 0;
    for (;;) {
      const args = client.parser.next();
      if (args === null) break;
      if (args instanceof ProtocolError) {
        this.fail(`Protocol error from MASTER: ${args.message}`);
        return;
      }
      const bytes = client.parser.lastCommandBytes;
      if (args.length > 0) {
        server.propagation.fromMasterStream = true;
        try {
          dispatch(client, args);
        } catch (error) {
          server.stats.internalErrors++;
          this.fail(`Internal error applying '${args[0].slice(0, 64)}' from MASTER: ${(error as Error).message}`);
          return;
        } finally {
          server.propagation.fromMasterStream = false;
        }
      }
      const applied = pending.subarray(consumed, consumed + bytes);
      consumed += bytes;
      if (client.multi !== null) {
        // Inside MULTI nothing is applied yet: the offset stays before the MULTI, so a link cut
        // here makes the master resend the whole transaction, as Redis does.
        this.openTransaction.push(applied);
      } else if (this.openTransaction.length > 0) {
        this.openTransaction.push(applied);
        this.replication.relayMasterStream(Buffer.concat(this.openTransaction));
        this.openTransaction = [];
      } else {
        this.replication.relayMasterStream(applied);
      }
      if (this.state !== HandshakeState.Connected) return;
    }
    pending = pending.subarray(consumed);
    this.unapplied = pending.length > 0 ? [pending] : [];
  }

  /** REPLCONF ACK <offset>: every second, and when the master asks with GETACK. */
  sendAck(): void {
    if (this.state !== HandshakeState.Connected || !this.socket) return;
    // An ACK is what WAIT counts as "the replica has it": what it covers must be in the AOF first,
    // as Redis writes the AOF in beforeSleep before any reply. The master link is not a client, so
    // no client flush would write it before the ACK leaves.
    this.server.persistence.aof.writePending();
    this.lastAckSent = this.server.clock.now();
    this.socket.write(encodeCommand(['REPLCONF', 'ACK', String(this.replication.offset)]), 'latin1');
  }

  private fail(reason: string): void {
    this.lastError = reason;
    this.logger.warning(reason);
    this.dropConnection();
  }

  private onDisconnect(): void {
    if (this.state === HandshakeState.Closed) return;
    if (this.state === HandshakeState.Connected) {
      this.logger.warning('Connection with master lost.');
    } else if (this.state !== HandshakeState.Connect) {
      this.lastError ||= 'Connection closed by master';
      this.logger.warning(`Master closed the connection during the handshake (state ${this.state})`);
    }
    this.dropConnection();
  }

  /** Closes the socket; keeps the master's state as cached master when we were streaming. */
  private dropConnection(): void {
    const wasConnected = this.state === HandshakeState.Connected;
    const streamDb = this.streamDb;
    const socket = this.socket;
    this.socket = null;
    socket?.destroy();
    if (this.client) {
      const client = this.client;
      this.client = null;
      this.server.clients.delete(client.id);
      client.closed = true;
    }
    this.unapplied = [];
    this.openTransaction = [];
    this.transfer?.abort();
    this.transfer = null;
    if (wasConnected) {
      this.logger.notice('Caching the disconnected master state.');
      this.replication.cachedMaster = { replid: this.replication.replid, offset: this.replication.offset, db: streamDb };
    }
    if (this.state === HandshakeState.Closed) return;
    if (wasConnected || this.downSince === 0) this.downSince = this.server.clock.now();
    this.state = HandshakeState.Connect;
    this.nextAttemptAt = Date.now() + this.retryDelay;
    this.retryDelay = Math.min(MAX_RETRY_MS, this.retryDelay * 2);
  }

  /** Ends the link for good (REPLICAOF to another master, NO ONE, or shutdown). */
  close(reason: string): void {
    void reason;
    const wasConnected = this.state === HandshakeState.Connected;
    if (wasConnected) {
      this.replication.cachedMaster = { replid: this.replication.replid, offset: this.replication.offset, db: this.streamDb };
    }
    this.state = HandshakeState.Closed;
    const socket = this.socket;
    this.socket = null;
    socket?.destroy();
    if (this.client) {
      this.server.clients.delete(this.client.id);
      this.client.closed = true;
      this.client = null;
    }
    this.transfer?.abort();
    this.transfer = null;
  }

  /** ROLE's state word for a replica. */
  roleState(): string {
    switch (this.state) {
      case HandshakeState.Connect:
        return 'connect';
      case HandshakeState.Connecting:
        return 'connecting';
      case HandshakeState.Transfer:
      case HandshakeState.ReceiveSyncPayload:
        return 'sync';
      case HandshakeState.Connected:
        return 'connected';
      default:
        return 'handshake';
    }
  }

  transferInfoLines(now: number): string[] {
    const progress = this.transfer?.progress() ?? { total: -1, read: 0 };
    const left = progress.total >= 0 ? progress.total - progress.read : -1;
    const perc = progress.total > 0 ? ((progress.read / progress.total) * 100).toFixed(2) : '0.00';
    return [
      `master_sync_total_bytes:${progress.total}`,
      `master_sync_read_bytes:${progress.read}`,
      `master_sync_left_bytes:${left}`,
      `master_sync_perc:${perc}`,
      `master_sync_last_io_seconds_ago:${Math.floor((now - this.lastIoTime) / 1000)}`,
    ];
  }
}
