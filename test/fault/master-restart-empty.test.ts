// Issue 7, scenario 6: the master runs without persistence, its replicas with an AOF. Every write
// is acknowledged with `WAIT 2` (on both replicas). Power loss: all three are killed with
// SIGKILL; a supervisor restarts the master out of band from its own config file, and it comes
// back empty with a new run id at offset 0. If the replicas were started now they would copy the
// empty dataset and wipe themselves. rctl must see it and refuse:
//   - `rctl status` flags the master (exit 3), from the record of the last healthy `up`;
//   - `rctl up` refuses (exit 5, MASTER_RESTARTED_EMPTY) and launches nothing;
//   - the operator stops the empty master; `rctl up` refuses to relaunch it (exit 5,
//     MASTER_WOULD_RESTART_EMPTY) but launches the replicas, which keep their data;
//   - `rctl failover --yes` promotes one (forced), `rctl up --yes` brings the old master back as
//     a replica. At the end all three nodes hold the same data and no acknowledged write is lost.

import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Redis from 'ioredis';
import { expect } from 'vitest';
import { launchCommand } from '../../src/launch/process';
import { portAnswers } from '../../src/launch/launch';
import { isAlive } from '../cli/helpers';
import { info, parseJson, settled, startSet, type NodeSet } from '../failover/helpers';
import { eventually } from '../helpers/wait';
import { faultScenario } from './harness/scenario';
import { compareAll, dumpSetNode, killAndWait, launchKind, ownClient, RCTL_TOPOLOGIES, WaitWriter } from './harness/rctl-set';

const LOAD_MS = 1_000;
const NODES: [string, string, string] = ['master', 'slave1', 'slave2'];
const REPLICAS = NODES.slice(1);

interface StatusJson {
  healthy: boolean;
  nodes: Array<{ name: string; error: string | null; keys: number | null }>;
}
interface ErrorJson {
  error: { code: string; message: string };
}

function nodeDir(set: NodeSet, name: string): string {
  return join(set.box.home, set.name, name);
}

/** CONFIG SET then CONFIG REWRITE, as an operator would, so a relaunch keeps the setting. */
async function configure(client: Redis, settings: Array<[string, string]>): Promise<void> {
  for (const [name, value] of settings) expect(await client.call('CONFIG', 'SET', name, value)).toBe('OK');
  expect(await client.call('CONFIG', 'REWRITE')).toBe('OK');
}

/** Replicas write every command to an AOF, fsynced before the acknowledgement leaves. */
async function persistReplica(set: NodeSet, name: string): Promise<void> {
  const client = set.client(name);
  await configure(client, [
    ['appendfsync', 'always'],
    ['appendonly', 'yes'],
  ]);
  // Turning the AOF on writes its base in the background; before that, a restart would load nothing.
  await eventually(
    async () => {
      const persistence = await info(client, 'persistence');
      return persistence.aof_enabled === '1' && persistence.aof_rewrite_in_progress === '0' && persistence.aof_rewrite_scheduled !== '1';
    },
    { what: `${name}: AOF on`, timeout: 15_000 },
  );
  await eventually(() => existsSync(join(nodeDir(set, name), 'data', 'appendonlydir', 'appendonly.aof.manifest')), { what: `${name}: AOF manifest` });
}

/** The supervisor's restart: the node's own command line and config file, outside rctl. */
async function superviseRestart(set: NodeSet, name: string, kind: 'embedded' | 'redis-server'): Promise<number> {
  const dir = nodeDir(set, name);
  const { command, args } = launchCommand(kind, join(dir, 'node.conf'));
  const log = openSync(join(dir, 'node.log'), 'a');
  const child = spawn(command, args, { cwd: join(dir, 'data'), detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  const pid = child.pid as number;
  writeFileSync(join(dir, 'node.pid'), `${pid}\n`);
  const node = set.byName(name);
  await eventually(() => portAnswers(node.host, node.port, 500), { what: `${name} restarted`, timeout: 15_000 });
  return pid;
}

async function portsOpen(set: NodeSet, names: string[]): Promise<string[]> {
  const open: string[] = [];
  for (const name of names) if (await portAnswers(set.byName(name).host, set.byName(name).port, 300)) open.push(name);
  return open;
}

faultScenario(
  'master restarted empty (no persistence) + rctl',
  RCTL_TOPOLOGIES,
  async (context) => {
    context.row.fault = 'master without persistence, replicas with AOF; SIGKILL of all three; the master restarted empty out of band';
    context.row.expected = 'status exit 3, up refuses (5) and launches nothing; with the master stopped up refuses (5) but launches the replicas; forced failover, up --yes: no WAIT 2 write lost, all nodes identical';
    const kind = launchKind(context.topology);
    const set = await startSet(kind, 'restart-empty', NODES);
    context.defer(() => set.close());

    await configure(set.client('master'), [
      ['save', ''],
      ['appendonly', 'no'],
    ]);
    rmSync(join(nodeDir(set, 'master'), 'data', 'dump.rdb'), { force: true });
    for (const name of REPLICAS) await persistReplica(set, name);
    const recorded = await set.rctl(['up']);
    expect(recorded.code, recorded.stdout + recorded.stderr).toBe(0);
    expect(existsSync(join(set.box.home, set.name, 'master.json'))).toBe(true);
    const runIdBefore = (await info(set.client('master'), 'server')).run_id;

    const writerClient = ownClient(set, 'master');
    context.defer(() => writerClient.disconnect());
    const writer = new WaitWriter(writerClient, 500, 2).start();
    await new Promise((resolve) => setTimeout(resolve, LOAD_MS));
    await writer.stop();

    // Power loss.
    const lostPowerAt = Date.now();
    await Promise.all(NODES.map((name) => killAndWait(set.pid(name))));
    const emptyPid = await superviseRestart(set, 'master', kind);
    context.defer(() => {
      if (isAlive(emptyPid)) process.kill(emptyPid, 'SIGKILL');
    });
    // The set's client reconnects on its own schedule (retries every 50 ms, one retry per command):
    // a command sent while an attempt begun before the restart is failing may be refused once.
    const restartedKeys = (
      await eventually(async () => set.client('master').dbsize().then((keys) => ({ keys }), () => null), { what: 'the restarted master answering', timeout: 15_000 })
    ).keys;
    const runIdAfter = (await info(set.client('master'), 'server')).run_id;

    const status = await set.rctl(['status', '--json', '--timeout', '1']);
    const statusJson = parseJson<StatusJson>(status);
    const masterError = statusJson.nodes.find((n) => n.name === 'master')?.error ?? null;

    const refusedLive = await set.rctl(['up', '--json', '--timeout', '1']);
    const refusedLiveJson = parseJson<ErrorJson>(refusedLive);
    const replicasAfterLiveRefusal = await portsOpen(set, REPLICAS);

    // The operator stops the empty master: now up must neither relaunch it nor leave the replicas down.
    await killAndWait(emptyPid);
    const refusedDown = await set.rctl(['up', '--json', '--timeout', '1']);
    const refusedDownJson = parseJson<ErrorJson>(refusedDown);
    const masterUpAfterDownRefusal = (await portsOpen(set, ['master'])).length > 0;
    const replicaKeys: Record<string, number> = {};
    const replicaMissing: Record<string, number> = {};
    for (const name of REPLICAS) {
      await eventually(async () => (await info(set.client(name), 'persistence')).loading === '0', { what: `${name} loaded` });
      const dump = await dumpSetNode(set, name);
      replicaKeys[name] = Object.keys(dump['0'] ?? {}).length;
      replicaMissing[name] = writer.missingIn(dump).length;
    }

    const failover = await set.rctl(['failover', '--yes', '--json', '--connect-timeout', '1']);
    const failoverJson = failover.code === 0 ? parseJson<{ to: string; mode: string }>(failover) : null;
    const newMaster = failoverJson?.to ?? 'slave1';
    const rejoin = failover.code === 0 ? await set.rctl(['up', '--yes']) : null;
    if (rejoin?.code === 0) await settled(set, newMaster);
    const finalStatus = await set.rctl(['status']);
    context.row.recoveryMs = Date.now() - lostPowerAt;

    const order = [newMaster, ...NODES.filter((n) => n !== newMaster)];
    const { dumps, differing } = rejoin?.code === 0 ? await compareAll(set, order) : { dumps: { [newMaster]: await dumpSetNode(set, newMaster) }, differing: [] as string[] };
    const lost = writer.missingIn(dumps[newMaster]);
    context.row.ackedWrites = writer.acked.size;
    context.row.lostWrites = lost.length;
    context.row.observed =
      `restarted master: ${restartedKeys} keys, run id ${runIdAfter === runIdBefore ? 'unchanged' : 'changed'}; status exit ${status.code}; ` +
      `up exit ${refusedLive.code} ${refusedLiveJson.error?.code}, replicas up after it: ${replicasAfterLiveRefusal.length}; ` +
      `master stopped, up exit ${refusedDown.code} ${refusedDownJson.error?.code}, replicas hold ${REPLICAS.map((n) => replicaKeys[n]).join('/')} keys; ` +
      `failover exit ${failover.code} ${failoverJson ? `(${failoverJson.mode} to ${newMaster})` : ''}; up --yes exit ${rejoin?.code ?? '-'}; status exit ${finalStatus.code}; ` +
      `WAIT 2 acked ${writer.acked.size}, lost ${lost.length}; ${differing.length} differing keys`;
    context.save();

    expect(writer.acked.size).toBeGreaterThan(0);
    expect(restartedKeys).toBe(0);
    expect(runIdAfter).not.toBe(runIdBefore);
    expect(status.code, status.stdout + status.stderr).toBe(3);
    expect(masterError).toMatch(/^restarted with its history reset: run id changed, replid \w{8} gone \(now \w{8} at offset 0, 0 keys;/);
    expect(refusedLiveJson.error.message).toMatch(/refusing to launch or repoint slave1 .*, slave2 .*, which still hold the old data$/);
    expect(refusedLive.code, refusedLive.stdout + refusedLive.stderr).toBe(5);
    expect(refusedLiveJson.error.code).toBe('MASTER_RESTARTED_EMPTY');
    expect(replicasAfterLiveRefusal).toEqual([]);
    expect(refusedDown.code, refusedDown.stdout + refusedDown.stderr).toBe(5);
    expect(refusedDownJson.error.code).toBe('MASTER_WOULD_RESTART_EMPTY');
    expect(refusedDownJson.error.message).toContain('launched slave1, slave2 only');
    expect(masterUpAfterDownRefusal).toBe(false);
    for (const name of REPLICAS) {
      expect(isAlive(set.pid(name))).toBe(true);
      expect(replicaMissing[name], `${name} lost acknowledged writes`).toBe(0);
    }
    expect(failover.code, failover.stdout + failover.stderr).toBe(0);
    expect(failoverJson?.mode).toBe('forced');
    expect(rejoin?.code, `${rejoin?.stdout}${rejoin?.stderr}`).toBe(0);
    expect(finalStatus.code, finalStatus.stdout + finalStatus.stderr).toBe(0);
    expect(lost).toEqual([]);
    expect(differing).toEqual([]);
  },
  { timeoutMs: 150_000 },
);
