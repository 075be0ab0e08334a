// `rctl restart --all` on a set of three bundled nodes under a continuous load of acknowledged
// writes: every node comes back with a partial resync, the master moves to a restarted replica,
// and no acknowledged write is lost. --dry-run changes nothing; a second run moves the master again.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckedWriteLoad, checkAcked } from '../helpers/sentinel-load';
import { masterClient, findMaster } from '../failover/follow-master-client';
import { embeddedTopology, requireBuiltCli, sandbox, type Sandbox } from '../cli/helpers';
import Redis from 'ioredis';
import { parsedJson, rollingJson, runIdOf } from './helpers';

const PASSWORD = 'rolling-pw-9c2e';
const NAMES = ['master', 'replica1', 'replica2'];

describe('rctl restart --all on bundled nodes under write load', () => {
  let box: Sandbox;
  let file: string;
  let address: Record<string, { host: string; port: number }>;
  const rctl = (args: string[], timeoutMs = 180_000) => box.run([...args, '-t', file], { timeoutMs });
  const runIds = async () => Object.fromEntries(await Promise.all(NAMES.map(async (n) => [n, await runIdOf(address[n].port, PASSWORD)])));
  const currentMaster = async () => {
    const status = parsedJson(await rctl(['status', '--json'])) as { master: string; healthy: boolean };
    return status;
  };

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    ({ file, address } = await embeddedTopology(box, { name: 'roll', password: PASSWORD, hosts: { master: '127.0.0.1', replica1: '127.0.0.1', replica2: '127.0.0.1' } }));
    const up = await rctl(['up']);
    expect(up.code, up.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    if (!box) return;
    await box.run(['down', '-t', file, '--timeout', '2']).catch(() => undefined);
    box.cleanup();
  });

  it('--dry-run lists every node and its commands, and restarts nothing', async () => {
    const before = await runIds();
    const run = await rctl(['restart', '--all', '--dry-run', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const json = rollingJson(run);
    expect(json.dryRun).toBe(true);
    expect(json.nodes).toEqual([]);
    expect(json.plan.map((n) => n.name)).toEqual(['replica1', 'replica2', 'master']);
    expect(json.plan.map((n) => n.turnRole)).toEqual(['replica', 'replica', 'old master']);
    for (const node of json.plan) {
      expect(node.commands[0]).toBe('SHUTDOWN SAVE');
      expect(node.commands[1]).toMatch(/^rctl server /);
      expect(node.expectedResync).toBe('partial');
    }
    const human = await rctl(['restart', '--all', '--dry-run']);
    expect(human.code, human.stderr).toBe(0);
    for (const name of NAMES) expect(human.stdout).toContain(`${name} (127.0.0.1:${address[name].port}`);
    expect(human.stdout).toMatch(/switchover master .* replica1/);
    expect(human.stdout).toContain('dry run: nothing was changed');
    expect(await runIds()).toEqual(before);
    expect((await currentMaster()).master).toBe('master');
  }, 60_000);

  it('restarts every node with partial resyncs, switches the master, and loses no acknowledged write', async () => {
    const nodes = NAMES.map((n) => address[n]);
    const before = await runIds();
    const load = new AckedWriteLoad(masterClient(nodes, PASSWORD), 'roll1');
    let json;
    try {
      // Let the load run on the old master first.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const run = await rctl(['restart', '--all', '--yes', '--json']);
      expect(run.code, run.stderr).toBe(0);
      json = rollingJson(run);
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      await load.stop();
    }
    expect(json.dryRun).toBe(false);
    expect(json.masterBefore).toBe('master');
    expect(json.masterAfter).not.toBe(json.masterBefore);
    expect(json.fullResyncs).toBe(0);
    expect(json.nodes.map((n) => n.name)).toEqual(['replica1', 'replica2', 'master']);
    for (const node of json.nodes) expect(node.resync, node.name).toBe('partial');
    expect(json.partialResyncs).toBeGreaterThanOrEqual(3);
    expect(json.switchover).not.toBeNull();
    expect(typeof json.writesPausedMs).toBe('number');
    expect(json.writesPausedMs).toBeGreaterThanOrEqual(0);

    // Every node is a new process.
    const after = await runIds();
    for (const name of NAMES) expect(after[name], name).not.toBe(before[name]);

    const status = await currentMaster();
    expect(status.healthy).toBe(true);
    expect(status.master).toBe(json.masterAfter);
    const master = await findMaster(nodes, PASSWORD);
    expect(master.port).toBe(address[json.masterAfter].port);
    expect(load.acked.length).toBeGreaterThan(50);
    const reader = new Redis({ ...master, password: PASSWORD });
    try {
      const { missing, wrong } = await checkAcked(reader, load.acked);
      expect(missing.map((w) => w.key)).toEqual([]);
      expect(wrong).toEqual([]);
    } finally {
      reader.disconnect();
    }
  }, 240_000);

  it('a second run right after works too: the master moves again', async () => {
    const masterBefore = (await currentMaster()).master;
    const run = await rctl(['restart', '--all', '--yes', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const json = rollingJson(run);
    expect(json.masterBefore).toBe(masterBefore);
    expect(json.masterAfter).not.toBe(masterBefore);
    expect(json.fullResyncs).toBe(0);
    for (const node of json.nodes) expect(node.resync, node.name).toBe('partial');
    expect(json.nodes.at(-1)?.name).toBe(masterBefore);
    const status = await currentMaster();
    expect(status.healthy).toBe(true);
    expect(status.master).toBe(json.masterAfter);
  }, 240_000);
});
