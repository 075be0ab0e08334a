// The node's replication state, both roles at once as in Redis: every node is a potential master
// (replication IDs, offset, backlog, attached replicas) and may also follow a master (the link).
// PSYNC2 rules: replid/replid2/second_repl_offset let replicas of an old master continue from a
// promoted replica without a full resync.

import type { Server } from '../server';
import type { ReplyBuffer } from '../resp/reply';
import { ReplicationBacklog } from './backlog';
import { newReplicationId, type ReplicationRole } from './index';
import { MasterSide } from './master-side';
import { MasterLink, HandshakeState } from './replica-side';
import type { PropagatedCommand } from '../propagation';
import { encodeCommand } from './stream';
import { ERR_UNBLOCKED_ROLE_CHANGE } from '../errors';

export const NULL_REPLID = '0000000000000000000000000000000000000000';
/** Redis's CONFIG_REPL_BACKLOG_MIN_SIZE. */
const MIN_BACKLOG_SIZE = 16 * 1024;

export interface CachedMaster {
  replid: string;
  /** Offset of the last byte processed from that master. */
  offset: number;
  /** The db its stream had selected: a partial resync continues there without a SELECT. */
  db: number;
}

export class Replication implements ReplicationRole {
  replid = newReplicationId();
  replid2 = NULL_REPLID;
  secondReplOffset = -1;
  backlog: ReplicationBacklog | null = null;
  /** master_repl_offset while no backlog exists. */
  private offsetWithoutBacklog = 0;
  /** Database the stream last SELECTed; -1 forces a SELECT before the next command. */
  lastSelectedDb = -1;
  masterHost: string | null = null;
  masterPort = 0;
  link: MasterLink | null = null;
  /** State of our last master, kept to try a partial resync when the link comes back. */
  cachedMaster: CachedMaster | null = null;
  failoverState: 'no-failover' | 'waiting-for-sync' | 'failover-in-progress' = 'no-failover';
  readonly masterSide: MasterSide;
  private cronTimer: NodeJS.Timeout | null = null;
  private cronLoops = 0;

  constructor(readonly server: Server) {
    this.masterSide = new MasterSide(this);
    server.propagation.addSink((commands, fromMasterStream) => {
      if (!fromMasterStream) this.feedCommands(commands);
    });
    server.config.onChange('repl-backlog-size', (value) => {
      // Like Redis, a smaller value is raised to the 16 KiB minimum, and reported as such.
      if (Number(value) < MIN_BACKLOG_SIZE) return server.config.setValidated('repl-backlog-size', String(MIN_BACKLOG_SIZE));
      this.backlog?.resize(Number(value));
    });
    if (server.config.getInt('repl-backlog-size') < MIN_BACKLOG_SIZE) server.config.setValidated('repl-backlog-size', String(MIN_BACKLOG_SIZE));
    this.cronTimer = setInterval(() => this.cron(), 100);
    this.cronTimer.unref();
  }

  get offset(): number {
    return this.backlog ? this.backlog.offset : this.offsetWithoutBacklog;
  }

  set offset(value: number) {
    if (this.backlog) this.backlog.offset = value;
    else this.offsetWithoutBacklog = value;
  }

  isReplica(): boolean {
    return this.masterHost !== null;
  }

  linkUp(): boolean {
    return this.link?.state === HandshakeState.Connected;
  }

  enoughGoodReplicas(): boolean {
    const needed = this.server.config.getInt('min-replicas-to-write');
    // As in Redis, min-replicas-max-lag 0 switches the whole check off, not just the lag part.
    if (needed === 0 || this.server.config.getInt('min-replicas-max-lag') === 0) return true;
    return this.masterSide.goodReplicaCount() >= needed;
  }

  /** Creates the backlog when the first replica attaches, as Redis does. */
  ensureBacklog(): void {
    if (this.backlog) return;
    this.backlog = new ReplicationBacklog(this.server.config.getInt('repl-backlog-size'), this.offsetWithoutBacklog);
  }

  /** A fresh replication history: new ID, no secondary ID (backlog created from scratch, full sync from master). */
  resetHistory(replid = newReplicationId()): void {
    this.replid = replid;
    this.replid2 = NULL_REPLID;
    this.secondReplOffset = -1;
  }

  /** PSYNC2: keep the current ID as the secondary one so replicas of it can continue with us. */
  shiftReplicationId(): void {
    this.replid2 = this.replid;
    this.secondReplOffset = this.offset + 1;
    this.replid = newReplicationId();
    this.server.logger.notice(
      `Setting secondary replication ID to ${this.replid2}, valid up to offset: ${this.secondReplOffset}. New replication ID is ${this.replid}`,
    );
  }

  /** Propagation sink: our own writes (as a master) go to the backlog and the replicas. */
  private feedCommands(commands: readonly PropagatedCommand[]): void {
    if (this.isReplica()) return;
    if (!this.backlog && this.masterSide.replicas.size === 0) return;
    let out = '';
    for (const { db, args } of commands) {
      if (db !== this.lastSelectedDb) {
        out += encodeCommand(['SELECT', String(db)]);
        this.lastSelectedDb = db;
      }
      out += encodeCommand(args);
    }
    this.feedStream(out);
  }

  /** Appends raw stream bytes to the backlog and sends them to every attached replica. */
  feedStream(data: string | Buffer): void {
    this.ensureBacklog();
    (this.backlog as ReplicationBacklog).append(data);
    this.masterSide.broadcast(data);
  }

  // --- role changes -------------------------------------------------------------

  /**
   * REPLICAOF host port. requester is null for the replicaof directive at start, where only
   * replication info loaded from disk (persistence) can give a cached master.
   */
  replicaOf(host: string, port: number, requester: string | null): boolean {
    if (this.masterHost === host && this.masterPort === port) return false;
    // From the config file the link starts on the first replication cron, after "Ready to accept connections", as in Redis.
    this.setMaster(host, port, requester !== null, requester !== null);
    if (requester !== null) this.server.logger.notice(`REPLICAOF ${host}:${port} enabled (user request from '${requester}')`);
    this.server.config.setValidated('replicaof', `${host} ${port}`);
    return true;
  }

  /** Starts following host:port (Redis's replicationSetMaster). */
  private setMaster(host: string, port: number, synthesizeFromSelf: boolean, connectNow = true): void {
    const wasMaster = !this.isReplica();
    if (this.link) {
      this.link.close('REPLICAOF');
      this.link = null;
    }
    if (wasMaster && synthesizeFromSelf) {
      // Our own history becomes the "cached master": the new master may accept a partial resync.
      this.synthesizeCachedMaster();
    }
    this.masterHost = host;
    this.masterPort = port;
    this.server.logger.role = 'S';
    // Our replicas must resync with us against the new history.
    this.masterSide.disconnectAll();
    this.disconnectBlockedClients();
    this.link = new MasterLink(this, host, port);
    if (connectNow) this.link.start();
    else this.link.startOnNextCron();
  }

  /**
   * A waiting pop would never be served by a replica's own writes: 7.0 answers each waiter an
   * UNBLOCKED error and closes its connection, so job-queue clients reconnect to the new master.
   */
  private disconnectBlockedClients(): void {
    const blocking = this.server.blocking;
    for (const client of blocking.clients()) {
      client.closeAfterReply = true;
      blocking.end(client, { kind: 'error', text: ERR_UNBLOCKED_ROLE_CHANGE });
    }
  }

  /** Uses our own replication ID and offset as the state of a master we could continue from. */
  synthesizeCachedMaster(): void {
    this.server.logger.notice(
      'Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.',
    );
    this.cachedMaster = { replid: this.replid, offset: this.offset, db: 0 };
  }

  /** REPLICAOF NO ONE: keep the data, become a master with a new ID, old ID as replid2. */
  promote(requester: string, why = 'user request'): void {
    if (!this.isReplica()) return;
    if (this.link) {
      if (this.link.state === HandshakeState.Connected) this.cachedMaster = null;
      this.link.close('REPLICAOF NO ONE');
      this.link = null;
    }
    this.cachedMaster = null;
    this.masterHost = null;
    this.masterPort = 0;
    this.shiftReplicationId();
    // Sub-replicas are disconnected so they PSYNC again and learn the new ID.
    this.masterSide.disconnectAll();
    this.lastSelectedDb = -1;
    this.server.logger.role = 'M';
    this.server.config.setValidated('replicaof', '');
    this.server.logger.notice(`MASTER MODE enabled (${why} from '${requester}')`);
  }

  /** Sub-replicas of a replica are fed with the master's stream, byte for byte. */
  relayMasterStream(bytes: Buffer): void {
    this.feedStream(bytes);
  }

  // --- FAILOVER (Redis 6.2+): hand the master role to a replica without losing writes ---------

  private failover: { host: string | null; port: number; endTime: number; force: boolean } | null = null;

  /** Validated by the command; pauses writes until the target has every byte. */
  startFailover(target: { host: string; port: number } | null, timeoutMs: number, force: boolean): void {
    const logger = this.server.logger;
    if (target) logger.notice(`FAILOVER requested to ${target.host}:${target.port}.`);
    else logger.notice('FAILOVER requested to any replica.');
    this.failover = {
      host: target?.host ?? null,
      port: target?.port ?? 0,
      endTime: timeoutMs > 0 ? this.server.clock.now() + timeoutMs : 0,
      force,
    };
    this.failoverState = 'waiting-for-sync';
    this.server.pause.pause('write', Number.MAX_SAFE_INTEGER / 2);
  }

  abortFailover(reason: string): void {
    if (!this.failover) return;
    const target = this.failover.host ? `${this.failover.host}:${this.failover.port}` : 'any replica';
    this.server.logger.notice(`FAILOVER to ${target} aborted: ${reason}`);
    if (this.failoverState === 'failover-in-progress') this.unsetMaster();
    this.clearFailover();
  }

  /** Called when the target answered our PSYNC: the switch is complete. */
  clearFailover(): void {
    this.failover = null;
    this.failoverState = 'no-failover';
    this.server.pause.unpause();
  }

  private updateFailoverStatus(): void {
    const failover = this.failover;
    if (!failover || this.failoverState !== 'waiting-for-sync') return;
    const logger = this.server.logger;
    if (failover.endTime && failover.endTime <= this.server.clock.now()) {
      if (failover.force && failover.host) {
        logger.notice(`FAILOVER to ${failover.host}:${failover.port} time out exceeded, failing over.`);
        this.failoverState = 'failover-in-progress';
        this.setMaster(failover.host, failover.port, true);
        return;
      }
      this.abortFailover('Replica never caught up before timeout');
      return;
    }
    const synced = [...this.masterSide.replicas].find(
      (r) => r.isOnline() && r.ackOffset === this.offset && (!failover.host || (r.ip === failover.host && r.listeningPort === failover.port)),
    );
    if (!synced) return;
    failover.host = synced.ip;
    failover.port = synced.listeningPort;
    this.failoverState = 'failover-in-progress';
    logger.notice(`Failover target ${failover.host}:${failover.port} is synced, failing over.`);
    this.setMaster(failover.host, failover.port, true);
  }

  /** Back to master after a failed switch (Redis's replicationUnsetMaster). */
  private unsetMaster(): void {
    if (!this.isReplica()) return;
    this.link?.close('failover aborted');
    this.link = null;
    this.masterHost = null;
    this.masterPort = 0;
    this.cachedMaster = null;
    this.shiftReplicationId();
    this.masterSide.disconnectAll();
    this.lastSelectedDb = -1;
    this.server.logger.role = 'M';
    this.server.config.setValidated('replicaof', '');
  }

  // --- periodic work ----------------------------------------------------------------

  private cron(): void {
    this.cronLoops++;
    this.link?.cron();
    this.updateFailoverStatus();
    if (this.cronLoops % 10 === 0) this.masterSide.cronEverySecond(this.cronLoops / 10);
  }

  stop(): void {
    if (this.cronTimer) clearInterval(this.cronTimer);
    this.cronTimer = null;
    this.link?.close('shutdown');
    this.link = null;
    this.masterSide.disconnectAll();
  }

  // --- what operators read ---------------------------------------------------------

  infoLines(): string[] {
    const lines: string[] = [];
    const config = this.server.config;
    const now = this.server.clock.now();
    if (this.isReplica()) {
      const link = this.link;
      const connected = link?.state === HandshakeState.Connected;
      lines.push('role:slave');
      lines.push(`master_host:${this.masterHost}`);
      lines.push(`master_port:${this.masterPort}`);
      lines.push(`master_link_status:${connected ? 'up' : 'down'}`);
      lines.push(`master_last_io_seconds_ago:${connected && link ? Math.floor((now - link.lastIoTime) / 1000) : -1}`);
      lines.push(`master_sync_in_progress:${link?.state === HandshakeState.Transfer ? 1 : 0}`);
      const processed = connected ? this.offset : this.cachedMaster ? this.cachedMaster.offset : link?.initialOffset() ?? 0;
      lines.push(`slave_read_repl_offset:${connected && link ? link.readOffset : processed}`);
      lines.push(`slave_repl_offset:${processed}`);
      if (link?.state === HandshakeState.Transfer) lines.push(...link.transferInfoLines(now));
      if (!connected) {
        const downSince = link?.downSince ?? 0;
        lines.push(`master_link_down_since_seconds:${downSince ? Math.floor((now - downSince) / 1000) : -1}`);
      }
      lines.push(`slave_priority:${config.getInt('replica-priority')}`);
      lines.push(`slave_read_only:${config.getBool('replica-read-only') ? 1 : 0}`);
      lines.push(`replica_announced:${config.getBool('replica-announced') ? 1 : 0}`);
    } else {
      lines.push('role:master');
    }
    lines.push(`connected_slaves:${this.masterSide.replicas.size}`);
    lines.push(...this.masterSide.infoLines());
    lines.push(`master_failover_state:${this.failoverState}`);
    lines.push(`master_replid:${this.replid}`);
    lines.push(`master_replid2:${this.replid2}`);
    lines.push(`master_repl_offset:${this.offset}`);
    lines.push(`second_repl_offset:${this.secondReplOffset}`);
    lines.push(`repl_backlog_active:${this.backlog ? 1 : 0}`);
    lines.push(`repl_backlog_size:${config.getInt('repl-backlog-size')}`);
    lines.push(`repl_backlog_first_byte_offset:${this.backlog ? this.backlog.firstByteOffset : 0}`);
    lines.push(`repl_backlog_histlen:${this.backlog ? this.backlog.histlen : 0}`);
    return lines;
  }

  /** The ROLE reply. */
  roleReply(reply: ReplyBuffer): void {
    if (this.isReplica()) {
      reply.arrayHeader(5);
      reply.bulk('slave');
      reply.bulk(this.masterHost as string);
      reply.integer(this.masterPort);
      reply.bulk(this.link ? this.link.roleState() : 'connect');
      reply.integer(this.link?.state === HandshakeState.Connected ? this.offset : -1);
      return;
    }
    reply.arrayHeader(3);
    reply.bulk('master');
    reply.integer(this.offset);
    const online = [...this.masterSide.replicas].filter((r) => r.isOnline());
    reply.arrayHeader(online.length);
    for (const replica of online) {
      reply.arrayHeader(3);
      reply.bulk(replica.ip);
      reply.bulk(String(replica.listeningPort));
      reply.bulk(String(replica.ackOffset));
    }
  }
}
