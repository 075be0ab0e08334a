// Replication state survives restarts (the seeds' replica restart): a bundled replica with RDB
// persistence, restarted with `replicaof` in its config file, loads its data, synthesizes a cached
// master from the repl-id / repl-offset stored in the RDB and continues with a partial resync,
// against a bundled master and against a real redis-server master. A bundled master restarted with
// its RDB keeps its history (replid2 = old ID), so its replicas (real and bundled) continue too.

import { expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { describeWithRedis, startRedisServer } from '../helpers/redis-server';
import { startNode, startNodeProcess, type NodeProcess } from '../helpers/bundled-node';
import { dumpKeyspace } from '../helpers/keyspace-dump';
import { fillEveryType } from '../helpers/fill-data';
import { eventually } from '../helpers/wait';
import { infoFields as info, waitReplicaInSync } from '../helpers/info';
import { freePort } from '../helpers/ports';
import { useCleanups } from '../helpers/cleanups';

const PASSWORD = '123456';

/** The seeds' replica restart log, in order. */
const RESTART_LINES = [
  /DB loaded from disk: \d+\.\d{3} seconds/,
  /Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer\./,
  /Trying a partial resynchronization \(request [0-9a-f]{40}:\d+\)\./,
  /Successful partial resynchronization with master\./,
  /MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization\./,
];

const cleanups = useCleanups();
const tempDir = () => cleanups.tempDir('rctl-restart-');

function connect(host: string, port: number): Redis {
  const client = new Redis({ host, port, password: PASSWORD, maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  cleanups.add(() => client.disconnect());
  return client;
}

/** A redis.conf for a bundled node, as an operator would write it (the seeds edit this file). */
function writeConfig(dir: string, port: number, extra: Record<string, string>): string {
  const lines = {
    port: String(port),
    bind: '127.0.0.1',
    dir,
    requirepass: PASSWORD,
    masterauth: PASSWORD,
    save: '3600 1',
    'repl-diskless-sync-delay': '0',
    ...extra,
  };
  const path = join(dir, 'redis.conf');
  writeFileSync(path, Object.entries(lines).map(([k, v]) => `${k} ${v}`).join('\n') + '\n');
  return path;
}

async function startProcess(configPath: string, port: number): Promise<NodeProcess> {
  const proc = await startNodeProcess([configPath, '--port', String(port)]);
  cleanups.add(() => void proc.stop());
  return proc;
}

const waitInSync = (master: Redis, replica: Redis) => waitReplicaInSync(master, replica, { timeout: 20_000 });

function expectInOrder(log: string, patterns: RegExp[]): void {
  let from = 0;
  for (const pattern of patterns) {
    const match = new RegExp(pattern.source, 'g');
    match.lastIndex = from;
    const found = match.exec(log);
    expect(found, `log line ${pattern} after offset ${from} in:\n${log}`).not.toBeNull();
    from = (found as RegExpExecArray).index + (found as RegExpExecArray)[0].length;
  }
}

/**
 * Writes in several dbs. Each round starts and ends in db 3, so after a restart the master's stream
 * continues in db 3 without a SELECT: the replica must resume in the db stored as repl-stream-db.
 */
async function writeRound(master: Redis, round: string): Promise<void> {
  await master.select(3);
  await master.set(`db3:first:${round}`, round);
  await master.select(0);
  await master.set(`round:${round}`, round);
  await master.incr('counter');
  await master.rpush('list', round);
  await master.hset('hash', round, round);
  await master.select(3);
  await master.sadd('set-in-db3', round);
  await master.zadd('zset-in-db3', round.length, round);
  await master.set(`db3:last:${round}`, round);
  await master.select(0);
}

/** How the bundled replica is restarted: a clean SHUTDOWN (save points), or kill -9 after a BGSAVE. */
type RestartKind = 'shutdown' | 'kill-after-bgsave';

async function restartReplica(replicaProc: NodeProcess, replica: Redis, kind: RestartKind, master: Redis): Promise<void> {
  if (kind === 'shutdown') {
    // systemctl restart: SIGTERM, and the save points make the node save on the way out.
    expect(await replicaProc.stop('SIGTERM')).toBe(0);
    expect(replicaProc.output()).toContain('Saving the final RDB snapshot before exiting.');
    return;
  }
  expect(await replica.bgsave()).toBe('Background saving started');
  await eventually(async () => (await info(replica, 'persistence')).rdb_bgsave_in_progress === '0', { what: 'BGSAVE done' });
  // Writes after the snapshot: the restarted replica gets them from the master's backlog.
  await writeRound(master, 'after-bgsave');
  await waitInSync(master, replica);
  await replicaProc.stop('SIGKILL');
}

async function expectSameData(master: { host: string; port: number }, replica: { host: string; port: number }): Promise<void> {
  expect(await dumpKeyspace(replica.host, replica.port, PASSWORD)).toEqual(await dumpKeyspace(master.host, master.port, PASSWORD));
}

describeWithRedis('persistence: replication state survives restarts', () => {
  for (const masterKind of ['bundled', 'redis'] as const) {
    for (const restartKind of ['shutdown', 'kill-after-bgsave'] as const) {
      it(`a bundled replica restarted with replicaof in its config continues with a partial resync (${masterKind} master, ${restartKind})`, { timeout: 60_000 }, async () => {
        let masterAddress: { host: string; port: number };
        if (masterKind === 'redis') {
          const real = await startRedisServer({ directives: { requirepass: PASSWORD, 'repl-diskless-sync-delay': '0' } });
          cleanups.add(() => real.stop());
          masterAddress = real;
        } else {
          const node = await startNode({ config: { requirepass: PASSWORD, 'repl-diskless-sync-delay': 0 } });
          cleanups.add(() => node.close());
          masterAddress = node;
        }
        const master = connect(masterAddress.host, masterAddress.port);
        await fillEveryType(master);
        await writeRound(master, 'before');

        const dir = tempDir();
        const replicaPort = await freePort();
        const configPath = writeConfig(dir, replicaPort, { replicaof: `${masterAddress.host} ${masterAddress.port}` });
        const first = await startProcess(configPath, replicaPort);
        const firstClient = connect(first.host, first.port);
        await waitInSync(master, firstClient);
        // Streamed after the full sync, so the replica's saved state has db 3 as its stream db.
        await writeRound(master, 'streamed');
        await waitInSync(master, firstClient);
        const synced = await info(master, 'stats');
        const replidBefore = (await info(firstClient)).master_replid;

        await restartReplica(first, firstClient, restartKind, master);
        // Writes while the replica is down: they must come from the backlog, not a full sync.
        await writeRound(master, 'while-down');

        const second = await startProcess(configPath, replicaPort);
        const secondClient = connect(second.host, second.port);
        await waitInSync(master, secondClient);
        expectInOrder(second.output(), RESTART_LINES);
        expect(second.output()).toContain(`Trying a partial resynchronization (request ${replidBefore}:`);
        expect(second.output()).not.toContain('Full resync from master');
        const stats = await info(master, 'stats');
        expect(Number(stats.sync_partial_ok)).toBe(Number(synced.sync_partial_ok) + 1);
        expect(stats.sync_full).toBe(synced.sync_full);

        await writeRound(master, 'after-restart');
        await waitInSync(master, secondClient);
        await expectSameData(masterAddress, second);
        await expect(secondClient.set('key1', 'abc')).rejects.toThrow("READONLY You can't write against a read only replica.");
      });
    }
  }

  it('a bundled master restarted with its RDB keeps its replication history: real and bundled replicas continue with a partial resync', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const masterPort = await freePort();
    const configPath = writeConfig(dir, masterPort, {});
    const first = await startProcess(configPath, masterPort);
    const firstClient = connect(first.host, first.port);
    await fillEveryType(firstClient);
    await writeRound(firstClient, 'before');

    const real = await startRedisServer({ directives: { masterauth: PASSWORD, requirepass: PASSWORD } });
    cleanups.add(() => real.stop());
    const bundled = await startNode({ config: { masterauth: PASSWORD, requirepass: PASSWORD }, keepLog: true });
    cleanups.add(() => bundled.close());
    const replicas = [connect(real.host, real.port), connect(bundled.host, bundled.port)];
    for (const replica of replicas) await replica.call('REPLICAOF', first.host, String(first.port));
    for (const replica of replicas) await waitInSync(firstClient, replica);
    await writeRound(firstClient, 'streamed');
    for (const replica of replicas) await waitInSync(firstClient, replica);
    const history = await info(firstClient);

    expect(await first.stop('SIGTERM')).toBe(0);
    const second = await startProcess(configPath, masterPort);
    const secondClient = connect(second.host, second.port);
    const restored = await info(secondClient);
    // Redis's restart of a master: a new ID, the old one as replid2, the offset kept.
    expect(restored.master_replid2).toBe(history.master_replid);
    expect(restored.second_repl_offset).toBe(String(Number(history.master_repl_offset) + 1));
    expect(restored.master_repl_offset).toBe(history.master_repl_offset);
    expect(restored.master_replid).not.toBe(history.master_replid);

    for (const replica of replicas) await waitInSync(secondClient, replica);
    const stats = await info(secondClient, 'stats');
    expect(stats.sync_partial_ok).toBe('2');
    expect(stats.sync_full).toBe('0');
    expect(real.log()).toContain('Successful partial resynchronization with master.');
    expect(real.log()).toContain(`Trying a partial resynchronization (request ${history.master_replid}:${Number(history.master_repl_offset) + 1}).`);
    expect(bundled.server.logger.memory?.join('\n')).toContain(`Master replication ID changed to ${restored.master_replid}`);

    await writeRound(secondClient, 'after-restart');
    for (const replica of replicas) await waitInSync(secondClient, replica);
    await expectSameData(second, real);
    await expectSameData(second, bundled);
  });
});
