// `rctl replicaof NODE MASTER` and `rctl replicaof NODE no one`: the runbook primitives of the
// seeds (REPLICAOF + masterauth, REPLICAOF NO ONE), each persisted with CONFIG REWRITE.

import { BadInputError, RefusedError } from '../errors';
import type { Topology } from '../topology/model';
import type { NodeRef } from '../topology/resolve';
import { NodeSession } from '../node/node-session';
import type { Reporter } from '../node/reporter';
import { dataLossRisk, followsMaster, riskQuestion, type DataLossRisk } from './safety';
import { waitForSync } from './sync';
import { persistConfig } from './persist-config';
import { sameAddress } from '../topology/model';
import type { TopologyState } from '../state/topology-state';
import { refuseUnderSentinels } from './sentinel/guard';

export interface ReplicaofOptions {
  state: TopologyState;
  timeoutMs: number;
  /** 0: do not wait for the link. */
  waitMs: number;
  reporter: Reporter;
  confirmDataLoss: (risks: DataLossRisk[], question: string) => Promise<boolean>;
}

export interface ReplicaofResult {
  node: string;
  address: string;
  /** The master's name or address, or null for "no one". */
  master: string | null;
  changed: boolean;
  actions: string[];
  warnings: string[];
  role: 'master' | 'replica' | null;
  linkStatus: 'up' | 'down' | null;
}

function openFor(topology: Topology, ref: NodeRef, timeoutMs: number): Promise<NodeSession> {
  return NodeSession.open(ref, { password: topology.password, passwordSource: topology.passwordSource, timeoutMs });
}

export async function replicaof(topology: Topology, target: NodeRef, master: NodeRef | null, options: ReplicaofOptions): Promise<ReplicaofResult> {
  refuseUnderSentinels(topology, 'replicaof');
  if (master && sameAddress(target.host, target.port, master.host, master.port)) {
    throw new BadInputError('USAGE', `${target.name} cannot replicate itself`);
  }
  const actions: string[] = [];
  const warnings: string[] = [];
  const session = await openFor(topology, target, options.timeoutMs);
  let masterSession: NodeSession | null = null;
  try {
    const facts = await session.facts();
    await session.supportedCapabilities();
    if (master === null) {
      if (facts.role !== 'master') {
        options.reporter.step(`promoting ${target.name}: REPLICAOF NO ONE`);
        await session.expect(['REPLICAOF', 'NO', 'ONE'], 'REPLICAOF NO ONE');
        actions.push('REPLICAOF NO ONE');
      }
    } else {
      // Talk to the master first: an unreachable master or wrong password fails before any change.
      masterSession = await openFor(topology, master, options.timeoutMs);
      const masterFacts = await masterSession.facts();
      await masterSession.supportedCapabilities();
      const risk = dataLossRisk(target, facts, master, masterFacts);
      if (risk && !(await options.confirmDataLoss([risk], riskQuestion([risk])))) {
        throw new RefusedError(
          'DATA_LOSS_REFUSED',
          `refusing to make ${target.name} (${target.address}) a replica of ${master.name}: it holds ${risk.keys} key${risk.keys === 1 ? '' : 's'} that replication would discard`,
          'confirm on a terminal, or pass --yes to accept losing those keys',
        );
      }
      const password = topology.password?.reveal();
      // A node replicating as an ACL user (masteruser) keeps that user's password.
      if (password !== undefined && (await session.replicationUser()) === null && (await session.configGet('masterauth')) !== password) {
        await session.configSet([['masterauth', password]]);
        actions.push('CONFIG SET masterauth (password)');
      }
      if (!followsMaster(facts, master.host, master.port)) {
        options.reporter.step(`${target.name}: REPLICAOF ${master.host} ${master.port}`);
        await session.expect(['REPLICAOF', master.host, master.port], 'REPLICAOF');
        actions.push(`REPLICAOF ${master.host} ${master.port}`);
      }
    }
    if (actions.length > 0) {
      const persisted = await persistConfig(topology, { name: target.name, address: target.address, launch: target.node?.launch }, session, options.state);
      if (persisted === true) actions.push('CONFIG REWRITE');
      else {
        warnings.push(persisted);
        options.reporter.warn(persisted);
      }
    }
    if (masterSession && options.waitMs > 0) {
      await waitForSync(masterSession, [{ name: target.name, session }], { waitMs: options.waitMs, reporter: options.reporter });
    }
    const after = await session.facts();
    return {
      node: target.name,
      address: target.address,
      master: master ? master.name : null,
      changed: actions.length > 0,
      actions,
      warnings,
      role: after.role,
      linkStatus: after.linkStatus,
    };
  } finally {
    session.close();
    masterSession?.close();
  }
}
