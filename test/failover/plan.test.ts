// Candidate ranking and every refusal of the planner, from observed states built by hand: which
// replica is promoted, and what is refused before anything changes.

import { describe, expect, it } from 'vitest';
import { ExitCode, NodeFailureError, RctlError } from '../../src/errors';
import type { ReplicationFacts } from '../../src/node/info';
import type { NodeState } from '../../src/cluster/failover/inspect';
import { planFailover } from '../../src/cluster/failover/plan';
import { rankCandidates } from '../../src/cluster/failover/candidates';
import { withDefaults } from '../../src/cluster/failover/switch-settings';
import { capabilitiesOfVersion } from '../../src/node/capabilities';
import type { Topology, TopologyNode } from '../../src/topology/model';

const OLD = 'a'.repeat(40);
const OTHER = 'b'.repeat(40);

function node(name: string, index: number, role: 'master' | 'replica', priority?: number): TopologyNode {
  const port = 7000 + index;
  return { name, host: '127.0.0.1', port, role, launch: 'external', address: `127.0.0.1:${port}`, index, ...(priority !== undefined ? { priority } : {}) };
}

function topologyOf(nodes: TopologyNode[]): Topology {
  const master = nodes.find((n) => n.role === 'master') as TopologyNode;
  return { name: 'lab', file: '/tmp/lab.yml', displayFile: 'lab.yml', nodes, master, replicas: nodes.filter((n) => n !== master), password: null, passwordSource: null };
}

function facts(role: 'master' | 'replica', offset: number, replid = OLD): ReplicationFacts {
  return {
    role,
    masterHost: role === 'replica' ? '127.0.0.1' : null,
    masterPort: role === 'replica' ? 7000 : null,
    linkStatus: role === 'replica' ? 'up' : null,
    lastIoSecondsAgo: 0,
    syncInProgress: false,
    offset,
    replid,
    replid2: '0'.repeat(40),
    secondReplOffset: -1,
    connectedReplicas: 0,
    keys: 1,
    loading: false,
    configFile: null,
  };
}

const fakeSession = {} as NodeState['session'];

function live(n: TopologyNode, f: ReplicationFacts, priority = n.priority ?? 100): NodeState {
  return { node: n, session: fakeSession, error: null, info: new Map(), facts: f, priority, masterauthOk: true, settings: withDefaults({}), settingsError: null, capabilities: capabilitiesOfVersion('7.0.15'), rttMs: 0.2 };
}

function dead(n: TopologyNode, code: RctlError['code'] = 'NODE_REFUSED'): NodeState {
  return { node: n, session: null, error: new NodeFailureError(code, `${n.name} (${n.address}): connection refused`), info: null, facts: null, priority: n.priority ?? null, masterauthOk: true, settings: withDefaults({}), settingsError: null, capabilities: null, rttMs: 0 };
}

async function refusal(promise: Promise<unknown>): Promise<RctlError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RctlError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('candidate ranking', () => {
  it('ranks by lowest priority, then highest offset, then name; priority 0 and unreachable replicas never qualify', () => {
    const nodes = [node('m', 0, 'master'), node('r-b', 1, 'replica'), node('r-a', 2, 'replica'), node('low', 3, 'replica'), node('never', 4, 'replica', 0), node('gone', 5, 'replica'), node('fast', 6, 'replica')];
    const states = [
      live(nodes[0], facts('master', 1000)),
      live(nodes[1], facts('replica', 900)),
      live(nodes[2], facts('replica', 900)),
      live(nodes[3], facts('replica', 1000), 10),
      live(nodes[4], facts('replica', 1000)),
      dead(nodes[5]),
      live(nodes[6], facts('replica', 950)),
    ];
    const { ranked, excluded } = rankCandidates(states, states[0], 'graceful');
    expect(ranked.map((c) => [c.node.name, c.priority, c.lagBytes])).toEqual([
      ['low', 10, 0],
      ['fast', 100, 50],
      ['r-a', 100, 100],
      ['r-b', 100, 100],
    ]);
    expect(excluded.map((e) => e.node)).toEqual(['never', 'gone']);
  });

  it('in graceful mode only replicas of the master\'s history qualify', () => {
    const nodes = [node('m', 0, 'master'), node('mine', 1, 'replica'), node('foreign', 2, 'replica')];
    const states = [live(nodes[0], facts('master', 10)), live(nodes[1], facts('replica', 10)), live(nodes[2], facts('replica', 500, OTHER))];
    const { ranked, excluded } = rankCandidates(states, states[0], 'graceful');
    expect(ranked.map((c) => c.node.name)).toEqual(['mine']);
    expect(excluded[0].reason).toMatch(/does not replicate m's history/);
  });

  it('before 6.2 a graceful candidate must be linked straight to the master: not a chained replica, not one with its link down', () => {
    const nodes = [node('m', 0, 'master'), node('direct', 1, 'replica'), node('chained', 2, 'replica'), node('down', 3, 'replica')];
    const chained = { ...facts('replica', 10), masterPort: 7001 };
    const down = { ...facts('replica', 10), linkStatus: 'down' as const };
    const states = [live(nodes[0], facts('master', 10)), live(nodes[1], facts('replica', 10)), live(nodes[2], chained), live(nodes[3], down)];
    states[0].capabilities = capabilitiesOfVersion('5.0.14');
    const { ranked, excluded } = rankCandidates(states, states[0], 'graceful');
    expect(ranked.map((c) => c.node.name)).toEqual(['direct']);
    expect(excluded.map((e) => [e.node, e.reason])).toEqual([
      ['chained', 'before Redis 6.2 only a replica linked straight to m can take over gracefully (it follows another node)'],
      ['down', 'before Redis 6.2 only a replica linked straight to m can take over gracefully (it has its link down)'],
    ]);
    // From 6.2 the chained replica qualifies: the old master is demoted only after the promotion.
    states[0].capabilities = capabilitiesOfVersion('6.2.16');
    expect(rankCandidates(states, states[0], 'graceful').ranked.map((c) => c.node.name)).toEqual(['chained', 'direct', 'down']);
  });

  it('in forced mode the lag is measured against the most advanced replica of the same history', () => {
    const nodes = [node('m', 0, 'master'), node('x', 1, 'replica'), node('y', 2, 'replica')];
    const states = [dead(nodes[0]), live(nodes[1], facts('replica', 700)), live(nodes[2], facts('replica', 1000))];
    expect(rankCandidates(states, states[0], 'forced').ranked.map((c) => [c.node.name, c.lagBytes])).toEqual([
      ['y', 0],
      ['x', 300],
    ]);
  });
});

describe('planning a failover', () => {
  const nodes = [node('m', 0, 'master'), node('s1', 1, 'replica'), node('s2', 2, 'replica')];
  const topology = topologyOf(nodes);

  it('is graceful with a live master, repoints the old master last, and picks the best candidate', async () => {
    const states = [live(nodes[0], facts('master', 100)), live(nodes[1], facts('replica', 90)), live(nodes[2], facts('replica', 100))];
    const plan = await planFailover(topology, states, { promote: null, force: false });
    expect(plan.mode).toBe('graceful');
    expect(plan.to.node.name).toBe('s2');
    expect(plan.repoint.map((s) => s.node.name)).toEqual(['s1', 'm']);
  });

  it('is forced when the master does not answer; the dead master is left behind', async () => {
    const states = [dead(nodes[0], 'NODE_TIMEOUT'), live(nodes[1], facts('replica', 100)), live(nodes[2], facts('replica', 100))];
    const plan = await planFailover(topology, states, { promote: nodes[1], force: false });
    expect(plan).toMatchObject({ mode: 'forced', masterLive: false });
    expect(plan.repoint.map((s) => s.node.name)).toEqual(['s2']);
    expect(plan.leftBehind.map((s) => s.node.name)).toEqual(['m']);
  });

  it('a master that answers wrongly (wrong password) is not dead: refused without --force (exit 4), forced with it', async () => {
    const states = [dead(nodes[0], 'AUTH_WRONGPASS'), live(nodes[1], facts('replica', 100)), live(nodes[2], facts('replica', 100))];
    const error = await refusal(planFailover(topology, states, { promote: null, force: false }));
    expect(error.exitCode).toBe(ExitCode.Failed);
    expect(error.message).toMatch(/the master answers, so it is not failed over without --force$/);
    expect((await planFailover(topology, states, { promote: null, force: true })).mode).toBe('forced');
  });

  it('refuses a named candidate behind another replica when the master is dead (exit 5), unless --force', async () => {
    const states = [dead(nodes[0]), live(nodes[1], facts('replica', 700)), live(nodes[2], facts('replica', 1000))];
    const error = await refusal(planFailover(topology, states, { promote: nodes[1], force: false }));
    expect(error.exitCode).toBe(ExitCode.Refused);
    expect(error.message).toBe('s1 is 300 bytes behind s2 (offset 700 vs 1000): promoting it would lose the writes only s2 has');
    expect(error.suggestion).toBe('promote s2 (--promote s2), or pass --force to accept losing those 300 bytes');
    const forced = await planFailover(topology, states, { promote: nodes[1], force: true });
    expect(forced.warnings[0]).toMatch(/^s1 is 300 bytes behind s2: s2 will need a full resync/);
    // A silent master may be alive beyond a partition: the plan says what that would cost.
    expect(forced.warnings[1]).toMatch(/^m \(127\.0\.0\.1:\d+\) does not answer and cannot be fenced: if it is alive beyond a partition/);
  });

  it('refuses the current master and a priority-0 replica (exit 2), an unreachable one (exit 4)', async () => {
    const states = [live(nodes[0], facts('master', 100)), live(nodes[1], facts('replica', 100), 0), dead(nodes[2])];
    expect((await refusal(planFailover(topology, states, { promote: nodes[0], force: false }))).code).toBe('ALREADY_MASTER');
    const zero = await refusal(planFailover(topology, states, { promote: nodes[1], force: false }));
    expect([zero.code, zero.exitCode]).toEqual(['PRIORITY_ZERO', 2]);
    const gone = await refusal(planFailover(topology, states, { promote: nodes[2], force: false }));
    expect([gone.code, gone.exitCode]).toEqual(['CANDIDATE_UNREACHABLE', 4]);
    const none = await refusal(planFailover(topology, states, { promote: null, force: false }));
    expect([none.code, none.exitCode]).toEqual(['NO_CANDIDATE', 4]);
    expect(none.message).toBe('no replica of lab can be promoted: s1: replica-priority 0 (never promoted); s2: s2 (127.0.0.1:7002): connection refused');
  });

  it('refuses two live masters (exit 5) and a drifted master (exit 3)', async () => {
    const two = [live(nodes[0], facts('master', 100)), live(nodes[1], facts('master', 50, OTHER)), live(nodes[2], facts('replica', 100))];
    const error = await refusal(planFailover(topology, two, { promote: null, force: false }));
    expect([error.code, error.exitCode]).toEqual(['TWO_MASTERS', 5]);
    const drifted = [live(nodes[0], facts('replica', 100)), live(nodes[1], facts('master', 100)), live(nodes[2], facts('replica', 100))];
    const drift = await refusal(planFailover(topology, drifted, { promote: null, force: false }));
    expect([drift.code, drift.exitCode]).toEqual(['ROLE_DRIFT', 3]);
  });

  it('refuses a topology without replicas (exit 2)', async () => {
    const lonely = topologyOf([node('m', 0, 'master')]);
    const error = await refusal(planFailover(lonely, [live(lonely.nodes[0], facts('master', 1))], { promote: null, force: false }));
    expect([error.code, error.exitCode, error.message]).toEqual(['NO_REPLICAS', 2, 'lab has no replicas: there is nothing to fail over to']);
  });

  it('asks the chooser (a list on a terminal) when --promote is omitted', async () => {
    const states = [live(nodes[0], facts('master', 100)), live(nodes[1], facts('replica', 100)), live(nodes[2], facts('replica', 100))];
    const plan = await planFailover(topology, states, { promote: null, force: false, choose: async (ranked) => ranked[ranked.length - 1] });
    expect(plan.to.node.name).toBe('s2');
  });
});
