// Issue 7, scenario 8: rctl itself is killed (SIGKILL) in the middle of a graceful failover, as
// soon as the master shows rctl's CLIENT PAUSE (or wherever the failover got to by then: the
// point reached is reported). `rctl status` then answers (exit 0 or 3, never a hang) with the
// state as it is; `rctl up --yes` repairs it: exactly one master, every node linked, no
// acknowledged write lost, and the master takes writes again (not left paused).

import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { rctlBin } from '../cli/helpers';
import { info, parseJson, settled, startSet, type NodeSet } from '../failover/helpers';
import { faultScenario } from './harness/scenario';
import { AckedWriter } from './harness/writer';
import { compareAll, launchKind, ownClient, RCTL_TOPOLOGIES } from './harness/rctl-set';

const NODES: [string, string, string] = ['master', 'slave1', 'slave2'];
/** rctl failover's pause: --timeout (5 s by default) plus its 5 s slack. */
const PAUSE_DEADLINE_MS = 10_000;
const PAUSE_MARGIN_MS = 5_000;
const PAUSE_SEEN = /cmd=client\|pause/;
const PAUSE_ANNOUNCED = /\(writes paused\)/;

/**
 * Starts `rctl failover --yes` and SIGKILLs it as soon as it announces the write pause (its
 * progress line comes right before CLIENT PAUSE), or once the master lists its CLIENT PAUSE,
 * whichever is seen first. Returns what was seen: the exact point reached varies, any is fine.
 */
async function killFailoverAtPause(set: NodeSet): Promise<string> {
  const child = spawn(process.execPath, [rctlBin, 'failover', '--yes', '-t', set.file], { env: { ...process.env, RCTL_HOME: set.box.home }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let trigger = '';
  const killOn = (what: string) => {
    if (trigger) return;
    trigger = what;
    child.kill('SIGKILL');
  };
  const onOutput = (chunk: Buffer) => {
    output += chunk.toString();
    if (PAUSE_ANNOUNCED.test(output)) killOn('the pause announced');
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.on('close', (code) => {
      exitCode = code;
      resolve();
    }),
  );
  const watcher = ownClient(set, 'master');
  try {
    const deadline = Date.now() + 20_000;
    while (exitCode === undefined && !trigger && Date.now() < deadline) {
      const clients = String(await watcher.call('CLIENT', 'LIST').catch(() => ''));
      if (PAUSE_SEEN.test(clients)) killOn('CLIENT PAUSE seen on the master');
    }
    if (!trigger && exitCode === undefined) killOn('deadline');
    await exited;
    return trigger ? `rctl killed (${trigger})` : `rctl ended by itself (exit ${exitCode})`;
  } finally {
    watcher.disconnect();
  }
}

async function roles(set: NodeSet): Promise<string> {
  const out: string[] = [];
  for (const node of set.nodes) {
    const facts = await info(set.client(node.name));
    out.push(`${node.name}=${facts.role === 'master' ? 'master' : `replica of :${facts.master_port} (${facts.master_link_status})`}`);
  }
  return out.join(', ');
}

faultScenario('rctl killed mid-failover', RCTL_TOPOLOGIES, async (context) => {
  context.row.fault = 'SIGKILL of `rctl failover --yes` once the master is write-paused; then rctl status, rctl up --yes';
  context.row.expected = 'status answers (0 or 3); up repairs: one master, all linked, no acked write lost, writes flow';
  const set = await startSet(launchKind(context.topology), 'midfail', NODES);
  context.defer(() => set.close());

  const writerClient = ownClient(set, 'master');
  context.defer(() => writerClient.disconnect());
  const writer = new AckedWriter(writerClient, { pauseMs: 2 }).start();
  await new Promise((resolve) => setTimeout(resolve, 500));

  const killedAt = Date.now();
  const point = await killFailoverAtPause(set);
  const stateAfterKill = await roles(set);

  // On a loaded machine the kill can land after the switch already finished (nothing left to name).
  const leftRecords = readdirSync(set.box.home, { recursive: true }).map(String).filter((path) => /switch-[^/]*\.json$/.test(path));
  const status = await set.rctl(['status', '--json'], { timeoutMs: 30_000 });
  const report = parseJson<{ master: string | null; nodes: Array<{ name: string; role: string | null; error: string | null }> }>(status);

  const up = await set.rctl(['up', '--yes'], { timeoutMs: 30_000 });
  await writer.stop();
  const masters: string[] = [];
  for (const node of set.nodes) if ((await info(set.client(node.name))).role === 'master') masters.push(node.name);
  const master = masters[0];
  await settled(set, master);
  context.row.recoveryMs = Date.now() - killedAt;

  // Not left paused: a write goes through well before the pause would have expired on its own.
  const probe = ownClient(set, master, PAUSE_DEADLINE_MS + PAUSE_MARGIN_MS);
  context.defer(() => probe.disconnect());
  const probeStarted = Date.now();
  const writeResult = await probe.set('after-repair', '1').catch((error: Error) => error.message);
  const probeMs = Date.now() - probeStarted;
  await settled(set, master);
  // rctl lowers the old master's PING period for the switch and restores it at the end.
  const pingPeriod = ((await set.client('master').config('GET', 'repl-ping-replica-period')) as string[])[1];
  // ... and lifts the fence, should the kill have come after it.
  const minReplicas = ((await set.client('master').config('GET', 'min-replicas-to-write')) as string[])[1];

  const { dumps, differing } = await compareAll(set, [master, ...NODES.filter((n) => n !== master)]);
  const lost = writer.missingIn(dumps[master]);
  context.row.ackedWrites = writer.acked.size;
  context.row.lostWrites = lost.length;
  context.row.observed =
    `${point}; after the kill: ${stateAfterKill}; status exit ${status.code} (master ${report.master}); ` +
    `up exit ${up.code}; masters after up: ${masters.join(', ')}; first write after up took ${probeMs} ms; old master's repl-ping-replica-period ${pingPeriod}, min-replicas-to-write ${minReplicas}; ${differing.length} differing keys`;
  context.save();

  expect([0, 3], status.stdout + status.stderr).toContain(status.code);
  // Killed once the switch began (and before it ended): status names the node it left to repair, and why.
  if (point.startsWith('rctl killed') && leftRecords.length > 0) {
    expect(status.code, `${point}; after the kill: ${stateAfterKill}\n${status.stdout}`).toBe(3);
    // Paused (killed before the promotion), or fenced beside the candidate it was promoting.
    expect(report.nodes.find((n) => n.name === 'master')?.error ?? '').toMatch(/an interrupted failover \(pid \d+, started [^)]+\) left it (write-paused|fenced \(min-replicas-to-write: it refuses writes\) while slave\d was being promoted)/);
  }
  expect(up.code, up.stdout + up.stderr).toBe(0);
  expect(masters).toHaveLength(1);
  expect(writeResult).toBe('OK');
  expect(writer.acked.size).toBeGreaterThan(0);
  expect(lost).toEqual([]);
  expect(differing).toEqual([]);
  // `up` repairs what the killed failover left: the old master's PING period is no longer the switch value.
  expect(pingPeriod).not.toBe('2147483647');
  expect(minReplicas).toBe('0');
  expect(existsSync(join(set.box.home, 'midfail', 'switch-master.json'))).toBe(false);
});
