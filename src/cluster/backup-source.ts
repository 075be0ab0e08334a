// Which node `rctl backup` downloads from: a replica linked to the master and in sync, the least
// behind first, never the master unless the operator allows it. The master is the one `rctl status`
// judges against (under Sentinel, the one a quorum of sentinels names), from the same observation.

import { BadInputError, RctlError, RefusedError } from '../errors';
import { ExitCode } from '../exit-codes';
import { closestMatch } from '../topology/did-you-mean';
import type { Topology, TopologyNode } from '../topology/model';
import type { TopologyState } from '../state/topology-state';
import type { NodeStatus } from './status';
import { observeStatus } from './sentinel/status';

export interface SourceChoice {
  node: TopologyNode;
  /** What `rctl status` saw of it (unreachable nodes too: the download then reports why). */
  status: NodeStatus;
  /** The master's name when the choice was made. */
  master: string;
}

export interface SourceOptions {
  /** --from: a node name (or host:port of a node). */
  from: string | null;
  /** --from-master: the master may be the source. */
  fromMaster: boolean;
  timeoutMs: number;
  state: TopologyState;
}

const FROM_MASTER_HINT = 'pass --from-master to take it from the master anyway (the master forks to save a snapshot and sends it)';

export async function chooseBackupSource(topology: Topology, options: SourceOptions): Promise<SourceChoice> {
  const named = options.from === null ? null : namedNode(topology, options.from);
  const view = await observeStatus(topology, { timeoutMs: options.timeoutMs, state: options.state });
  const master = view.report.master;
  const statusOf = (node: TopologyNode) => view.report.nodes.find((n) => n.name === node.name)!;

  if (named) {
    const status = statusOf(named);
    const isMaster = named.name === master || status.role === 'master';
    if (isMaster && !options.fromMaster) {
      throw new RefusedError('BACKUP_FROM_MASTER', `${named.name} (${named.address}) is the master: backup reads a replica so the master is not loaded`, FROM_MASTER_HINT);
    }
    // An unreachable node is left to the download, which says why in its own words (refused, timeout, auth).
    if (!isMaster && status.reachable && status.error !== null) {
      throw new RctlError('BACKUP_SOURCE_UNHEALTHY', `${named.name} (${named.address}) is not a healthy replica: ${status.error}`, ExitCode.Unhealthy, 'check `rctl status`, or name another replica with --from');
    }
    return { node: named, status, master };
  }

  if (options.fromMaster) {
    const node = topology.nodes.find((n) => n.name === master)!;
    return { node, status: statusOf(node), master };
  }

  const healthy = topology.nodes
    .map((node) => ({ node, status: statusOf(node) }))
    .filter(({ status }) => status.role === 'replica' && status.reachable && status.linkStatus === 'up' && status.master === master && status.error === null)
    .sort((a, b) => (a.status.lagBytes ?? Infinity) - (b.status.lagBytes ?? Infinity));
  if (healthy.length > 0) return { ...healthy[0], master };

  const replicas = view.report.nodes.filter((n) => n.name !== master);
  const why = replicas.length === 0 ? 'the topology has no replica' : replicas.map((n) => `${n.name}: ${n.error ?? 'not a replica of the master'}`).join('; ');
  throw new RctlError('BACKUP_NO_HEALTHY_REPLICA', `no replica of ${master} is linked and in sync (${why})`, ExitCode.Unhealthy, `fix the replicas (\`rctl up\`, \`rctl status\`), or ${FROM_MASTER_HINT}`);
}

function namedNode(topology: Topology, text: string): TopologyNode {
  const byName = topology.nodes.find((n) => n.name === text || n.address === text);
  if (byName) return byName;
  const names = topology.nodes.map((n) => n.name);
  const close = closestMatch(text, names);
  throw new BadInputError('BACKUP_UNKNOWN_NODE', `--from "${text}" is no node of ${topology.displayFile}`, close ? `did you mean ${close}? nodes: ${names.join(', ')}` : `nodes: ${names.join(', ')}`);
}
