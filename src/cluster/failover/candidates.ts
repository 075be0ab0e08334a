// Which replicas may be promoted, and in what order: only reachable replicas with
// replica-priority > 0 qualify; they rank by lowest priority value, then highest replication
// offset, then name.

import { sameAddress } from '../../topology/model';
import type { NodeState } from './inspect';
import type { Candidate, FailoverMode } from './types';

export interface Exclusion {
  node: string;
  reason: string;
}

export interface CandidateSet {
  /** Best first. */
  ranked: Candidate[];
  /** Replicas that do not qualify, and why (shown when none does). */
  excluded: Exclusion[];
}

export function compareCandidates(a: Candidate, b: Candidate): number {
  return a.priority - b.priority || b.offset - a.offset || (a.node.name < b.node.name ? -1 : a.node.name > b.node.name ? 1 : 0);
}

/** Why a replica cannot be promoted, or null when it can. */
export function exclusionReason(state: NodeState, master: NodeState, mode: FailoverMode): string | null {
  if (state.error) return state.error.message;
  const facts = state.facts;
  if (!facts) return 'not observed';
  if (facts.role !== 'replica') return `it is a ${facts.role ?? 'node without a role'}, not a replica`;
  if (state.priority === 0) return 'replica-priority 0 (never promoted)';
  if (facts.offset === null) return 'INFO shows no replication offset';
  // A live master's candidate must hold a prefix of its history, or it could never catch up.
  if (mode === 'graceful' && master.facts && facts.replid !== master.facts.replid) return `it does not replicate ${master.node.name}'s history (replid ${facts.replid?.slice(0, 8)})`;
  // Before 6.2 the old master is demoted onto the candidate before the promotion (pause.ts): only a
  // candidate whose link that demotion cuts refuses to sync it back meanwhile (NOMASTERLINK). One
  // behind another replica keeps its link and would copy its older data over the old master's.
  if (mode === 'graceful' && master.capabilities && !master.capabilities.pauseWritesOnly && !linkedTo(state, master)) {
    return `before Redis 6.2 only a replica linked straight to ${master.node.name} can take over gracefully (it ${facts.linkStatus !== 'up' ? 'has its link down' : 'follows another node'})`;
  }
  return null;
}

function linkedTo(state: NodeState, master: NodeState): boolean {
  const facts = state.facts;
  if (!facts || facts.linkStatus !== 'up' || facts.masterHost === null || facts.masterPort === null) return false;
  return sameAddress(facts.masterHost, facts.masterPort, master.node.host, master.node.port);
}

export function rankCandidates(states: NodeState[], master: NodeState, mode: FailoverMode): CandidateSet {
  const ranked: Candidate[] = [];
  const excluded: Exclusion[] = [];
  for (const state of states) {
    if (state.node.name === master.node.name) continue;
    const reason = exclusionReason(state, master, mode);
    if (reason !== null) {
      excluded.push({ node: state.node.name, reason });
      continue;
    }
    ranked.push({ node: state.node, priority: state.priority ?? 100, offset: state.facts?.offset ?? 0, lagBytes: 0, replid: state.facts?.replid ?? null });
  }
  ranked.sort(compareCandidates);
  // Lag against the master while it lives; else against the most advanced replica of the same history.
  const masterOffset = master.facts?.role === 'master' ? master.facts.offset : null;
  for (const candidate of ranked) {
    const reference = masterOffset ?? Math.max(...ranked.filter((c) => c.replid === candidate.replid).map((c) => c.offset));
    candidate.lagBytes = Math.max(0, reference - candidate.offset);
  }
  return { ranked, excluded };
}

/** The most advanced qualifying replica of the candidate's history, when it is ahead of the candidate. */
export function aheadOf(candidate: Candidate, ranked: Candidate[]): Candidate | null {
  let best: Candidate | null = null;
  for (const other of ranked) {
    if (other.node.name === candidate.node.name || other.replid !== candidate.replid || other.offset <= candidate.offset) continue;
    if (!best || other.offset > best.offset) best = other;
  }
  return best;
}
