// An application's view of `rctl failover` on a Sentinel-managed set: three nodes under three real
// redis-sentinel processes, all launched by the built `rctl up`, and ioredis clients that find the
// master through the sentinels (`sentinels`, `name`, `sentinelPassword`, `password`) writing
// continuously, each write awaited. While they write, `rctl failover --promote n2` switches the
// master through the sentinels. Then: every write either client was told succeeded is on n2
// (read over a fresh direct connection), no full resync, every sentinel names n2, and the tuned
// client (failoverDetector, reconnect on READONLY) writes again, now to n2. What each client was
// told along the way (errors by kind, the longest gap) is printed for the README, not asserted:
// it depends on ioredis' options and on timing. Bundled nodes and Debian's redis-server 7.0 nodes,
// both under Debian's redis-sentinel 7.0.

import { performance } from 'node:perf_hooks';
import Redis from 'ioredis';
import { expect, it } from 'vitest';
import { isAlive, type Sandbox } from '../cli/helpers';
import type { RedisBinaries } from '../helpers/redis-versions';
import { AckedWriteLoad, checkAcked, sentinelClient, type ErrorKind } from '../helpers/sentinel-load';
import { eventually } from '../helpers/wait';
import type { FailoverJson } from '../../src/cluster/failover/types';
import { describeWithSentinel, ENV, MASTER_NAME, NODE_PASSWORD, SENTINEL_PASSWORD, sentinelPids, status, upAndCheck, useSet, type NodeKind, type SetUnderTest } from './set-helpers';

/** A direct connection to one node or sentinel, made for one question and closed. */
async function direct<T>(port: number, password: string, ask: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis({ host: '127.0.0.1', port, password, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return await ask(client);
  } finally {
    client.disconnect();
  }
}

async function namedPorts(set: SetUnderTest): Promise<Array<number | null>> {
  return Promise.all(
    set.sentinelPorts.map((port) =>
      direct(port, SENTINEL_PASSWORD, async (sentinel) => {
        const address = (await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME)) as string[] | null;
        return address ? Number(address[1]) : null;
      }).catch(() => null),
    ),
  );
}

async function syncFullTotal(set: SetUnderTest): Promise<number> {
  let total = 0;
  for (const port of set.nodePorts) {
    const stats = await direct(port, NODE_PASSWORD, (node) => node.info('stats'));
    total += Number(/^sync_full:(\d+)/m.exec(stats)?.[1]);
  }
  return total;
}

function describeErrors(errors: ErrorKind[], since: number): string {
  if (errors.length === 0) return 'none';
  return errors.map((e) => `${e.kind} x${e.count} (${(e.firstAt - since).toFixed(0)}..${(e.lastAt - since).toFixed(0)} ms after the failover started; e.g. "${e.example}")`).join('; ');
}

function scenario(label: string, nodes: (redis: RedisBinaries) => NodeKind): void {
  describeWithSentinel('7.0', `an ioredis Sentinel client through rctl failover: ${label} under Debian's redis-sentinel`, (redis) => {
    // Down-after 5 s: long enough that a loaded 2-core machine does not fail over on its own mid-test.
    const current = useSet(redis, { nodes: nodes(redis), downAfterMs: 5000 });

    it('rctl up starts the nodes and three sentinels that agree on n1', { timeout: 180_000 }, async () => {
      await upAndCheck(current());
      expect(await namedPorts(current())).toEqual([current().nodePorts[0], current().nodePorts[0], current().nodePorts[0]]);
    });

    it('rctl failover --promote n2 under load: no acknowledged write lost, no full resync, the sentinels name n2, the client writes to n2 again', { timeout: 240_000 }, async () => {
      const { box, file, nodePorts, sentinelPorts } = current();
      const connection = { sentinels: sentinelPorts.map((port) => ({ host: '127.0.0.1', port })), name: MASTER_NAME, sentinelPassword: SENTINEL_PASSWORD, password: NODE_PASSWORD };
      // tuned is what the README recommends; defaults is how many applications run ioredis, watched for the record.
      const loads = { tuned: new AckedWriteLoad(sentinelClient({ ...connection, profile: 'tuned' }), 'tuned'), defaults: new AckedWriteLoad(sentinelClient({ ...connection, profile: 'defaults' }), 'defaults') };
      let started = 0;
      let ended = 0;
      let result: Awaited<ReturnType<Sandbox['run']>> | null = null;
      let json: FailoverJson | null = null;
      const ackedBefore = { tuned: 0, defaults: 0 };
      try {
        await eventually(() => loads.tuned.acked.length >= 200 && loads.defaults.acked.length >= 200, { timeout: 30_000, interval: 50, what: 'both clients writing through the sentinels' });
        const syncFullBefore = await syncFullTotal(current());
        ackedBefore.tuned = loads.tuned.acked.length;
        ackedBefore.defaults = loads.defaults.acked.length;
        started = performance.now();
        result = await box.run(['failover', '--promote', 'n2', '--yes', '--json', '-t', file], { env: ENV, timeoutMs: 120_000 });
        ended = performance.now();
        expect(result.code, result.stdout + result.stderr).toBe(0);
        json = JSON.parse(result.stdout) as FailoverJson;
        expect(json.sentinel?.masterName).toBe(MASTER_NAME);
        expect(json.from).toBe('n1');
        expect(json.to).toBe('n2');
        expect(json.fullResyncs).toBe(0);

        await eventually(async () => (await namedPorts(current())).every((port) => port === nodePorts[1]), { timeout: 60_000, interval: 100, what: 'every sentinel to name n2' });
        // The switch is over for the application when its writes are acknowledged again, by n2.
        await eventually(() => loads.tuned.acked.filter((write) => write.at > ended).length >= 100, { timeout: 60_000, interval: 50, what: 'the tuned client to write again after the failover' });
        expect(await syncFullTotal(current())).toBe(syncFullBefore);
      } finally {
        await loads.tuned.stop();
        await loads.defaults.stop();
        if (started > 0) {
          const lines = [`[ioredis] ${label}: rctl failover --promote n2 took ${((ended - started) / 1000).toFixed(2)} s (exit ${result?.code}); what the clients saw from its start:`];
          if (json) lines.push(`  rctl: writesPausedMs ${json.writesPausedMs}, durationMs ${json.durationMs}, sentinel ${JSON.stringify(json.sentinel)}`);
          for (const [profile, load] of Object.entries(loads)) {
            const after = load.firstAckAfter(ended);
            lines.push(
              `  ${profile}: ${load.acked.length - ackedBefore[profile as keyof typeof ackedBefore]} writes acknowledged since; longest gap ${load.longestGap(started, Math.max(ended, after?.at ?? ended)).toFixed(0)} ms; ` +
                `${after ? `first write acknowledged ${(after.at - ended).toFixed(0)} ms after rctl exited` : 'no write acknowledged after rctl exited'}; errors: ${describeErrors(load.errors(), started)}`,
            );
          }
          console.log(lines.join('\n'));
        }
      }

      // Every acknowledged write is on the new master: read over a fresh direct connection to n2.
      const verdict = await direct(nodePorts[1], NODE_PASSWORD, async (n2) => ({
        role: ((await n2.call('ROLE')) as [string])[0],
        tuned: await checkAcked(n2, loads.tuned.acked),
        defaults: await checkAcked(n2, loads.defaults.acked),
      }));
      expect(verdict.role).toBe('master');
      for (const profile of ['tuned', 'defaults'] as const) {
        expect(verdict[profile].missing.slice(0, 5), `${profile}: ${verdict[profile].missing.length} acknowledged writes missing on n2`).toEqual([]);
        expect(verdict[profile].wrong.slice(0, 5), `${profile}: acknowledged writes with another value on n2`).toEqual([]);
      }

      // Settled: the old master follows n2, and rctl's view matches the sentinels'.
      const settled = await eventually(
        async () => {
          const { code, json: view } = await status(current());
          return code === 0 && view.healthy ? view : null;
        },
        { timeout: 60_000, interval: 250, what: 'a healthy set under n2' },
      );
      expect(settled.master).toBe('n2');
      expect(settled.sentinel.master).toBe('n2');
      expect(settled.nodes.find((n) => n.name === 'n1')).toMatchObject({ role: 'replica', master: 'n2' });
      expect(box.transcript()).not.toContain(NODE_PASSWORD);
      expect(box.transcript()).not.toContain(SENTINEL_PASSWORD);
    });

    it('rctl down --purge stops the nodes and the sentinels', { timeout: 120_000 }, async () => {
      const pids = sentinelPids(current());
      expect(pids).toHaveLength(3);
      const down = await current().box.run(['down', current().file, '--purge', '--yes', '--json'], { env: ENV, timeoutMs: 60_000 });
      expect(down.code, down.stderr).toBe(0);
      for (const pid of pids) expect(isAlive(pid)).toBe(false);
    });
  });
}

scenario('bundled nodes', () => ({ launch: 'embedded' }));
scenario("Debian's redis-server 7.0 nodes", (redis) => ({ launch: 'redis-server', binary: redis.server }));
