// `rctl check`: read every node (and, when Sentinels manage the set, every sentinel), sample the
// masters' write rate, run the rules, and report the findings, errors first. Exit 0 when clean, 3
// with findings; when no node can be read at all it fails with the first node's error (exit 4),
// like status's "unreachable everything".

import { RctlError } from '../../errors';
import type { Topology } from '../../topology/model';
import type { CheckContext, CheckReport, Finding, NodeReading, Rule, SentinelReading, WriteRate } from './model';
import { readNodes } from './read';
import { readSentinels } from './sentinels';
import { backlogRule } from './rules/backlog';
import { exposureRule } from './rules/exposure';
import { failoverCandidateRule } from './rules/failover-candidate';
import { isolatedMasterRule } from './rules/isolated-master';
import { masterauthRule } from './rules/masterauth';
import { minReplicasRule } from './rules/min-replicas';
import { persistenceRule } from './rules/persistence';
import { replicaReadOnlyRule } from './rules/read-only';
import { reachabilityRule } from './rules/reachability';
import { rolesRule } from './rules/roles';
import { followedBySentinels, SENTINELS_LABEL, sentinelRule } from './rules/sentinel';
import { sentinelLayoutRule } from './rules/sentinel-layout';
import { versionsRule } from './rules/versions';
import { sampleWriteRate } from './write-rate';

export type { CheckReport, Finding, WriteRate } from './model';

export interface CheckOptions {
  /** Connect and per-reply limit for each node and sentinel. */
  timeoutMs: number;
  /** How long to watch the masters' offsets; 0 skips the write-rate measurement. */
  sampleMs: number;
}

export const RULES: readonly Rule[] = [
  reachabilityRule,
  rolesRule,
  persistenceRule,
  masterauthRule,
  replicaReadOnlyRule,
  backlogRule,
  failoverCandidateRule,
  minReplicasRule,
  exposureRule,
  versionsRule,
  sentinelRule,
  sentinelLayoutRule,
  isolatedMasterRule,
];

/** Runs every rule; errors before warnings, then in file order: the nodes, then the sentinels. */
export function evaluate(context: CheckContext, rules: readonly Rule[] = RULES): Finding[] {
  const names = [...context.topology.nodes.map((node) => node.name), SENTINELS_LABEL, ...(context.topology.sentinel?.nodes ?? []).map((sentinel) => sentinel.name)];
  const order = new Map(names.map((name, index) => [name, index]));
  const findings = rules.flatMap((rule) => rule(context));
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => severityRank(a.finding) - severityRank(b.finding) || (order.get(a.finding.node) ?? 0) - (order.get(b.finding.node) ?? 0) || a.index - b.index)
    .map(({ finding }) => finding);
}

function severityRank(finding: Finding): number {
  return finding.severity === 'error' ? 0 : finding.severity === 'warn' ? 1 : 2;
}

export async function runCheck(topology: Topology, options: CheckOptions): Promise<CheckReport> {
  const [opened, sentinels] = await Promise.all([readNodes(topology, options.timeoutMs), topology.sentinel ? readSentinels(topology.sentinel, options.timeoutMs) : undefined]);
  const writeRates = new Map<string, WriteRate>();
  try {
    const unreadable = opened.filter((o) => o.reading.error !== null);
    if (unreadable.length === opened.length) throw unreadable[0].reading.error as RctlError;

    if (options.sampleMs > 0) {
      const masters = opened.flatMap((o) => (o.session !== null && o.reading.facts?.role === 'master' ? [{ name: o.reading.node.name, session: o.session }] : []));
      const rates = await Promise.all(
        masters.map(({ name, session }) =>
          sampleWriteRate(name, session, options.sampleMs).catch((error: unknown) => {
            // A master that dies mid-sample is reported by the next check; this one has no rate.
            if (error instanceof RctlError) return null;
            throw error;
          }),
        ),
      );
      for (const rate of rates) if (rate) writeRates.set(rate.node, rate);
    }
  } finally {
    for (const o of opened) o.session?.close();
  }

  const context = checkContext(topology, opened.map((o) => o.reading), writeRates, sentinels);
  const all = evaluate(context);
  const findings = all.filter((f) => f.severity !== 'info');
  const writeRate = writeRates.get(context.topology.master.name) ?? [...writeRates.values()][0] ?? null;
  return { topology: topology.name, clean: findings.length === 0, findings, notices: all.filter((f) => f.severity === 'info'), writeRate };
}

/**
 * The context the rules see. Under Sentinel, the nodes are judged against the master a quorum of
 * sentinels names, as `rctl status` does: each reading then carries its node as that master's
 * topology declares it.
 */
export function checkContext(topology: Topology, readings: NodeReading[], writeRates: ReadonlyMap<string, WriteRate>, sentinels?: SentinelReading[]): CheckContext {
  if (!sentinels) return { topology, readings, writeRates };
  const followed = followedBySentinels(topology, sentinels);
  const asJudged = readings.map((reading) => ({ ...reading, node: followed.topology.nodes[reading.node.index] }));
  return { topology: followed.topology, readings: asJudged, writeRates, sentinels, ...(followed.masterBeforeSentinels ? { masterBeforeSentinels: followed.masterBeforeSentinels } : {}) };
}
