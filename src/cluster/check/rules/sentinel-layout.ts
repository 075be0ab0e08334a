// How many sentinels, with which quorum, on which machines: what decides whether Sentinel can fail
// over when a machine is lost, and whether it fails over a master that is still taking writes.
//
// Sentinel's arithmetic (sentinel.c): the master is objectively down once `quorum` sentinels see
// it down; the failover then needs a leader elected by max(quorum, majority) votes, the majority
// counted over every sentinel the voter knows (N / 2 + 1). A sentinel grants its vote to the first
// candidate of an epoch without checking the master itself, so a quorum below the majority lets a
// minority that lost sight of the master get a failover authorized by sentinels that still see it.
// The writes the old master takes until it is demoted are then lost.

import { isLoopbackHost, normalizeHost, type SentinelSet, type Topology } from '../../../topology/model';
import { plural } from '../accessors';
import { rctlUpFix } from '../fixes';
import type { CheckContext, Finding } from '../model';
import { SENTINELS_LABEL } from './sentinel';

export function majorityOf(sentinels: number): number {
  return Math.floor(sentinels / 2) + 1;
}

/** The machine a host is on, as far as addresses tell: every loopback address is this one. */
function machineOf(host: string): string {
  return isLoopbackHost(host) ? 'loopback' : normalizeHost(host);
}

function countFindings(topology: Topology, set: SentinelSet): Finding[] {
  const count = set.nodes.length;
  const majority = majorityOf(count);
  const setQuorum = (quorum: number) => `set quorum: ${quorum} in the sentinel section of ${topology.displayFile}, then ${rctlUpFix(topology)}`;
  const findings: Finding[] = [];
  if (count < 3) {
    findings.push({
      severity: 'warn',
      node: SENTINELS_LABEL,
      code: 'SENTINEL_TOO_FEW',
      reason:
        count === 1
          ? 'a single sentinel decides alone: a network cut between it and the master makes it fail over a master that may still take writes (lost afterwards), and while it is down nothing fails over'
          : 'a failover needs the votes of both sentinels (the majority of 2): with either one, or its machine, down, a dead master is never replaced',
      fix: `run at least 3 sentinels, on separate machines (sentinel.nodes in ${topology.displayFile}), then ${rctlUpFix(topology)}`,
    });
  } else if (count % 2 === 0) {
    findings.push({
      severity: 'info',
      node: SENTINELS_LABEL,
      code: 'SENTINEL_EVEN_COUNT',
      reason: `${count} sentinels survive as many losses as ${count - 1} do (a failover needs ${majority} votes), and a cut into two halves of ${count / 2} leaves neither side able to fail over`,
      fix: `run an odd number of sentinels (sentinel.nodes in ${topology.displayFile})`,
    });
  }
  if (count >= 3 && set.quorum < majority) {
    findings.push({
      severity: 'warn',
      node: SENTINELS_LABEL,
      code: 'SENTINEL_QUORUM_BELOW_MAJORITY',
      reason: `quorum ${set.quorum} of ${count}: ${set.quorum === 1 ? 'one sentinel that loses sight of the master (a cut between it and the master) starts' : `${set.quorum} sentinels that lose sight of the master (a cut between them and it) start`} a failover, and the others authorize it without checking the master themselves, so a master still taking writes is replaced and its writes since are lost`,
      fix: setQuorum(majority),
    });
  }
  if (count >= 3 && set.quorum > majority) {
    findings.push({
      severity: 'warn',
      node: SENTINELS_LABEL,
      code: 'SENTINEL_QUORUM_ABOVE_MAJORITY',
      reason: `quorum ${set.quorum} of ${count}: with ${plural(count - set.quorum + 1, 'sentinel')} down, the master can never be declared down, so a dead master is not replaced (a quorum of ${majority} tolerates ${count - majority} down)`,
      fix: setQuorum(majority),
    });
  }
  return findings;
}

function survivorsText(left: number, needed: number): string {
  if (left === 0) return 'no sentinel is left to fail over';
  return `the ${left} left ${left === 1 ? 'is' : 'are'} fewer than the ${needed} a failover needs`;
}

function hostFindings(topology: Topology, set: SentinelSet): Finding[] {
  const count = set.nodes.length;
  const needed = Math.max(set.quorum, majorityOf(count));
  const masterMachine = machineOf(topology.master.host);
  const onMasterMachine = set.nodes.filter((s) => machineOf(s.host) === masterMachine).length;
  const replicasElsewhere = topology.replicas.some((r) => machineOf(r.host) !== masterMachine);
  const sentinelMachines = new Set(set.nodes.map((s) => machineOf(s.host)));
  const moveFix = `run the sentinels on separate machines (sentinel.nodes in ${topology.displayFile}), then ${rctlUpFix(topology)}`;

  if (onMasterMachine > 0 && count - onMasterMachine < needed && replicasElsewhere) {
    return [
      {
        severity: 'warn',
        node: SENTINELS_LABEL,
        code: 'SENTINEL_SHARED_HOST',
        reason: `${count === 1 ? 'the only sentinel runs' : `${onMasterMachine} of the ${count} sentinels ${onMasterMachine === 1 ? 'runs' : 'run'}`} on ${topology.master.host}, the master's machine: if it fails, ${survivorsText(count - onMasterMachine, needed)}, so the replicas on other machines are never promoted`,
        fix: moveFix,
      },
    ];
  }
  if (count < 2 || sentinelMachines.size > 1) return [];
  const host = set.nodes[0].host;
  if (topology.nodes.every((node) => machineOf(node.host) === machineOf(host))) {
    return [
      {
        severity: 'info',
        node: SENTINELS_LABEL,
        code: 'SENTINEL_SHARED_HOST',
        reason: `every node and sentinel runs on ${host}: Sentinel replaces a failed process, not a failed machine`,
        fix: `run the nodes and at least 3 sentinels on separate machines for fault isolation`,
      },
    ];
  }
  return [
    {
      severity: 'warn',
      node: SENTINELS_LABEL,
      code: 'SENTINEL_SHARED_HOST',
      reason: `all ${count} sentinels run on ${host}: one machine's view decides, so a network cut between it and the master fails over a master that may still take writes (lost afterwards), and losing that machine stops every failover`,
      fix: moveFix,
    },
  ];
}

export function sentinelLayoutRule(context: CheckContext): Finding[] {
  const set = context.topology.sentinel;
  if (!set) return [];
  return [...countFindings(context.topology, set), ...hostFindings(context.topology, set)];
}
