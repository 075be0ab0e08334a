// Expiry while writes are paused (CLIENT PAUSE WRITE): Redis 7.0 holds both active and lazy expiry
// back so that the master's replication offset cannot move (rctl's graceful failover counts on
// it). An expired key reads as missing but is not deleted, nothing is propagated, and once the
// pause ends the deletions reach the replica. The same transcript is required of a redis-server
// master and replica and of a bundled-node master and replica.

import { afterEach, expect, it } from 'vitest';
import { startNode } from '../helpers/bundled-node';
import { describeWithRedis, startRedisServer } from '../helpers/redis-server';
import { RawConnection } from '../helpers/raw-connection';
import { eventually } from '../helpers/wait';

const KEYS = 200;
const TTL_MS = 300;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function field(info: string, name: string): string {
  const match = new RegExp(`\\r\\n${name}:([^\\r]*)\\r\\n`).exec(info);
  if (!match) throw new Error(`no ${name} in INFO`);
  return match[1];
}

async function scenario(master: { host: string; port: number }, replica: { host: string; port: number }): Promise<string[]> {
  const [m, r] = await Promise.all([RawConnection.open(master.host, master.port), RawConnection.open(replica.host, replica.port)]);
  cleanups.push(async () => {
    m.close();
    r.close();
  });
  const offset = async () => field(await m.command(['INFO', 'replication']), 'master_repl_offset');
  const log: string[] = [];
  await eventually(async () => field(await r.command(['INFO', 'replication']), 'master_link_status') === 'up', { timeout: 20_000, what: 'replica link up' });
  await m.command(['SET', 'keep', 'v']);
  for (let i = 0; i < KEYS; i++) await m.command(['SET', `k${i}`, 'v', 'PX', String(TTL_MS)]);
  const before = await offset();
  await eventually(async () => field(await r.command(['INFO', 'replication']), 'slave_repl_offset') === before, { timeout: 10_000, what: 'replica caught up' });
  log.push('pause ' + (await m.command(['CLIENT', 'PAUSE', '30000', 'WRITE'])));
  const paused = await offset();
  const expiredBefore = field(await m.command(['INFO', 'stats']), 'expired_keys');
  // Well past every TTL: active expiry cycles run (10 per second) and find the keys expired.
  await new Promise((resolve) => setTimeout(resolve, TTL_MS + 700));
  log.push('GET of an expired key ' + (await m.command(['GET', 'k0'])));
  log.push('EXISTS ' + (await m.command(['EXISTS', 'k1', 'k2'])));
  log.push('master DBSIZE ' + (await m.command(['DBSIZE'])));
  log.push('expired_keys unchanged ' + (field(await m.command(['INFO', 'stats']), 'expired_keys') === expiredBefore));
  log.push('offset unchanged ' + ((await offset()) === paused));
  log.push('replica DBSIZE ' + (await r.command(['DBSIZE'])));
  log.push('unpause ' + (await m.command(['CLIENT', 'UNPAUSE'])));
  await eventually(async () => (await m.command(['DBSIZE'])) === ':1\r\n', { timeout: 10_000, what: 'master expired the keys' });
  await eventually(async () => (await r.command(['DBSIZE'])) === ':1\r\n', { timeout: 10_000, what: 'replica got the deletions' });
  const after = await offset();
  log.push('offset moved ' + (Number(after) > Number(paused)));
  await eventually(async () => field(await r.command(['INFO', 'replication']), 'slave_repl_offset') === after, { timeout: 10_000, what: 'replica caught up again' });
  log.push('replica keeps ' + (await r.command(['GET', 'keep'])));
  return log;
}

const EXPECTED = [
  'pause +OK\r\n',
  'GET of an expired key $-1\r\n',
  'EXISTS :0\r\n',
  `master DBSIZE :${KEYS + 1}\r\n`,
  'expired_keys unchanged true',
  'offset unchanged true',
  `replica DBSIZE :${KEYS + 1}\r\n`,
  'unpause +OK\r\n',
  'offset moved true',
  'replica keeps $1\r\nv\r\n',
];

describeWithRedis('expiry during CLIENT PAUSE WRITE', () => {
  it('redis-server: held back during the pause, propagated after it', async () => {
    const master = await startRedisServer();
    cleanups.push(() => master.stop());
    const replica = await startRedisServer({ directives: { replicaof: `${master.host} ${master.port}` } });
    cleanups.push(() => replica.stop());
    expect(await scenario(master, replica)).toEqual(EXPECTED);
  }, 60_000);

  it('bundled node: the same', async () => {
    const master = await startNode({ config: { port: 0, save: '' } });
    cleanups.push(() => master.close());
    const replica = await startNode({ config: { port: 0, save: '', replicaof: `${master.host} ${master.port}` } });
    cleanups.push(() => replica.close());
    expect(await scenario(master, replica)).toEqual(EXPECTED);
  }, 60_000);
});
