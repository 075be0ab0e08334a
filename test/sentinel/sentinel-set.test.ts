// Three bundled nodes under three real redis-sentinel processes that `rctl up` launches: the
// sentinels discover the set, `rctl status` reports their view and takes their master as the
// master, they fail over when the master is killed and rctl follows them (its roles record too,
// and a later `rctl up` does not undo it), a sentinel monitoring a wrong address is flagged,
// `rctl replicaof` refuses to repoint a node behind their back, and `rctl down` stops the sentinels. Passwords stay
// out of argv, output and logs; config files stay 0600 after Sentinel rewrote them.
// Sentinel from Debian's 7.0 (the full scenario) and from 6.2.16 and 7.2.6 (up, kill -9, down).


import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { isAlive, redisCommand } from '../cli/helpers';
import { freePort } from '../helpers/ports';
import type { MatrixVersion } from '../helpers/redis-versions';
import { eventually } from '../helpers/wait';
import {
  cleanup,
  createSet,
  describeWithSentinel,
  ENV,
  expectNoPasswordAnywhere,
  expectPrivateConfigs,
  MASTER_NAME,
  NODE_PASSWORD,
  pidIn,
  rolesRecord,
  SENTINEL_PASSWORD,
  sentinelDirs,
  sentinelPids,
  status,
  topologyText,
  upAndCheck,
  useSet,
  type SetUnderTest,
  type StatusJson,
} from './set-helpers';


/** Kills the master with SIGKILL and waits (with `rctl status`) until the sentinels name another, healthy master. */
async function killMasterAndWaitForSentinels(set: SetUnderTest): Promise<{ newMaster: string; secondsUntilAgreed: number }> {
  const pid = pidIn(join(set.box.home, 'sentinel-set', 'n1', 'node.pid'));
  expect(pid).not.toBeNull();
  process.kill(pid as number, 'SIGKILL');
  const killedAt = Date.now();
  const agreed = await eventually(
    async () => {
      const { json } = await status(set);
      const names = json.sentinel.sentinels.map((s) => s.master);
      return json.sentinel.master !== null && json.sentinel.master !== 'n1' && names.every((name) => name === json.sentinel.master) ? json : null;
    },
    { timeout: 60_000, interval: 200, what: 'every sentinel to name a new master' },
  );
  const secondsUntilAgreed = (Date.now() - killedAt) / 1000;
  process.stderr.write(`[measure] sentinels agree on ${agreed.sentinel.master} ${secondsUntilAgreed.toFixed(1)} s after kill -9 of the master\n`);
  // The leader keeps failover_in_progress until it has reconfigured the replicas; until then
  // `rctl up` rightly changes nothing (SENTINEL_FAILOVER_IN_PROGRESS), so an operator waits too.
  // The master the sentinels settle on is the one checked: on a loaded machine a promoted node
  // that misses pings for down-after-milliseconds gets failed over again, and status must follow
  // the sentinels then too.
  const settled = await eventually(
    async () => {
      const { json } = await status(set);
      const master = json.sentinel.master;
      const idle = json.sentinel.sentinels.every((s) => !s.flags.includes('failover_in_progress'));
      return idle && master !== null && master !== 'n1' && json.sentinel.sentinels.every((s) => s.master === master) ? json : null;
    },
    { timeout: 60_000, interval: 200, what: 'the sentinels to finish their failover and agree' },
  );
  if (settled.sentinel.master !== agreed.sentinel.master) {
    process.stderr.write(`[measure] the sentinels failed over a second time: ${agreed.sentinel.master} then ${settled.sentinel.master}\n`);
  }
  return { newMaster: settled.sentinel.master as string, secondsUntilAgreed };
}


function fullScenario(version: MatrixVersion): void {
  describeWithSentinel(version, `a Sentinel-managed set: Sentinel ${version} launched by rctl up`, (redis) => {
    const current = useSet(redis);

    it('rctl up starts three sentinels that see both replicas and each other', { timeout: 180_000 }, async () => {
      await upAndCheck(current());
      const { code, json } = await status(current());
      expect(code).toBe(0);
      expect(json.healthy).toBe(true);
      expect(json.sentinel.masterName).toBe(MASTER_NAME);
      expect(json.sentinel.master).toBe('n1');
      expect(json.sentinel.quorum).toBe(2);
      expect(json.sentinel.agreeing).toBe(3);
      expect(json.sentinel.sentinels.map((s) => [s.name, s.reachable, s.master, s.otherSentinels, s.replicas, s.quorumReachable, s.error])).toEqual([
        ['sentinel-1', true, 'n1', 2, 2, true, null],
        ['sentinel-2', true, 'n1', 2, 2, true, null],
        ['sentinel-3', true, 'n1', 2, 2, true, null],
      ]);
      expectPrivateConfigs(current());
    });

    it('a second rctl up changes nothing', { timeout: 180_000 }, async () => {
      const again = await current().box.run(['up', current().file, '--json'], { env: ENV, timeoutMs: 120_000 });
      expect(again.code).toBe(0);
      const json = JSON.parse(again.stdout) as { changed: boolean; actions: unknown[]; status: StatusJson };
      expect(json.actions).toEqual([]);
      expect(json.changed).toBe(false);
      expect(json.status.sentinel.master).toBe('n1');
    });

    it('refuses replicaof with exit 5 (SENTINEL_MANAGED), pointing at a failover through the sentinels', { timeout: 180_000 }, async () => {
      const result = await current().box.run(['replicaof', 'n2', 'no', 'one', '--yes', '-t', current().file, '--json'], { env: ENV });
      expect(result.code).toBe(5);
      const error = (JSON.parse(result.stdout) as { error: { code: string; suggestion: string } }).error;
      expect(error.code).toBe('SENTINEL_MANAGED');
      expect(error.suggestion).toContain('rctl failover --promote NODE');
      const { json } = await status(current());
      expect(json.master).toBe('n1');
    });

    // Before any failover: every sentinel is at config epoch 0, so the others' hello messages (same
    // epoch) do not move the misdirected sentinel back to the real master behind the test's back.
    it('flags a sentinel that monitors a wrong address, and up warns instead of repointing it', { timeout: 180_000 }, async () => {
      const wrongPort = await freePort();
      const port = current().sentinelPorts[2];
      expect(await redisCommand('127.0.0.1', port, SENTINEL_PASSWORD, ['SENTINEL', 'REMOVE', MASTER_NAME])).toBe('+OK\r\n');
      expect(await redisCommand('127.0.0.1', port, SENTINEL_PASSWORD, ['SENTINEL', 'MONITOR', MASTER_NAME, '127.0.0.1', String(wrongPort), '2'])).toBe('+OK\r\n');
      const { code, json } = await status(current());
      expect(code).toBe(3);
      expect(json.healthy).toBe(false);
      expect(json.sentinel.agreeing).toBe(2);
      const wrong = json.sentinel.sentinels[2];
      expect(wrong.master).toBe(`127.0.0.1:${wrongPort}`);
      expect(wrong.error).toContain(`monitors ${MASTER_NAME} at 127.0.0.1:${wrongPort}, which is no node of sentinel-set`);
      expect(json.sentinel.sentinels[0].error).toBeNull();

      const up = await current().box.run(['up', current().file], { env: ENV, timeoutMs: 120_000 });
      expect(up.stderr).toContain(`sentinel-3 (127.0.0.1:${port}) monitors ${MASTER_NAME} at 127.0.0.1:${wrongPort}`);
      expect(up.stderr).toContain('rctl does not repoint a sentinel');
      expect(up.code).toBe(3);

      // Without the master name, the next up gives it SENTINEL MONITOR at the right address again.
      expect(await redisCommand('127.0.0.1', port, SENTINEL_PASSWORD, ['SENTINEL', 'REMOVE', MASTER_NAME])).toBe('+OK\r\n');
      const repaired = await current().box.run(['up', current().file, '--json'], { env: ENV, timeoutMs: 120_000 });
      expect(repaired.code, repaired.stderr).toBe(0);
      const actions = (JSON.parse(repaired.stdout) as { actions: Array<{ node: string; action: string }> }).actions;
      expect(actions.filter((a) => a.node === 'sentinel-3').map((a) => a.action)).toContain('sentinel monitor');
    });

    it('kill -9 of the master: the sentinels fail over, status names the new master healthy, the roles record follows', { timeout: 180_000 }, async () => {
      const { newMaster } = await killMasterAndWaitForSentinels(current());
      expect(['n2', 'n3']).toContain(newMaster);
      let last: StatusJson | null = null;
      const settled = await eventually(
        async () => {
          const { json } = await status(current());
          last = json;
          const row = json.nodes.find((n) => n.name === newMaster);
          const other = json.nodes.find((n) => n.name !== newMaster && n.name !== 'n1');
          return json.master === newMaster && row?.role === 'master' && row.error === null && other?.master === newMaster && other.error === null ? json : null;
        },
        { timeout: 30_000, interval: 200, what: `${newMaster} healthy as the master and the other replica following it` },
      ).catch((error: Error) => {
        throw new Error(`${error.message}; last status: ${JSON.stringify(last)}`);
      });
      expect(settled.nodes.find((n) => n.name === 'n1')?.reachable).toBe(false);
      expect(settled.healthy).toBe(false);
      expect(rolesRecord(current())).toMatchObject({ master: newMaster, by: 'sentinel' });
    });

    it('rctl up afterwards relaunches the old master as a replica and leaves the sentinels in charge', { timeout: 180_000 }, async () => {
      const before = rolesRecord(current())?.master;
      await upAndCheck(current());
      const { code, json } = await status(current());
      expect(code).toBe(0);
      expect(json.master).toBe(before);
      expect(json.sentinel.master).toBe(before);
      expect(json.nodes.find((n) => n.name === 'n1')).toMatchObject({ role: 'replica', master: before, error: null });
      expectPrivateConfigs(current());
      expectNoPasswordAnywhere(current());
    });

    it('with launch: external, up gives a sentinel without the master name SENTINEL MONITOR, and fixes a differing setting with SENTINEL SET', { timeout: 180_000 }, async () => {
      const port = current().sentinelPorts[2];
      expect(await redisCommand('127.0.0.1', port, SENTINEL_PASSWORD, ['SENTINEL', 'REMOVE', MASTER_NAME])).toBe('+OK\r\n');
      const external = current().box.topology('sentinel-set-external.yml', topologyText(current(), { launch: 'external', downAfterMs: 4000 }));
      const up = await current().box.run(['up', external, '--json'], { env: ENV, timeoutMs: 120_000 });
      expect(up.code, up.stderr).toBe(0);
      const json = JSON.parse(up.stdout) as { actions: Array<{ node: string; action: string; detail: string }>; status: StatusJson };
      const master = json.status.master;
      const address = `127.0.0.1:${current().nodePorts[Number(master.slice(1)) - 1]}`;
      expect(json.actions).toContainEqual({ node: 'sentinel-3', action: 'sentinel monitor', detail: `SENTINEL MONITOR ${MASTER_NAME} ${address} quorum 2` });
      expect(json.actions).toContainEqual({ node: 'sentinel-3', action: 'sentinel set', detail: `SENTINEL SET ${MASTER_NAME} auth-pass (password)` });
      for (const name of ['sentinel-1', 'sentinel-2']) {
        expect(json.actions, name).toContainEqual({ node: name, action: 'sentinel set', detail: `SENTINEL SET ${MASTER_NAME} down-after-milliseconds 4000` });
      }
      // A sentinel that just started monitoring has Sentinel's defaults: the file's failover-timeout differs too.
      expect(json.actions).toContainEqual({ node: 'sentinel-3', action: 'sentinel set', detail: `SENTINEL SET ${MASTER_NAME} down-after-milliseconds 4000 failover-timeout 10000` });
      expect(json.status.healthy).toBe(true);
      expect(json.status.sentinel.sentinels.map((s) => s.master)).toEqual([master, master, master]);
      const again = await current().box.run(['up', external, '--json'], { env: ENV, timeoutMs: 120_000 });
      expect((JSON.parse(again.stdout) as { actions: unknown[] }).actions).toEqual([]);
    });

    it("Sentinel's own SENTINEL FAILOVER drives the bundled nodes (MULTI: REPLICAOF, CONFIG REWRITE, CLIENT KILL) and rctl follows it", { timeout: 180_000 }, async () => {
      const before = (await status(current())).json.master;
      const masterPort = current().nodePorts[Number(before.slice(1)) - 1];
      // Every sentinel subscribes to the bundled master's hello channel.
      expect(await redisCommand('127.0.0.1', masterPort, NODE_PASSWORD, ['PUBSUB', 'NUMSUB', '__sentinel__:hello'])).toBe('*2\r\n$18\r\n__sentinel__:hello\r\n:3\r\n');
      expect(await redisCommand('127.0.0.1', current().sentinelPorts[0], SENTINEL_PASSWORD, ['SENTINEL', 'FAILOVER', MASTER_NAME])).toBe('+OK\r\n');
      const askedAt = Date.now();
      const settled = await eventually(
        async () => {
          const { code, json } = await status(current());
          return code === 0 && json.master !== before && json.sentinel.master === json.master ? json : null;
        },
        { timeout: 60_000, interval: 250, what: 'a healthy set under a new master after SENTINEL FAILOVER' },
      );
      process.stderr.write(`[measure] SENTINEL FAILOVER: healthy under ${settled.master} after ${((Date.now() - askedAt) / 1000).toFixed(1)} s (the old master is converted to a replica only once Sentinel has seen it report the master role for 8 s)\n`);
      expect(settled.nodes.find((n) => n.name === before)).toMatchObject({ role: 'replica', master: settled.master, error: null });
      // rctl's record names the new master; back on the file's master (n1), the record is removed.
      expect(rolesRecord(current())?.master ?? 'n1').toBe(settled.master);
      // CONFIG REWRITE, sent inside Sentinel's MULTI, persisted each node's new role in its own config.
      const configOf = (name: string) => readFileSync(join(current().box.home, 'sentinel-set', name, 'node.conf'), 'utf8');
      const newMasterPort = current().nodePorts[Number(settled.master.slice(1)) - 1];
      expect(configOf(settled.master)).not.toMatch(/^(replicaof|slaveof) /m);
      expect(configOf(before)).toMatch(new RegExp(`^(replicaof|slaveof) 127\\.0\\.0\\.1 ${newMasterPort}$`, 'm'));
    });

    it('rctl down stops the sentinels it launched, and --purge removes their directories', { timeout: 180_000 }, async () => {
      const pids = sentinelPids(current());
      expect(pids).toHaveLength(3);
      const down = await current().box.run(['down', current().file, '--purge', '--yes', '--json'], { env: ENV, timeoutMs: 60_000 });
      expect(down.code).toBe(0);
      const json = JSON.parse(down.stdout) as { sentinels: Array<{ name: string; outcome: string; purged: boolean }> };
      expect(json.sentinels.map((s) => [s.name, s.outcome, s.purged])).toEqual([
        ['sentinel-1', 'terminated', true],
        ['sentinel-2', 'terminated', true],
        ['sentinel-3', 'terminated', true],
      ]);
      for (const pid of pids) expect(isAlive(pid)).toBe(false);
      expect(sentinelDirs(current())).toEqual([]);
      expectNoPasswordInOutput(current());
    });
  });
}

/** After down: only what rctl printed is left to check. */
function expectNoPasswordInOutput(set: SetUnderTest): void {
  expect(set.box.transcript()).not.toContain(NODE_PASSWORD);
  expect(set.box.transcript()).not.toContain(SENTINEL_PASSWORD);
}

function coreScenario(version: MatrixVersion): void {
  describeWithSentinel(version, `a Sentinel-managed set: Sentinel ${version} manages the bundled nodes`, (redis) => {
    const current = useSet(redis);

    it('discovers the set, fails over on kill -9 of the master, and rctl follows', { timeout: 180_000 }, async () => {
      await upAndCheck(current());
      const { newMaster } = await killMasterAndWaitForSentinels(current());
      await upAndCheck(current());
      const { code, json } = await status(current());
      expect(code).toBe(0);
      expect(json.master).toBe(newMaster);
      expect(json.nodes.find((n) => n.name === 'n1')).toMatchObject({ role: 'replica', master: newMaster });
      expectPrivateConfigs(current());
      expectNoPasswordAnywhere(current());
      expect(rolesRecord(current())).toMatchObject({ master: newMaster, by: 'sentinel' });
      const pids = sentinelPids(current());
      const down = await current().box.run(['down', current().file, '--purge', '--yes', '--json'], { env: ENV, timeoutMs: 60_000 });
      expect(down.code).toBe(0);
      for (const pid of pids) expect(isAlive(pid)).toBe(false);
      // The master rctl followed lived in the purged sentinels' state: the next up starts from the file.
      expect(rolesRecord(current())).toBeNull();
    });
  });
}

fullScenario('7.0');
coreScenario('6.2.16');
coreScenario('7.2.6');
