// Replication commands: REPLICAOF/SLAVEOF, SYNC, PSYNC, REPLCONF, WAIT.

import type { CommandContext } from '../context';
import { command, type CommandSpec } from './table';
import { ERR_NOT_INTEGER, ERR_SYNTAX } from '../errors';
import { parseInt64 } from '../resp/numbers';

const ERR_REPLICAOF_FROM_REPLICA = 'ERR Command is not valid when client is a replica.';
const ERR_REPLICAOF_DURING_FAILOVER = 'ERR REPLICAOF not allowed while failing over.';
const ERR_SYNC_PENDING_OUTPUT = 'ERR SYNC and PSYNC are invalid with pending output';
const ERR_WAIT_ON_REPLICA =
  'ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.';
const ERR_TIMEOUT_NOT_INTEGER = 'ERR timeout is not an integer or out of range';
const ERR_TIMEOUT_NEGATIVE = 'ERR timeout is negative';
const ERR_UNRECOGNIZED_REPLCONF = (option: string) => `ERR Unrecognized REPLCONF option: ${option}`;

/** How Redis names the requester in REPLICAOF logs: its CLIENT INFO line. */
function requesterOf(client: CommandContext): string {
  return client.describe();
}

function replicaof(client: CommandContext, args: string[]): void {
  const replication = client.server.replication;
  if (client.isReplica) return client.reply.error(ERR_REPLICAOF_FROM_REPLICA);
  if (replication.failoverState !== 'no-failover') return client.reply.error(ERR_REPLICAOF_DURING_FAILOVER);
  if (args[1].toLowerCase() === 'no' && args[2].toLowerCase() === 'one') {
    if (replication.isReplica()) {
      replication.promote(requesterOf(client));
    }
    return client.reply.ok();
  }
  const port = parseInt64(args[2]);
  if (port === null || typeof port === 'bigint') return client.reply.error(ERR_NOT_INTEGER);
  const host = args[1];
  if (replication.masterHost === host && replication.masterPort === port) {
    client.server.logger.notice(
      'REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.',
    );
    return client.reply.simple('OK Already connected to specified master');
  }
  replication.replicaOf(host, port, requesterOf(client));
  client.reply.ok();
}

function canSync(client: CommandContext): boolean {
  if (client.isReplica) return false;
  if (client.reply.pendingBytes > 0) {
    client.reply.error(ERR_SYNC_PENDING_OUTPUT);
    return false;
  }
  return true;
}

function sync(client: CommandContext): void {
  if (!canSync(client)) return;
  client.server.replication.masterSide.handleSyncRequest(client, null);
}

function psync(client: CommandContext, args: string[]): void {
  if (!canSync(client)) return;
  const offset = parseInt64(args[2]);
  if (offset === null || typeof offset === 'bigint') return client.reply.error(ERR_NOT_INTEGER);
  const failover = args.length > 3 && args[3].toLowerCase() === 'failover';
  client.server.replication.masterSide.handleSyncRequest(client, { replid: args[1], offset, failover });
}

function replconf(client: CommandContext, args: string[]): void {
  if (args.length % 2 === 0) return client.reply.error(ERR_SYNTAX);
  const replication = client.server.replication;
  const announcement = replication.masterSide.announcementOf(client);
  for (let i = 1; i < args.length; i += 2) {
    const option = args[i].toLowerCase();
    const value = args[i + 1];
    switch (option) {
      case 'listening-port': {
        const port = parseInt64(value);
        if (port === null || typeof port === 'bigint') return client.reply.error(ERR_NOT_INTEGER);
        announcement.listeningPort = port;
        break;
      }
      case 'ip-address':
        announcement.announcedIp = value;
        break;
      case 'capa':
        if (value.toLowerCase() === 'eof') announcement.capaEof = true;
        else if (value.toLowerCase() === 'psync2') announcement.capaPsync2 = true;
        break;
      case 'ack': {
        // ACKs are never answered: the replica is not reading replies on this link.
        const offset = parseInt64(value);
        if (offset !== null && typeof offset !== 'bigint') replication.masterSide.onAck(client, offset);
        return;
      }
      case 'getack':
        // Only our master may ask; the ACK goes out on the link, not as a reply.
        if (client.isMasterLink) replication.link?.sendAck();
        return;
      case 'rdb-only':
      case 'rdb-filter-only':
        break;
      default:
        return client.reply.error(ERR_UNRECOGNIZED_REPLCONF(args[i]));
    }
  }
  client.reply.ok();
}

function wait(client: CommandContext, args: string[]): void {
  const server = client.server;
  const replication = server.replication;
  if (replication.isReplica()) return client.reply.error(ERR_WAIT_ON_REPLICA);
  const wanted = parseInt64(args[1]);
  if (wanted === null || typeof wanted === 'bigint') return client.reply.error(ERR_NOT_INTEGER);
  const timeout = parseInt64(args[2]);
  if (timeout === null || typeof timeout === 'bigint') return client.reply.error(ERR_TIMEOUT_NOT_INTEGER);
  if (timeout < 0) return client.reply.error(ERR_TIMEOUT_NEGATIVE);
  // Every write this client made is at or below the current offset.
  const target = replication.offset;
  const acked = replication.masterSide.countAcked(target);
  if (acked >= wanted || client.multi !== null) return client.reply.integer(acked);
  // Parked with the key-blocked clients (on no key), so that CLIENT UNBLOCK, INFO blocked_clients
  // and the UNBLOCKED error of a node turning into a replica treat WAIT as Redis 7.0 does.
  const blocking = server.blocking;
  const onAck = () => {
    if (!blocking.isBlocked(client)) return server.off('replicaAck', onAck);
    // Answered the way a timeout answers: with the count of replicas that have it.
    if (replication.masterSide.countAcked(target) >= wanted) blocking.end(client, { kind: 'timeout' });
  };
  const answer = () => {
    server.off('replicaAck', onAck);
    client.reply.integer(replication.masterSide.countAcked(target));
  };
  blocking.block(client, [], timeout > 0 ? server.clock.now() + timeout : 0, () => false, answer);
  server.on('replicaAck', onAck);
  replication.masterSide.requestAcks();
}

const ERR_FAILOVER_ABORT_NONE = 'ERR No failover in progress.';
const ERR_FAILOVER_TIMEOUT = 'ERR FAILOVER timeout must be greater than 0';
const ERR_FAILOVER_IN_PROGRESS = 'ERR FAILOVER already in progress.';
const ERR_FAILOVER_ON_REPLICA = 'ERR FAILOVER is not valid when server is a replica.';
const ERR_FAILOVER_NO_REPLICAS = 'ERR FAILOVER requires connected replicas.';
const ERR_FAILOVER_FORCE = 'ERR FAILOVER with force option requires both a timeout and target HOST and IP.';
const ERR_FAILOVER_NOT_REPLICA = 'ERR FAILOVER target HOST and PORT is not a replica.';
const ERR_FAILOVER_NOT_ONLINE = 'ERR FAILOVER target replica is not online.';

/** FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms], checked in Redis's order. */
function failover(client: CommandContext, args: string[]): void {
  const replication = client.server.replication;
  if (args.length === 2 && args[1].toLowerCase() === 'abort') {
    if (replication.failoverState === 'no-failover') return client.reply.error(ERR_FAILOVER_ABORT_NONE);
    replication.abortFailover('Failover manually aborted');
    return client.reply.ok();
  }
  let timeoutMs = 0;
  let force = false;
  let target: { host: string; port: number } | null = null;
  for (let i = 1; i < args.length; i++) {
    const option = args[i].toLowerCase();
    if (option === 'timeout' && i + 1 < args.length && timeoutMs === 0) {
      const value = parseInt64(args[i + 1]);
      if (value === null || typeof value === 'bigint') return client.reply.error(ERR_NOT_INTEGER);
      if (value <= 0) return client.reply.error(ERR_FAILOVER_TIMEOUT);
      timeoutMs = value;
      i++;
    } else if (option === 'to' && i + 2 < args.length && !target) {
      const port = parseInt64(args[i + 2]);
      if (port === null || typeof port === 'bigint') return client.reply.error(ERR_NOT_INTEGER);
      target = { host: args[i + 1], port };
      i += 2;
    } else if (option === 'force' && !force) {
      force = true;
    } else {
      return client.reply.error(ERR_SYNTAX);
    }
  }
  if (replication.failoverState !== 'no-failover') return client.reply.error(ERR_FAILOVER_IN_PROGRESS);
  if (replication.isReplica()) return client.reply.error(ERR_FAILOVER_ON_REPLICA);
  if (replication.masterSide.replicas.size === 0) return client.reply.error(ERR_FAILOVER_NO_REPLICAS);
  if (force && (!timeoutMs || !target)) return client.reply.error(ERR_FAILOVER_FORCE);
  if (target) {
    const replica = [...replication.masterSide.replicas].find((r) => r.ip.toLowerCase() === target.host.toLowerCase() && r.listeningPort === target.port);
    if (!replica) return client.reply.error(ERR_FAILOVER_NOT_REPLICA);
    if (!replica.isOnline()) return client.reply.error(ERR_FAILOVER_NOT_ONLINE);
  }
  replication.startFailover(target, timeoutMs, force);
  client.reply.ok();
}

export const replicationCommands: CommandSpec[] = [
  command('failover', -1, ['admin', 'noscript', 'stale'], failover),
  command('replicaof', 3, ['admin', 'noscript', 'stale'], replicaof),
  command('slaveof', 3, ['admin', 'noscript', 'stale'], replicaof),
  command('sync', 1, ['admin', 'noscript', 'nomulti'], sync),
  command('psync', -3, ['admin', 'noscript', 'nomulti'], psync),
  command('replconf', -1, ['admin', 'noscript', 'loading', 'stale'], replconf),
  command('wait', 3, ['noscript'], wait),
];
