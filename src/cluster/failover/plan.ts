// Decides what a failover will do from what was observed, and refuses what is unsafe or wrong
// before anything changes: every refusal of `rctl failover` is thrown here.

import { BadInputError, ExitCode, NodeFailureError, RctlError, RefusedError } from '../../errors';
import type { Topology, TopologyNode } from '../../topology/model';
import { describeVersion } from '../../node/capabilities';
import { aheadOf, rankCandidates, type Exclusion } from './candidates';
import { isUnreachable, type NodeState } from './inspect';
import type { SentinelSwitchPlan } from './sentinel-plan';
import type { Candidate, FailoverMode } from './types';

export interface FailoverPlan {
  topology: Topology;
  mode: FailoverMode;
  /** The current master; its session is null when it is unreachable. */
  from: NodeState;
  /** The replica to promote. */
  to: NodeState;
  candidate: Candidate;
  /** Every qualifying replica, best first (the candidate among them). */
  ranked: Candidate[];
  /** Reachable nodes to point at the new master: the other replicas and, when it answers, the old master. */
  repoint: NodeState[];
  /** Nodes that cannot be reached now: they rejoin as replicas with `rctl up` when they are back. */
  leftBehind: NodeState[];
  /** The old master answers: writes are paused on it and it becomes a replica. */
  masterLive: boolean;
  warnings: string[];
  /** Set on a Sentinel-managed set: the sentinels promote the candidate (sentinel-switch.ts). */
  sentinel?: SentinelSwitchPlan;
}

export interface PlanOptions {
  /** --promote, resolved to a node of the topology. */
  promote: TopologyNode | null;
  force: boolean;
  /** Picks among the ranked candidates when --promote is omitted (a list on a TTY); default: the best. */
  choose?: (ranked: Candidate[]) => Promise<Candidate>;
}

function stateOf(states: NodeState[], node: TopologyNode): NodeState {
  const state = states.find((s) => s.node.name === node.name);
  if (!state) throw new Error(`no observation of ${node.name}`);
  return state;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function checkMasters(topology: Topology, states: NodeState[], master: NodeState, force: boolean): boolean {
  const liveMasters = states.filter((s) => s.facts?.role === 'master');
  if (liveMasters.length > 1) {
    const list = liveMasters.map((s) => `${s.node.name} (${s.node.address}, offset ${s.facts?.offset ?? '?'})`).join(', ');
    throw new RefusedError(
      'TWO_MASTERS',
      `${liveMasters.length} masters are live: ${list}; a failover now could lose the writes one of them took`,
      'see `rctl status`; `rctl up` rejoins the node that should not be a master (it asks before discarding its writes)',
    );
  }
  const stranger = liveMasters.find((s) => s.node.name !== master.node.name);
  if (stranger) {
    const where = master.facts ? `is a replica` : `does not answer`;
    throw new RctlError(
      'ROLE_DRIFT',
      `the recorded master ${master.node.name} ${where} and ${stranger.node.name} (${stranger.node.address}) is a master: the nodes have drifted from ${topology.displayFile}`,
      ExitCode.Unhealthy,
      'see `rctl status`; `rctl up` restores the recorded roles',
    );
  }
  if (master.facts) {
    if (master.facts.role === 'master') return true;
    throw new RctlError('ROLE_DRIFT', `the recorded master ${master.node.name} (${master.node.address}) is a replica and no node is a master`, ExitCode.Unhealthy, 'see `rctl status`; `rctl up` restores the recorded roles');
  }
  // It answered, but not usefully (wrong password, loading, not Redis): it is not dead, so promoting
  // a replica beside it could make two masters. --force is the operator saying it is dead anyway.
  if (!isUnreachable(master) && !force && master.error) {
    throw new NodeFailureError(master.error.code, `${master.error.message}; the master answers, so it is not failed over without --force`, '--force treats it as dead');
  }
  return false;
}

function chooseNamed(promote: TopologyNode, master: NodeState, states: NodeState[], ranked: Candidate[], excluded: Exclusion[], mode: FailoverMode, force: boolean): Candidate {
  const name = `${promote.name} (${promote.address})`;
  if (promote.name === master.node.name) {
    throw new BadInputError('ALREADY_MASTER', `--promote ${promote.name}: ${name} is the master already`, `promote one of its replicas: ${states.filter((s) => s !== master).map((s) => s.node.name).join(', ')}`);
  }
  const state = stateOf(states, promote);
  if (state.error) throw new NodeFailureError(state.error.code === 'NODE_LOADING' ? 'NODE_LOADING' : 'CANDIDATE_UNREACHABLE', `cannot promote ${promote.name}: ${state.error.message}`, state.error.suggestion);
  if (state.priority === 0) {
    throw new BadInputError('PRIORITY_ZERO', `cannot promote ${name}: its replica-priority is 0, which means never promote it`, 'set a priority above 0 in the topology (priority:) to allow it, or promote another replica');
  }
  const candidate = ranked.find((c) => c.node.name === promote.name);
  if (!candidate) {
    const reason = state.facts?.role !== 'replica' ? `it is not a replica` : (excluded.find((e) => e.node === promote.name)?.reason ?? `it does not replicate ${master.node.name}'s history`);
    throw new NodeFailureError('NOT_A_CANDIDATE', `cannot promote ${name}: ${reason}`, 'see `rctl status`; `rctl replicaof NODE MASTER` links a replica straight to the master');
  }
  if (mode === 'forced') {
    const better = aheadOf(candidate, ranked);
    if (better && !force) {
      const gap = better.offset - candidate.offset;
      throw new RefusedError(
        'CANDIDATE_BEHIND',
        `${promote.name} is ${plural(gap, 'byte')} behind ${better.node.name} (offset ${candidate.offset} vs ${better.offset}): promoting it would lose the writes only ${better.node.name} has`,
        `promote ${better.node.name} (--promote ${better.node.name}), or pass --force to accept losing those ${plural(gap, 'byte')}`,
      );
    }
  }
  return candidate;
}

export async function planFailover(topology: Topology, states: NodeState[], options: PlanOptions): Promise<FailoverPlan> {
  if (topology.replicas.length === 0) {
    throw new BadInputError('NO_REPLICAS', `${topology.name} has no replicas: there is nothing to fail over to`, `add a node with role: replica to ${topology.displayFile}`);
  }
  // A version rctl does not manage is refused whatever else: its commands are not known (--force included).
  const unsupported = states.find((s) => s.error?.code === 'UNSUPPORTED_VERSION');
  if (unsupported?.error) throw unsupported.error;
  const master = stateOf(states, topology.master);
  const masterLive = checkMasters(topology, states, master, options.force);
  if (masterLive && master.settingsError) {
    // Without the originals a switch could not put them back: it would leave the master changed.
    throw new NodeFailureError(
      'SETTINGS_UNREADABLE',
      `cannot read ${master.node.name}'s replication settings (${master.settingsError}): a graceful failover changes and restores them`,
      'allow CONFIG GET and CONFIG SET for rctl on the master (renamed, or refused by an ACL?)',
    );
  }
  const mode: FailoverMode = masterLive && !options.force ? 'graceful' : 'forced';
  const { ranked, excluded } = rankCandidates(states, master, mode);

  let candidate: Candidate;
  if (options.promote) {
    candidate = chooseNamed(options.promote, master, states, ranked, excluded, mode, options.force);
  } else {
    if (ranked.length === 0) {
      throw new NodeFailureError('NO_CANDIDATE', `no replica of ${topology.name} can be promoted: ${excluded.map((e) => `${e.node}: ${e.reason}`).join('; ')}`, 'bring a replica back, or check the priorities in the topology');
    }
    candidate = options.choose ? await options.choose(ranked) : ranked[0];
  }

  const warnings: string[] = [];
  const to = stateOf(states, candidate.node);
  if (mode === 'forced') {
    const better = aheadOf(candidate, ranked);
    if (better) warnings.push(`${candidate.node.name} is ${plural(better.offset - candidate.offset, 'byte')} behind ${better.node.name}: ${better.node.name} will need a full resync and those writes are lost`);
  }
  // The old master is repointed with the others (execute.ts): it is fenced until then.
  const repoint = [...states.filter((s) => s !== to && s !== master && s.session !== null), ...(masterLive ? [master] : [])];
  const leftBehind = states.filter((s) => s !== to && s.session === null);
  if (!masterLive) {
    // rctl cannot fence what it cannot reach: silence is not proof of death.
    const state = isUnreachable(master) ? 'does not answer' : `is treated as dead (--force; ${master.error?.message ?? 'it answered wrongly'})`;
    warnings.push(
      `${master.node.name} (${master.node.address}) ${state} and cannot be fenced: if it is alive beyond a partition, its clients may keep writing to it, and rejoining it later discards those writes (\`rctl up\` asks first); a master with min-replicas-to-write 1 stops taking writes within min-replicas-max-lag once its replicas are gone`,
    );
  }
  if (masterLive && master.capabilities && !master.capabilities.pauseWritesOnly) {
    warnings.push(
      `${master.node.name} runs ${describeVersion(master.capabilities)}, which has no CLIENT PAUSE WRITE: the switch pauses its reads as well as its writes (a pause sized to the switch, lifted at Redis's next cron tick), disconnects its clients, and makes it a replica before any of their commands runs again`,
    );
  }
  // Continuing after the switch is a partial resync, which needs no RDB; a later full sync does.
  const newRdb = to.capabilities?.rdbVersion ?? null;
  for (const state of repoint) {
    const reads = state.capabilities?.rdbReadMax ?? null;
    if (newRdb !== null && reads !== null && reads < newRdb && to.capabilities && state.capabilities) {
      warnings.push(
        `${state.node.name} runs ${describeVersion(state.capabilities)} and ${to.node.name} ${describeVersion(to.capabilities)}: this switch continues with a partial resync, but any later full sync of ${state.node.name} from ${to.node.name} fails (it cannot read RDB ${newRdb}); upgrade ${state.node.name} first`,
      );
    }
  }
  for (const state of leftBehind) {
    if (state === master) continue;
    warnings.push(`${state.node.name} (${state.node.address}) cannot be reached and is left behind: \`rctl up\` repoints it when it is back (${state.error?.message ?? 'unreachable'})`);
  }
  return { topology, mode, from: master, to, candidate, ranked, repoint, leftBehind, masterLive, warnings };
}
