// Issue 7, scenario 7: a network partition isolates the master in the middle of a graceful
// `rctl failover`. The master's declared address is a fault proxy, so rctl and both replicas reach
// it only through the proxy; the partition is a blackhole set off by the exact command rctl sends
// at each step (the command itself delivered or not). Clients on the master's side keep writing to
// it directly. Throughout, every node is sampled (the other nodes first, the old master last, so a
// sample never shows two masters that did not coexist): never two masters that both take writes,
// where a master fenced with min-replicas-to-write refuses every write. After the partition heals,
// `rctl up` finishes or repairs whatever was left, and every node holds the same data, with no
// write the old master acknowledged missing.

import Redis from 'ioredis';
import { expect } from 'vitest';
import { sandbox, type RunResult } from '../cli/helpers';
import { FENCE_MIN_REPLICAS } from '../../src/cluster/failover/switch-settings';
import { FaultProxy, type BlackholeDelivery } from './proxy';
import { differingKeys, dumpNode, MIXED_TOPOLOGIES, type Topology } from './harness/link';
import { FaultNode } from './harness/nodes';
import { faultScenario } from './harness/scenario';
import { AckedWriter } from './harness/writer';
import { eventually } from '../helpers/wait';

/** --timeout 1 --connect-timeout 1: rctl's pause then lasts 1 s + its 5 s slack. */
const PAUSE_DEADLINE_MS = 6_000;
const FAILOVER_ARGS = ['failover', '--yes', '--promote', 'r1', '--timeout', '1', '--connect-timeout', '1', '--wait', '10'];

interface Case {
  /** When the partition begins: the command rctl sends to the master at that step. */
  at: string;
  marker: string;
  deliver: BlackholeDelivery;
  /** How the failover must end: rolled back (the old master keeps the role) or completed. */
  outcome: 'rolled back' | 'completed';
  /** A write sent straight to the old master once its pause deadline passed. */
  oldMasterWrite: RegExp;
  failoverExit: number;
  failoverCode: string | null;
  /** The cases where the fence decides the outcome run on every pairing; the others on one. */
  topologies: readonly Topology[];
}

const REAL_MASTER = MIXED_TOPOLOGIES.filter((t) => t.master === 'redis');
const BUNDLED_MASTER = MIXED_TOPOLOGIES.filter((t) => t.master === 'bundled' && t.replica === 'redis');

const CASES: Case[] = [
  // Nothing promoted: the old master takes writes again at its pause deadline.
  { at: 'CLIENT PAUSE delivered, its answer lost', marker: 'PAUSE', deliver: 'through', outcome: 'rolled back', oldMasterWrite: /^OK$/, failoverExit: 4, failoverCode: null, topologies: REAL_MASTER },
  // Nothing promoted, and the old master may be fenced: no writable master until `rctl up`.
  { at: 'the fence delivered, its answer lost', marker: 'min-replicas-to-write\r\n$10\r\n2147483647', deliver: 'through', outcome: 'rolled back', oldMasterWrite: /^NOREPLICAS /, failoverExit: 4, failoverCode: 'FENCE_UNKNOWN', topologies: MIXED_TOPOLOGIES },
  // Promoted after the fence held: the old master is left behind, a master that refuses writes.
  { at: 'the demotion (REPLICAOF) never delivered', marker: 'REPLICAOF', deliver: 'before', outcome: 'completed', oldMasterWrite: /^NOREPLICAS /, failoverExit: 0, failoverCode: null, topologies: MIXED_TOPOLOGIES },
  // It took the REPLICAOF: a replica of the new master, rctl just never heard so.
  { at: 'the demotion (REPLICAOF) delivered, its answer lost', marker: 'REPLICAOF', deliver: 'through', outcome: 'completed', oldMasterWrite: /^READONLY /, failoverExit: 0, failoverCode: null, topologies: BUNDLED_MASTER },
];

const kindOf = (topology: Topology) => topology.master;

/** Samples every node until stopped; counts samples with more than one master taking writes. */
class MasterWatch {
  samples = 0;
  twoWritable = 0;
  firstViolation = '';
  private stopping = false;
  private readonly loop: Promise<void>;
  private readonly clients: Array<{ name: string; client: Redis }>;

  constructor(nodes: Array<{ name: string; node: FaultNode }>) {
    this.clients = nodes.map(({ name, node }) => ({ name, client: node.client(0, { commandTimeout: 500 }) }));
    this.loop = this.run();
  }

  private async sample(): Promise<string[]> {
    const writable: string[] = [];
    for (const { name, client } of this.clients) {
      const role = (await client.call('ROLE')) as unknown[];
      if (role[0] !== 'master') continue;
      const [, minReplicas] = (await client.call('CONFIG', 'GET', 'min-replicas-to-write')) as string[];
      if (minReplicas !== FENCE_MIN_REPLICAS) writable.push(name);
    }
    return writable;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        const writable = await this.sample();
        this.samples++;
        if (writable.length > 1) {
          this.twoWritable++;
          this.firstViolation ||= writable.join(' and ');
        }
      } catch {
        // A node busy or restarting: that sample says nothing.
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
  }
}

function topologyText(masterPort: number, r1: FaultNode, r2: FaultNode): string {
  return `name: partition
launch: external
nodes:
  - { name: m1, host: 127.0.0.1, port: ${masterPort}, role: master }
  - { name: r1, host: 127.0.0.1, port: ${r1.port}, role: replica }
  - { name: r2, host: 127.0.0.1, port: ${r2.port}, role: replica }
`;
}

const summary = (result: RunResult) => `exit ${result.code}${/"code":\s*"([A-Z_]+)"/.exec(result.stdout)?.[1] ? ` (${/"code":\s*"([A-Z_]+)"/.exec(result.stdout)?.[1]})` : ''}`;

for (const scenario of CASES) {
  faultScenario(`partition isolates the master during a graceful failover: ${scenario.at}`, scenario.topologies, async (context) => {
    context.row.fault = `blackhole of every link to the master (rctl's and the replicas') as ${scenario.at}`;
    context.row.expected = `${scenario.outcome}; never two writable masters; after the heal \`rctl up\` repairs, data identical, no acked write lost`;
    const master = await FaultNode.start(kindOf(context.topology), 'm1', { 'repl-backlog-size': '16mb' });
    context.defer(() => master.close());
    const proxy = await FaultProxy.start({ host: master.host, port: master.port }, { maxFaultMs: 60_000 });
    context.defer(() => proxy.close());
    const replicaDirectives = { replicaof: `${proxy.host} ${proxy.port}`, 'repl-backlog-size': '16mb' };
    const r1 = await FaultNode.start(context.topology.replica, 'r1', replicaDirectives);
    context.defer(() => r1.close());
    const r2 = await FaultNode.start(context.topology.replica, 'r2', replicaDirectives);
    context.defer(() => r2.close());
    const box = sandbox();
    context.defer(() => box.cleanup());
    const file = box.topology('partition.yml', topologyText(proxy.port, r1, r2));
    const rctl = (args: string[]) => box.run([...args, '-t', file], { timeoutMs: 60_000 });

    const up = await rctl(['up', '--json']);
    expect(up.code, up.stdout + up.stderr).toBe(0);

    // Clients on the master's side of the partition: they reach it directly, never through the proxy.
    const writer = new AckedWriter(master.client(0, { commandTimeout: 20_000 }), { pauseMs: 2 }).start();
    const watch = new MasterWatch([
      { name: 'r1', node: r1 },
      { name: 'r2', node: r2 },
      { name: 'm1', node: master },
    ]);
    context.defer(() => watch.stop());
    await new Promise((resolve) => setTimeout(resolve, 400));

    const partitioned = proxy.blackholeAt('toTarget', (chunk) => chunk.indexOf(scenario.marker), scenario.deliver);
    const failoverStarted = Date.now();
    const failover = await rctl([...FAILOVER_ARGS, '--json']);
    const failoverEnded = Date.now();
    const partitionBegan = await Promise.race([partitioned.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 100))]);

    // Past the old master's pause deadline (the pause began before rctl ended): what it does now
    // is what it would do for good.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, failoverEnded + PAUSE_DEADLINE_MS - Date.now())));
    const oldMasterRole = ((await master.command('ROLE')) as unknown[])[0];
    const probeSent = Date.now();
    const oldMasterWrite = await master
      .client(0, { commandTimeout: 10_000 })
      .set('probe:after-deadline', '1')
      .then(
        (reply) => String(reply),
        (error: Error) => error.message,
      );
    const probeMs = Date.now() - probeSent;

    proxy.restore();
    const healedAt = Date.now();
    const statusBefore = await rctl(['status', '--json']);
    const repair = await rctl(['up', '--yes', '--json']);
    const statusAfter = await rctl(['status', '--json']);
    await writer.stop();
    await watch.stop();
    // The repaired master answers writes again, and every replica has them before the comparison.
    const finalMaster = ((await r1.command('ROLE')) as unknown[])[0] === 'master' ? r1 : master;
    const others = [master, r1, r2].filter((node) => node !== finalMaster);
    const finalWrite = await finalMaster.command('SET', 'probe:final', '1').then(String, (error: Error) => error.message);
    await eventually(
      async () => {
        const offset = Number((await finalMaster.info()).master_repl_offset);
        for (const node of others) if (Number((await node.info()).slave_repl_offset) !== offset) return false;
        return true;
      },
      { what: 'replicas caught up with the final master', timeout: 20_000 },
    );
    context.row.recoveryMs = Date.now() - healedAt;

    const dumps = await Promise.all([finalMaster, ...others].map((node) => dumpNode(node)));
    const differing = others.flatMap((node, i) => differingKeys(dumps[0], dumps[i + 1]).map((key) => `${node.name} ${key}`));
    const lost = writer.missingIn(dumps[0]);
    context.row.ackedWrites = writer.acked.size;
    context.row.lostWrites = lost.length;
    context.row.observed =
      `failover ${summary(failover)}; ${watch.samples} samples, ${watch.twoWritable} with two writable masters; ` +
      `after the pause deadline (+${probeSent - failoverStarted} ms) the old master is a ${oldMasterRole} and a write there answers ${oldMasterWrite} in ${probeMs} ms; ` +
      `healed: status ${statusBefore.code}, up ${repair.code}, status ${statusAfter.code}; final master ${finalMaster.name}; ${differing.length} differing keys`;
    context.save();

    expect(partitionBegan, 'the partition was set off by the failover').toBe(true);
    expect(failover.code, failover.stdout + failover.stderr).toBe(scenario.failoverExit);
    if (scenario.failoverCode) expect(failover.stdout).toContain(`"code": "${scenario.failoverCode}"`);
    expect(watch.samples).toBeGreaterThan(50);
    expect(watch.twoWritable, `two writable masters: ${watch.firstViolation}`).toBe(0);
    expect(oldMasterWrite, context.row.observed).toMatch(scenario.oldMasterWrite);
    if (scenario.outcome === 'completed') {
      expect(finalMaster).toBe(r1);
    } else {
      expect(finalMaster).toBe(master);
    }
    // Something was left to repair, and status said so before up repaired it.
    expect(statusBefore.code, statusBefore.stdout).toBe(3);
    expect(statusBefore.stdout).toMatch(/interrupted failover|old master back after a failover|declared replica, but is a master/);
    expect(repair.code, repair.stdout + repair.stderr).toBe(0);
    expect(statusAfter.code, statusAfter.stdout).toBe(0);
    expect(finalWrite).toBe('OK');
    expect(writer.acked.size).toBeGreaterThan(0);
    expect(lost).toEqual([]);
    expect(differing).toEqual([]);
  }, { timeoutMs: 90_000 });
}
