// INFO: the replication fields the seed transcripts show, section selection, the values the node
// computes, and the field names real redis-server 7.0 prints in the sections tools parse.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startNode } from '../helpers/bundled-node';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { RawConnection } from '../helpers/raw-connection';
import { ManualClock } from '../../src/server/clock';
import { parseInfo, renderInfo, bytesToHuman, defaultPersistenceInfo, type PersistenceInfo } from '../../src/server/info';
import type { RunningServer } from '../../src/server/index';
import type { ReplyBuffer } from '../../src/server/resp/reply';

/** INFO over the wire, as clients see it: the bulk string's body. */
async function infoText(host: string, port: number, ...sections: string[]): Promise<string> {
  const conn = await RawConnection.open(host, port);
  try {
    const reply = await conn.command(['INFO', ...sections]);
    return reply.slice(reply.indexOf('\r\n') + 2, -2);
  } finally {
    conn.close();
  }
}

function fields(text: string, section: string): Map<string, string> {
  const found = parseInfo(text).get(section);
  if (!found) throw new Error(`no # ${section} section in:\n${text}`);
  return found;
}

describe('INFO on the bundled node', () => {
  let node: RunningServer;
  let clock: ManualClock;

  beforeAll(async () => {
    clock = new ManualClock(1_700_000_000_000);
    node = await startNode({ clock });
  });
  afterAll(async () => {
    await node.close();
  });
  afterEach(() => {
    node.server.config.setValidated('repl-backlog-size', String(1024 * 1024));
  });

  it('prints the replication fields of a fresh master as in the seed transcripts', async () => {
    const replication = fields(await infoText(node.host, node.port, 'replication'), 'Replication');
    expect(replication.get('role')).toBe('master');
    expect(replication.get('connected_slaves')).toBe('0');
    expect(replication.get('master_failover_state')).toBe('no-failover');
    expect(replication.get('master_replid')).toMatch(/^[0-9a-f]{40}$/);
    expect(replication.get('master_replid2')).toBe('0000000000000000000000000000000000000000');
    expect(replication.get('master_repl_offset')).toBe('0');
    expect(replication.get('second_repl_offset')).toBe('-1');
    expect(replication.get('repl_backlog_active')).toBe('0');
    expect(replication.get('repl_backlog_size')).toBe('1048576');
    expect(replication.get('repl_backlog_first_byte_offset')).toBe('0');
    expect(replication.get('repl_backlog_histlen')).toBe('0');
    expect([...replication.keys()]).toEqual([
      'role',
      'connected_slaves',
      'master_failover_state',
      'master_replid',
      'master_replid2',
      'master_repl_offset',
      'second_repl_offset',
      'repl_backlog_active',
      'repl_backlog_size',
      'repl_backlog_first_byte_offset',
      'repl_backlog_histlen',
    ]);
  });

  it('follows CONFIG SET repl-backlog-size', async () => {
    const conn = await RawConnection.open(node.host, node.port);
    try {
      expect(await conn.command(['CONFIG', 'SET', 'repl-backlog-size', '2mb'])).toBe('+OK\r\n');
    } finally {
      conn.close();
    }
    expect(fields(await infoText(node.host, node.port, 'replication'), 'Replication').get('repl_backlog_size')).toBe('2097152');
  });

  it('selects sections like Redis: default, all, everything, several, any case, unknown', () => {
    const titles = (...args: string[]) => [...parseInfo(renderInfo(node.server, args)).keys()];
    const defaults = ['Server', 'Clients', 'Memory', 'Persistence', 'Stats', 'Replication', 'CPU', 'Modules', 'Errorstats', 'Cluster', 'Keyspace'];
    expect(titles()).toEqual(defaults);
    expect(titles('default')).toEqual(defaults);
    const all = ['Server', 'Clients', 'Memory', 'Persistence', 'Stats', 'Replication', 'CPU', 'Modules', 'Commandstats', 'Errorstats', 'Latencystats', 'Cluster', 'Keyspace'];
    expect(titles('all')).toEqual(all);
    expect(titles('everything')).toEqual(all);
    expect(titles('keyspace', 'SERVER', 'Server')).toEqual(['Server', 'Keyspace']);
    expect(titles('commandstats')).toEqual(['Commandstats']);
    expect(renderInfo(node.server, ['nosuch'])).toBe('');
    expect(renderInfo(node.server, ['cluster'])).toBe('# Cluster\r\ncluster_enabled:0\r\n');
  });

  it('reports uptime, server time, port, run id and version from the server and its clock', () => {
    const before = fields(renderInfo(node.server, ['server']), 'Server');
    clock.advance(5_000);
    const server = fields(renderInfo(node.server, ['server']), 'Server');
    expect(Number(server.get('uptime_in_seconds')) - Number(before.get('uptime_in_seconds'))).toBe(5);
    expect(server.get('server_time_usec')).toBe(String(clock.now() * 1000));
    expect(server.get('tcp_port')).toBe(String(node.port));
    expect(server.get('run_id')).toBe(node.server.runId);
    expect(server.get('process_id')).toBe(String(process.pid));
    expect(server.get('redis_version')).toBe('7.0.15');
    expect(server.get('rctl_node_version')).toMatch(/^\d+\.\d+\.\d+/);
    expect(server.get('config_file')).toBe('');
  });

  it('counts keys, expiring keys and their average TTL per database', () => {
    const db0 = node.server.dbs[0];
    const db3 = node.server.dbs[3];
    db0.set('a', '1');
    db0.set('b', '2');
    db0.setExpire('b', clock.now() + 10_000);
    db3.set('c', '3');
    db3.setExpire('c', clock.now() + 4_000);
    try {
      const keyspace = fields(renderInfo(node.server, ['keyspace']), 'Keyspace');
      expect(keyspace.get('db0')).toBe('keys=2,expires=1,avg_ttl=10000');
      expect(keyspace.get('db3')).toBe('keys=1,expires=1,avg_ttl=4000');
      expect(keyspace.has('db1')).toBe(false);
    } finally {
      db0.clear();
      db3.clear();
    }
  });

  it('prints replication sync counters, dirty count and last save time, and CONFIG RESETSTAT clears counters', async () => {
    const server = node.server;
    server.stats.syncFull = 2;
    server.stats.syncPartialOk = 3;
    server.stats.syncPartialErr = 1;
    server.stats.expiredKeys = 7;
    server.dirty = 42;
    const conn = await RawConnection.open(node.host, node.port);
    try {
      await conn.command(['NOSUCHCOMMAND']);
      const text = await infoText(node.host, node.port, 'stats', 'persistence');
      const stats = fields(text, 'Stats');
      expect(stats.get('sync_full')).toBe('2');
      expect(stats.get('sync_partial_ok')).toBe('3');
      expect(stats.get('sync_partial_err')).toBe('1');
      expect(stats.get('expired_keys')).toBe('7');
      expect(Number(stats.get('total_connections_received'))).toBeGreaterThanOrEqual(2);
      expect(Number(stats.get('total_error_replies'))).toBeGreaterThanOrEqual(1);
      const persistence = fields(text, 'Persistence');
      expect(persistence.get('rdb_changes_since_last_save')).toBe('42');
      expect(persistence.get('rdb_last_save_time')).toBe(String(server.lastSaveTime));
      expect(persistence.get('loading')).toBe('0');
      expect(persistence.get('aof_enabled')).toBe('0');

      expect(await conn.command(['CONFIG', 'RESETSTAT'])).toBe('+OK\r\n');
      const after = fields(renderInfo(server, ['stats']), 'Stats');
      expect(after.get('sync_full')).toBe('0');
      expect(after.get('expired_keys')).toBe('0');
      expect(after.get('total_error_replies')).toBe('0');
      // RESETSTAT itself is the only command counted since the reset.
      expect(after.get('total_commands_processed')).toBe('1');
      expect(fields(renderInfo(server, ['server']), 'Server').get('uptime_in_seconds')).not.toBe('0');
    } finally {
      conn.close();
      server.dirty = 0;
    }
  });

  it('lists commands with calls in commandstats', async () => {
    const conn = await RawConnection.open(node.host, node.port);
    try {
      await conn.command(['CONFIG', 'RESETSTAT']);
      await conn.command(['PING']);
      await conn.command(['PING']);
      await conn.command(['CONFIG', 'GET', 'hz']);
      const stats = fields(renderInfo(node.server, ['commandstats']), 'Commandstats');
      expect(stats.get('cmdstat_ping')).toMatch(/^calls=2,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0$/);
      expect(stats.get('cmdstat_config|get')).toMatch(/^calls=1,/);
      expect(stats.has('cmdstat_echo')).toBe(false);
    } finally {
      conn.close();
    }
  });

  it('takes the persistence section from the persistence module', () => {
    const persistence = node.server.persistence as unknown as Record<string, unknown>;
    const own = Object.prototype.hasOwnProperty.call(persistence, 'persistenceInfo');
    const original = persistence.persistenceInfo;
    persistence.persistenceInfo = (): PersistenceInfo => ({ ...defaultPersistenceInfo(node.server), rdb_bgsave_in_progress: 1, rdb_saves: 9 });
    try {
      const lines = fields(renderInfo(node.server, ['persistence']), 'Persistence');
      expect(lines.get('rdb_bgsave_in_progress')).toBe('1');
      expect(lines.get('rdb_saves')).toBe('9');
      expect(lines.get('rdb_last_bgsave_status')).toBe('ok');
    } finally {
      if (own) persistence.persistenceInfo = original;
      else delete persistence.persistenceInfo;
    }
  });

  it('answers ROLE through the replication module when it provides roleReply', async () => {
    const conn = await RawConnection.open(node.host, node.port);
    const replication = node.server.replication as unknown as Record<string, unknown>;
    const hadOwn = Object.prototype.hasOwnProperty.call(replication, 'roleReply');
    const original = replication.roleReply;
    try {
      replication.roleReply = (reply: ReplyBuffer) => reply.bulkArray(['slave', '127.0.0.1']);
      expect(await conn.command(['ROLE'])).toBe('*2\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n');
      replication.roleReply = undefined;
      expect(await conn.command(['ROLE'])).toBe('*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n');
    } finally {
      if (hadOwn) replication.roleReply = original;
      else delete replication.roleReply;
      conn.close();
    }
  });

  it('formats sizes as Redis bytesToHuman', () => {
    expect(bytesToHuman(0)).toBe('0B');
    expect(bytesToHuman(1023)).toBe('1023B');
    expect(bytesToHuman(1024)).toBe('1.00K');
    expect(bytesToHuman(916320)).toBe('894.84K');
    expect(bytesToHuman(6598656)).toBe('6.29M');
    expect(bytesToHuman(25274793984)).toBe('23.54G');
  });
});

describeWithRedis('INFO field names against redis-server 7.0', () => {
  let redis: RedisProcess;
  let node: RunningServer;

  beforeAll(async () => {
    [redis, node] = await Promise.all([startRedisServer(), startNode()]);
    // One key with a TTL in db0 and one plain key in db2 on both, so Keyspace has lines.
    const conn = await RawConnection.open(redis.host, redis.port);
    try {
      await conn.command(['SET', 'k', 'v', 'EX', '100']);
      await conn.command(['SELECT', '2']);
      await conn.command(['SET', 'k', 'v']);
    } finally {
      conn.close();
    }
    node.server.dbs[0].set('k', 'v');
    node.server.dbs[0].setExpire('k', node.server.clock.now() + 100_000);
    node.server.dbs[2].set('k', 'v');
  });
  afterAll(async () => {
    await Promise.all([redis?.stop(), node?.close()]);
  });

  const SECTIONS = ['Server', 'Clients', 'Persistence', 'Stats', 'Replication', 'Keyspace'];

  it('prints every field redis-server prints in server, clients, persistence, stats, replication and keyspace', async () => {
    const [real, ours] = await Promise.all([infoText(redis.host, redis.port, 'everything'), infoText(node.host, node.port, 'everything')]);
    const realSections = parseInfo(real);
    const ourSections = parseInfo(ours);
    const missing: string[] = [];
    const extra: string[] = [];
    for (const section of SECTIONS) {
      const realNames = [...(realSections.get(section)?.keys() ?? [])];
      const ourNames = [...(ourSections.get(section)?.keys() ?? [])];
      expect(realNames.length, `redis-server printed no ${section} fields`).toBeGreaterThan(0);
      for (const name of realNames) if (!ourNames.includes(name)) missing.push(`${section}.${name}`);
      for (const name of ourNames) if (!realNames.includes(name)) extra.push(`${section}.${name}`);
      // Fields both print come in the same order.
      expect(ourNames.filter((name) => realNames.includes(name)), `${section} order`).toEqual(realNames.filter((name) => ourNames.includes(name)));
    }
    expect(missing).toEqual([]);
    // The node's additions: its own version, and Redis 7.4's two limit-disconnection counters
    // (operators need them; 7.0 counts nothing). Anything else is a name Redis does not have.
    expect(extra).toEqual(['Server.rctl_node_version', 'Stats.client_query_buffer_limit_disconnections', 'Stats.client_output_buffer_limit_disconnections']);
  });

  it('prints the same sections in the same order for INFO, INFO default, INFO all and INFO everything', async () => {
    for (const args of [[], ['default'], ['all'], ['everything'], ['clients', 'server']]) {
      const [real, ours] = await Promise.all([infoText(redis.host, redis.port, ...args), infoText(node.host, node.port, ...args)]);
      expect([...parseInfo(ours).keys()], `INFO ${args.join(' ')}`).toEqual([...parseInfo(real).keys()]);
    }
  });

  it('formats keyspace lines the same way', async () => {
    const [real, ours] = await Promise.all([infoText(redis.host, redis.port, 'keyspace'), infoText(node.host, node.port, 'keyspace')]);
    const pattern = /^keys=\d+,expires=\d+,avg_ttl=\d+$/;
    for (const text of [real, ours]) {
      const keyspace = fields(text, 'Keyspace');
      expect([...keyspace.keys()]).toEqual(['db0', 'db2']);
      expect(keyspace.get('db0')).toMatch(pattern);
      expect(keyspace.get('db2')).toBe('keys=1,expires=0,avg_ttl=0');
    }
    expect(fields(ours, 'Keyspace').get('db0')).toMatch(/^keys=1,expires=1,avg_ttl=\d+$/);
  });
});
