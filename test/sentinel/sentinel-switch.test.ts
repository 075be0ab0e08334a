// `rctl failover --promote` on a Sentinel-managed set, through the built binary, on real
// redis-sentinel processes: under a write load it loses no acknowledged write and forces no full
// resync, the sentinels all name the new master afterwards (and do not undo it), and every
// replica-priority it steered is back, live and in the config files. It rolls back cleanly when
// the sentinels' view does not come to choose the candidate, completes when a sentinel is killed
// mid-switch, asks the sentinels to fail over a dead master, and leaves the sentinels in charge
// when the old master returns. Sentinel 7.0 (Debian's) on bundled nodes, and 6.2.16 / 7.2.6 on
// redis-server of the same version.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { expect, it } from 'vitest';
import { redisCommand } from '../cli/helpers';
import type { MatrixVersion } from '../helpers/redis-versions';
import { eventually } from '../helpers/wait';
import { describeWithSentinel, ENV, MASTER_NAME, NODE_PASSWORD, pidIn, SENTINEL_PASSWORD, sentinelDirs, status, upAndCheck, useSet, type SetUnderTest } from './set-helpers';

interface SwitchJson {
  from: string;
  to: string;
  mode: string;
  fullResyncs: number;
  writesPausedMs: number;
  sentinel: { masterName: string; asked: string[]; steerMs: number; promotedMs: number | null; agreedMs: number | null; priorities: Array<{ node: string; priority: number; steeredTo: number }> };
}

const NODES = ['n1', 'n2', 'n3'] as const;

function portOf(set: SetUnderTest, name: string): number {
  return set.nodePorts[NODES.indexOf(name as (typeof NODES)[number])];
}

/** Writes unique keys to one node as fast as it acknowledges them, until stopped or refused. */
function writeLoad(port: number): { stop(): Promise<Set<string>> } {
  const client = new Redis({ host: '127.0.0.1', port, password: NODE_PASSWORD, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: false });
  client.on('error', () => undefined);
  const acknowledged = new Set<string>();
  let running = true;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const key = `load:${port}:${i}`;
      try {
        await client.set(key, String(i));
        acknowledged.add(key);
      } catch {
        // Refused (-READONLY, -NOREPLICAS) or disconnected by the switch: not acknowledged.
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      client.disconnect();
      return acknowledged;
    },
  };
}

async function missingOn(port: number, keys: Set<string>): Promise<string[]> {
  const client = new Redis({ host: '127.0.0.1', port, password: NODE_PASSWORD });
  try {
    const list = [...keys];
    const missing: string[] = [];
    for (let i = 0; i < list.length; i += 500) {
      const slice = list.slice(i, i + 500);
      const values = await client.mget(...slice);
      values.forEach((value, j) => {
        if (value === null) missing.push(slice[j]);
      });
    }
    return missing;
  } finally {
    client.disconnect();
  }
}

async function priorityOf(set: SetUnderTest, name: string): Promise<string> {
  const reply = await redisCommand('127.0.0.1', portOf(set, name), NODE_PASSWORD, ['CONFIG', 'GET', 'replica-priority']);
  return reply.split('\r\n')[4];
}

async function sentinelCall(set: SetUnderTest, index: number, args: string[]): Promise<string> {
  return redisCommand('127.0.0.1', set.sentinelPorts[index], SENTINEL_PASSWORD, args);
}

/** Every sentinel names `name` and none is failing over: the state an operator waits for. */
async function sentinelsSettledOn(set: SetUnderTest, name: string): Promise<void> {
  await eventually(
    async () => {
      const { json } = await status(set);
      return json.sentinel.sentinels.every((s) => s.master === name && !s.flags.includes('failover_in_progress')) ? json : null;
    },
    { timeout: 60_000, interval: 200, what: `every sentinel settled on ${name}` },
  );
}

async function switchTo(set: SetUnderTest, name: string, extra: string[] = []): Promise<{ code: number | null; json: SwitchJson; stderr: string; stdout: string }> {
  const result = await set.box.run(['failover', '-t', set.file, '--promote', name, '--yes', '--json', ...extra], { env: ENV, timeoutMs: 120_000 });
  return { code: result.code, json: JSON.parse(result.stdout) as SwitchJson, stderr: result.stderr, stdout: result.stdout };
}

/** A switch under load that must stand: nothing lost, no full resync, the sentinels agreeing, priorities back. */
async function expectLossFreeSwitch(set: SetUnderTest, from: string, to: string): Promise<SwitchJson> {
  const load = writeLoad(portOf(set, from));
  await new Promise((resolve) => setTimeout(resolve, 300));
  const result = await switchTo(set, to);
  const acknowledged = await load.stop();
  expect(result.code, result.stderr).toBe(0);
  const json = result.json;
  expect(json.from).toBe(from);
  expect(json.to).toBe(to);
  expect(json.fullResyncs).toBe(0);
  expect(json.sentinel.masterName).toBe(MASTER_NAME);
  expect(json.sentinel.asked.length).toBeGreaterThan(0);
  expect(json.sentinel.promotedMs).not.toBeNull();
  expect(json.sentinel.agreedMs).not.toBeNull();
  expect(acknowledged.size).toBeGreaterThan(0);
  expect(await missingOn(portOf(set, to), acknowledged)).toEqual([]);
  process.stderr.write(
    `[measure] switch ${from} → ${to} through the sentinels: steer ${json.sentinel.steerMs} ms, writes paused ${json.writesPausedMs} ms, promoted ${json.sentinel.promotedMs} ms and every sentinel agreeing ${json.sentinel.agreedMs} ms after SENTINEL FAILOVER; ${acknowledged.size} writes acknowledged, 0 lost\n`,
  );

  const { code, json: view } = await status(set);
  expect(code).toBe(0);
  expect(view.master).toBe(to);
  expect(view.sentinel.master).toBe(to);
  expect(view.sentinel.agreeing).toBe(3);
  for (const name of NODES) expect(await priorityOf(set, name), `${name} replica-priority`).toBe('100');
  expect(existsSync(join(set.box.home, 'sentinel-set', 'sentinel-steering.json'))).toBe(false);
  // Sentinel rewrote the configs with the steered values; rctl rewrote them after putting them back.
  for (const name of NODES) {
    const config = readFileSync(join(set.box.home, 'sentinel-set', name, 'node.conf'), 'utf8');
    expect(config, `${name}'s config`).not.toMatch(/^(replica|slave)-priority (0|1)$/m);
  }
  return json;
}

function expectNoPassword(set: SetUnderTest): void {
  expect(set.box.transcript()).not.toContain(NODE_PASSWORD);
  expect(set.box.transcript()).not.toContain(SENTINEL_PASSWORD);
}

function bundledScenario(): void {
  describeWithSentinel('7.0', 'rctl failover through Sentinel 7.0 on bundled nodes', (redis) => {
    const current = useSet(redis, { downAfterMs: 5000 });

    it('switches n1 → n2 under a write load with nothing lost, and back to n1', { timeout: 240_000 }, async () => {
      await upAndCheck(current());
      await expectLossFreeSwitch(current(), 'n1', 'n2');
      // The sentinels do not undo it: a while later they still name n2 and rctl up changes nothing.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const again = await current().box.run(['up', current().file, '--json'], { env: ENV, timeoutMs: 120_000 });
      expect(again.code, again.stderr).toBe(0);
      expect((JSON.parse(again.stdout) as { changed: boolean }).changed).toBe(false);
      await sentinelsSettledOn(current(), 'n2');
      await expectLossFreeSwitch(current(), 'n2', 'n1');
      expectNoPassword(current());
    });

    it('the dry run lists the steering, SENTINEL FAILOVER and the priorities put back, and changes nothing', { timeout: 120_000 }, async () => {
      const result = await current().box.run(['failover', '-t', current().file, '--promote', 'n3', '--dry-run', '--json'], { env: ENV });
      expect(result.code, result.stderr).toBe(0);
      const plan = (JSON.parse(result.stdout) as { plan: Array<{ step: string; node: string; command: string }> }).plan;
      const steps = plan.map((p) => `${p.step} ${p.node}`);
      expect(steps).toContain('steer n3');
      expect(steps).toContain('steer n2');
      expect(steps).toContain('sentinel failover sentinel-1');
      expect(steps).toContain('restore priority n2');
      expect(steps).not.toContain('promote n3');
      expect(await priorityOf(current(), 'n2')).toBe('100');
      expect((await status(current())).json.master).toBe('n1');
    });

    // SENTINEL DEBUG (Sentinel 7.0+) freezes the sentinels' view so that it cannot come to choose
    // the candidate within --wait: the switch must roll back before anything was paused.
    it("rolls back with nothing changed when the sentinels' view does not come to choose the candidate", { timeout: 180_000 }, async () => {
      const set = current();
      for (let i = 0; i < 3; i++) expect(await sentinelCall(set, i, ['SENTINEL', 'DEBUG', 'INFO-PERIOD', '100'])).toBe('+OK\r\n');
      expect(await redisCommand('127.0.0.1', portOf(set, 'n3'), NODE_PASSWORD, ['CONFIG', 'SET', 'replica-priority', '200'])).toBe('+OK\r\n');
      try {
        await eventually(
          async () => {
            for (let i = 0; i < 3; i++) {
              const replicas = await sentinelCall(set, i, ['SENTINEL', 'REPLICAS', MASTER_NAME]);
              if (!new RegExp(`slave-priority\\r\\n\\$3\\r\\n200\\r\\n`).test(replicas)) return false;
            }
            return true;
          },
          { timeout: 30_000, interval: 100, what: 'every sentinel to see replica-priority 200 on n3' },
        );
        for (let i = 0; i < 3; i++) expect(await sentinelCall(set, i, ['SENTINEL', 'DEBUG', 'INFO-PERIOD', '600000'])).toBe('+OK\r\n');
        const result = await switchTo(set, 'n3', ['--wait', '1.5']);
        const error = (JSON.parse(result.stdout) as unknown as { error: { code: string; message: string } }).error;
        expect(result.code).toBe(4);
        expect(error.code).toBe('SENTINEL_CHOICE_TIMEOUT');
        expect(error.message).toContain('would promote n2');
        expect(error.message).toContain('nothing was paused');
        expect(await priorityOf(set, 'n3')).toBe('200');
        expect(await priorityOf(set, 'n2')).toBe('100');
        expect(existsSync(join(set.box.home, 'sentinel-set', 'sentinel-steering.json'))).toBe(false);
        expect(existsSync(join(set.box.home, 'sentinel-set', 'switch-n1.json'))).toBe(false);
        expect(await redisCommand('127.0.0.1', portOf(set, 'n1'), NODE_PASSWORD, ['SET', 'after-rollback', 'yes'])).toBe('+OK\r\n');
        expect((await status(set)).json.sentinel.master).toBe('n1');
      } finally {
        for (let i = 0; i < 3; i++) await sentinelCall(set, i, ['SENTINEL', 'DEBUG', 'INFO-PERIOD', '10000']);
        await redisCommand('127.0.0.1', portOf(set, 'n3'), NODE_PASSWORD, ['CONFIG', 'SET', 'replica-priority', '100']);
      }
    });

    it('completes with the others when the sentinel it asks is killed mid-switch', { timeout: 240_000 }, async () => {
      const set = current();
      const pid = pidIn(join(sentinelDirs(set).sort()[0], 'sentinel.pid'));
      expect(pid).not.toBeNull();
      const load = writeLoad(portOf(set, 'n1'));
      const run = set.box.run(['failover', '-t', set.file, '--promote', 'n3', '--yes', '--json'], { env: ENV, timeoutMs: 120_000 });
      // Killed once writes are paused and the old master is fenced: from the fence until the
      // sentinels promoted the candidate (the switch record's fencing and promoting stages).
      let finished = false;
      void run.finally(() => (finished = true));
      const record = join(set.box.home, 'sentinel-set', 'switch-n1.json');
      await eventually(
        () => {
          if (finished) throw new Error('the failover ended before it reached the fence');
          return existsSync(record) && /"stage":"(fencing|promoting)"/.test(readFileSync(record, 'utf8'));
        },
        { timeout: 60_000, interval: 1, what: 'the switch to reach the fence' },
      );
      process.kill(pid as number, 'SIGKILL');
      const result = await run;
      const acknowledged = await load.stop();
      expect(result.code, result.stderr).toBe(0);
      const json = JSON.parse(result.stdout) as SwitchJson;
      expect(json.to).toBe('n3');
      expect(json.fullResyncs).toBe(0);
      process.stderr.write(`[measure] sentinel-1 killed at the fence: sentinels asked ${json.sentinel.asked.join(', ')}, writes paused ${json.writesPausedMs} ms\n`);
      expect(await missingOn(portOf(set, 'n3'), acknowledged)).toEqual([]);
      const { json: view } = await status(set);
      expect(view.sentinel.master).toBe('n3');
      expect(view.sentinel.agreeing).toBe(2);
      for (const name of NODES) expect(await priorityOf(set, name)).toBe('100');
      // rctl up starts the killed sentinel again. Its own config still names the old master (a
      // lower epoch) until the others' hello messages reach it, seconds later; up reports that
      // meanwhile (exit 3) rather than repointing it, and is clean once it has caught up.
      const restart = await set.box.run(['up', set.file], { env: ENV, timeoutMs: 120_000 });
      expect([0, 3], restart.stderr).toContain(restart.code);
      await sentinelsSettledOn(set, 'n3');
      const up = await set.box.run(['up', set.file], { env: ENV, timeoutMs: 120_000 });
      expect(up.code, up.stderr).toBe(0);
      expectNoPassword(set);
    });

    it('asks the sentinels to fail over a dead master, and rctl up later leaves them in charge', { timeout: 240_000 }, async () => {
      const set = current();
      // Long enough that the sentinels do not fail over on their own first.
      for (let i = 0; i < 3; i++) expect(await sentinelCall(set, i, ['SENTINEL', 'SET', MASTER_NAME, 'down-after-milliseconds', '120000'])).toBe('+OK\r\n');
      const pid = pidIn(join(set.box.home, 'sentinel-set', 'n3', 'node.pid'));
      process.kill(pid as number, 'SIGKILL');
      const result = await switchTo(set, 'n2');
      expect(result.code, result.stderr).toBe(0);
      expect(result.json.mode).toBe('forced');
      expect(result.json.sentinel.asked.length).toBeGreaterThan(0);
      await sentinelsSettledOn(set, 'n2');
      // The old master comes back as a replica of the sentinels' master; up restores down-after too.
      const up = await set.box.run(['up', set.file], { env: ENV, timeoutMs: 120_000 });
      expect(up.code, up.stderr).toBe(0);
      const { code, json } = await eventually(
        async () => {
          const seen = await status(set);
          return seen.code === 0 ? seen : null;
        },
        { timeout: 60_000, interval: 250, what: 'a healthy set under n2' },
      );
      expect(code).toBe(0);
      expect(json.master).toBe('n2');
      expect(json.sentinel.master).toBe('n2');
      expect(json.nodes.find((n) => n.name === 'n3')?.role).toBe('replica');
      expectNoPassword(set);
    });
  });
}

function versionScenario(version: MatrixVersion): void {
  describeWithSentinel(version, `rctl failover through Sentinel ${version} on redis-server ${version}`, (redis) => {
    const current = useSet(redis, { nodes: { launch: 'redis-server', binary: redis.server }, downAfterMs: 5000 });

    it('switches n1 → n3 under a write load with nothing lost and no full resync', { timeout: 240_000 }, async () => {
      await upAndCheck(current());
      await expectLossFreeSwitch(current(), 'n1', 'n3');
      expectNoPassword(current());
    });
  });
}

bundledScenario();
versionScenario('6.2.16');
versionScenario('7.2.6');
