// `rctl up` of a Sentinel-managed set. The sentinels are asked first: when a quorum of them names
// a master, that node is the master `up` works with (and rctl's roles record follows it), so `up`
// never repoints a node against them; only when no quorum answers (their first start) do the
// file's roles decide. Then the nodes are brought up as usual, the sentinels rctl launches are
// started, every sentinel is checked to monitor the master as the file says, and `up` waits until
// each sees every replica and every other sentinel.
//
// Checking a sentinel: one that does not monitor the master name is given it (SENTINEL MONITOR:
// it has no state about it to lose); one that monitors it at another address is reported, not
// repointed (SENTINEL REMOVE would drop what it knows, and the address may be a failover rctl has
// not seen: the operator decides); settings that differ (quorum, down-after-milliseconds,
// failover-timeout, parallel-syncs) are set with SENTINEL SET. auth-pass cannot be read back from
// a sentinel, so it is set on every `up` when the nodes have a password.

import { NodeFailureError, RctlError } from '../../errors';
import { NodeSession } from '../../node/node-session';
import type { Reporter } from '../../node/reporter';
import { knownReplicas, knownSentinels, masterAddressByName, monitoredMaster, numberField, flagsOf } from '../../node/sentinel';
import { waitFor, WaitTimeoutError } from '../../node/wait';
import { launchSentinels, type MonitoredMaster } from '../../launch/sentinel';
import { formatAddress, sameAddress, type SentinelNode, type SentinelSet, type Topology } from '../../topology/model';
import type { Secret } from '../../topology/secret';
import { observeNode } from '../observe';
import { up, type UpAction, type UpOptions, type UpResult } from '../up';
import { followSentinels, observeStatus } from './status';
import { judgeSentinels, observeSentinels } from './view';

export async function upWithSentinels(topology: Topology, options: UpOptions): Promise<UpResult> {
  const set = topology.sentinel;
  if (!set) return up(topology, options);
  const { reporter } = options;
  const actions: UpAction[] = [];
  const warnings: string[] = [];

  reporter.step(`asking ${set.nodes.length} sentinel${set.nodes.length === 1 ? '' : 's'} who the master of ${set.masterName} is`);
  const judgement = judgeSentinels(topology, set, await observeSentinels(set, options.timeoutMs));
  // Mid-failover the sentinels are reconfiguring the nodes themselves: any REPLICAOF of up's would race them.
  const failingOver = judgement.report.sentinels.filter((s) => s.flags.includes('failover_in_progress')).map((s) => s.name);
  if (failingOver.length > 0) {
    throw new NodeFailureError(
      'SENTINEL_FAILOVER_IN_PROGRESS',
      `the sentinels are failing ${set.masterName} over (${failingOver.join(', ')} report failover_in_progress): up changes nothing until they are done`,
      'watch it with `rctl status --watch 1`, then run `rctl up` again',
    );
  }
  let managed = topology;
  const agreed = judgement.agreedNode;
  if (agreed && agreed.name !== topology.master.name) {
    const facts = (await observeNode(topology, agreed, { timeoutMs: options.timeoutMs })).facts;
    const previous = (await observeNode(topology, topology.master, { timeoutMs: options.timeoutMs })).facts;
    managed = followSentinels(topology, agreed, options.state, { record: facts?.role === 'master', previousUnreachable: previous === null });
    actions.push({ node: agreed.name, action: 'followed sentinels', detail: `${judgement.report.agreeing} sentinels name ${agreed.name} the master (rctl had ${topology.master.name}): up keeps it` });
  } else if (judgement.report.master !== null && !agreed) {
    throw new NodeFailureError(
      'SENTINEL_MASTER_UNKNOWN',
      `the sentinels agree the master of ${set.masterName} is ${judgement.report.master}, which is no node of ${topology.name}`,
      `add that node to ${topology.displayFile}, or point the sentinels at ${topology.master.name}`,
    );
  }

  const nodes = await up(managed, options);
  actions.push(...nodes.actions);
  warnings.push(...nodes.warnings);

  const master: MonitoredMaster = { host: managed.master.host, port: managed.master.port };
  const launched = await launchSentinels(set, master, managed.password, { state: options.state, startTimeoutMs: Math.max(options.waitMs, 5000), reporter });
  for (const result of launched) {
    if (result.launched) actions.push({ node: result.sentinel.name, action: 'launched', detail: `launched redis-sentinel (pid ${result.pid}, files in ${result.paths.dir})` });
  }

  reporter.step('checking what each sentinel monitors');
  const checked = await Promise.all(set.nodes.map((sentinel) => reconcileSentinel(set, sentinel, master, managed.master.name, managed.password, options.timeoutMs)));
  const answering: SentinelNode[] = [];
  checked.forEach((outcome, i) => {
    actions.push(...outcome.actions);
    for (const warning of outcome.warnings) {
      warnings.push(warning);
      reporter.warn(warning);
    }
    if (outcome.state === 'watching') answering.push(set.nodes[i]);
  });
  // A launched sentinel that does not answer is a failed start; one monitoring another address is
  // left out of the wait (its warning says why) and `status` below reports it.
  const silent = checked.filter((outcome) => outcome.state === 'unreachable');
  if (set.launch === 'redis-sentinel' && silent.length > 0) {
    throw new NodeFailureError('SENTINEL_UNREACHABLE', `${silent.length} launched sentinel${silent.length === 1 ? '' : 's'} did not answer: ${silent.flatMap((o) => o.warnings).join('; ')}`);
  }
  await waitForSentinels(set, managed, answering, { waitMs: options.waitMs, timeoutMs: options.timeoutMs, reporter });

  const status = await observeStatus(managed, { timeoutMs: options.timeoutMs, state: options.state });
  return { changed: actions.length > 0, actions, warnings, status };
}

interface Reconciled {
  /** watching: it monitors the master where up put it, so up waits for it; misdirected: it monitors another address. */
  state: 'watching' | 'unreachable' | 'misdirected';
  actions: UpAction[];
  warnings: string[];
}

const SETTINGS: ReadonlyArray<{ field: string; option: string; of: (set: SentinelSet) => number | undefined }> = [
  { field: 'quorum', option: 'quorum', of: (set) => set.quorum },
  { field: 'down-after-milliseconds', option: 'down-after-milliseconds', of: (set) => set.downAfterMs },
  { field: 'failover-timeout', option: 'failover-timeout', of: (set) => set.failoverTimeoutMs },
  { field: 'parallel-syncs', option: 'parallel-syncs', of: (set) => set.parallelSyncs },
];

async function reconcileSentinel(set: SentinelSet, sentinel: SentinelNode, master: MonitoredMaster, masterLabel: string, nodePassword: Secret | null, timeoutMs: number): Promise<Reconciled> {
  const actions: UpAction[] = [];
  let session: NodeSession;
  try {
    session = await NodeSession.open(sentinel, { password: set.password, passwordSource: set.passwordSource, timeoutMs });
  } catch (error) {
    if (error instanceof RctlError) return { state: 'unreachable', actions, warnings: [`${sentinel.name} (${sentinel.address}): ${error.message}`] };
    throw error;
  }
  try {
    const name = set.masterName;
    const names = await masterAddressByName(session, name);
    if (names && !sameAddress(names.host, names.port, master.host, master.port)) {
      return {
        state: 'misdirected',
        actions,
        warnings: [
          `${sentinel.name} (${sentinel.address}) monitors ${name} at ${formatAddress(names.host, names.port)}, not at the master ${masterLabel} (${formatAddress(master.host, master.port)}); ` +
            `rctl does not repoint a sentinel: if that address is wrong, run SENTINEL REMOVE ${name} and SENTINEL MONITOR ${name} ${master.host} ${master.port} ${set.quorum} on it`,
        ],
      };
    }
    const changes: Array<[string, string]> = [];
    if (!names) {
      await session.expect(['SENTINEL', 'MONITOR', name, master.host, master.port, set.quorum], 'SENTINEL MONITOR');
      actions.push({ node: sentinel.name, action: 'sentinel monitor', detail: `SENTINEL MONITOR ${name} ${formatAddress(master.host, master.port)} quorum ${set.quorum}` });
    }
    const fields = (await monitoredMaster(session, name)) ?? {};
    for (const setting of SETTINGS) {
      const wanted = setting.of(set);
      if (wanted !== undefined && numberField(fields, setting.field) !== wanted) changes.push([setting.option, String(wanted)]);
    }
    if (changes.length > 0) {
      await session.expect(['SENTINEL', 'SET', name, ...changes.flat()], 'SENTINEL SET');
      actions.push({ node: sentinel.name, action: 'sentinel set', detail: `SENTINEL SET ${name} ${changes.map(([k, v]) => `${k} ${v}`).join(' ')}` });
    }
    if (nodePassword) {
      await session.expect(['SENTINEL', 'SET', name, 'auth-pass', nodePassword.reveal()], 'SENTINEL SET auth-pass');
      if (!names) actions.push({ node: sentinel.name, action: 'sentinel set', detail: `SENTINEL SET ${name} auth-pass (password)` });
    }
    return { state: 'watching', actions, warnings: [] };
  } finally {
    session.close();
  }
}

/** Until every answering sentinel sees every replica (linked, not down) and every other answering sentinel. */
async function waitForSentinels(set: SentinelSet, topology: Topology, sentinels: SentinelNode[], options: { waitMs: number; timeoutMs: number; reporter: Reporter }): Promise<void> {
  if (sentinels.length === 0) return;
  options.reporter.step(`waiting until ${sentinels.length} sentinel${sentinels.length === 1 ? '' : 's'} see${sentinels.length === 1 ? 's' : ''} ${topology.replicas.length} replica${topology.replicas.length === 1 ? '' : 's'} and each other`);
  const probe = async () => {
    const missing = (await Promise.all(sentinels.map((sentinel) => sentinelGaps(set, sentinel, topology, sentinels.length - 1, options.timeoutMs)))).filter((gap): gap is string => gap !== null);
    if (missing.length === 0) return { done: true as const, value: true };
    options.reporter.update(missing.join('; '));
    return { done: false as const, reason: missing.join('; ') };
  };
  try {
    await waitFor(probe, { interval: 250, timeout: options.waitMs });
  } catch (error) {
    if (error instanceof WaitTimeoutError) {
      throw new NodeFailureError(
        'SENTINEL_DISCOVERY_TIMEOUT',
        `the sentinels did not discover the set within ${error.timeoutMs / 1000}s: ${error.lastReason}`,
        'check the sentinels\' logs (a sentinel learns replicas from the master\'s INFO every 10 s and other sentinels from hello messages every 2 s); raise --wait',
      );
    }
    throw error;
  }
}

async function sentinelGaps(set: SentinelSet, sentinel: SentinelNode, topology: Topology, otherSentinels: number, timeoutMs: number): Promise<string | null> {
  let session: NodeSession | null = null;
  try {
    session = await NodeSession.open(sentinel, { password: set.password, passwordSource: set.passwordSource, timeoutMs });
    const [replicas, peers] = await Promise.all([knownReplicas(session, set.masterName), knownSentinels(session, set.masterName)]);
    const seen = topology.replicas.filter((node) =>
      replicas.some((r) => sameAddress(r.ip ?? '', Number(r.port), node.host, node.port) && !flagsOf(r).some((flag) => flag === 's_down' || flag === 'disconnected')),
    );
    const peersUp = peers.filter((p) => !flagsOf(p).some((flag) => flag === 's_down' || flag === 'disconnected')).length;
    if (seen.length === topology.replicas.length && peersUp >= otherSentinels) return null;
    return `${sentinel.name} sees ${seen.length}/${topology.replicas.length} replicas, ${peersUp}/${otherSentinels} other sentinels`;
  } catch (error) {
    if (error instanceof RctlError) return `${sentinel.name}: ${error.message}`;
    throw error;
  } finally {
    session?.close();
  }
}
