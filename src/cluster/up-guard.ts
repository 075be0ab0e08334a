// `up` step 0: before launching or repointing anything, make sure `up` is not about to let
// replicas copy a master that restarted without its data (src/cluster/master-restart.ts).
//  - The master is down and a relaunch would load nothing: it would come back empty, and its
//    replicas would wipe themselves. Refuse; but launch the replicas that are down first (they
//    keep their data while the master is down), since the operator's next step, `rctl failover`,
//    needs them running.
//  - The master is up and restarted with its history reset or rewound, while some replica still
//    holds the old data (link not up on the new history, or down with data files): refuse before
//    any REPLICAOF or launch. Once every replica has copied the master there is nothing left to
//    protect: warn, and record the master as it is now.
// --force carries on in both cases, with a warning.

import { RefusedError } from '../errors';
import { launchNodes, portAnswers } from '../launch/launch';
import { predictRelaunch, type RelaunchPrediction } from '../launch/persisted-data';
import type { Topology, TopologyNode } from '../topology/model';
import type { ReplicationFacts } from '../node/info';
import { readMasterRecord, recordMasterIdentity } from '../state/master-record';
import { copiedMaster, describeMasterRestart, detectMasterRestart } from './master-restart';
import { observeNode } from './observe';
import type { Reporter } from '../node/reporter';
import { waitFor, WaitTimeoutError } from '../node/wait';
import type { TopologyState } from '../state/topology-state';

export const MASTER_WOULD_RESTART_EMPTY = 'MASTER_WOULD_RESTART_EMPTY';
export const MASTER_RESTARTED_EMPTY = 'MASTER_RESTARTED_EMPTY';

export interface RestartGuardOptions {
  state: TopologyState;
  timeoutMs: number;
  waitMs: number;
  force: boolean;
  reporter: Reporter;
  warn(text: string): void;
}

export interface RestartGuardOutcome {
  /** A restarted or empty master was accepted (--force, or nothing left to protect): record it as the master again. */
  accepted: boolean;
}

interface ReplicaSurvey {
  node: TopologyNode;
  answering: boolean;
  facts: ReplicationFacts | null;
  /** For a launched replica that is down: what it would load. */
  onDisk: RelaunchPrediction | null;
}

const keysText = (n: number) => `${n} key${n === 1 ? '' : 's'}`;
const PORT_PROBE_MS = 500;

/** INFO of a node, waiting (up to waitMs) while it loads its dataset: a loading node's keys and offset are not final. */
async function observeReady(topology: Topology, node: TopologyNode, timeoutMs: number, waitMs: number): Promise<ReplicationFacts | null> {
  let last: ReplicationFacts | null = null;
  try {
    return await waitFor(
      async () => {
        last = (await observeNode(topology, node, { timeoutMs })).facts;
        return !last || !last.loading ? { done: true, value: last } : { done: false, reason: 'still loading its dataset' };
      },
      { interval: 100, timeout: waitMs },
    );
  } catch (error) {
    if (error instanceof WaitTimeoutError) return last;
    throw error;
  }
}

async function surveyReplicas(topology: Topology, options: RestartGuardOptions): Promise<ReplicaSurvey[]> {
  return Promise.all(
    topology.replicas.map(async (node) => {
      const answering = await portAnswers(node.host, node.port, PORT_PROBE_MS);
      // No wait for a loading replica here: the connection step waits for it, and its replid and offset are already known.
      if (answering) return { node, answering, facts: (await observeNode(topology, node, { timeoutMs: options.timeoutMs })).facts, onDisk: null };
      const onDisk = node.launch === 'external' ? null : predictRelaunch(options.state.nodePaths(node.name));
      return { node, answering, facts: null, onDisk };
    }),
  );
}

function holdsData(survey: ReplicaSurvey): boolean {
  const onDisk = survey.onDisk;
  return (survey.facts !== null && survey.facts.keys > 0) || (!survey.answering && onDisk !== null && onDisk.loads !== null && onDisk.hasKeys !== false);
}

function describeHolder(survey: ReplicaSurvey): string {
  if (survey.facts) return `${survey.node.name} (${survey.node.address}, ${keysText(survey.facts.keys)})`;
  return `${survey.node.name} (${survey.node.address}, down, data in ${survey.onDisk?.loads})`;
}

export async function guardMasterRestart(topology: Topology, options: RestartGuardOptions): Promise<RestartGuardOutcome> {
  const master = topology.master;
  if (await portAnswers(master.host, master.port, PORT_PROBE_MS)) return guardLiveMaster(topology, options);
  if (master.launch === 'external') return { accepted: false };
  const prediction = predictRelaunch(options.state.nodePaths(master.name));
  // An RDB without a key brings it back as empty as no file would.
  if (prediction.loads !== null && prediction.hasKeys !== false) return { accepted: false };
  const replicas = await surveyReplicas(topology, options);
  const holders = replicas.filter(holdsData);
  if (holders.length === 0) return { accepted: false };

  const why = emptyRelaunchReason(prediction);
  if (options.force) {
    options.warn(`--force: relaunching ${master.name} (${master.address}) although ${why}: it starts empty and ${holders.map((h) => h.node.name).join(', ')} copy the empty dataset`);
    return { accepted: true };
  }

  // The replicas are safe to start while the master is down, and `rctl failover` needs them.
  const down = replicas.filter((r) => !r.answering && r.node.launch !== 'external').map((r) => r.node.name);
  if (down.length > 0) await launchNodes(topology, { state: options.state, startTimeoutMs: Math.max(options.waitMs, 5000), reporter: options.reporter, only: new Set(down) });
  const launched = await Promise.all(
    replicas.map(async (r) => (down.includes(r.node.name) ? { ...r, answering: true, facts: await observeReady(topology, r.node, options.timeoutMs, options.waitMs) } : r)),
  );
  const named = launched.filter(holdsData).map(describeHolder);
  throw new RefusedError(
    MASTER_WOULD_RESTART_EMPTY,
    `refusing to relaunch ${master.name} (${master.address}): ${why}, so it would start empty with a new run id at offset 0, and ${named.join(', ')} would copy the empty dataset and wipe ${named.length === 1 ? 'itself' : 'themselves'}; ` +
      (down.length > 0 ? `launched ${down.join(', ')} only (${down.length === 1 ? 'it keeps its' : 'they keep their'} data while ${master.name} is down)` : 'launched nothing'),
    `promote a replica first with \`rctl failover\` (forced while ${master.name} is down), or pass --force to relaunch ${master.name} empty anyway`,
  );
}

function emptyRelaunchReason(prediction: RelaunchPrediction): string {
  if (prediction.loads !== null) return `its ${prediction.loads} in ${prediction.dataDir} holds no key`;
  if (prediction.persistence === 'none') return 'it runs without persistence (save "", appendonly no)';
  if (prediction.persistence === 'aof') return `it has appendonly yes but no AOF in ${prediction.dataDir}`;
  return `it has no RDB in ${prediction.dataDir}`;
}

async function guardLiveMaster(topology: Topology, options: RestartGuardOptions): Promise<RestartGuardOutcome> {
  const master = topology.master;
  const masterFacts = (await observeNode(topology, master, { timeoutMs: options.timeoutMs })).facts;
  // Unreachable or unexpected: the connection step reports it. Loading: it restarted with its data.
  if (!masterFacts || masterFacts.loading) return { accepted: false };
  const replicas = await surveyReplicas(topology, options);
  const factsOf = (name: string) => (name === master.name ? masterFacts : (replicas.find((r) => r.node.name === name)?.facts ?? null));
  const restart = detectMasterRestart(topology, factsOf, readMasterRecord(options.state));
  if (!restart) return { accepted: false };

  const what = `${master.name} (${master.address}) ${describeMasterRestart(restart)}`;
  const atRisk = replicas.filter((r) => holdsData(r) && !(r.facts && copiedMaster(r.facts, master, masterFacts)));
  if (atRisk.length === 0) {
    options.warn(`${what}; every replica has copied it already, nothing is left to protect: recording it as the master`);
    recordMasterIdentity(options.state, master.name, master.address, masterFacts);
    return { accepted: true };
  }
  if (options.force) {
    options.warn(`--force: carrying on although ${what}`);
    return { accepted: true };
  }
  const still = atRisk.map(describeHolder);
  throw new RefusedError(
    MASTER_RESTARTED_EMPTY,
    `${what}; refusing to launch or repoint ${still.join(', ')}, which still ${atRisk.length === 1 ? 'holds' : 'hold'} the old data`,
    `stop ${master.name}, run \`rctl up\` to start the replicas and \`rctl failover\` to promote one, or pass --force to let them copy ${master.name}`,
  );
}
