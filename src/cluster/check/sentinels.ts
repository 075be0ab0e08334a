// Reads every sentinel of the file in parallel, with the sentinels' own password and the same
// per-sentinel limit as the nodes: where it says the master is, its view of it and its settings,
// what it discovered, and whether it can reach a quorum and a majority. One that cannot be asked
// is a reading with an error, never a failed check.

import { RctlError } from '../../errors';
import { NodeSession } from '../../node/node-session';
import { checkQuorum, knownReplicas, knownSentinels, masterAddressByName, monitoredMaster } from '../../node/sentinel';
import type { SentinelNode, SentinelSet } from '../../topology/model';
import type { SentinelReading } from './model';

async function readSentinel(set: SentinelSet, sentinel: SentinelNode, timeoutMs: number): Promise<SentinelReading> {
  const empty: SentinelReading = { sentinel, error: null, names: null, master: null, replicas: [], peers: [], quorum: null };
  let session: NodeSession | null = null;
  try {
    session = await NodeSession.open(sentinel, { password: set.password, passwordSource: set.passwordSource, timeoutMs, deadline: Date.now() + timeoutMs });
    const [names, master, quorum] = await Promise.all([masterAddressByName(session, set.masterName), monitoredMaster(session, set.masterName), checkQuorum(session, set.masterName)]);
    // REPLICAS and SENTINELS answer an error for a name it does not monitor.
    if (!master) return { ...empty, names };
    const [replicas, peers] = await Promise.all([knownReplicas(session, set.masterName), knownSentinels(session, set.masterName)]);
    return { ...empty, names, master, replicas, peers, quorum };
  } catch (error) {
    if (error instanceof RctlError) return { ...empty, error };
    throw error;
  } finally {
    session?.close();
  }
}

export function readSentinels(set: SentinelSet, timeoutMs: number): Promise<SentinelReading[]> {
  return Promise.all(set.nodes.map((sentinel) => readSentinel(set, sentinel, timeoutMs)));
}
