// The rolling plan from hand-built readings: order, switchover candidate, expected resyncs and
// every refusal, decided before anything is stopped.

import { describe, expect, it } from 'vitest';
import { planRolling, type NodeReading, type PlanInput } from '../../src/cluster/rolling/plan';
import type { ReplicationFacts } from '../../src/node/info';
import { TopologyState } from '../../src/state/topology-state';
import { parseTopology } from '../../src/topology/load';

const TEXT = `name: p
launch: redis-server
nodes:
  - { name: m, host: 127.0.0.1, port: 7001, role: master }
  - { name: a, host: 127.0.0.1, port: 7002, role: replica }
  - { name: b, host: 127.0.0.1, port: 7003, role: replica, launch: external }
`;
const topology = parseTopology('p.yml', '/tmp/p.yml', TEXT, {});
const facts = { role: 'replica', offset: 100 } as ReplicationFacts;

function readings(overrides: Record<string, Partial<NodeReading>> = {}): Map<string, NodeReading> {
  return new Map(
    topology.nodes.map((node) => [
      node.name,
      { node, facts, version: '6.2.16', bundled: false, appendonly: false, savePoints: true, sigtermNoSave: false, priority: 100, ...overrides[node.name] },
    ]),
  );
}

function input(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    kind: 'restart',
    topology,
    state: new TopologyState('/tmp/home', 'p'),
    master: topology.master,
    selected: new Set(['m', 'a', 'b']),
    readings: readings(),
    exec: 'ssh {host} restart-redis {port}',
    target: null,
    allowFullResync: false,
    alreadyDone: new Set(),
    ...overrides,
  };
}

describe('planRolling', () => {
  it('restarts the replicas first, switches over to a done one, then the old master', () => {
    const plan = planRolling(input());
    expect(plan.nodes.map((n) => [n.name, n.turnRole, n.method])).toEqual([
      ['a', 'replica', 'launched'],
      ['b', 'replica', 'exec'],
      ['m', 'old master', 'launched'],
    ]);
    expect(plan.switchover).toEqual({ from: 'm', to: 'a' });
    expect(plan.nodes[0].commands.slice(0, 2)).toEqual(['SHUTDOWN SAVE', 'redis-server /tmp/home/p/a/node.conf']);
    expect(plan.nodes[1].commands[0]).toBe('ssh 127.0.0.1 restart-redis 7003');
    expect(plan.nodes.every((n) => n.expectedResync === 'partial')).toBe(true);
  });

  it('prefers the lowest non-zero replica-priority as the new master, and never 0', () => {
    expect(planRolling(input({ readings: readings({ a: { priority: 50 }, b: { priority: 10 } }) })).switchover?.to).toBe('b');
    expect(planRolling(input({ readings: readings({ a: { priority: 0 } }) })).switchover?.to).toBe('b');
  });

  it('needs no switchover for replicas only, and refuses the master alone without a candidate', () => {
    expect(planRolling(input({ selected: new Set(['a']) })).switchover).toBeNull();
    expect(() => planRolling(input({ selected: new Set(['m']), readings: readings({ a: { priority: 0 }, b: { priority: 0 } }) }))).toThrow(/needs a replica to take over/);
  });

  it('runs BGSAVE before --exec when a stop by signal saves nothing', () => {
    const noSave = planRolling(input({ readings: readings({ b: { savePoints: false } }) })).nodes[1];
    expect(noSave.commands[0]).toBe('BGSAVE (and wait for it)');
    const nosave = planRolling(input({ readings: readings({ b: { sigtermNoSave: true } }) })).nodes[1];
    expect(nosave.reason).toContain('shutdown-on-sigterm nosave');
  });

  it('refuses an external AOF node (full resync) unless allowed, and then warns', () => {
    expect(() => planRolling(input({ readings: readings({ b: { appendonly: true } }) }))).toThrow(expect.objectContaining({ code: 'FULL_RESYNC_EXPECTED', exitCode: 5 }));
    const allowed = planRolling(input({ readings: readings({ b: { appendonly: true } }), allowFullResync: true }));
    expect(allowed.nodes[1].expectedResync).toBe('full');
    expect(allowed.warnings[0]).toContain('b: a full resync is expected');
  });

  it('starts a launched AOF node once on its RDB, then rebuilds the AOF: a partial resync', () => {
    const entry = planRolling(input({ readings: readings({ a: { appendonly: true } }) })).nodes[0];
    expect(entry).toMatchObject({ expectedResync: 'partial', reenableAof: true });
    expect(entry.commands.slice(0, 3)).toEqual(['SHUTDOWN SAVE', 'redis-server /tmp/home/p/a/node.conf --appendonly no', 'CONFIG SET appendonly yes (and wait for the AOF rewrite)']);
  });

  it('skips nodes an interrupted run finished, and nodes already on the upgrade target', () => {
    expect(planRolling(input({ alreadyDone: new Set(['a']) })).nodes[0].skip).toBe('done by the interrupted restart');
    const upgrade = planRolling(
      input({ kind: 'upgrade', exec: null, selected: new Set(['m', 'a']), readings: readings({ a: { version: '7.2.6' } }), target: { launch: 'redis-server', redisServer: '/r/7.2', version: '7.2.6', bundled: false } }),
    );
    expect(upgrade.nodes.map((n) => n.skip)).toEqual(['already runs Redis 7.2.6', null]);
  });

  it('refuses a downgrade across RDB versions, and warns about a node left behind a newer master', () => {
    const down = input({ kind: 'upgrade', exec: null, selected: new Set(['m', 'a']), readings: readings({ m: { version: '7.2.6' }, a: { version: '7.2.6' } }), target: { launch: 'redis-server', version: '6.2.16', bundled: false } });
    expect(() => planRolling(down)).toThrow(expect.objectContaining({ code: 'VERSION_CANNOT_FOLLOW', exitCode: 5 }));
    const up = planRolling(input({ kind: 'upgrade', exec: null, selected: new Set(['m', 'a']), target: { launch: 'redis-server', version: '7.2.6', bundled: false } }));
    expect(up.warnings).toEqual([expect.stringContaining('b stays on Redis 6.2.16')]);
    const toBundled = planRolling(input({ kind: 'upgrade', exec: null, selected: new Set(['m', 'a']), readings: readings({ m: { version: '7.2.6' }, a: { version: '7.2.6' }, b: { version: '7.2.6' } }), target: { launch: 'embedded', version: '7.0.15', bundled: true } }));
    expect(toBundled.nodes.map((n) => n.commands[1])).toEqual(['rctl server /tmp/home/p/a/node.conf', 'rctl server /tmp/home/p/m/node.conf']);
  });
});
