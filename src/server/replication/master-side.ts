// The master's side of replication: replicas attached through SYNC/PSYNC, full synchronizations
// (a point-in-time snapshot streamed as RDB while new writes are buffered), the live stream,
// keepalive PINGs, ACK tracking for WAIT, and dropping replicas that time out or fall too far behind.

import { randomBytes } from 'node:crypto';
import type { Client } from '../client';
import type { ReplicaAnnouncement } from '../context';
import type { Replication } from './replication';
import { decidePsync } from './psync-decision';
import { encodeCommand } from './stream';
import { KeyspaceSnapshot } from '../keyspace/snapshot';
import { socketsSink, writeRdbSnapshot } from './rdb-transfer';
import { outputLimitOf, LOG_OUTPUT_LIMIT_CLOSE } from '../output-limits';

/** Where an attached replica is in its synchronization, named as INFO shows it. */
export enum ReplicaSyncState {
  /** Full sync requested; waiting for the next snapshot to start (diskless delay). */
  WaitBgsave = 'wait_bgsave',
  /** The RDB is being streamed to it. */
  SendBulk = 'send_bulk',
  /** Receiving the live stream. */
  Online = 'online',
}

export class AttachedReplica {
  state: ReplicaSyncState = ReplicaSyncState.WaitBgsave;
  ackOffset = 0;
  ackTime: number;
  /** Stream bytes produced after its snapshot point, held until the RDB has been sent. */
  private pending: Array<string | Buffer> = [];
  pendingBytes = 0;
  /** Set once the snapshot this replica gets has been taken: later writes must be buffered. */
  snapshotTaken = false;
  /** RDB sent with an EOF mark: the stream waits for its first ACK, proof it finished loading. */
  awaitingOnlineAck = false;
  /** PSYNC (not plain SYNC): a +FULLRESYNC line precedes the RDB. */
  usesPsync = false;
  /** When the output buffer first went over the soft limit (client-output-buffer-limit). */
  private softLimitSince = 0;
  /** Progress of the RDB transfer: bytes the socket had flushed, and when that last changed. */
  private transferBytesSeen = -1;
  private transferProgressAt = 0;

  constructor(
    readonly client: Client,
    readonly announcement: ReplicaAnnouncement,
    now: number,
  ) {
    this.ackTime = now;
  }

  get ip(): string {
    return this.announcement.announcedIp ?? this.client.remoteAddress;
  }

  get listeningPort(): number {
    return this.announcement.listeningPort || this.client.remotePort;
  }

  /** "ip:port" as Redis names replicas in its logs. */
  get name(): string {
    return `${this.ip}:${this.listeningPort}`;
  }

  isOnline(): boolean {
    return this.state === ReplicaSyncState.Online && !this.awaitingOnlineAck;
  }

  send(data: string | Buffer): void {
    if (this.isOnline()) {
      this.write(data);
    } else if (this.snapshotTaken) {
      this.pending.push(data);
      this.pendingBytes += data.length;
    }
  }

  write(data: string | Buffer): void {
    const socket = this.client.socket;
    if (!socket || this.client.closed) return;
    if (typeof data === 'string') socket.write(data, 'latin1');
    else socket.write(data);
  }

  /** Sends what was buffered during the RDB transfer and joins the live stream. */
  goOnline(): void {
    this.state = ReplicaSyncState.Online;
    this.awaitingOnlineAck = false;
    const pending = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    for (const chunk of pending) this.write(chunk);
  }

  /** True when the RDB transfer made no progress (nothing flushed to the socket) for `timeoutMs`. */
  transferStalled(now: number, timeoutMs: number): boolean {
    const written = this.client.socket?.bytesWritten ?? 0;
    if (written !== this.transferBytesSeen) {
      this.transferBytesSeen = written;
      this.transferProgressAt = now;
      return false;
    }
    return now - this.transferProgressAt > timeoutMs;
  }

  /** Bytes queued for this replica: in our buffer plus what the socket has not flushed. */
  outputBytes(): number {
    return this.pendingBytes + (this.client.socket?.writableLength ?? 0);
  }

  /** client-output-buffer-limit replica <hard> <soft> <seconds>: true when it must be dropped. */
  overLimit(hard: number, soft: number, softSeconds: number, now: number): boolean {
    const used = this.outputBytes();
    if (hard > 0 && used >= hard) return true;
    if (soft > 0 && used >= soft) {
      if (this.softLimitSince === 0) this.softLimitSince = now;
      return now - this.softLimitSince >= softSeconds * 1000;
    }
    this.softLimitSince = 0;
    return false;
  }
}

/**
 * Redis starts the next BGSAVE for replicas only once serverCron (hz 10) has reaped the previous
 * child, so full syncs begin at most every 100 ms. Without that pause, a replica that fails every
 * full sync and retries at once (a 6.2 replica cannot load RDB v10) would have this node serialize
 * snapshots back to back, hundreds per second, each logged on both sides.
 */
const FULL_SYNC_MIN_INTERVAL_MS = 100;

/** Thrown into the RDB writer when every replica of a transfer went away. */
class TransferAbandoned extends Error {}

export class MasterSide {
  readonly replicas = new Set<AttachedReplica>();
  private readonly byClient = new Map<Client, AttachedReplica>();
  private readonly announcements = new WeakMap<Client, ReplicaAnnouncement>();
  private fullSyncTimer: NodeJS.Timeout | null = null;
  private fullSyncRunning = false;
  /** Wall-clock time the last full sync's snapshot was released (0: none yet). */
  private lastFullSyncEndedAt = 0;

  constructor(private readonly replication: Replication) {}

  private get server() {
    return this.replication.server;
  }

  announcementOf(client: Client): ReplicaAnnouncement {
    let found = this.announcements.get(client);
    if (!found) {
      found = { listeningPort: 0, announcedIp: null, capaEof: false, capaPsync2: false };
      this.announcements.set(client, found);
    }
    return found;
  }

  replicaOf(client: Client): AttachedReplica | undefined {
    return this.byClient.get(client);
  }

  /** Handles SYNC (replid null) and PSYNC from a connection. */
  handleSyncRequest(client: Client, request: { replid: string; offset: number; failover?: boolean } | null): void {
    const server = this.server;
    const replication = this.replication;
    if (this.byClient.has(client)) return;
    if (request?.failover) {
      // Our master hands us its role (FAILOVER): promote first, then answer it as its new master.
      if (request.replid !== replication.replid) {
        client.reply.error('ERR PSYNC FAILOVER replid must match my replid.');
        return;
      }
      replication.promote(client.describe(), 'failover request');
    }
    if (replication.isReplica() && !replication.linkUp()) {
      client.reply.error("NOMASTERLINK Can't SYNC while not connected with my master");
      return;
    }
    // Replies so far have been buffered; from here on the socket carries raw replication data, so
    // they leave now, not at the end of the turn (after the AOF has what they acknowledge).
    server.persistence.aof.writePending();
    client.sendBuffered();
    const announcement = this.announcementOf(client);
    const replica = new AttachedReplica(client, announcement, server.clock.now());
    client.isReplica = true;
    client.reply.muted = true;
    server.logger.notice(`Replica ${replica.name} asks for synchronization`);

    if (request) {
      const decision = decidePsync(
        { replid: request.replid, offset: request.offset },
        {
          replid: replication.replid,
          replid2: replication.replid2,
          secondReplOffset: replication.secondReplOffset,
          masterReplOffset: replication.offset,
          backlog: replication.backlog,
        },
      );
      if (decision.kind === 'continue') {
        this.attach(replica);
        replica.state = ReplicaSyncState.Online;
        replica.write(announcement.capaPsync2 ? `+CONTINUE ${replication.replid}\r\n` : '+CONTINUE\r\n');
        const backlogBytes = replication.backlog ? replication.backlog.readFrom(decision.fromOffset) : Buffer.alloc(0);
        if (backlogBytes.length > 0) replica.write(backlogBytes);
        replica.ackOffset = decision.fromOffset - 1;
        server.stats.syncPartialOk++;
        server.logger.notice(
          `Partial resynchronization request from ${replica.name} accepted. Sending ${backlogBytes.length} bytes of backlog starting from offset ${decision.fromOffset}.`,
        );
        return;
      }
      if (decision.partialAttempted) {
        server.stats.syncPartialErr++;
        if (decision.reason.startsWith('lack of backlog')) {
          server.logger.notice(`Unable to partial resync with replica ${replica.name} for ${decision.reason}.`);
          if (request.offset > replication.offset) {
            server.logger.warning(`Warning: replica ${replica.name} tried to PSYNC with an offset that is greater than the master replication offset.`);
          }
        } else {
          server.logger.notice(`Partial resynchronization not accepted: ${decision.reason}`);
        }
      } else {
        server.logger.notice(`${decision.reason} ${replica.name}`);
      }
    } else {
      // Plain SYNC: old replicas get the RDB without a +FULLRESYNC line.
      announcement.capaEof = false;
    }

    server.stats.syncFull++;
    if (!replication.backlog && this.replicas.size === 0) {
      // A backlog created from scratch starts a new history, as Redis does.
      replication.resetHistory();
      replication.ensureBacklog();
      server.logger.notice(
        `Replication backlog created, my new replication IDs are '${replication.replid}' and '${replication.replid2}'`,
      );
    }
    this.attach(replica);
    replica.usesPsync = request !== null;
    this.scheduleFullSync();
  }

  private attach(replica: AttachedReplica): void {
    this.replicas.add(replica);
    this.byClient.set(replica.client, replica);
    replica.client.socket?.setNoDelay(!this.server.config.getBool('repl-disable-tcp-nodelay'));
  }

  detach(client: Client): void {
    const replica = this.byClient.get(client);
    if (!replica) return;
    this.byClient.delete(client);
    this.replicas.delete(replica);
    this.server.logger.notice(`Connection with replica ${replica.name} lost.`);
  }

  private scheduleFullSync(): void {
    if (this.fullSyncTimer || this.fullSyncRunning) return;
    const diskless = this.server.config.getBool('repl-diskless-sync');
    const configured = diskless ? this.server.config.getInt('repl-diskless-sync-delay') * 1000 : 0;
    if (configured > 0) this.server.logger.notice('Delay next BGSAVE for diskless SYNC');
    const sinceLast = Date.now() - this.lastFullSyncEndedAt;
    const delay = Math.max(configured, FULL_SYNC_MIN_INTERVAL_MS - sinceLast);
    this.fullSyncTimer = setTimeout(() => {
      this.fullSyncTimer = null;
      void this.runFullSync();
    }, delay);
  }

  /** Takes one snapshot for every replica waiting, and streams it to all of them. */
  private async runFullSync(): Promise<void> {
    const server = this.server;
    const replication = this.replication;
    const targets = [...this.replicas].filter((r) => r.state === ReplicaSyncState.WaitBgsave && !r.snapshotTaken && !r.client.closed);
    if (targets.length === 0) return;
    this.fullSyncRunning = true;
    const useEofMark = server.config.getBool('repl-diskless-sync') && targets.every((r) => r.announcement.capaEof);
    server.logger.notice(`Starting BGSAVE for SYNC with target: ${useEofMark ? 'replicas sockets' : 'disk'}`);
    // The snapshot point: everything up to this offset is in the RDB, everything after is buffered.
    const snapshot = new KeyspaceSnapshot(server.dbs);
    const offset = replication.offset;
    replication.lastSelectedDb = -1;
    for (const replica of targets) {
      replica.snapshotTaken = true;
      // Disk-style transfers stay in wait_bgsave (with keepalive newlines) until the payload is ready.
      if (useEofMark) replica.state = ReplicaSyncState.SendBulk;
      if (replica.usesPsync) {
        replica.write(`+FULLRESYNC ${replication.replid} ${offset}\r\n`);
      }
    }
    const mark = randomBytes(20).toString('hex');
    // A replica relays its master's stream as is, so its sub-replicas must start in that stream's db.
    const streamDb = replication.isReplica() ? (replication.link?.streamDb ?? 0) : -1;
    const aux = { replid: replication.replid, offset, streamDb };
    try {
      if (useEofMark) {
        for (const replica of targets) replica.write(`$EOF:${mark}\r\n`);
        const liveSockets = () => targets.filter((r) => !r.client.closed && r.client.socket).map((r) => r.client.socket!);
        const toSockets = socketsSink(liveSockets);
        await writeRdbSnapshot(snapshot, aux, server, (chunk) => {
          // Every target is gone (dropped, timed out): stop serializing for nobody.
          if (liveSockets().length === 0) throw new TransferAbandoned();
          return toSockets(chunk);
        });
        for (const replica of targets) {
          replica.write(mark);
          // It goes online on its first ACK, when it is reading commands again; the timeout counts from now.
          replica.awaitingOnlineAck = true;
          replica.ackTime = server.clock.now();
          replica.state = ReplicaSyncState.Online;
          server.logger.notice(`Streamed RDB transfer with replica ${replica.name} succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming`);
        }
      } else {
        const chunks: Buffer[] = [];
        let total = 0;
        await writeRdbSnapshot(snapshot, aux, server, (chunk) => {
          chunks.push(chunk);
          total += chunk.length;
        });
        for (const replica of targets) {
          if (replica.client.closed) continue;
          replica.state = ReplicaSyncState.SendBulk;
          replica.write(`$${total}\r\n`);
          for (const chunk of chunks) replica.write(chunk);
          replica.goOnline();
          server.logger.notice(`Synchronization with replica ${replica.name} succeeded`);
        }
      }
    } catch (error) {
      if (error instanceof TransferAbandoned) server.logger.notice('Diskless rdb transfer abandoned: no replica left to receive it');
      else server.logger.warning(`Failed to produce the RDB for SYNC: ${(error as Error).message}`);
      for (const replica of targets) replica.client.close();
    } finally {
      snapshot.release();
      this.fullSyncRunning = false;
      this.lastFullSyncEndedAt = Date.now();
    }
    // Replicas that arrived while this one ran get the next snapshot.
    if ([...this.replicas].some((r) => r.state === ReplicaSyncState.WaitBgsave && !r.snapshotTaken)) this.scheduleFullSync();
  }

  /** REPLCONF ACK <offset> from a replica. */
  onAck(client: Client, offset: number): void {
    const replica = this.byClient.get(client);
    if (!replica) return;
    if (offset > replica.ackOffset) replica.ackOffset = offset;
    replica.ackTime = this.server.clock.now();
    if (replica.awaitingOnlineAck) {
      replica.goOnline();
      this.server.logger.notice(`Synchronization with replica ${replica.name} succeeded`);
    }
    this.server.emit('replicaAck');
  }

  broadcast(data: string | Buffer): void {
    for (const replica of this.replicas) replica.send(data);
  }

  /** Replicas whose ACK is recent enough for min-replicas-max-lag. */
  goodReplicaCount(): number {
    const maxLag = this.server.config.getInt('min-replicas-max-lag') * 1000;
    const now = this.server.clock.now();
    let good = 0;
    for (const replica of this.replicas) if (replica.isOnline() && now - replica.ackTime <= maxLag) good++;
    return good;
  }

  /** Number of replicas that acknowledged at least `offset` (WAIT). */
  countAcked(offset: number): number {
    let count = 0;
    for (const replica of this.replicas) if (replica.isOnline() && replica.ackOffset >= offset) count++;
    return count;
  }

  /** Asks replicas for an ACK through the stream (counts in the offset, as in Redis). */
  requestAcks(): void {
    if (this.replicas.size === 0 || this.server.pause.active) return;
    this.replication.feedStream(encodeCommand(['REPLCONF', 'GETACK', '*']));
  }

  disconnectAll(): void {
    for (const replica of [...this.replicas]) replica.client.close();
    this.replicas.clear();
    this.byClient.clear();
  }

  cronEverySecond(seconds: number): void {
    const server = this.server;
    const config = server.config;
    const now = server.clock.now();
    // No PING while writes are paused: offsets must stay still so a failover can see replicas catch up.
    if (this.replicas.size > 0 && !this.replication.isReplica() && !server.pause.active && seconds % config.getInt('repl-ping-replica-period') === 0) {
      // The PING goes through the stream (offset included) without changing the selected db.
      this.replication.feedStream(encodeCommand(['PING']));
    }
    const limits = outputLimitOf(config.get('client-output-buffer-limit'), 'replica');
    const timeoutMs = config.getInt('repl-timeout') * 1000;
    for (const replica of [...this.replicas]) {
      if (replica.state === ReplicaSyncState.WaitBgsave) {
        // Keeps the replica's read timeout from firing while it waits for the snapshot.
        replica.write('\n');
      }
      if (replica.state === ReplicaSyncState.Online && now - replica.ackTime > timeoutMs) {
        server.logger.warning(`Disconnecting timedout replica (streaming sync): ${replica.name}`);
        replica.client.close();
        continue;
      }
      if (replica.state === ReplicaSyncState.SendBulk && replica.transferStalled(now, timeoutMs)) {
        // Closing the socket also releases the snapshot writer waiting for it to drain.
        server.logger.warning(`Disconnecting timedout replica (full sync): ${replica.name}`);
        replica.client.close();
        continue;
      }
      if (replica.overLimit(limits.hard, limits.soft, limits.softSeconds, now)) {
        server.logger.warning(LOG_OUTPUT_LIMIT_CLOSE(replica.client.describe()));
        server.stats.clientOutputBufferLimitDisconnections++;
        replica.client.close();
      }
    }
  }

  infoLines(): string[] {
    const lines: string[] = [];
    const now = this.server.clock.now();
    let index = 0;
    for (const replica of this.replicas) {
      const lag = Math.floor((now - replica.ackTime) / 1000);
      lines.push(`slave${index++}:ip=${replica.ip},port=${replica.listeningPort},state=${replica.state},offset=${replica.ackOffset},lag=${lag}`);
    }
    return lines;
  }
}

