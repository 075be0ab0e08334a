// `rctl failover` with clients blocked on the old master (bundled nodes): the demotion's REPLICAOF
// answers each of them Redis 7.0's -UNBLOCKED error and closes its connection, as redis-server
// does (disconnectAllBlockedClients), so job-queue consumers reconnect to the new master; no job
// pushed after the switch is lost or served twice.

import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/wait';
import { ERR_UNBLOCKED_ROLE_CHANGE } from '../../src/server/errors';
import { currentMaster, info, parseJson, PASSWORD, settled, startSet, type NodeSet } from './helpers';

const WAITERS = 3;

describe('rctl failover with clients blocked on the old master (bundled nodes)', () => {
  let set: NodeSet;
  const extra: Redis[] = [];
  const open = (name: string): Redis => {
    const node = set.byName(name);
    const client = new Redis({ host: node.host, port: node.port, password: PASSWORD, maxRetriesPerRequest: 1, retryStrategy: () => null });
    client.on('error', () => {});
    extra.push(client);
    return client;
  };

  beforeAll(async () => {
    set = await startSet('embedded', 'blockedset', ['bq1', 'bq2', 'bq3']);
  }, 60_000);
  afterAll(async () => {
    for (const client of extra) client.disconnect();
    await set?.close();
  });

  it('the waiters get -UNBLOCKED, their connections close, and consumers on the new master get every job once', async () => {
    const oldMaster = await currentMaster(set);
    await settled(set, oldMaster);
    const waits = Array.from({ length: WAITERS }, (_, i) =>
      open(oldMaster)
        .blpop(i === 0 ? 'jobs' : `jobs:${i}`, 'jobs', 0)
        .then(
          (value) => ({ value, error: null as string | null }),
          (error: Error) => ({ value: null, error: error.message }),
        ),
    );
    await eventually(async () => Number((await info(set.client(oldMaster), 'clients')).blocked_clients) === WAITERS, { what: 'waiters blocked' });

    const failover = await set.rctl(['failover', '--yes', '--json']);
    expect(failover.code, failover.stdout + failover.stderr).toBe(0);
    const { to } = parseJson<{ to: string }>(failover);
    expect(to).not.toBe(oldMaster);

    const outcomes = await Promise.all(waits);
    expect(outcomes).toEqual(Array.from({ length: WAITERS }, () => ({ value: null, error: ERR_UNBLOCKED_ROLE_CHANGE })));
    expect(Number((await info(set.client(oldMaster), 'clients')).blocked_clients)).toBe(0);
    expect((await info(set.client(oldMaster), 'errorstats')).errorstat_UNBLOCKED).toBe(`count=${WAITERS}`);

    // The consumers come back on the new master: every job pushed there is served exactly once.
    const consumers = Array.from({ length: WAITERS }, () => open(to));
    const served = consumers.map((consumer) => consumer.blpop('jobs', 5));
    await eventually(async () => Number((await info(set.client(to), 'clients')).blocked_clients) === WAITERS, { what: 'consumers blocked on the new master' });
    await set.client(to).rpush('jobs', 'j1', 'j2', 'j3');
    const jobs = (await Promise.all(served)).map((reply) => reply?.[1]);
    expect(jobs.sort()).toEqual(['j1', 'j2', 'j3']);
    await settled(set, to);
    expect(await set.client(oldMaster).exists('jobs')).toBe(0);
  }, 60_000);
});
